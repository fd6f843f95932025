"""trafilatura's output tree rendered as blocks: paragraphs, headings, lists, tables, code."""

from __future__ import annotations

import copy
import re

from lxml import etree

from .blocks import Block

_SPACES = re.compile(r"[^\S\n]+")
# trafilatura's XML vocabulary: block-level elements that become their own block. Table cells are
# among them: trafilatura sometimes keeps a spec box's <th>/<td> in a list item without their
# table, and their texts must not run together ("ResolutionUp to 2K").
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div", "item", "row", "cell", "th", "td"}


def _is_inline_code(element: etree._Element) -> bool:
    """ "the concept of <code>NULL</code>. This means": one line of code inside a sentence is a word
    of it; a listing of several lines set inside a paragraph is a block of its own."""
    return element.tag == "code" and "\n" not in "".join(element.itertext()).strip()


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
            elif child.tag in _BLOCK_TAGS and not _is_inline_code(child):
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
        if nested:  # rendered separately below, indented; a copy, so the tree renders again alike
            item = copy.deepcopy(item)
            for child in [c for c in item if c.tag == "list"]:
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
                # A list whose items are all nested (<ul><li><ul>...) starts at its shallowest level.
                indent = min(len(line) - len(line.lstrip(" ")) for line in lines)
                blocks.append(Block("list", "\n".join(line[indent:] for line in lines)))
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

    def loose(text: str | None) -> None:
        """Text directly in <body> (after a heading, between <lb/>s): a paragraph of its own."""
        text = " ".join((text or "").split())
        if text:
            blocks.append(Block("p", text))

    loose(body.text)
    for child in body:
        visit(child)
        loose(child.tail)
    return blocks
