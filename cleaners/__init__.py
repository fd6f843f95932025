"""newsarchive cleaners: turn a news page, or text saved by an older scraper, into a Document.

A pure library: no network, no disk. The public API is::

    clean_html(html, url=None, *, include_comments=False) -> Document
    clean_text(text, url=None) -> Document
    dumps(doc) -> str / loads(s) -> Document
"""

from .document import Document
from .errors import CleanerError, FormatError, InputError
from .fileformat import dumps, loads
from .legacy import clean_text
from .pipeline import clean_html
from .version import EXTRACTOR, __version__

__all__ = [
    "EXTRACTOR",
    "CleanerError",
    "Document",
    "FormatError",
    "InputError",
    "__version__",
    "clean_html",
    "clean_text",
    "dumps",
    "loads",
]
