"""Bytes to text: BOM, then the page's own charset declaration, then detection.

Browsers' rules, simplified: a BOM wins; then ``<meta charset>`` or the http-equiv
Content-Type in the first bytes; then strict UTF-8; then charset-normalizer's guess.
Never raises on bad bytes: undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs

from bs4.dammit import EncodingDetector

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PREFIX = 4096  # where a charset declaration must appear (the HTML spec says 1024; pages are sloppy)

# Labels that browsers decode as something wider (WHATWG Encoding Standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "tis-620": "cp874",
    "iso-8859-9": "cp1254",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "x-user-defined": "cp1252",
}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that declares UTF-16 in a meta tag is readable as ASCII-compatible bytes, so it is not UTF-16.
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def sniff_encoding(data: bytes, declared: str | None = None) -> tuple[str, int]:
    """The encoding to decode ``data`` with, and how many leading bytes (a BOM) to skip."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    # beautifulsoup4's sniffer reads <meta charset>, http-equiv Content-Type and XML declarations.
    in_page = EncodingDetector.find_declared_encoding(data[:_PREFIX], is_html=True)
    for label in (declared, in_page):
        codec = _codec(label)
        if codec:
            return codec, 0
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported lazily: only undeclared non-UTF-8 pages need it

    best = from_bytes(data[: 1 << 18]).best()
    return (best.encoding if best else "cp1252"), 0


def looks_binary(data: bytes) -> bool:
    """True for content that is plainly not text (images, archives, executables)."""
    head = data[:4096]
    if head.startswith((b"\x1f\x8b", b"PK\x03\x04", b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return head.count(b"\x00") > len(head) // 100


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a page's bytes; ``declared`` is the charset from an HTTP header, if any.

    Raises ``InputError`` for binary content; undecodable bytes never raise.
    """
    if looks_binary(data):
        raise InputError("binary content, not text")
    encoding, skip = sniff_encoding(data, declared)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError:
        # A wrong declaration is common: real UTF-8 behind a legacy label, or stray bytes in UTF-8.
        if encoding != "utf-8":
            try:
                return data[skip:].decode("utf-8")
            except UnicodeDecodeError:
                pass
        return data[skip:].decode(encoding, errors="replace")
