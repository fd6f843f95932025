"""Main-text extraction: trafilatura on the cleaned tree, its XML rendered into blocks."""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from .blocks import Block

_SPACES = re.compile(r"[^\S\n]+")
# trafilatura's XML vocabulary: block-level elements that become their own block.
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div", "item", "row"}


def _inline_text(element: etree._Element) -> str:
    """Text of an element with its inline children; <lb/> becomes a line break.

    Newlines in the text itself are the page source's formatting: white space, like in a browser.
    """
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text.replace("\n", " "))
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag in _BLOCK_TAGS:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            elif child.tag != "graphic":
                walk(child)
            if child.tail:
                parts.append(child.tail.replace("\n", " "))

    walk(element)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _list_lines(element: etree._Element, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for item in element.iterfind("item"):
        nested = [child for child in item if child.tag == "list"]
        for child in nested:  # rendered separately below, indented
            item.remove(child)
        text = " ".join(_inline_text(item).split("\n"))
        if text:
            lines.append("  " * depth + "- " + text)
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _table_lines(element: etree._Element) -> list[str]:
    rows = []
    for row in element.iter("row"):
        cells = [" ".join(_inline_text(cell).split("\n")) for cell in row.iterfind("cell")]
        cells = [cell for cell in cells if cell]
        if cells:
            rows.append(" | ".join(cells))
    return rows


def xml_to_blocks(body: etree._Element | None) -> list[Block]:
    """Render trafilatura's output tree (``<body>`` of p/head/list/quote/table/code) as blocks."""
    blocks: list[Block] = []
    if body is None:
        return blocks

    def visit(element: etree._Element) -> None:
        tag = element.tag
        if tag == "head":
            text = " ".join(_inline_text(element).split("\n"))
            if text:
                blocks.append(Block("h", text))
        elif tag == "list":
            lines = _list_lines(element)
            if lines:
                blocks.append(Block("list", "\n".join(lines)))
        elif tag == "table":
            lines = _table_lines(element)
            if lines:
                blocks.append(Block("table", "\n".join(lines)))
        elif tag == "code":
            text = "\n".join(line.rstrip() for line in "".join(element.itertext()).strip("\n").split("\n"))
            if text.strip():
                blocks.append(Block("pre", text))
        elif tag in ("quote", "div") and any(child.tag in _BLOCK_TAGS for child in element):
            if element.text and element.text.strip():
                kind = "quote" if tag == "quote" else "p"
                blocks.append(Block(kind, _SPACES.sub(" ", element.text.strip())))
            for child in element:
                visit(child)
                if child.tail and child.tail.strip():
                    blocks.append(Block("p", _SPACES.sub(" ", child.tail.strip())))
        else:
            text = _inline_text(element)
            if text:
                blocks.append(Block("quote" if tag == "quote" else "p", text))

    for child in body:
        visit(child)
    return blocks


# Second opinions. trafilatura's precision mode (without its readability/justext comparison) drops
# the link lists, teasers and calls to action its default mode keeps; where it finds little, the
# default mode (with that comparison) and then the recall mode get their say. Thresholds were set on
# the AEB and WCXB development corpora with `make bench-quality`; they are shares of words, not
# anything page-specific.
#: The default mode runs when the precision output holds less than this share of the page's words ...
DEFAULT_TRY_BELOW_SHARE = 0.15
#: ... and replaces it when the precision output has less than this share of the default's words.
PRECISION_MIN_SHARE = 0.6
#: The recall mode runs when the chosen output holds less than this share of the page's words ...
RECALL_TRY_BELOW_SHARE = 0.2
#: ... and replaces it when it is this much longer and contains (by 4-grams) the chosen output.
RECALL_MIN_GROWTH = 2.0
RECALL_MIN_CONTAINED = 0.9


def _extract(
    tree: HtmlElement, url: str | None, include_comments: bool, focus: str | None
) -> trafilatura.settings.Document | None:
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=include_comments,
        include_tables=True,
        include_formatting=False,
        include_links=False,
        include_images=False,
        favor_precision=focus == "precision",
        favor_recall=focus == "recall",
        fast=focus == "precision",  # the comparison runs in the default mode, when it is needed
        config=_CONFIG,
    )


def _words(result: trafilatura.settings.Document | None) -> list[str]:
    return (result.text or "").split() if result is not None else []


def _shingles(words: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _contains(outer: list[str], inner: list[str]) -> bool:
    inner_set = _shingles(inner)
    return not inner_set or len(inner_set & _shingles(outer)) >= RECALL_MIN_CONTAINED * len(inner_set)


def extract_blocks(
    tree: HtmlElement, url: str | None, *, include_comments: bool = False
) -> tuple[list[Block], list[Block]]:
    """Article blocks and (when asked for) comment blocks. ``tree`` is not modified.

    trafilatura in precision mode, with second opinions from its default and recall modes where
    the precision output is thin (see the thresholds above).
    """
    body = tree.find("body")
    page_words = len((body if body is not None else tree).text_content().split())
    result = _extract(tree, url, include_comments, "precision")
    words = _words(result)
    if len(words) < DEFAULT_TRY_BELOW_SHARE * page_words:
        default = _extract(tree, url, include_comments, None)
        default_words = _words(default)
        if len(words) < PRECISION_MIN_SHARE * len(default_words):
            result, words = default, default_words
    if len(words) < RECALL_TRY_BELOW_SHARE * page_words:
        recall = _extract(tree, url, include_comments, "recall")
        recall_words = _words(recall)
        if len(recall_words) >= RECALL_MIN_GROWTH * max(len(words), 1) and _contains(recall_words, words):
            result = recall
    if result is None:
        return [], []
    comments = xml_to_blocks(result.commentsbody) if include_comments else []
    return xml_to_blocks(result.body), comments


def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # Short articles (briefs, wire snippets) are still articles: don't discard them for length.
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


_CONFIG = _config()
