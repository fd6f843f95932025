"""DOM cleaning: remove boilerplate nodes by the rules before extraction sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.html import HtmlElement

from .rules import load_rules


@dataclass(frozen=True)
class _Compiled:
    class_id: re.Pattern[str] | None
    xpaths: tuple[etree.XPath, ...]


@cache
def _compiled(include_comments: bool) -> _Compiled:
    families = load_rules().active(include_comments)
    patterns = [f.class_id.pattern for f in families if f.class_id is not None]
    class_id = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
    xpaths = tuple(etree.XPath(x) for f in families for x in f.xpaths)
    return _Compiled(class_id, xpaths)


@cache
def _value_is_boilerplate(value: str, include_comments: bool) -> bool:
    """A class or id attribute value against the rules, token by token.

    Cached per value: themes repeat the same class strings on every element and every page.
    """
    ignore = load_rules().guards.ignore_tokens
    pattern = _compiled(include_comments).class_id
    if pattern is None:
        return False
    return any(
        pattern.fullmatch(token) is not None
        for token in value.lower().split()
        if ignore is None or ignore.fullmatch(token) is None
    )


def _has_boilerplate_class(element: HtmlElement, include_comments: bool) -> bool:
    return any(
        _value_is_boilerplate(value, include_comments)
        for value in (element.get("class"), element.get("id"))
        if value
    )


_WITH_CLASS_OR_ID = etree.XPath("//*[@class or @id]")


def find_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> list[HtmlElement]:
    """The outermost elements the rules call boilerplate (guards applied), class matches first."""
    guards = load_rules().guards
    candidates = [e for e in _WITH_CLASS_OR_ID(tree) if _has_boilerplate_class(e, include_comments)]
    for xpath in _compiled(include_comments).xpaths:
        candidates.extend(e for e in xpath(tree) if etree.iselement(e))
    if not candidates:
        return []

    body = tree.find("body")
    limit = guards.max_text_share * len((body if body is not None else tree).text_content())
    # A wrapper that holds much of the page is not a box: keep it (theme classes lie).
    passing = {
        e for e in candidates
        if e.tag not in guards.protected_tags and len(e.text_content()) <= limit
    }
    chosen, seen = [], set()
    for element in candidates:
        if element in passing and element not in seen:
            seen.add(element)
            if not any(a in passing for a in element.iterancestors()):
                chosen.append(element)
    return chosen


def remove_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> int:
    """Remove boilerplate elements in place (their tail text stays). Returns how many were removed."""
    removed = find_boilerplate(tree, include_comments=include_comments)
    for element in removed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(removed)


# Tables used for page layout (pre-CSS sites, e-mail-style templates) hold whole articles in a cell;
# extracted as data tables, every paragraph would run together. A data table holds no blocks.
_LAYOUT_TABLES = etree.XPath(
    "//table[@role='presentation' or .//table or .//td//p or .//td//div[.//p] or .//td//ul or .//td//ol"
    " or .//td//h1 or .//td//h2 or .//td//h3]"
)
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
# Presentational wrappers with no meaning of their own.
_PRESENTATIONAL = ("font", "center")
# A <p> holding blocks is a parse of unclosed <p> tags (common in old markup), not one paragraph.
_P_WITH_BLOCKS = etree.XPath("//p[p or div or ul or ol or table or h1 or h2 or h3 or h4 or blockquote]")


def repair_structure(tree: HtmlElement) -> None:
    """Undo markup habits that hide paragraph structure from the extractor (in place)."""
    for table in _LAYOUT_TABLES(tree):
        for element in table.iter(*_TABLE_PARTS):
            element.tag = "div"
    etree.strip_tags(tree, *_PRESENTATIONAL)
    for paragraph in reversed(_P_WITH_BLOCKS(tree)):
        paragraph.tag = "div"
