"""Exceptions raised by the cleaners, in one hierarchy so callers can catch broadly or narrowly."""


class CleanerError(Exception):
    """Base class: the input could not be turned into a document."""


class InputError(CleanerError):
    """The input itself is unusable: empty, binary, undecodable, too large or too deep."""


class FormatError(CleanerError):
    """A serialised document could not be read back (``loads``)."""
