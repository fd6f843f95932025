"""Load the boilerplate rules (``cleaners/rules/boilerplate/*.yaml``, one file per family).

The rules are data; this module only compiles them. See ``rules/boilerplate/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Family:
    name: str
    with_comments: bool  # False: skipped when the caller keeps reader comments
    class_id: re.Pattern[str] | None  # fullmatch against one class/id token
    xpaths: tuple[str, ...]
    attributes: tuple[tuple[str, frozenset[str]], ...]  # (attribute, lower-cased values that match)
    # Text rules stay source strings: the line stage compiles one union of all active families.
    lines: tuple[str, ...]  # fullmatch against one folded block
    trailing: tuple[str, ...]  # fullmatch: a block that opens a trailing cruft run
    edges: tuple[str, ...]  # fullmatch: a short block near the start or end of the text
    max_prose_chars: float  # a matched element with more prose (text outside links) is kept
    # an element this family's class, attribute or XPath rules match is kept when it holds more of
    # the page's text than this (None: the guards' share)
    max_text_share: float | None = None


@dataclass(frozen=True)
class Guards:
    ignore_tokens: re.Pattern[str] | None
    content_tokens: re.Pattern[str] | None
    protected_tags: frozenset[str]
    max_text_share: float


@dataclass(frozen=True)
class TeaserGrid:
    """Thresholds for teaser-card grids (see ``dom.find_teaser_grids``)."""

    headings: tuple[str, ...]  # the tags a card's title may have
    min_items: int  # fewest sibling cards that make a grid
    max_excerpt_chars: int  # most text a card may hold besides its title
    max_page_share: float  # most of the page's text the cards of one grid may hold together
    max_depth: int  # how far above its title a card's own element may sit


@dataclass(frozen=True)
class RuleSet:
    families: tuple[Family, ...]
    guards: Guards
    teasers: TeaserGrid | None = None

    def active(self, include_comments: bool) -> tuple[Family, ...]:
        return tuple(f for f in self.families if f.with_comments or not include_comments)


def _union(patterns: list[str] | None) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


def _limit(value: object) -> float:
    return float("inf") if value is None else float(value)  # type: ignore[arg-type]


def read_yaml(text: str) -> dict:
    """Parse a rules file; libyaml's loader when present (each worker process reads them all)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}


def _load_yaml(name: str) -> dict:
    text = resources.files(__package__).joinpath("rules", "boilerplate", name).read_text("utf-8")
    return read_yaml(text)


@cache
def load_rules() -> RuleSet:
    """All families, in file-name order (stable), and the guards. Compiled once per process."""
    folder = resources.files(__package__).joinpath("rules", "boilerplate")
    guard_data = _load_yaml("guards.yaml").get("guards", {})
    default_prose = guard_data.get("max_prose_chars")
    families = []
    teasers: TeaserGrid | None = None
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml") or entry.name == "guards.yaml":
            continue
        data = _load_yaml(entry.name)
        dom = data.get("dom") or {}
        families.append(
            Family(
                name=data.get("family", entry.name.removesuffix(".yaml")),
                with_comments=data.get("when", "always") != "without_comments",
                class_id=_union(dom.get("class_id")),
                xpaths=tuple(dom.get("xpath") or ()),
                attributes=tuple(
                    (name, frozenset(str(v).lower() for v in values))
                    for name, values in sorted((dom.get("attributes") or {}).items())
                ),
                lines=tuple(data.get("lines") or ()),
                trailing=tuple(data.get("trailing") or ()),
                edges=tuple(data.get("edges") or ()),
                max_prose_chars=_limit(data.get("max_prose_chars", default_prose)),
                max_text_share=None if data.get("max_text_share") is None else float(data["max_text_share"]),
            )
        )
        if dom.get("teaser_grid"):
            if teasers is not None:
                raise ValueError(f"{entry.name}: teaser_grid is already set by another family")
            teasers = _teaser_grid(dom["teaser_grid"])
    guards = Guards(
        ignore_tokens=_union(guard_data.get("ignore_tokens")),
        content_tokens=_union(guard_data.get("content_tokens")),
        protected_tags=frozenset(guard_data.get("protected_tags", ())),
        max_text_share=float(guard_data.get("max_text_share", 0.4)),
    )
    return RuleSet(tuple(families), guards, teasers)


def _teaser_grid(data: dict) -> TeaserGrid:
    return TeaserGrid(
        headings=tuple(str(tag).lower() for tag in data.get("headings", ("h2", "h3", "h4"))),
        min_items=int(data.get("min_items", 3)),
        max_excerpt_chars=int(data.get("max_excerpt_chars", 400)),
        max_page_share=float(data.get("max_page_share", 0.1)),
        max_depth=int(data.get("max_depth", 6)),
    )
