import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cleaners.normalize import normalize_text, same_text


def test_spaces_invisibles_and_controls() -> None:
    raw = "A\u00a0b\u200bc\u2009d\x07e\tf  g \u202e\ufeff"
    assert normalize_text(raw) == "A bc d e f g"


def test_nfc() -> None:
    assert normalize_text("Cafe\u0301") == "Café"


def test_mojibake_repaired() -> None:
    assert normalize_text("The cafÃ© said â€œhelloâ€\x9d") == "The café said “hello”"


def test_curly_quotes_kept() -> None:
    assert normalize_text("“quoted” ‘single’") == "“quoted” ‘single’"


def test_line_endings_and_blank_lines() -> None:
    assert normalize_text("a  \r\nb\r\r\nc\n\n\n") == "a\nb\nc"


@given(st.text())
def test_output_is_clean(text: str) -> None:
    out = normalize_text(text)
    assert out == unicodedata.normalize("NFC", out)
    assert "\r" not in out and "\u200b" not in out
    assert all(not line.endswith(" ") for line in out.split("\n"))


def test_same_text_ignores_case_and_punctuation() -> None:
    assert same_text("Iran, Iraq: Top general!", "iran iraq top general")
    assert not same_text("Iran", "Iraq")
    assert not same_text(None, "x")
