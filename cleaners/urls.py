"""Host names of page addresses: what a page, its links and its site name are compared by."""

from __future__ import annotations

from urllib.parse import urlsplit


def page_host(url: str | None) -> str | None:
    """The address's host, lower case, without "www."; None for no address or a malformed one
    ("http://[oops/": urllib raises on it, and a page's own links may be anything)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")
