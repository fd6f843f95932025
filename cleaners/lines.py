"""Line cleaning: drop extracted blocks that the rules call cruft, and trailing cruft runs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from .blocks import Block
from .dates import find_date_in_line
from .rules import load_rules

#: Blocks longer than this are prose, never matched by a line rule.
MAX_CRUFT_CHARS = 220
_FOLD_SPACES = re.compile(r"\s+")
# Decoration around menu-like lines: bullets, arrows, pipes ("› Subscribe", "Share |").
_DECORATION = "›»‹«•·|>→←*-–—▶►✓✔ \t:"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
#: A trailing-cruft marker is a short heading ("More articles"), never longer than this.
MAX_TRAILING_MARKER_CHARS = 80
#: A block repeated word for word counts as a repeat if it has at least this many words; shorter
#: repeats ("Yes", a chorus line) may be real.
MIN_REPEAT_WORDS = 5
#: Repeats are dropped only where this many or more come in a row (short blocks between them do not
#: break the run): a section the page renders twice (responsive desktop and mobile copies, a
#: template repeated in a hidden slide). A repeat on its own is kept: a label each item of a listing
#: repeats ("Key features"), a credit line under each image, a paragraph the page shows twice are
#: the page's text, and the reference texts keep every copy.
MIN_REPEAT_RUN = 2
#: After a trailing marker, blocks shorter than this and not ending a sentence are link-like.
LINK_LIKE_CHARS = 160
#: A heading in a run of headlines opens the article's next section when the paragraph after it
#: is longer than this (a teaser's excerpt, a sentence or two, is shorter).
SECTION_OPENING_MIN_CHARS = 180
#: The `edges` rules apply to short blocks among the first and last few blocks of the text only:
#: calls to action, "Back to blog", "Written by" sit around the article, not inside it.
EDGE_HEAD_BLOCKS = 3
EDGE_TAIL_BLOCKS = 5
EDGE_MAX_WORDS = 16


def fold(text: str) -> str:
    """A block as the line rules see it: one line, spaces folded, decoration stripped."""
    return _FOLD_SPACES.sub(" ", text).strip(_DECORATION)


# A rule that opens with ".{m,n}" (any words before its keywords) is slow inside the union: the
# engine tries every length of that prefix, for every line. Alone, it is a search for the rest of
# the rule ending the line, starting at most n characters in, which the engine finds by skipping
# to the rule's keywords: the same lines match, in a fraction of the time.
_LEADING_ANY = re.compile(r"\.\{(\d+),(\d+)\}")


def _has_top_level_bar(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


@dataclass(frozen=True)
class _LineRules:
    """The line rules: one union, and the rules that open with any words, each run as a search."""

    union: re.Pattern[str] | None
    searches: tuple[tuple[int, int, re.Pattern[str]], ...]

    def fullmatch(self, text: str) -> bool:
        if self.union is not None and self.union.fullmatch(text):
            return True
        for least, most, rest in self.searches:
            found = rest.search(text, least)
            if found is not None and found.start() <= most:
                return True
        return False


def _line_rules(sources: list[str]) -> _LineRules:
    kept, searches = [], []
    for source in sources:
        opening = _LEADING_ANY.match(source)
        rest = source[opening.end() :] if opening else ""
        if opening and rest and rest[0] not in "*+?{" and not _has_top_level_bar(source):
            searches.append((int(opening[1]), int(opening[2]), re.compile(f"(?:{rest})\\Z", re.IGNORECASE)))
        else:
            kept.append(source)
    return _LineRules(_union(kept), tuple(searches))


def _union(sources: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in sources), re.IGNORECASE) if sources else None


@cache
def _patterns(include_comments: bool) -> tuple[_LineRules, re.Pattern[str] | None, re.Pattern[str] | None]:
    """The active families' line rules, and their trailing and edge rules each as one pattern."""
    families = load_rules().active(include_comments)
    return (
        _line_rules([p for f in families for p in f.lines]),
        _union([p for f in families for p in f.trailing]),
        _union([p for f in families for p in f.edges]),
    )


def _drop_edge_cruft(blocks: list[Block], include_comments: bool) -> list[Block]:
    """Drop the short blocks an `edges` rule matches among the first and last blocks of the text, and
    anywhere where the page repeats them word for word: a call to action the page shows twice ("Learn
    more", "Start a quote" under each section) is chrome wherever it sits."""
    pattern = _patterns(include_comments)[2]
    if pattern is None:
        return blocks
    last = len(blocks) - EDGE_TAIL_BLOCKS
    matched: dict[int, str] = {}  # index -> folded text of the short p/h blocks the rules match
    for index, block in enumerate(blocks):
        if block.kind in ("p", "h") and len(block.text.split()) <= EDGE_MAX_WORDS:
            folded = fold(block.text)
            if pattern.fullmatch(folded):
                matched[index] = folded.casefold()
    if not matched:
        return blocks
    counts = Counter(matched.values())
    return [
        block
        for index, block in enumerate(blocks)
        if not (
            index in matched and (index < EDGE_HEAD_BLOCKS or index >= last or counts[matched[index]] > 1)
        )
    ]


def is_cruft_line(text: str, *, include_comments: bool = False) -> bool:
    """True when one line or block is, as a whole, boilerplate by the line rules."""
    if len(text) > 2 * MAX_CRUFT_CHARS:  # folding could never bring it under the limit: skip the work
        return False
    folded = fold(text)
    if len(folded) > MAX_CRUFT_CHARS:
        return False
    return not folded or _patterns(include_comments)[0].fullmatch(folded)


def opens_trailing_cruft(text: str, *, include_comments: bool = False) -> bool:
    if len(text) > 2 * MAX_TRAILING_MARKER_CHARS:
        return False
    folded = fold(text)
    trailing = _patterns(include_comments)[1]
    if trailing is None or len(folded) > MAX_TRAILING_MARKER_CHARS:
        return False
    return trailing.fullmatch(folded) is not None


def is_link_like(block: Block) -> bool:
    """A headline or link text rather than prose: short and not ending a sentence."""
    if block.kind == "list":
        return True
    text = block.text.strip()
    return len(text) < LINK_LIKE_CHARS and not _SENTENCE_END.search(text)


def is_dateline(text: str) -> bool:
    """A block that only states a date ("Thursday, October 12, 2006", "Updated: 5 March"): header matter."""
    return len(text) <= 80 and find_date_in_line(text) is not None


def _drop_repeated_runs(blocks: list[Block]) -> list[Block]:
    """Drop the later copies of blocks repeated word for word, where they come in runs (see
    MIN_REPEAT_RUN: one run is one duplicated section) or right after their original."""
    first: dict[str, int] = {}  # folded text -> its original's position among the originals
    repeats: list[int] = []  # indices of the repeated blocks (of MIN_REPEAT_WORDS or more), in order
    keys: dict[int, str] = {}  # index -> folded text, for all blocks long enough to count
    for index, block in enumerate(blocks):
        # paragraphs, headings and lists are what a duplicated section repeats; tables are data
        if block.kind == "table" or len(block.text.split()) < MIN_REPEAT_WORDS:
            continue
        key = keys[index] = fold(block.text).casefold()
        if key in first:
            repeats.append(index)
        else:
            first[key] = len(first)  # originals numbered among themselves: a copy inside the
            # original section does not break its run
    counted = list(keys)
    if not repeats:
        return blocks
    drop: set[int] = set()
    # a copy right after its original (a responsive duplicate: the same block for desktop and mobile)
    for previous, index in pairwise(counted):
        if keys[previous] == keys[index]:
            drop.add(index)
    # a run of copies is a duplicated section when it copies its originals in their order, with
    # nothing between them: a page that repeats a template's lines ("Drink 20–30 minutes before your
    # workout" in each of three meal plans) varies what comes between them
    run: list[int] = []
    repeated = set(repeats)
    for index in [*counted, -1]:  # -1: a sentinel that ends the last run
        if index in repeated and (not run or first[keys[index]] == first[keys[run[-1]]] + 1):
            run.append(index)
            continue
        if len(run) >= MIN_REPEAT_RUN:
            drop.update(run)
        run = [index] if index in repeated else []
    return [block for index, block in enumerate(blocks) if index not in drop]


def clean_blocks(blocks: list[Block], *, include_comments: bool = False) -> list[Block]:
    """Drop cruft blocks (and cruft items inside lists), trailing cruft runs and repeated sections."""
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if opens_trailing_cruft(block.text, include_comments=include_comments):
            # The marker and the headlines or links listed under it, up to prose or a heading
            # that opens a paragraph longer than a teaser's excerpt (the article's next section).
            while index < len(blocks) and is_link_like(blocks[index]):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                if (
                    blocks[index].kind == "h"
                    and following is not None
                    and following.kind == "p"
                    and len(following.text) > SECTION_OPENING_MIN_CHARS
                ):
                    break
                index += 1
            continue
        if block.kind not in ("list", "table") and (
            is_cruft_line(block.text, include_comments=include_comments) or is_dateline(block.text)
        ):
            continue
        if block.kind in ("list", "table") or (block.kind == "p" and "\n" in block.text):
            # one item, row or line at a time: lists, tables, and a paragraph of lines broken by <br>
            # (whose first line may be a label for the rest, "Listen: <link>\nDownload: <link>",
            # so it is tested whole first)
            lines = [
                line
                for line in block.text.split("\n")
                if not is_cruft_line(line, include_comments=include_comments)
            ]
            if lines:
                kept.append(Block(block.kind, "\n".join(lines)))
            continue
        kept.append(block)
    return _drop_edge_cruft(_drop_repeated_runs(kept), include_comments)
