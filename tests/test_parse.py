import pytest

from cleaners.errors import InputError
from cleaners.parse import MAX_HTML_CHARS, parse_html


def test_parses_str_and_bytes_with_declaration() -> None:
    tree = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>Héllo</p></body></html>')
    assert tree.findtext(".//p") == "Héllo"
    tree = parse_html(
        '<html><head><meta charset="cp1252"></head><body><p>H\xe9llo</p></body></html>'.encode("cp1252")
    )
    assert tree.findtext(".//p") == "Héllo"


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("<div>" * 5000 + "x", "nested"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "binary"),
    ],
)
def test_unusable_pages_raise_input_error(bad: str | bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_html(bad)


def test_too_large() -> None:
    with pytest.raises(InputError, match="too large"):
        parse_html("<p>" + "x" * MAX_HTML_CHARS)


def test_stray_control_characters_are_dropped() -> None:
    assert parse_html("<p>a\x00b\x0bc</p>").findtext(".//p") == "abc"


def test_text_after_an_early_closing_body_tag_is_kept() -> None:
    # browsers put what follows a stray </body></html> (a header partial closing the page) in the body
    tree = parse_html("<html><body><header>Site</header></body></html><div><p>The article.</p></div>")
    assert "The article." in tree.text_content()
