"""How much of an element is prose (its words, and the share of them inside links), and how much
text the page holds, which the stages measure boxes against."""

from __future__ import annotations

from lxml.html import HtmlElement


def holds_prose(element: HtmlElement, min_words: float, max_link_share: float) -> bool:
    """At least ``min_words`` words outside links, and at most ``max_link_share`` of all its words
    inside them (a panel of answers, a side note; not a menu or a list of links)."""
    words = len(element.text_content().split())
    if words < min_words:  # the common case, decided before the links are counted
        return False
    link_words = sum(len(a.text_content().split()) for a in element.iter("a"))
    return words - link_words >= min_words and link_words <= max_link_share * words


def page_text(tree: HtmlElement) -> str:
    """The page's text: its <body>'s, or the whole tree's for a fragment without one."""
    body = tree.find("body")
    return (body if body is not None else tree).text_content()


def page_chars(tree: HtmlElement) -> int:
    """Characters of the page's text."""
    return len(page_text(tree))
