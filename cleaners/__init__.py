"""newsarchive cleaners: turn a news page, or text saved by an older scraper, into a Document.

A pure library: no network, no disk. The public API is::

    clean_html(html, url=None, *, include_comments=False) -> Document
    clean_text(text, url=None) -> Document
    parse_html(html) + clean_tree(tree, url=None) -> Document  (for callers that read the tree too)
    dumps(doc) -> str / loads(s) -> Document
"""

from .document import Document
from .errors import CleanerError, FormatError, InputError
from .fileformat import dumps, loads
from .legacy import clean_text
from .parse import parse_html
from .pipeline import clean_html, clean_tree
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
    "clean_tree",
    "dumps",
    "loads",
    "parse_html",
]
