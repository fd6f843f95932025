"""Bytes to text: BOM, declared charset, detection; never a crash on bad bytes."""

import codecs
import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.decode import decode_bytes, sniff_encoding
from cleaners.errors import InputError

PAGE = "<html><head>{meta}</head><body><p>Café “quoted” – ok</p></body></html>"


def test_bom_wins_over_meta() -> None:
    data = codecs.BOM_UTF8 + PAGE.format(meta='<meta charset="iso-8859-1">').encode("utf-8")
    assert "Café “quoted”" in decode_bytes(data)


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + PAGE.format(meta="").encode("utf-16-le")
    assert "Café" in decode_bytes(data)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_declared_legacy_charset(meta: str) -> None:
    data = PAGE.format(meta=meta).encode("cp1252")
    assert "Café “quoted” – ok" in decode_bytes(data)


def test_http_header_charset_is_used_first() -> None:
    data = PAGE.format(meta="").encode("cp1252")
    assert sniff_encoding(data, "windows-1252")[0] == "cp1252"


def test_undeclared_utf8() -> None:
    assert "Café" in decode_bytes(PAGE.format(meta="").encode("utf-8"))


def test_undeclared_legacy_bytes_are_detected() -> None:
    text = "Die Bürger forderten größere Änderungen an der Straße, sagte der Bürgermeister. " * 5
    assert "Bürger" in decode_bytes(f"<p>{text}</p>".encode("cp1252"))


def test_wrong_declaration_falls_back_without_crash() -> None:
    data = PAGE.format(meta='<meta charset="utf-8">').encode("utf-8") + b"\xff\xfe stray"
    assert "\ufffd" in decode_bytes(data)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(100), b"%PDF-1.7\n", bytes(500)])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError):
        decode_bytes(data)


@given(st.binary(max_size=2000))
def test_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(InputError):  # binary-looking input is refused, never crashes
        assert isinstance(decode_bytes(data), str)
