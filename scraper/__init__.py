"""newsarchive scraper: everything with I/O around the pure ``cleaners`` library.

The public API::

    run_clean(CleanOptions(inputs, out=...)) -> Summary    # newsarchive clean: files -> archive
    run_crawl(CrawlConfig(seeds, out=...)) -> int           # newsarchive crawl (exit code)
    run_fetch(CrawlConfig(urls, out=...)) -> int            # newsarchive fetch (exit code)
    ScraperError > UsageError, ArchiveError, InputReadError > InputTooLargeError, XmlError, CleanTimeout

Modules: ``inputs`` (finding and reading saved pages, legacy text and WARC captures), ``archive``
(file layout, safe names, atomic writes, the SQLite index), ``batch`` (the ``clean`` command's work,
in parallel), ``fetch``/``robots``/``urls``/``discovery``/``capture``/``state``/``crawl`` (the web side),
``cli`` (the thin typer app, console script ``newsarchive``).

The entry points are imported on first use: ``import scraper`` (and ``newsarchive --help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ArchiveError,
    CleanTimeout,
    InputReadError,
    InputTooLargeError,
    ScraperError,
    UsageError,
    XmlError,
)

if TYPE_CHECKING:
    from .batch import CleanOptions, Summary, run_clean
    from .crawl import CrawlConfig, run_crawl, run_fetch

_LAZY = {
    "CleanOptions": "batch",
    "Summary": "batch",
    "run_clean": "batch",
    "CrawlConfig": "crawl",
    "run_crawl": "crawl",
    "run_fetch": "crawl",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "ArchiveError",
    "CleanOptions",
    "CleanTimeout",
    "CrawlConfig",
    "InputReadError",
    "InputTooLargeError",
    "ScraperError",
    "Summary",
    "UsageError",
    "XmlError",
    "run_clean",
    "run_crawl",
    "run_fetch",
]
