"""DOM cleaning: remove boilerplate nodes by the rules before extraction sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.html import HtmlElement

from .rules import RuleSet, load_rules


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


def _matches_class_id(element: HtmlElement, pattern: re.Pattern[str], rules: RuleSet) -> bool:
    ignore = rules.guards.ignore_tokens
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if not value:
            continue
        for token in value.lower().split():
            if ignore is not None and ignore.fullmatch(token):
                continue
            if pattern.fullmatch(token):
                return True
    return False


def find_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> list[HtmlElement]:
    """The outermost elements the rules call boilerplate, in document order, guards applied."""
    rules = load_rules()
    compiled = _compiled(include_comments)
    guards = rules.guards
    candidates: list[HtmlElement] = []
    if compiled.class_id is not None:
        for element in tree.iter(etree.Element):
            if (
                (element.get("class") or element.get("id"))
                and element.tag not in guards.protected_tags
                and _matches_class_id(element, compiled.class_id, rules)
            ):
                candidates.append(element)
    for xpath in compiled.xpaths:
        candidates.extend(e for e in xpath(tree) if etree.iselement(e))
    if not candidates:
        return []

    body = tree.find("body")
    page_chars = len((body if body is not None else tree).text_content()) or 1
    chosen: list[HtmlElement] = []
    seen: set[HtmlElement] = set()
    # Document order, so an outer match is decided before its descendants (which then go with it).
    order = {element: index for index, element in enumerate(tree.iter())}
    for element in sorted(set(candidates), key=lambda e: order.get(e, -1)):
        if element.tag in guards.protected_tags or any(a in seen for a in element.iterancestors()):
            continue
        # A wrapper that holds much of the page is not a box: keep it (theme classes lie).
        if len(element.text_content()) > guards.max_text_share * page_chars:
            continue
        seen.add(element)
        chosen.append(element)
    return chosen


def remove_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> int:
    """Remove boilerplate elements in place (their tail text stays). Returns how many were removed."""
    removed = find_boilerplate(tree, include_comments=include_comments)
    for element in removed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(removed)
