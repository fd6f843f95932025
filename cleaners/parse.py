"""Parse HTML once into an lxml tree that every later stage shares."""

from __future__ import annotations

import re

from lxml import html as lxml_html
from lxml.etree import ParserError
from lxml.html import HtmlElement

from .decode import decode_bytes
from .errors import InputError

#: Pages larger than this are refused: no news article needs 32 MiB of markup.
MAX_HTML_CHARS = 32 * 1024 * 1024

# libxml2 silently flattens nesting past 256 levels; we report it instead (see parse_html).
_DEPTH_ERROR = "Excessive depth"
# Characters XML forbids; lxml refuses text containing them.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Browsers ignore </body> and </html> (what follows still goes into the body: templates often close
# the document after the header partial); libxml2 drops everything after them.
_DOCUMENT_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def _parser() -> lxml_html.HTMLParser:
    # A fresh parser per call: its error log is ours alone (parsers are not thread-safe).
    return lxml_html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )


def to_text(html: str | bytes, encoding: str | None = None) -> str:
    """The page as text, decoding bytes (``encoding``: a charset from HTTP headers, if any)."""
    if isinstance(html, bytes | bytearray):
        html = decode_bytes(bytes(html), encoding)
    return html


def parse_html(html: str | bytes, encoding: str | None = None) -> HtmlElement:
    """Decode (if bytes) and parse a page. Raises ``InputError`` for input that is not a usable page."""
    text = to_text(html, encoding)
    if len(text) > MAX_HTML_CHARS:
        raise InputError(f"page too large ({len(text):,} characters)")
    if not text.strip():
        raise InputError("empty document")
    text = _INVALID_XML_CHARS.sub("", _XML_DECLARATION.sub("", text, count=1))
    text = _DOCUMENT_END_TAGS.sub("", text)
    parser = _parser()
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (ParserError, ValueError) as exc:
        raise InputError(f"unparsable HTML: {exc}") from None
    if any(_DEPTH_ERROR in entry.message for entry in parser.error_log):
        raise InputError("markup nested deeper than 256 levels")
    return tree
