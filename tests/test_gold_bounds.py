"""bench/gold_bounds.py: what counts as reachable for an extractor that copies the page's characters."""

from __future__ import annotations

from benchmod import load_bench

bounds = load_bench("gold_bounds")


def _reachable(snippet: str, page_html: str) -> bool:
    _tree, copyable = bounds.page_texts(page_html)
    return bounds.reachable(snippet, copyable, " ".join(bounds.WORD.findall(copyable)))


def test_snippet_with_the_pages_own_quotes_is_reachable_across_markup_and_spacing():
    page = "<p>Nutritionists say <a href='/x'>they\u2019re</a>   largely positive.</p>"
    assert _reachable("say they\u2019re largely positive", page)
    assert _reachable("SAY THEY\u2019RE LARGELY POSITIVE", page)


def test_straight_quote_where_the_page_prints_a_curly_one_is_out_of_reach():
    page = "<html><body><p>Nutritionists say they\u2019re largely positive.</p></body></html>"
    assert not _reachable("say they're largely positive", page)
    assert not _reachable("\u201cstraight\u201d", '<p>a "straight" quote</p>')


def test_words_missing_from_the_page_are_out_of_reach():
    assert not _reachable("a sentence the page never had", "<p>Something else entirely.</p>")


def test_markup_spacing_counts_as_reachable():
    # "types , we" comes from a link followed by a comma: the words are there in order
    assert _reachable("camera types , we", "<p>our guide to <a>camera types</a>, we go back</p>")


def test_dates_on_page_reads_text_attributes_and_scripts():
    page = (
        '<html><head><meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<script>{"dateModified": "2024-04-01"}</script></head>'
        "<body><p>Posted on December 15th 2025 by Ann</p></body></html>"
    )
    found = bounds.dates_on_page(page, "https://example.com/2021/07/22/story")
    assert {"2024-03-05", "2024-04-01", "2025-12-15", "2021-07-22"} <= found
    assert "2023-01-01" not in found


def test_title_sources_are_split_at_separators_and_json_escapes_read():
    page = (
        '<html><head><title>Op-ed: Why cities grow | Opinion</title><script type="application/ld+json">'
        '{"headline": "Earth\\u2019s \\"last\\" forest"}</script></head>'
        "<body><h1>Why cities grow</h1></body></html>"
    )
    tree, _ = bounds.page_texts(page)
    sources = bounds.headline_sources(tree, page)
    assert "Op-ed: Why cities grow" in sources["title"]
    assert 'Earth\u2019s "last" forest' in sources["json-ld"]
