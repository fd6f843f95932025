"""Exceptions raised by the scraper (all I/O), in one hierarchy so the CLI can map them to exit codes."""


class ScraperError(Exception):
    """Base class for every error the scraper raises on purpose."""


class UsageError(ScraperError):
    """The command line cannot be acted on (no inputs matched, unsupported input type): exit code 2."""


class InputReadError(ScraperError):
    """One input could not be read (truncated gzip, too large, empty, binary...): that input fails."""


class ArchiveError(ScraperError):
    """The archive could not be written or its index could not be used."""


class InputTooLargeError(InputReadError):
    """One input (or WARC record) is over the size limit: the others in the same file can still be read."""
