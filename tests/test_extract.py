"""Rendering trafilatura's output tree into blocks, and extraction on a parsed page."""

from lxml import etree

from cleaners.blocks import Block, render
from cleaners.extract import extract_blocks, xml_to_blocks
from cleaners.parse import parse_html


def blocks_of(xml: str) -> list[Block]:
    return xml_to_blocks(etree.fromstring(xml))


def test_paragraphs_headings_lists_tables() -> None:
    blocks = blocks_of(
        "<body><p>First <hi>para</hi>graph.</p><head rend='h2'>A heading</head>"
        "<list><item>one</item><item>two<list><item>nested</item></list></item></list>"
        "<table><row><cell>a</cell><cell>b</cell></row><row><cell>c</cell><cell>d</cell></row></table>"
        "<quote>Quoted words.</quote><code>x = 1\n  y = 2</code></body>"
    )
    assert blocks == [
        Block("p", "First paragraph."),
        Block("h", "A heading"),
        Block("list", "- one\n- two\n  - nested"),
        Block("table", "a | b\nc | d"),
        Block("quote", "Quoted words."),
        Block("pre", "x = 1\n  y = 2"),
    ]


def test_line_breaks_and_spaces() -> None:
    assert blocks_of("<body><p>Line one<lb/>line   two\n and more</p></body>") == [
        Block("p", "Line one\nline two and more")
    ]


def test_quote_holding_paragraphs_keeps_each() -> None:
    blocks = blocks_of("<body><quote><p>One.</p><p>Two.</p></quote></body>")
    assert [b.text for b in blocks] == ["One.", "Two."]


def test_render_separates_blocks_by_one_blank_line() -> None:
    assert render([Block("p", "a"), Block("h", "b"), Block("p", "")]) == "a\n\nb"


def test_extract_blocks_leaves_tree_untouched() -> None:
    paragraphs = "<p>Sentence of the article body here.</p>" * 10
    html = f"<html><body><article>{paragraphs}</article></body></html>"
    tree = parse_html(html)
    before = etree.tostring(tree)
    body, comments = extract_blocks(tree, None)
    assert len(body) == 10 and comments == []
    assert etree.tostring(tree) == before
