"""Person names in a byline string: ``clean_author`` splits and cleans "By A and B, Staff" into
names, and the tests of whether a string reads as a person's name rather than a role, an agency,
an unfilled template or a topic label.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..dates import _search
from .sources import _CREDENTIAL, _EMAIL, _HANDLE, _UPDATED, _URL_LIKE, _clean, _rules


@lru_cache(maxsize=1)
def _author_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    rules = _rules()
    prefixes = sorted(rules["author_prefixes"], key=len, reverse=True)
    prefix = re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")\b\s*[:\-–—]?\s*", re.I)
    # a news agency after a name is a credit line like a role ("Jane Doe, Associated Press")
    roles = sorted([*rules["author_roles"], *rules["news_agencies"]], key=len, reverse=True)
    role = re.compile(
        r"(?:^|[,|\-–—/(]\s*|\s)(?:(?:senior|chief|assistant|deputy|associate|special|contributing|guest)\s+)?"
        r"(?:" + "|".join(re.escape(r) for r in roles) + r")s?\b\.?\)?\s*$",
        re.I,
    )
    return prefix, role


_COLLECTIVE = re.compile(
    r"^(?:the\s+)?[\w.&' -]{2,40}\s(?:team|staff|editors|editorial team|contributors?|desk|newsroom)$",
    re.IGNORECASE,
)


_READ_TIME = re.compile(r"\b(?:min|mins|minutes?)\s+read\b|\bread(?:ing)? time\b")
_ON_BEHALF = re.compile(r"\s+on behalf of\b.*$", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame)\.?\s+(?=[A-Z])")
# "A and B", "A & B", "A; B", "A | B"; the lower-case conjunctions of other languages only as whole
# lower-case words, so that the initial in "Sarah E. Needleman" does not split a name
_SPLIT_AUTHORS = re.compile(r"\s*(?:;|\||&|/|\n|\b(?i:and)\b|\s(?:und|et|y|e)\s)\s*")


# within one author: "Jane Doe, MD" (credential follows) or "Finian Cunningham. Sputnik" (a full stop
# after a word, not an initial, then a capital)
_SPLIT_PARTS = re.compile(r",|(?<=[a-z]{3})\.\s+(?=[A-Z])")


def clean_author(raw: str) -> list[str]:
    """Split and clean one author string into person names ("By A and B, Staff" -> [A, B])."""
    prefix_re, role_re = _author_patterns()
    s = _clean(raw)
    if not s or (_URL_LIKE.search(s) and " " not in s.strip()):
        return []
    s = _EMAIL.sub(" ", s)
    s = re.sub(r"https?://\S+", " ", s)
    s = _HANDLE.sub(" ", s)
    # a date and what follows it ("Jane Doe, March 5, 2024 · 5 min read") is not part of a name; a
    # date leading the line ("Dec 19, 2025 · Jane Doe") is dropped with its separator
    found = _search(s)
    while found is not None and not s[: found[1].start()].strip(" ,.:;-–—·•|"):
        s = s[found[1].end() :].lstrip(" ,.:;-–—·•|")
        found = _search(s)
    if found is not None:
        s = s[: found[1].start()]
    s = _UPDATED.sub("", s)
    s = _ON_BEHALF.sub("", s)
    s = prefix_re.sub("", s)
    out: list[str] = []
    for chunk in _SPLIT_AUTHORS.split(s):
        parts = [p.strip() for p in _SPLIT_PARTS.split(chunk)]
        names: list[str] = []
        for part in parts:
            part = _HONORIFIC.sub("", prefix_re.sub("", part)).strip(" .:-–—·•|")
            if not part:
                continue
            if names and part.lower() in _agencies():
                continue  # "Jane Doe, Reuters": the agency is a credit line, not a co-author
            if names and role_re.search(" " + part):
                continue  # "Jane Doe, Courier Staff Writer": whatever precedes the role, the part is a role
            if names and any(w.lower().strip(".,()") in _job_words() for w in part.split()):
                continue  # "Benjamin Johnson, Sr. Director of Operations": a job title, not a co-author
            if names and _CREDENTIAL.match(part.rstrip("®™ ")):
                names[-1] = f"{names[-1]}, {part}"  # "Jane Doe, MD" stays one person
                continue
            names.append(part)
        for name in names:
            if _COLLECTIVE.search(name):
                out.append(name)  # "The Currency editors", "Everfit Team": a collective byline
                continue
            prev = None
            while prev != name:
                prev = name
                stripped = role_re.sub("", name).strip(" ,.:-–—·•|()")
                if stripped.lower() in ("", "the", "our", "a", "an"):
                    break
                name = stripped
            name = prefix_re.sub("", name).strip(" ,.:-–—·•|()")
            if _valid_name(name):
                out.append(name)
    return out


# unfilled templates: "page.head.extra.author", "{{ author }}", "%author%"
_PLACEHOLDER = re.compile(r"^[a-z_.]+\.(?:author|name|byline)$|[{}%$]")


def _valid_name(name: str) -> bool:
    if not name or len(name) > 60 or len(name) < 2:
        return False
    if _URL_LIKE.search(name) or "@" in name:
        return False
    words = name.split()
    if len(words) > 6:
        return False
    base = name.split(",")[0]
    if sum(ch.isdigit() for ch in base) > 0:
        return False
    if not any(ch.isalpha() for ch in base):
        return False
    lowered = base.lower().strip()
    if _READ_TIME.search(lowered) or _PLACEHOLDER.search(lowered):
        return False
    if any(w in ("admin", "administrator", "webmaster") for w in lowered.split()):
        return False  # "NOC Admin", "Site Administrator": an account, not a byline
    _prefix_re, role_re = _author_patterns()
    if lowered in _agencies():
        return True  # "Associated Press" alone is the byline
    return not (role_re.fullmatch(" " + lowered) or lowered in _not_names())


@lru_cache(maxsize=1)
def _job_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _rules()["job_title_words"])


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(str(n).lower() for n in _rules()["news_agencies"])


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(str(n).lower() for n in _rules()["not_author_names"])


_NAME_PARTICLES = {"van", "der", "de", "la", "le", "von", "bin", "al", "da", "di", "du", "del", "dos", "ter",
                   "y", "e", "st", "mc"}  # fmt: skip


@lru_cache(maxsize=1)
def _topic_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _rules()["topic_words"])


def _looks_like_person(name: str, any_case: bool = False) -> bool:
    """A visible string that reads as a name: 1-5 words, capitalised (unless any_case: an element
    marked as the author's may print "jane doe" all in lower case), no sentence words."""
    base = name.split(",")[0]
    words = base.split()
    if not 1 <= len(words) <= 5:
        return False
    if (any_case and base == base.lower()) or _COLLECTIVE.match(base):
        return True  # "jane doe" in an author element; "the Lavazza Team"
    if words[0].lower() in ("the", "a", "an", "this", "that", "our", "my", "your", "about", "meet"):
        return False  # "by the Nigerian Senate" is a phrase, not a byline; "About DW" is a page
    if any(w.lower().strip(".,") in _topic_words() for w in words):
        return False  # "Restaurant Tips", "Personal finance": a category label beside the date
    if len(words) == 1 and base.isupper() and len(base) <= 3:
        return False  # "NB": an avatar's initials
    for word in words:
        w = word.strip(".'’()")
        if not w:
            continue
        if w.lower() in _NAME_PARTICLES:
            continue
        if not (w[0].isupper() or not w[0].isalpha()):
            return False
    return True
