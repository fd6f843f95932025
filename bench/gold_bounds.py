#!/usr/bin/env python3
"""What the WCXB gold allows: upper bounds on three of issue 4's figures, from the gold and the pages alone.

No extractor runs here. For each figure the script asks what the best possible extractor of a given kind
would score against ``../shared/corpora/wcxb-dev`` with the reference scorer's own comparisons:

- 'with': the scorer matches snippets character for character. A snippet is out of reach of an
  extractor that writes the page's own characters when the page has its words in that order but prints
  a curly quote where the snippet has a straight one (or the reverse), or when its words are not in
  the page at all. Every other snippet (spacing, markup, list markers) counts as reachable, so the
  bound is generous. The script also counts, on pages that print curly apostrophes, how often the gold
  keeps them and how often it straightens them.
- date: the gold date must be printed or declared somewhere in the page (text, attributes, JSON-LD,
  scripts) or its address, in a form ``cleaners.dates`` reads; otherwise an extractor that reads the
  page does not find it (a gold date given as a month, or as the UTC day of a local time, also counts
  as not found).
- title: the gold title must equal (the scorer's word comparison) one of the page's headline sources
  or a part of one between separators: an h1, the <title>, og:title, twitter:title, a JSON-LD headline.
  Site names are not stripped here, so this bound is a little low. Where the first h1 and og:title
  differ, the script also counts which of the two the gold took.

All texts are also tried with mojibake repaired, as the cleaners repair it.

usage (from the repo root, venv python): python bench/gold_bounds.py [--shared DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

import lxml.html

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from bench.quality import DEFAULT_SHARED, load_scorer  # noqa: E402
from cleaners import parse_html  # noqa: E402
from cleaners.dates import find_date_in_line, parse_date  # noqa: E402
from cleaners.normalize import repair_mojibake  # noqa: E402

YEAR = re.compile(r"(?:19|20)\d\d")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")
# windows around a year in which a date may be written (before / after the year, in characters)
DATE_WINDOWS = ((40, 12), (25, 5), (12, 12), (0, 30), (20, 0))


def folded(text: str) -> str:
    return " ".join(text.split()).lower()


def page_texts(raw: str) -> tuple[lxml.html.HtmlElement, str]:
    """The parsed page and everything an extractor could copy from it: its text, its decoded source
    (tags as spaces), and both with mojibake repaired (``Earthâ\x80\x99s`` -> ``Earth’s``)."""
    tree = parse_html(raw)
    text = tree.text_content()
    for el in tree.xpath("//script|//style"):
        el.drop_tree()
    source = html.unescape(raw)
    copyable = " ".join((tree.text_content(), text, source, TAG.sub(" ", source)))
    return tree, folded(copyable + " " + repair_mojibake(copyable))


SINGLE_QUOTES = "'\u2018\u2019"
DOUBLE_QUOTES = '"\u201c\u201d'
QUOTE_CLASSES = {ch: f"[{quotes}]" for quotes in (SINGLE_QUOTES, DOUBLE_QUOTES) for ch in quotes}


def reachable(snippet: str, copyable: str, page_words: str) -> bool:
    """Whether an extractor that copies the page's characters could produce the snippet (generously)."""
    s = folded(snippet)
    if s in copyable:
        return True
    any_quote = "".join(QUOTE_CLASSES.get(ch, re.escape(ch)) for ch in s)
    if any_quote != re.escape(s) and re.search(any_quote, copyable):
        return False  # the page has it, with the other kind of quotes
    return " ".join(WORD.findall(s)) in page_words


def dates_on_page(raw: str, url: str | None) -> set[str]:
    """Every day (YYYY-MM-DD) written around a year anywhere in the page or its address, as
    cleaners.dates reads it."""
    source = html.unescape(raw)
    source = TAG.sub(" ", source) + " " + source + " " + (url or "")
    days: set[str] = set()
    for m in YEAR.finditer(source):
        for before, after in DATE_WINDOWS:
            window = source[max(0, m.start() - before) : m.end() + after]
            for iso in (find_date_in_line(window), parse_date(window.strip())):
                if iso:
                    days.add(iso[:10])
    return days


JSONLD_HEADLINE = re.compile(r'"headline"\s*:\s*("(?:[^"\\]|\\.)*")')


def _json_string(literal: str) -> str:
    try:
        return json.loads(literal)
    except ValueError:
        return literal.strip('"')


def headline_sources(tree: lxml.html.HtmlElement, raw: str) -> dict[str, list[str]]:
    """Every headline the page states, each also split at separators (" | ", " - ", ": " ...) and
    with mojibake repaired."""
    sources = {
        "h1": [h.text_content() for h in tree.iter("h1")],
        "title": [t.text_content() for t in tree.iter("title")][:1],
        "og:title": tree.xpath("//meta[@property='og:title']/@content"),
        "twitter:title": tree.xpath("//meta[@name='twitter:title' or @property='twitter:title']/@content"),
        "json-ld": [html.unescape(_json_string(m)) for m in JSONLD_HEADLINE.findall(raw)],
    }
    return {
        name: [
            variant
            for t in titles
            for part in (t, *TITLE_SEPARATORS.split(t))
            for variant in (part, repair_mojibake(part))
        ]
        for name, titles in sources.items()
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    a = ap.parse_args(argv)
    scorer_path = a.shared / "tools" / "score_extraction.py"
    data = a.shared / "corpora" / "wcxb-dev"
    if not scorer_path.is_file() or not data.is_dir():
        print(f"gold bounds skipped: {scorer_path} or {data} not found (no ../shared beside the repo)")
        return 0
    scorer = load_scorer(scorer_path)

    with_bound: list[float] = []
    with_absent = with_total = 0
    apostrophes: Counter[str] = Counter()
    dates_total = dates_absent = 0
    titles_total = titles_absent = 0
    h1_or_meta: Counter[str] = Counter()
    for _key, url, raw, gold in scorer.load("wcxb", data):
        tree, copyable = page_texts(raw)
        snippets = gold.get("with") or []
        if snippets:
            page_words = " ".join(WORD.findall(copyable))
            found = [reachable(s, copyable, page_words) for s in snippets]
            with_bound.append(sum(found) / len(found))
            with_absent += found.count(False)
            with_total += len(found)
        main_content = gold.get("main_content") or ""
        if "\u2019" in copyable and ("'" in main_content or "\u2019" in main_content):
            apostrophes["curly kept" if "\u2019" in main_content else "straightened"] += 1
        day = str(gold.get("publish_date") or "")[:10]
        if day:
            dates_total += 1
            dates_absent += day not in dates_on_page(raw, url)
        title = gold.get("title")
        if title:
            titles_total += 1
            sources = headline_sources(tree, raw)
            if not any(scorer.same_text(c, title) for cs in sources.values() for c in cs):
                titles_absent += 1
            h1 = next((h for h in sources["h1"] if h.strip()), None)
            og = next(iter(sources["og:title"]), None)
            if h1 and og and not scorer.same_text(h1, og):
                took = {"h1": h1, "og:title": og}
                h1_or_meta[next((k for k, v in took.items() if scorer.same_text(v, title)), "neither")] += 1

    print(f"wcxb-dev ({data})")
    print(
        f"'with': {with_absent} of {with_total} gold snippets are out of reach (other quotes than the page's,"
        f" or words not on the page);\n  best 'with' for an extractor that writes the page's own"
        f" characters: {statistics.mean(with_bound):.3f} (issue 4's target: 0.93)"
    )
    print(
        f"  pages printing curly apostrophes: the gold keeps them on {apostrophes['curly kept']},"
        f" straightens them on {apostrophes['straightened']}"
    )
    print(
        f"date: {dates_absent} of {dates_total} gold dates are not in their page or its address in any form"
        f" cleaners.dates reads;"
        f" best date agreement: {(dates_total - dates_absent) / dates_total:.3f} (target 0.95)"
    )
    print(
        f"title: {titles_absent} of {titles_total} gold titles equal none of the page's headline sources;"
        f" agreement reachable from them: {(titles_total - titles_absent) / titles_total:.3f} (target 0.95)"
    )
    print(
        f"  where the first h1 and og:title differ, the gold takes the h1 on {h1_or_meta['h1']},"
        f" og:title on {h1_or_meta['og:title']}, neither on {h1_or_meta['neither']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
