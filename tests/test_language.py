"""detect_language: a code only for long, confidently classified texts."""

from __future__ import annotations

from cleaners.language import detect_language

ENGLISH = (
    "The Harmon and Lowe paper mill, which has made newsprint on the banks of the river since 1911, "
    "will close for good in December, putting 340 people out of work. Company officials told employees "
    "at a meeting on Wednesday afternoon that falling demand and rising energy costs made the mill "
    "impossible to run at a profit."
)
GERMAN = (
    "Die Fähre zwischen den beiden Häfen fährt nach sechs Wochen wieder nach Fahrplan. Bagger hatten "
    "in der Zwischenzeit rund vierzehntausend Kubikmeter Sand und Schlamm aus der Fahrrinne entfernt, "
    "teilte die Hafenverwaltung am Montag mit. Die Arbeiten kosteten mehr als eine halbe Million Euro."
)


def test_detects_long_texts() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(GERMAN) == "de"


def test_short_or_empty_text_gives_none() -> None:
    assert detect_language("") is None
    assert detect_language("Paper mill closes in Fairhaven") is None
    assert detect_language("12 34 56 " * 50) is None
