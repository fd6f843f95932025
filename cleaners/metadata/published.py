"""Publication and modification dates: which source to trust (JSON-LD, meta, itemprop, <time>, the
URL, a date printed under the headline or in the article, htmldate) and which printed dates to
ignore (page chrome, "today", updates). Date strings are parsed by ``cleaners.dates``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from datetime import date
from itertools import takewhile
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ..dates import find_date_in_line, locate_date, parse_date
from .sources import (
    _H1,
    _ITEMPROP_MODIFIED,
    _ITEMPROP_PUBLISHED,
    _MICROFORMAT_MODIFIED,
    _MICROFORMAT_PUBLISHED,
    _MODIFIED_META,
    _PUBLISHED_META,
    _SKIP_TEXT_TAGS,
    _TIME,
    _URL_DATE,
    _YEARISH,
    _JsonLd,
    _jsonld_str,
    _outside_article,
    _spaced_text,
    _text,
)


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    try:
        m = _URL_DATE.search(urlsplit(url).path)
    except ValueError:  # a malformed address ("http://[oops/")
        return None
    if not m:
        return None
    return parse_date(f"{m[1]}-{m[2]}-{m[3]}")


def _element_date(el: HtmlElement) -> str | None:
    for attr in ("datetime", "content", "data-datetime", "data-date", "title"):
        value = el.get(attr)
        if value:
            iso = parse_date(value)
            if iso:
                return iso
    # <span itemprop="datePublished"><time datetime="...T18:20:11-05:00">May 22, 2023</time></span>:
    # the machine-readable child carries the time the printed text leaves out
    for child in el.iter("time"):
        iso = parse_date(child.get("datetime") or "")
        if iso:
            return iso
    text = _text(el)
    return parse_date(text) if text and len(text) < 80 else None


_TODAY = re.compile(r"\btoday\b|\bcurrent date\b", re.IGNORECASE)


def _date_lines(
    elements: Iterable[HtmlElement], skip_tails_of: Container[HtmlElement] = ()
) -> Iterator[tuple[HtmlElement, str, str]]:
    """(owner, text, ISO date) for each short text of the elements that holds a date: an element's
    own text, or its tail, which belongs to the parent's flow ("<b>By X</b> March 5, 2024" sits in
    the parent). Long texts are sentences that mention a date, not date lines."""
    for el in elements:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        for text, is_tail in ((el.text, False), (el.tail, True)):
            if not text or len(text) > 120 or not _YEARISH.search(text):
                continue
            if is_tail and el in skip_tails_of:
                continue
            iso = find_date_in_line(text)
            if iso:
                yield (el.getparent() if is_tail and el.getparent() is not None else el), text, iso


def _first_visible_line(tree: HtmlElement) -> tuple[HtmlElement, str, str] | None:
    """(owner, text, ISO date) of the first date printed in the page's article area.

    Only short texts that are essentially a date (with a label like "Updated" at most) count, so a
    sentence mentioning a date is ignored; dates in headers (today's date), navigation, sidebars,
    comments and related-post lists are not the article's.
    """
    for owner, text, iso in _date_lines(tree.iter()):
        # "Today is Tuesday, October 17, 2006": a header's clock, not the article's date
        if not _TODAY.search(text) and not _outside_article(owner):
            return owner, text, iso
    return None


def _first_visible_date(tree: HtmlElement) -> str | None:
    line = _first_visible_line(tree)
    return line[2] if line else None


def _chrome_dates(tree: HtmlElement) -> set[str]:
    """Days printed in the page chrome above the headline (a site header's "today"): never the
    article's date. Chrome below the first h1 is not searched: an article's own header block,
    which holds its date, often looks like chrome."""
    above = takewhile(lambda el: el.tag != "h1", tree.iter())
    return {
        iso[:10] for owner, text, iso in _date_lines(above) if _outside_article(owner) or _TODAY.search(text)
    }


_TIME_PUBLISHED = re.compile(r"publish|posted|entry-date|created|pubdate", re.IGNORECASE)
_TIME_UPDATED = re.compile(r"updated|modified", re.IGNORECASE)


def _time_rank(el: HtmlElement) -> int:
    """<time> elements marked as the publication time first, those marked as updates last."""
    marks = (el.get("class") or "") + " " + (el.get("itemprop") or "") + " " + " ".join(el.keys())
    if _TIME_PUBLISHED.search(marks):
        return 0
    return 2 if _TIME_UPDATED.search(marks) else 1


_OFFSET = re.compile(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


_UPDATE_LABEL = re.compile(r"updated|modified|revised|\bupdates?\b", re.IGNORECASE)
_HEADLINE_DATE_WORDS = 80  # how far below the headline its date line may sit (words of text)


def _headline_date(tree: HtmlElement) -> str | None:
    """The date printed just below the article's headline (the first date line within a few dozen
    words after the first h1), unless it is labelled as an update ("Last updated: ...")."""
    h1 = next((h for h in _H1(tree) if not _outside_article(h, chrome_counts=False)), None)
    if h1 is None:
        return None
    words = 0
    for el in _following(h1):
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        for is_tail, text in ((False, el.text), (True, el.tail)):
            if not text or text.isspace():
                continue
            if len(text) <= 120 and _YEARISH.search(text):
                iso = find_date_in_line(text)
                if iso is not None and not _TODAY.search(text):
                    owner = el.getparent() if is_tail and el.getparent() is not None else el
                    if _outside_article(owner):
                        return None
                    if _UPDATE_LABEL.search(_date_label(owner, text)):
                        return None
                    if owner.tag == "time":  # <time datetime="..."> says what its text abbreviates
                        iso = _element_date(owner) or iso
                    return iso
            words += len(text.split())
            if words > _HEADLINE_DATE_WORDS:
                return None
    return None


def _printed_above_headline(tree: HtmlElement, day: str) -> bool:
    """Whether a date line before the article's headline, not labelled as an update, prints ``day``
    (a kicker "March 5, 2024" over the h1)."""
    h1 = next((h for h in _H1(tree) if not _outside_article(h, chrome_counts=False)), None)
    if h1 is None:
        return False
    above = takewhile(lambda el: el is not h1, tree.iter())
    # the tails of the headline's ancestors come after it
    for owner, text, iso in _date_lines(above, skip_tails_of=set(h1.iterancestors())):
        if (
            iso[:10] == day
            and not _TODAY.search(text)
            and not _outside_article(owner)
            and not _UPDATE_LABEL.search(_date_label(owner, text))
        ):
            return True
    return False


# "Published on", "Posted:", "First published", "Publié le", "Veröffentlicht am", "Publicada el": a
# label that opens a date line, with nothing else between it and the date. "The report, published
# on March 12, 2019, ..." cites a date; "Published in Nature, March 12, 2019" is a citation.
_PUBLISHED_LABEL = re.compile(
    r"\W*(?:(?:originally|first)\s+)?"
    r"(?:published|posted|publi[ée]e?|ver[öo]ffentlicht|erschienen|pubblicat[oa]|publicad[oa])"
    r"(?:\s+(?:on|at|am|le|el|il))?\W*",
    re.IGNORECASE,
)
#: How far up from the date's element its label may sit (<span>Published:</span> <span><time>),
#: and how long the text there may be: a label is next to its date, not a page away.
_LABEL_MAX_LEVELS = 2
_LABEL_MAX_CHARS = 200


def _label_above(owner: HtmlElement, text: str) -> bool:
    """Whether a "Published" label is all that comes before ``text`` (folded) in its element or in
    one of the _LABEL_MAX_LEVELS above it: the first of them where anything comes before it."""
    holder: HtmlElement | None = owner
    for _ in range(_LABEL_MAX_LEVELS + 1):
        if holder is None or len(holder.text_content()) > _LABEL_MAX_CHARS:
            return False
        whole = " ".join(_spaced_text(holder).split())
        at = whole.find(text)
        if at > 0:
            return _PUBLISHED_LABEL.fullmatch(whole[:at]) is not None
        holder = holder.getparent()
    return False


def _labelled_published_date(tree: HtmlElement) -> str | None:
    """The article's first date line, when a "Published" label opens it: in its own text
    ("VERÖFFENTLICHT AM 07.06.2019") or as all that comes before it in an element just above
    (<div>Published <time>August 13, 2025</time></div>, <b>Posted on</b> March 5, 2024)."""
    line = _first_visible_line(tree)
    if line is None:
        return None
    owner, text, iso = line
    text = " ".join(text.split())
    found = locate_date(text)
    in_line = found is not None and _PUBLISHED_LABEL.fullmatch(text[: found[1]]) is not None
    if not (in_line or _label_above(owner, text)):
        return None
    if owner.tag == "time":  # <time datetime="..."> says what its text abbreviates
        iso = _element_date(owner) or iso
    return iso


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after el in document order (its own descendants excluded), without walking
    the part of the page before it."""
    node: HtmlElement | None = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _date_label(owner: HtmlElement, text: str) -> str:
    """The words that may label a printed date: its own line, the words just before it in the two
    blocks above (<span>Last Updated:</span> <span>date</span>) and those blocks' leading text
    (<li>Updates<ul><li>date ...</li></ul></li>); a "Published ... Updated <date>" row labels only
    the second date."""
    label = [text]
    line = text.strip()
    node = owner
    for _ in range(2):
        node = node.getparent()
        if node is None:
            break
        whole = _spaced_text(node)
        at = whole.find(line)
        label.append(whole[max(0, at - 40) : at] if at >= 0 else "")
        label.append(node.text or "")
    return " ".join(label)


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 0


def _choose_published(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, url: str | None, modified: str | None
) -> str | None:
    """The publication date; when the chosen source gives the day only (a URL, a printed date),
    the time and zone of the same day are taken from the page's <time> or printed date.

    A date printed under the headline that is neither the structured published nor modified day
    wins: the structured dates are then a CMS migration or re-publication stamp, and the reader's
    date is the printed one. Within a day of the structured date it is a time-zone shift: kept."""
    found = _published_source(tree, meta, ld, url)
    # a printed date only ever replaces the date found: with none found, it is not looked for here
    printed = (_headline_date(tree) or _labelled_published_date(tree)) if found else None
    if (
        printed
        and found
        and printed[:10] not in (found[:10], (modified or "")[:10])
        and _days_apart(printed, found) > 1
        # "09.10.2024" read month-first where the structured date reads it day-first: the same day
        and printed[:10] != f"{found[:4]}-{found[8:10]}-{found[5:7]}"
        # the page prints the structured date above the headline: the one below belongs to
        # something else, a card of another post
        and not _printed_above_headline(tree, found[:10])
    ):
        found = printed
    if found is None or "T" in found:
        return found
    for el in _ITEMPROP_PUBLISHED(tree):
        if el.tag != "meta" and not _outside_article(el):
            iso = _element_date(el)
            if iso and iso[:10] == found and _OFFSET.search(iso):
                return iso
    for el in _TIME(tree):
        if _time_rank(el) < 2 and not _outside_article(el):
            iso = _element_date(el)
            if iso and iso[:10] == found and _OFFSET.search(iso):
                return iso
    iso = _first_visible_date(tree)
    if iso and iso[:10] == found and _OFFSET.search(iso):
        return iso
    return found


def _declared_date(
    meta: dict[str, list[str]], ld: _JsonLd, jsonld_keys: tuple[str, ...], meta_keys: tuple[str, ...]
) -> str | None:
    """The first date the page declares for itself: in its JSON-LD (article, then page), then in
    its meta tags, in the order of the keys given."""
    for obj in (ld.article, ld.page):
        value = _jsonld_str(obj, *jsonld_keys)
        iso = parse_date(value) if value else None
        if iso:
            return iso
    for key in meta_keys:
        for value in meta.get(key, []):
            iso = parse_date(value)
            if iso:
                return iso
    return None


def _published_source(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, url: str | None
) -> str | None:
    iso = _declared_date(meta, ld, ("datePublished", "dateCreated", "uploadDate"), _PUBLISHED_META)
    if iso:
        return iso
    for el in (el for find in (_ITEMPROP_PUBLISHED, _MICROFORMAT_PUBLISHED) for el in find(tree)):
        if el.tag == "meta" or not _outside_article(el):
            iso = _element_date(el)
            if iso:
                return iso
    times = sorted((el for el in _TIME(tree) if not _outside_article(el)), key=_time_rank)
    for el in times:
        iso = _element_date(el)
        if iso:
            return iso
    from_url = _url_date(url)
    if from_url:
        return from_url
    # a date printed on its own line in the article (page chrome excluded), else htmldate's guess
    # unless that guess is a date the page chrome prints (the "today" of a site header)
    found = _first_visible_date(tree)
    if found:
        return found
    found = _htmldate(tree, url)
    if found and found[:10] in _chrome_dates(tree):
        return None
    return found


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """Last resort: htmldate's quick search (extensive search is too slow for every page)."""
    try:
        from htmldate import find_date
    except ImportError:  # optional: the cleaners work without it
        return None
    try:
        # fixed bounds: htmldate's default upper bound is today, which would make output depend on the clock
        found = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            url=url,
            min_date="1990-01-01",
            max_date="2100-12-31",
        )
    except Exception:  # htmldate on odd markup must not break cleaning
        return None
    return parse_date(found) if found else None


def _choose_modified(tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd) -> str | None:
    iso = _declared_date(meta, ld, ("dateModified",), _MODIFIED_META)
    if iso:
        return iso
    for el in (el for find in (_ITEMPROP_MODIFIED, _MICROFORMAT_MODIFIED) for el in find(tree)):
        if not _outside_article(el):
            iso = _element_date(el)
            if iso:
                return iso
    return None
