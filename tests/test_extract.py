"""Rendering trafilatura's output tree into blocks, and extraction on a parsed page."""

import copy

from lxml import etree

from cleaners.blocks import Block, render
from cleaners.extract import extract_blocks
from cleaners.parse import parse_html
from cleaners.prose import page_chars
from cleaners.shields import shield_page_inside_header
from cleaners.xmlblocks import xml_to_blocks


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


def test_stray_table_cells_in_a_list_item_are_words_apart() -> None:
    # a spec box inside a product list: trafilatura keeps its cells without their table
    blocks = blocks_of(
        "<body><list><item><head>1. Cam</head><th>Resolution</th><td>Up to 2K</td>"
        "<cell>Wi-Fi</cell></item></list></body>"
    )
    assert blocks == [Block("list", "- 1. Cam Resolution Up to 2K Wi-Fi")]


def test_line_breaks_and_spaces() -> None:
    assert blocks_of("<body><p>Line one<lb/>line   two\n and more</p></body>") == [
        Block("p", "Line one\nline two and more")
    ]


def test_inline_code_is_a_word_of_its_sentence() -> None:
    blocks = blocks_of(
        "<body><p>They allow the concept of <code>NULL</code>. Use <code>INSERT</code>s.</p></body>"
    )
    assert blocks == [Block("p", "They allow the concept of NULL. Use INSERTs.")]
    # a listing of several lines set inside a paragraph stays apart
    blocks = blocks_of("<body><p>Run this:<code>x = 1\ny = 2</code>then stop.</p></body>")
    assert blocks == [Block("p", "Run this:\nx = 1 y = 2\nthen stop.")]


def test_quote_holding_paragraphs_keeps_each() -> None:
    blocks = blocks_of("<body><quote><p>One.</p><p>Two.</p></quote></body>")
    assert [b.text for b in blocks] == ["One.", "Two."]


def test_render_separates_blocks_by_one_blank_line() -> None:
    assert render([Block("p", "a"), Block("h", "b"), Block("p", "")]) == "a\n\nb"


def test_extract_blocks_is_repeatable_on_one_tree() -> None:
    # The passes share one tree: what trafilatura prunes from it must not change a later pass.
    paragraphs = "<p>Sentence of the article body here.</p>" * 10
    html = (
        f"<html><body><article>{paragraphs}<div style='display:none'>hidden</div>"
        "<div id='comments'><p>A reader's comment that is long enough to count.</p></div>"
        "</article></body></html>"
    )
    tree = parse_html(html)
    first = extract_blocks(tree, None)
    assert len(first[0]) == 10 and first[1] == []
    assert extract_blocks(tree, None) == first
    assert extract_blocks(parse_html(html), None) == first


def test_fill_gaps_puts_back_blocks_between_shared_ones_only() -> None:
    from cleaners.extract import fill_gaps

    chosen = [Block("p", "Intro paragraph."), Block("p", "Second part."), Block("p", "Closing words.")]
    fuller = [
        Block("p", "Menu link"),  # before the first shared block: navigation, never added
        Block("p", "Intro paragraph."),
        Block("h", "1. A linked heading"),
        Block("list", "- item one"),
        Block("p", "Second part."),
        Block("p", "Closing words."),
        Block("p", "Related headline"),  # after the last shared block: never added
    ]
    assert [b.text for b in fill_gaps(chosen, fuller)] == [
        "Intro paragraph.",
        "1. A linked heading",
        "- item one",
        "Second part.",
        "Closing words.",
    ]
    # a gap longer than the limit is a different section, not a dropped heading
    assert fill_gaps(chosen, fuller, max_gap_words=3) == chosen
    # where the chosen output already has text between the shared blocks, nothing is added
    assert fill_gaps([chosen[0], Block("p", "Other."), chosen[1]], fuller[:5])[1].text == "Other."


def _split_page(part_class: str, second_part: str) -> str:
    first = "".join(
        f"<p>First part sentence {i} of the story, long enough to count as prose here.</p>" for i in range(4)
    )
    return (
        f"<html><body><div><div class='{part_class}'>{first}</div>"
        f"<div class='ad'>Advertisement</div><div class='{part_class}'>{second_part}</div></div>"
        "</body></html>"
    )


def test_split_body_parts_come_from_same_class_siblings() -> None:
    from cleaners.extract import _split_body_parts

    second = "".join(
        f"<p>Second part sentence {i} continues the same story with more words in it.</p>" for i in range(8)
    )
    tree = parse_html(_split_page("body__container", second))
    blocks = [
        Block("p", f"First part sentence {i} of the story, long enough to count as prose here.")
        for i in range(4)
    ]
    added = _split_body_parts(tree, blocks)
    assert [b.text for b in added] == [
        f"Second part sentence {i} continues the same story with more words in it." for i in range(8)
    ]
    # a sibling with linked headings is a teaser grid; inside <article> the article is whole
    teasers = second + "<h3><a href='/x'>Another story</a></h3>"
    assert _split_body_parts(parse_html(_split_page("body__container", teasers)), blocks) == []
    # the output's own <article> holds the whole article: same-class boxes beyond it are other stories
    in_article = _split_page("row", second).replace("<div class='row'>", "<div class='row'><article>", 1)
    in_article = in_article.replace("</div><div class='ad'>", "</article></div><div class='ad'>", 1)
    assert _split_body_parts(parse_html(in_article), blocks) == []


def test_unclosed_container_keeps_the_whole_story_but_not_a_nested_post() -> None:
    story = [
        f"Paragraph {i} of the story tells what happened next in the town council meeting. " * 3
        for i in range(5)
    ]
    # A stray </div> ends the content container after two paragraphs, as in broken markup.
    broken = (
        f'<html><body><article><div class="entry-content"><p>{story[0]}</p><p>{story[1]}</p></div>'
        f"</div><p>{story[2]}</p><p>{story[3]}</p><p>{story[4]}</p></article></body></html>"
    )
    body, _ = extract_blocks(parse_html(broken), None)
    assert [b.text for b in body] == [s.strip() for s in story]

    other = "".join(
        f"<p>Another post's paragraph {i} about a different matter entirely, told at length.</p>"
        for i in range(12)
    )
    nested = (
        f'<html><body><article class="post-1"><div class="entry-content"><p>{story[0]}</p>'
        f'<p>{story[1]}</p></div><article class="post-2">{other}</article></article></body></html>'
    )
    body, _ = extract_blocks(parse_html(nested), None)
    assert not any("Another post" in b.text for b in body)


def test_list_of_only_nested_items_starts_at_its_shallowest_level() -> None:
    blocks = blocks_of(
        "<body><list><item><list><item>a</item><item>b<list><item>c</item></list></item>"
        "</list></item></list></body>"
    )
    assert blocks == [Block("list", "- a\n- b\n  - c")]


def test_lists_missing_looks_at_the_output_container() -> None:
    from cleaners.extract import _lists_missing, _output_container

    tree = parse_html(
        "<html><body><nav><ul><li>Home page of the site here</li></ul></nav><div class='post'>"
        "<p>First paragraph of the story.</p>"
        "<ul><li>A list item of real prose, several words long.</li>"
        "<li>Another item that the precision pass dropped from the text.</li>"
        "<li>A third item with enough words to count.</li><li><a href='/x'>Only a link here</a></li></ul>"
        "<p>Last paragraph of the story.</p></div></body></html>"
    )
    paragraphs = [Block("p", "First paragraph of the story."), Block("p", "Last paragraph of the story.")]
    container = _output_container(tree, paragraphs)
    assert container is not None and container.get("class") == "post"
    assert _lists_missing(container, paragraphs)
    with_list = [*paragraphs, Block("list", "- " + " ".join(["word"] * 30))]
    assert not _lists_missing(container, with_list)
    assert _output_container(tree, paragraphs[:1]) is None  # one paragraph: no container to look in


def test_text_directly_in_body_is_kept() -> None:
    # trafilatura leaves text it took from a bare container in the tails of body-level elements.
    blocks = blocks_of(
        "<body>Lead text.<head rend='h2'>Heading</head>Loose text after it.<p>A paragraph.</p></body>"
    )
    assert blocks == [
        Block("p", "Lead text."),
        Block("h", "Heading"),
        Block("p", "Loose text after it."),
        Block("p", "A paragraph."),
    ]


def test_fill_gaps_pairs_a_repeated_block_with_its_own_occurrence() -> None:
    from cleaners.extract import fill_gaps

    chosen = [Block("p", "View"), Block("p", "Intro."), Block("p", "View"), Block("p", "Last.")]
    fuller = [chosen[0], chosen[1], chosen[2], Block("h", "Second camera"), chosen[3]]
    assert [b.text for b in fill_gaps(chosen, fuller)] == ["View", "Intro.", "View", "Second camera", "Last."]


_PROSE = (
    "This paragraph of the story carries on, sentence after sentence, with enough words in it"
    " to count as real prose, {}."
)


def _story(n: int, tag: str = "p") -> str:
    return "".join(f"<{tag}>{_PROSE.format(f'part {i}')}</{tag}>" for i in range(n))


def test_paragraph_reading_adds_the_rest_of_a_cut_story() -> None:
    from cleaners.extract import _with_paragraph_reading

    tree = parse_html(f"<html><body><div>{_story(8)}</div><nav><p>Home</p></nav></body></html>")
    kept = [Block("p", _PROSE.format(f"part {i}")) for i in range(2)]
    words = render(kept).split()
    assert [b.text for b in _with_paragraph_reading(tree, [Block("h", "Title"), *kept], words)] == [
        "Title",
        *(_PROSE.format(f"part {i}") for i in range(8)),
    ]


def test_paragraph_reading_refused_without_its_gate() -> None:
    from cleaners.extract import _with_paragraph_reading

    kept = [Block("p", _PROSE.format(f"part {i}")) for i in range(2)]
    words = render(kept).split()
    # Not much longer than the output.
    tree = parse_html(f"<html><body>{_story(3)}</body></html>")
    assert _with_paragraph_reading(tree, kept, words) == kept
    # Does not contain the output.
    other = parse_html(f"<html><body>{_story(8).replace('story', 'tale')}</body></html>")
    assert _with_paragraph_reading(other, kept, words) == kept
    # The rest is menu lines and calls to action, not prose.
    menu = "".join(f"<p>Product number {i} for teams</p>" for i in range(60))
    tree = parse_html(f"<html><body>{_story(2)}{menu}</body></html>")
    assert _with_paragraph_reading(tree, kept, words) == kept
    # The rest is other posts, each in its own <article>.
    posts = "".join(f"<article>{_story(3)}</article>".replace("story", f"post {i}") for i in range(3))
    tree = parse_html(f"<html><body><article>{_story(2)}</article>{posts}</body></html>")
    assert _with_paragraph_reading(tree, kept, words) == kept


def test_prose_blocks_shielded_from_trafilatura_class_words() -> None:
    """A listicle's slides ("listicle-slides" contains trafilatura's "slide") are article text."""
    from cleaners.extract import _extract
    from cleaners.shields import shield_prose_blocks

    slides = "".join(
        f"<div class='listicle-slides'><h2>Service {i}</h2>{_story(3).replace('story', f'service {i}')}</div>"
        for i in range(3)
    )
    html = f"<html><body><article>{_story(4)}{slides}</article></body></html>"
    assert "service 2" not in _extract(parse_html(html), None, False, "precision").text
    tree = parse_html(html)
    assert shield_prose_blocks(tree, chars=page_chars(tree)) == 3
    assert tree.find(".//div").get("class") == ""
    text = _extract(tree, None, False, "precision").text
    assert all(f"service {i}" in text for i in range(3))
    assert "Service 2" in text


def test_shielding_leaves_boxes_and_page_builders_alone() -> None:
    from cleaners.shields import shield_prose_blocks

    # A box named as such (author bio, footer) with a paragraph of prose stays prunable; so does a
    # slide carousel of links.
    bio = f"<div class='author-bio'><p>{_PROSE.format('bio')} {_PROSE.format('more')}</p></div>"
    links = "".join(f"<a href='/p{i}'>Another story number {i} here</a> and" for i in range(20))
    carousel = f"<div class='slider'><p>{links} {_PROSE.format('x')}</p></div>"
    tree = parse_html(f"<html><body><article>{_story(6)}{bio}{carousel}</article></body></html>")
    assert shield_prose_blocks(tree, chars=page_chars(tree)) == 0
    # Every block carries the word (a page builder): trafilatura prunes none of them by itself.
    blocks = "".join(
        f"<div class='builder-widget'><div class='slide'>{_story(3)}</div></div>" for _ in range(3)
    )
    tree = parse_html(f"<html><body>{blocks}</body></html>")
    assert shield_prose_blocks(tree, chars=page_chars(tree)) == 0


def test_paragraph_with_a_colliding_class_is_shielded_with_a_sentence_of_words() -> None:
    from cleaners.extract import _extract
    from cleaners.shields import shield_prose_blocks

    quote = (
        "<p class='c-block-quote-embed-06'>Do not look at return on ad spend in isolation but weigh it"
        " against the overall business objectives and the marketing goals of the quarter.</p>"
    )
    html = f"<html><body><article>{_story(4)}{quote}{_story(3)}</article></body></html>"
    assert "return on ad spend" not in _extract(parse_html(html), None, False, "precision").text
    tree = parse_html(html)
    assert shield_prose_blocks(tree, chars=page_chars(tree)) == 1
    assert "return on ad spend" in _extract(tree, None, False, "precision").text


def test_paragraph_named_as_a_box_keeps_the_higher_shield_threshold() -> None:
    from cleaners.shields import shield_prose_blocks

    blurb = (
        "<p class='sidebar-blurb'>Support our newsroom today with a donation of any size, because independent"
        " reporting needs readers like you to keep going every month.</p>"
    )
    tree = parse_html(f"<html><body><article>{_story(4)}{blurb}{_story(3)}</article></body></html>")
    assert shield_prose_blocks(tree, chars=page_chars(tree)) == 0


def test_paragraph_opening_with_an_image_keeps_its_words() -> None:
    """Precision mode drops the tail of an element it left empty (an image's <span>): the words
    of a paragraph that opens with an image."""
    html = (
        f"<html><body><article>{_story(8)}"
        "<p><span class='lazy'><img src='a.jpg'></span>Most guided tours include transport and a"
        " planned itinerary covering <a href='/x'>the top sights</a> of the island.</p>"
        "<p><strong><span><img src='b.jpg'></span>Planning a trip comes with one big question.</strong></p>"
        "<p>Craig<strong> </strong>is a photographer.</p>"
        f"{_story(8).replace('story', 'tale')}</article></body></html>"
    )
    text = render(extract_blocks(parse_html(html), None)[0])
    assert "Most guided tours include transport and a planned itinerary covering the top sights" in text
    assert "Planning a trip comes with one big question." in text
    assert "Craig is a photographer." in text


def test_sibling_article_panes_are_one_story() -> None:
    from cleaners.extract import _with_sibling_parts

    panes = "".join(f"<article class='pane'><h2>Part {i}</h2>{_story(2)}</article>" for i in range(3))
    cards = "".join(
        f"<article class='pane'><h2><a href='/p{i}'>Post {i}</a></h2>{_story(1)}</article>" for i in range(2)
    )
    other = f"<article class='other'>{_story(2)}</article>"
    tree = parse_html(f"<html><body><main>{panes}{cards}{other}</main></body></html>")
    articles = list(tree.iter("article"))
    assert _with_sibling_parts({articles[0], None}) == {*articles[:3], None}


def test_edge_lists_of_prose_inside_the_container_are_added() -> None:
    from cleaners.extract import fill_edges

    takeaways = (
        "<ul>" + "".join(f"<li>Takeaway {i} is stated in a few words</li>" for i in range(3)) + "</ul>"
    )
    related = (
        "<ul>" + "".join(f"<li><a href='/r{i}'>Related story number {i}</a></li>" for i in range(3)) + "</ul>"
    )
    tree = parse_html(
        f"<html><body><article>{takeaways}{_story(3)}<ul><li>Closing point made in words</li></ul></article>"
        f"{related}</body></html>"
    )
    story = [Block("p", _PROSE.format(f"part {i}")) for i in range(3)]
    summary = Block("list", "\n".join(f"- Takeaway {i} is stated in a few words" for i in range(3)))
    closing = Block("list", "- Closing point made in words")
    links = Block("list", "\n".join(f"- Related story number {i}" for i in range(3)))
    assert fill_edges(tree, story, [summary, *story, closing, links]) == [summary, *story, closing]
    # link lists stay out, wherever they are
    assert fill_edges(tree, story, [links, *story]) == story


def test_sibling_article_parts_need_a_shared_class_and_no_teaser_cards() -> None:
    from cleaners.extract import _with_sibling_parts

    # class-less <article>s, and cards that are one link around their heading, are not parts
    bare = "".join(f"<article>{_story(1)}</article>" for i in range(2))
    cards = "".join(
        f"<article class='c'><a href='/p{i}'><h2>Post {i}</h2></a>{_story(1)}</article>" for i in range(2)
    )
    tree = parse_html(f"<html><body><main>{bare}</main><div>{cards}</div></body></html>")
    articles = list(tree.iter("article"))
    assert _with_sibling_parts({articles[0]}) == {articles[0]}
    assert _with_sibling_parts({articles[2]}) == {articles[2]}


def test_shield_keeps_the_page_own_class_words_and_ignores_token_order() -> None:
    from cleaners.shields import ORIGINAL_CLASS, shield_prose_blocks

    prose = " ".join(f"Sentence {i} of a long stretch of the article's own prose." for i in range(40))
    bio = " ".join(f"Sentence {i} of a short author biography." for i in range(12))  # about 90 words
    filler = "<p>" + "Other text of the page that no class names. " * 200 + "</p>"
    tree = parse_html(
        f"<html><body><div class='sharing entry-content'><p>{prose}</p></div>"
        f"<div class='slide author-box'><p>{bio}</p></div><div class='author-box slide'><p>{bio}</p></div>"
        f"{filler}</body></html>"
    )
    shield_prose_blocks(tree, chars=page_chars(tree))
    divs = list(tree.iter("div"))
    assert divs[0].get("class") == "entry-content" and divs[0].get(ORIGINAL_CLASS) == "sharing entry-content"
    # an author box needs an article's worth of prose whichever class comes first
    assert [d.get("class") for d in divs[1:]] == ["slide author-box", "author-box slide"]


def test_prose_tail_after_a_row_of_empty_wrappers_is_kept() -> None:
    from cleaners.shields import keep_prose_tails

    tree = parse_html(
        "<html><body><p>Intro <b>bold</b><span><img src='a.jpg'></span><span><img src='b.jpg'></span>"
        "Most tours include transport and a planned itinerary.</p></body></html>"
    )
    assert keep_prose_tails(tree) >= 1
    bold = tree.find(".//b")
    assert bold.tail == "Most tours include transport and a planned itinerary."


def test_rendering_a_nested_list_twice_gives_the_same_text() -> None:
    body = etree.fromstring(
        "<body><list><item>Top one<list><item>Nested a</item></list></item><item>Top two</item></list></body>"
    )
    assert render(xml_to_blocks(body)) == render(xml_to_blocks(body))
    assert "Nested a" in render(xml_to_blocks(body))


def test_long_gaps_are_filled_only_when_they_are_prose() -> None:
    from cleaners.extract import GAP_MAX_WORDS, fill_gaps

    first, last = Block("p", "First shared paragraph."), Block("p", "Last shared paragraph.")
    section = [Block("h", "A section precision mode dropped")] + [
        Block("p", _PROSE.format(f"part {i}")) for i in range(30)
    ]
    assert sum(len(b.text.split()) for b in section) > GAP_MAX_WORDS
    assert fill_gaps([first, last], [first, *section, last]) == [first, *section, last]
    # as long, but titles and labels (a teaser grid): not put back
    teasers = [Block("p", f"Teaser title number {i} here") for i in range(120)]
    assert fill_gaps([first, last], [first, *teasers, last]) == [first, last]


def test_edge_prose_inside_the_container_is_added() -> None:
    from cleaners.extract import fill_edges

    intro = _PROSE.format("the introduction")
    linked = _PROSE.format("a linked teaser")
    closing = [_PROSE.format(f"closing {i}") for i in range(2)]
    cta = "Ready to get noticed? Send us an email today."
    tree = parse_html(
        f"<html><body><nav><p>{_PROSE.format('outside the article')}</p></nav><article>"
        f"<p><a href='/t'>{linked}</a></p><p>{intro}</p><p>Chart label</p>{_story(3)}"
        f"{''.join(f'<p>{c}</p>' for c in closing)}<p>{cta}</p></article></body></html>"
    )
    story = [Block("p", _PROSE.format(f"part {i}")) for i in range(3)]
    outside, label = Block("p", _PROSE.format("outside the article")), Block("p", "Chart label")
    # the introduction and the short line between it and the story come in; the run stops at the
    # page's navigation (outside the container)
    assert fill_edges(tree, story, [outside, Block("p", intro), label, *story]) == [
        Block("p", intro),
        label,
        *story,
    ]
    # a paragraph of links is no introduction
    assert fill_edges(tree, story, [Block("p", linked), *story]) == story
    # after the article: a closing section of prose, but not a lone short call to action
    ending = [Block("p", c) for c in closing]
    assert fill_edges(tree, story, [*story, *ending, Block("p", cta)]) == [*story, *ending]
    assert fill_edges(tree, story, [*story, Block("p", cta)]) == story


def test_recall_replaces_a_contained_output_it_extends_by_a_third() -> None:
    from cleaners.extract import recall_replaces

    chosen = [f"word{i}" for i in range(200)]
    extra = [f"more{i}" for i in range(80)]
    assert recall_replaces(chosen + extra, chosen)  # 1.4 times as long, all of it contained
    assert not recall_replaces(chosen + extra[:20], chosen)  # barely longer
    # much longer, but without a tenth of the chosen text: another reading of the page
    assert not recall_replaces(chosen[:180] + extra * 4, chosen)


def _long_article(middle: str) -> str:
    first = (
        "<p>" + "Known for its simplicity and readability, the language has a large library ecosystem. " * 12
    )
    second = (
        "<p>" + "Major companies, among them search engines and streaming services, rely on it daily. " * 12
    )
    head = "<html><body><article><h1>Which language to learn</h1>"
    return f"{head}{first}</p>{middle}{second}</p></article></body></html>"


def test_note_in_a_div_between_paragraphs_is_kept() -> None:
    from cleaners import clean_html

    note = "<div class='note'><b>Updates:</b> Version 3.14, released on October 7, 2025, is faster.</div>"
    assert "Version 3.14, released on October 7, 2025" in clean_html(_long_article(note)).text


def test_faq_answers_in_nested_divs_are_kept_and_teaser_excerpts_are_not() -> None:
    from cleaners import clean_html

    faq = (
        "<h3>FAQs</h3><div class='accordion faq'>"
        "<div><div><strong>What are the best tools for data analysis?</strong></div>"
        "<div>The top data analysis tools include Python, R, Excel and SQL, each for its own use.</div></div>"
        "<div><div><strong>Which tool is easiest for beginners?</strong></div>"
        "<div>A spreadsheet is often the easiest for beginners, thanks to its familiar interface.</div></div>"
        "</div>"
    )
    others = (
        # a teaser card: its excerpt follows a linked title
        "<div class='item'><div class='item-title'><a href='/other'>Another story on the site</a></div>"
        "<div class='item-text'>Among those who believe the press has value, one investor stands out.</div>"
        "</div>"
        # shown only when printed
        "<div class='d-none d-print-block'><div>This document is subject to copyright and may not be"
        " reproduced.</div></div>"
        # a gallery: a picture with its caption
        "<div class='gallery'><div><img src='a.jpg'><cite>Travellers wait in long security lines at the"
        " airport on Tuesday morning.</cite></div></div>"
        # a video player's own blurb
        "<div><media-video><div>A new study shows the method may be as effective as some medications.</div>"
        "</media-video></div>"
    )
    text = clean_html(_long_article(faq + others)).text
    assert "The top data analysis tools include Python" in text
    assert "A spreadsheet is often the easiest for beginners" in text
    for kept_out in (
        "one investor stands out",
        "Travellers wait",
        "A new study shows",
        "subject to copyright",
    ):
        assert kept_out not in text


def test_article_inside_a_block_named_like_comments_is_kept() -> None:
    from cleaners import clean_html
    from cleaners.shields import shield_article_named_as_comments

    post = "".join(
        f"<p>Paragraph {i} of the post explains how sparse models can be read end to end by people.</p>"
        for i in range(30)
    )
    replies = "<p>With an account on the Fediverse you can reply to this post from your own server.</p>"
    html = (
        "<html><body><h1>Scalable interpretability</h1>"
        f"<div class='PostsPage-postContent'><div class='commentOnSelection'>{post}</div></div>"
        f"<div class='comment-respond'>{replies}</div></body></html>"
    )
    text = clean_html(html).text
    assert "Paragraph 29 of the post" in text and "Fediverse" not in text
    tree = parse_html(html)
    assert shield_article_named_as_comments(tree, chars=page_chars(tree)) == 1
    assert tree.find(".//div[@class='comment-respond']") is not None  # a small block keeps its name


def test_linked_headings_of_a_listicle_are_put_back_between_their_paragraphs() -> None:
    from cleaners import clean_html

    sections = "".join(
        f"<h2>Part {i}: what to learn first</h2><p>Part {i} of this guide covers the basics every"
        " beginner needs before paying for a course, from colour theory to the grid.</p>"
        # each course in a box of its own, which trafilatura's precision mode reads without its title
        f"<div><h3><a href='https://school{i}.example.org/course'>Design course number {i}</a></h3>"
        f"<p>Course {i} teaches layout, colour and type to beginners over six weeks, with a project"
        " reviewed by a working designer at the end of each week of the programme.</p></div>"
        for i in range(6)
    )
    ending = "<p>Whichever course you choose, practise every day and keep your early sketches.</p>"
    page = f"<html><body><article><h1>Best design courses</h1>{sections}{ending}</article></body></html>"
    blocks = clean_html(page).text.split("\n\n")
    for i in range(6):
        assert f"Design course number {i}" in blocks
        assert blocks.index(f"Design course number {i}") == blocks.index(f"Part {i}: what to learn first") + 2


def test_callout_whose_style_says_border_none_is_kept() -> None:
    from cleaners import clean_html

    note = (
        "<p style='background: #f4f5f7; border: none; padding: 30px'><strong>Updates:</strong> Version 3.14,"
        " released on October 7, 2025, is faster.</p>"
    )
    assert "Version 3.14, released on October 7, 2025" in clean_html(_long_article(note)).text


def test_borderless_declarations_leave_the_style_and_real_borders_stay() -> None:
    from cleaners.shields import drop_borderless_styles

    tree = parse_html(
        "<div style='background: #eee; border: none; padding: 3px'>a</div>"
        "<span style='box-sizing:border-box;margin:0'>b</span>"
        "<div style='--theme-border-color: red; color: blue'>c</div>"
        "<div style='border: 1px solid #ccc'>d</div>"
        "<div style='border-bottom:0 !important;border-top: 2px solid red'>e</div>"
    )
    assert drop_borderless_styles(tree) == 4  # the real border stays
    styles = [e.get("style") for e in tree.iter("div", "span")]
    assert styles == [
        "background: #eee; padding: 3px",
        "margin:0",
        "color: blue",
        "border: 1px solid #ccc",
        "border-top: 2px solid red",
    ]


def test_embedded_tweet_quoted_in_the_story_is_kept() -> None:
    from cleaners import clean_html

    tweet = (
        "<div class='social-media-embed'><blockquote class='twitter-tweet'><p>Yes this is real and the state"
        " spent half a million dollars on it: <a href='https://t.co/x'>https://t.co/x</a></p>— Jane Roe"
        " (@janeroe) <a href='https://twitter.com/janeroe/status/1'>November 18, 2019</a></blockquote></div>"
    )
    share = "<div class='social-share'><a href='/s'>Share on Facebook</a></div>"
    body = f"<div class='entry-content'>{_story(4)}{tweet}{share}{_story(3)}</div>"
    html = f"<html><body><article>{body}</article></body></html>"
    text = clean_html(html).text
    assert "the state spent half a million dollars" in text
    assert "Share on Facebook" not in text


def test_story_written_in_a_div_with_line_breaks_keeps_its_first_paragraph() -> None:
    # Slashdot's story: the summary is a div of loose text, the quote an <i> that spans the
    # paragraphs, and the page's few <p>s are a notice bar and readers' replies
    from cleaners import clean_html

    first = "Elite degrees are no longer a guaranteed on-ramp to jobs, as coding tools slash demand."
    quote = "Graduates are struggling to find entry-level jobs with the most prominent brands."
    second = "There is a dreary mood on campus, said a recent graduate who asked not to be named."
    third = "Data suggests that even though some startups are hiring, it is not offsetting the decline."
    html = (
        "<html><body><div class='message-bar'><p>Want to read us from your mobile device?</p></div>"
        "<article><header><h1>Degrees No Longer Guarantee Jobs</h1><div>Posted by Beau</div></header>"
        f"<div class='body'><div class='p'>{first} The <a href='/x'>Times</a> reports: "
        f"<i>{quote}<br> <br>{second}<br><br>{third}</i></div></div></article>"
        "<section class='replies'><blockquote><p>Forty two.</p></blockquote></section>"
        "</body></html>"
    )
    text = clean_html(html).text
    for paragraph in (first, quote, second, third):
        assert paragraph in " ".join(text.split())


def test_a_page_laid_out_inside_its_header_is_not_a_header() -> None:
    # a theme that never closes its <header>: the whole page, article and all, sits inside it, and
    # trafilatura's precision mode drops every <header> whole
    story = "".join(f"<p>{'Paragraph text of the story goes on here, sentence after sentence. ' * 6}</p>" * 6)
    tree = parse_html(
        f"<html><body><header class='site'><nav><a href='/'>Home</a></nav><h1>Title</h1>{story}"
        "</header><footer>About us</footer></body></html>"
    )
    # the trap itself: precision mode finds nothing in the page as written, the story once shielded
    from cleaners.extract import _extract

    assert not _extract(copy.deepcopy(tree), None, False, "precision").text.strip()
    assert shield_page_inside_header(tree, chars=page_chars(tree)) == 1
    assert tree.find(".//header") is None and tree.find(".//h1").getparent().tag == "div"
    assert "Paragraph text of the story" in _extract(tree, None, False, "precision").text
    # the usual header (a logo, a menu, the title) stays one
    tree = parse_html(
        f"<html><body><header><nav><a href='/'>Home</a></nav><h1>Title</h1></header>{story}</body></html>"
    )
    assert shield_page_inside_header(tree, chars=page_chars(tree)) == 0 and tree.find(".//header") is not None


def test_a_story_div_followed_by_text_keeps_that_text() -> None:
    # a div that opens with a <br> loses its tail in trafilatura: no break is put before its lead
    # when text follows the div
    from cleaners import clean_html

    first = "The first paragraph of the story is here, before the two line breaks."
    second = "The second paragraph follows the breaks, written as a sentence too."
    after = "Text after the story's div closes is the last paragraph of the page."
    html = (
        f"<html><body><article><div><div>{first}<br><br>{second}</div>{after}</div></article></body></html>"
    )
    text = " ".join(clean_html(html).text.split())
    for paragraph in (first, second, after):
        assert paragraph in text


def test_extraction_reads_a_page_inside_its_header_in_precision_mode(monkeypatch) -> None:
    # the shield is applied by extract_blocks itself: precision mode reads the story, and no second
    # opinion (the default mode) is needed for a page it would otherwise find empty
    import cleaners.extract as extract

    story = "".join(
        f"<p>Paragraph text of the story goes on here, part {i}: {'one sentence after another. ' * 8}</p>"
        for i in range(6)
    )
    html = f"<html><body><header class='site'><h1>Title</h1>{story}</header></body></html>"
    modes: list[str | None] = []
    real = extract._extract

    def spy(tree, url, include_comments, focus):  # type: ignore[no-untyped-def]
        modes.append(focus)
        return real(tree, url, include_comments, focus)

    monkeypatch.setattr(extract, "_extract", spy)
    blocks, _ = extract_blocks(parse_html(html), None)
    assert modes == ["precision"] and "Paragraph text of the story" in blocks[0].text
