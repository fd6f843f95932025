"""parse_date and find_date_in_line: the common written forms of a date."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.dates import find_date_in_line, locate_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00", "2024-03-05T10:00:00"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05T10:00:00.123+0530", "2024-03-05T10:00:00+05:30"),
        ("2024-03-05T10:00:00-04:00", "2024-03-05T10:00:00-04:00"),
        ("2024-03-05 10:00", "2024-03-05T10:00:00"),
        ("2024/03/05", "2024-03-05"),
        ("20240305", "2024-03-05"),
        # written English forms
        ("Tuesday, March 5, 2024", "2024-03-05"),
        ("Dec 03, 2023 15:13 UTC", "2023-12-03T15:13:00+00:00"),
        ("5 March 2024", "2024-03-05"),
        ("5th of March, 2024", "2024-03-05"),
        ("Mar. 5th, 2024", "2024-03-05"),
        ("Sept. 12, 2023, 11:05 AM", "2023-09-12T11:05:00"),
        ("March 5, 2024 at 3:15 pm EST", "2024-03-05T15:15:00-05:00"),
        ("March 5, 2024 at 12:30 a.m. PDT", "2024-03-05T00:30:00-07:00"),
        # RFC 2822
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05T10:00:00+01:00"),
        # numeric forms, only when one field cannot be a month
        ("13/05/2024", "2024-05-13"),
        ("05/13/2024", "2024-05-13"),
        ("05.03.2024", "2024-03-05"),
        ("03/05/2024", None),
        # labels around the date
        ("Published: 2024-03-05", "2024-03-05"),
        ("Updated March 5, 2024 12:00 p.m. ET", "2024-03-05T12:00:00"),
        # other languages: day-first written forms and CJK
        ("5 de março de 2024", "2024-03-05"),
        ("5. März 2024", "2024-03-05"),
        ("1er avril 2024", "2024-04-01"),
        ("5 de marzo de 2024", "2024-03-05"),
        ("5 maggio 2024, 10:30", "2024-05-05T10:30:00"),
        ("2024年3月5日", "2024-03-05"),
        ("2024년 3월 5일", "2024-03-05"),
        # rejected
        ("1985-01-01", None),
        ("2150-01-01", None),
        ("2024-02-30", None),
        ("no date here", None),
        ("", None),
        ("March 2024", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_number_after_date_is_not_a_time() -> None:
    # "2024 12" is a year and a stray number, not a time of day
    assert parse_date("March 5, 2024 12 comments") == "2024-03-05"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tuesday, March 5, 2024", "2024-03-05"),
        ("Dec 03, 2023 15:13 UTC", "2023-12-03T15:13:00+00:00"),
        ("Tuesday, March 5, 2024 More Articles", "2024-03-05"),
        ("Posted on 2024-03-05", "2024-03-05"),
        ("Updated: 5 March 2024, 10:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("He said on March 5, 2024 that the talks had ended.", None),
        ("Top Iranian Cmdr. in Iraq, meets counterpart, defense, interior ministers", None),
        ("", None),
    ],
)
def test_find_date_in_line(line: str, expected: str | None) -> None:
    assert find_date_in_line(line) == expected


@given(st.text(max_size=120))
@settings(max_examples=300, deadline=None)
def test_parse_date_never_raises_and_returns_valid_iso(text: str) -> None:
    for result in (parse_date(text), find_date_in_line(text)):
        if result is not None:
            parsed = datetime.fromisoformat(result)
            assert 1990 <= parsed.year <= 2100


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_written_forms_round_trip(day: date) -> None:
    iso = day.isoformat()
    for form in ("%Y-%m-%d", "%B %d, %Y", "%A, %B %d, %Y", "%d %b %Y", "%a, %d %b %Y 00:00:00 GMT"):
        assert parse_date(day.strftime(form))[:10] == iso


def test_locate_date_says_where_the_earliest_date_is_written() -> None:
    text = "Published on March 5, 2024, updated 2024-04-01"
    iso, start, end = locate_date(text)
    assert iso.startswith("2024-03-05")
    assert text[start:end] == "March 5, 2024"
    assert locate_date("no date here") is None
