"""Date parsing for metadata and legacy text: one date string in a common form -> ISO 8601.

Output forms (the archive header's convention):
- ``2024-03-05`` when only the day is known;
- ``2024-03-05T10:00:00`` when the time is known but not the zone;
- ``2023-12-03T15:13:00+00:00`` when time and zone are known.

Forms: ISO 8601 (with or without time and offset), RFC 2822, written English dates with optional
weekday, time ("3:15 pm", "15:13") and zone abbreviation (UTC, GMT, EST...), day-first written dates
in German, French, Spanish, Portuguese and Italian, CJK year-month-day, and numeric day/month
forms only when one field cannot be a month ("03/05/2024" is refused, "13/05/2024" is not).

Regex-based on purpose: it is called on many candidates per page, and dateparser is far too slow.
Years outside 1990..2100 are rejected as implausible for a news page.
"""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
# Full month names of other common news languages (day-first forms only: "5 de março de 2024",
# "5. März 2024", "5 mars 2024"); English abbreviations above are the only short forms.
FOREIGN_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    # French
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "dezembro": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
}  # fmt: skip

# Offsets of the zone abbreviations news pages print. Ambiguous ones (IST, "ET") are left out:
# a wrong offset is worse than none.
ZONES = {
    "z": "+00:00", "utc": "+00:00", "gmt": "+00:00", "ut": "+00:00",
    "est": "-05:00", "edt": "-04:00", "cst": "-06:00", "cdt": "-05:00", "mst": "-07:00", "mdt": "-06:00",
    "pst": "-08:00", "pdt": "-07:00", "akst": "-09:00", "akdt": "-08:00", "hst": "-10:00",
    "bst": "+01:00", "cet": "+01:00", "cest": "+02:00", "eet": "+02:00", "eest": "+03:00",
    "wet": "+00:00", "west": "+01:00", "msk": "+03:00", "jst": "+09:00", "kst": "+09:00",
    "aest": "+10:00", "aedt": "+11:00", "awst": "+08:00", "nzst": "+12:00", "nzdt": "+13:00",
    "irst": "+03:30", "pkt": "+05:00", "sgt": "+08:00", "hkt": "+08:00",
}  # fmt: skip

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ZONE_NAMES = "|".join(sorted((re.escape(z) for z in ZONES), key=len, reverse=True))
# Time: 15:13, 15:13:05.123, 3:15 pm, 3 p.m.; then an optional zone: Z, +0000, +00:00, UTC, (GMT+2)...
_TIME = (
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
    r"(?:\s*\(?\s*(?P<zone>(?:" + _ZONE_NAMES + r")\b(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"|[+-]\d{2}:?\d{2}\b)\s*\)?)?"
)
_TIME_TAIL = r"(?:\s*(?:,|at|@|-|–|\||·|•)?\s*" + _TIME + r")?"

ISO_RE = re.compile(
    r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    r"(?:(?:T|\s+|\s*,\s*)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*"
    r"(?P<zone>Z\b|[+-]\d{2}(?::?\d{2})?\b|(?:" + _ZONE_NAMES + r")\b)?)?",
    re.IGNORECASE,
)
COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
# "Tuesday, March 5, 2024", "Dec 03, 2023 15:13 UTC", "March 5th 2024 at 3:15 pm EST"
MDY_RE = re.compile(
    r"\b"
    + _WEEKDAY
    + _MONTH
    + r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d),?\s*(?P<y>\d{4})(?!\d)"
    + _TIME_TAIL,
    re.IGNORECASE,
)
_FOREIGN_MONTH = "(?P<mon>" + "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True)) + r")\b"
# "5 March 2024", "Tue, 05 Mar 2024 10:00:00 GMT", "5th of March, 2024", "5 de março de 2024"
DMY_RE = re.compile(
    r"(?<![\d:])"
    + _WEEKDAY
    + r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|º)?(?:\s+of|\s+de)?[\s.\-/]*(?:"
    + _MONTH
    + "|"
    + _FOREIGN_MONTH.replace("?P<mon>", "?P<fmon>")
    + r")[\s,.\-/]*(?:de\s+)?(?P<y>\d{4})(?!\d)"
    + _TIME_TAIL,
    re.IGNORECASE,
)
# 03/05/2024, 05.03.2024, 5-3-2024: resolved only when one field cannot be a month
NUMERIC_RE = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/])" + _TIME_TAIL,
    re.IGNORECASE,
)
# 2024年3月5日 (Chinese, Japanese), 2024년 3월 5일 (Korean)
CJK_RE = re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?")
_PATTERNS = (ISO_RE, MDY_RE, DMY_RE, NUMERIC_RE, CJK_RE)


def _zone_offset(zone: str | None) -> str | None:
    if not zone:
        return None
    z = zone.strip().lower().replace(" ", "")
    m = re.fullmatch(r"([a-z]+)?([+-])(\d{1,2}):?(\d{2})?", z)
    if m:
        name, sign, hh, mm = m.groups()
        if name and name not in ("utc", "gmt", "ut"):
            return None  # "EST+1" and the like: not worth guessing
        if int(hh) > 14 or int(mm or 0) > 59:
            return None
        return f"{sign}{int(hh):02d}:{int(mm or 0):02d}"
    return ZONES.get(z)


def _build(y: int, m: int, d: int, gd: dict[str, str | None]) -> str | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    hour = gd.get("h")
    minute = gd.get("mi")
    ampm = gd.get("ampm")
    if hour is None or (minute is None and not ampm):
        return day.isoformat()  # a bare number after a date is not a time
    h, mi, s = int(hour), int(minute or 0), int(gd.get("s") or 0)
    if ampm:
        if not 1 <= h <= 12:
            return day.isoformat()
        pm = ampm.lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
    if h > 23 or mi > 59 or s > 59:
        return day.isoformat()
    stamp = f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}"
    offset = _zone_offset(gd.get("zone"))
    return stamp + offset if offset else stamp


def _from_match(pattern: re.Pattern[str], m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    if pattern is NUMERIC_RE:
        a, b, y = int(gd["a"]), int(gd["b"]), int(gd["y"])
        if gd["sep"] == "." or a > 12:  # dotted dates are day-first wherever they are used
            d, mo = a, b
        elif b > 12 or a == b:
            mo, d = a, b
        else:
            return None  # 03/05/2024: March 5 or 3 May; refuse to guess
        return _build(y, mo, d, gd)
    if pattern is ISO_RE or pattern is CJK_RE:
        return _build(int(gd["y"]), int(gd["m"]), int(gd["d"]), gd)
    name = gd.get("fmon")
    month = FOREIGN_MONTHS[name.lower()] if name else MONTHS[gd["mon"].lower().rstrip(".")]
    return _build(int(gd["y"]), month, int(gd["d"]), gd)


def _search(text: str) -> tuple[str, re.Match[str]] | None:
    """The earliest date found in text, with its match."""
    best: tuple[str, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _from_match(pattern, m)
            if iso is not None:
                if best is None or m.start() < best[1].start():
                    best = (iso, m)
                break
    return best


def locate_date(text: str) -> tuple[str, int, int] | None:
    """The earliest date in text: (ISO date, start, end of where it is written), or None."""
    found = _search(text)
    return (found[0], found[1].start(), found[1].end()) if found else None


def parse_date(text: str) -> str | None:
    """Parse one date string in a common form into ISO 8601 (see the module docstring), or None."""
    if not text:
        return None
    text = text.strip()
    if len(text) > 200:
        text = text[:200]
    found = _search(text)
    if found is not None:
        return found[0]
    m = COMPACT_RE.fullmatch(text)
    if m:
        return _build(int(m["y"]), int(m["m"]), int(m["d"]), {})
    return None


# Words that may sit beside a date on a line that is "just a date": labels and short clutter.
_LINE_CLUTTER = re.compile(
    r"\b(?:published|posted|updated|last|modified|on|date|dated|at|by|more|articles?|news|today|"
    r"share|print|comments?|min|read|edited|first|time|am|pm)\b|[\W_\d]",
    re.IGNORECASE,
)


def find_date_in_line(line: str) -> str | None:
    """The ISO date of a line that is essentially just a date, else None.

    A weekday, time and zone are part of the date; labels like "Published:" or short clutter like
    "More Articles" may surround it, but a sentence that merely mentions a date does not count.
    """
    line = line.strip()
    if not line or len(line) > 90:
        return None
    found = _search(line)
    if found is None:
        return None
    iso, m = found
    rest = line[: m.start()] + " " + line[m.end() :]
    leftover = _LINE_CLUTTER.sub(" ", rest).split()
    if len(leftover) > 0 and (len(leftover) > 2 or sum(len(w) for w in leftover) > 16):
        return None
    return iso
