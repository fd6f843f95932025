"""Exceptions raised by the scraper (all I/O), in one hierarchy so the CLI can map them to exit codes.

::

    ScraperError
    ├── UsageError            the command line cannot be acted on (exit 2)
    ├── ArchiveError          the archive or its index cannot be written (exit 1)
    ├── InputReadError        one input cannot be read: that input fails, the batch goes on
    │   └── InputTooLargeError
    ├── XmlError              a sitemap or feed cannot be read: that URL fails, the crawl goes on
    └── CleanTimeout          a page took too long to clean: that page fails, the crawl goes on
"""


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


class XmlError(ScraperError, ValueError):
    """The bytes are not a sitemap or feed we can read (or are one we refuse: entity declarations)."""


class CleanTimeout(ScraperError):
    """A page took longer than ``CrawlConfig.clean_timeout`` in a cleaning process."""
