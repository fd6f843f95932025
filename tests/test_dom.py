"""DOM rules remove boxes by class/id and XPath, within the guards."""

from cleaners.dom import find_boilerplate, remove_boilerplate
from cleaners.parse import parse_html
from cleaners.repair import place_streamed_parts, repair_structure

ARTICLE = "<p>" + "Real article text that matters. " * 40 + "</p>"


def page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def test_family_boxes_removed_and_tail_kept() -> None:
    tree = parse_html(
        page(
            f'<article class="post tag-ads category-related">{ARTICLE}'
            '<div class="sharedaddy"><h3>Share this:</h3></div>kept tail'
            '<div id="comments" class="comments-area"><p>Reader comment</p></div>'
            '<div class="g-recaptcha">captcha</div>'
            '<nav class="breadcrumb">Home › World</nav>'
            "<form><textarea></textarea></form></article>"
        )
    )
    removed = remove_boilerplate(tree)
    text = tree.text_content()
    assert removed == 5
    assert "Real article text" in text and "kept tail" in text
    for cruft in ("Share this", "Reader comment", "captcha", "Home › World"):
        assert cruft not in text


def test_disclaimers_printed_under_every_article_are_removed() -> None:
    boxes = (
        "<p class='b-disclaimer'>The views expressed do not necessarily reflect ours.</p>"
        "<div class='cmp-richtext--disclaimer'>All investing is subject to risk.</div>"
        "<div class='Disclaimer_disclaimer__P_CAB'>Jane Roe contributed to this content.</div>"
    )
    tree = parse_html(page(f"<article class='category-disclaimers'>{ARTICLE}{boxes}</article>"))
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text  # a taxonomy token names no box
    for box in ("views expressed", "subject to risk", "contributed to"):
        assert box not in text


def test_comments_kept_when_asked() -> None:
    tree = parse_html(page(f'{ARTICLE}<div id="comments"><p>Reader comment</p></div>'))
    remove_boilerplate(tree, include_comments=True)
    assert "Reader comment" in tree.text_content()


def test_wrapper_holding_the_article_is_kept() -> None:
    # Theme classes lie: a wrapper with a "social" class around the whole story stays.
    tree = parse_html(page(f'<div class="social">{ARTICLE}</div><div class="share">x</div>'))
    found = find_boilerplate(tree)
    assert [e.get("class") for e in found] == ["share"]


def test_substrings_inside_words_do_not_match() -> None:
    tree = parse_html(
        page(f'<div class="shadow">{ARTICLE}</div><div class="leading">x</div><div class="download">y</div>')
    )
    assert find_boilerplate(tree) == []


def test_layout_tables_and_unclosed_paragraphs_repaired() -> None:
    from cleaners.repair import repair_structure

    first = "The first paragraph of a story that an old site laid out in a table cell."
    second = "The second paragraph follows it in the same cell, as a page of 2004 did."
    tree = parse_html(
        page(
            f"<table><tr><td>nav</td><td><p>Intro<font><p>{first}</p><p>{second}</p></font></td></tr></table>"
            "<table><tr><td>1</td><td>2</td></tr></table>"
        )
    )
    repair_structure(tree)
    tables = tree.findall(".//table")
    assert len(tables) == 1 and tables[0].findtext(".//td") == "1"  # the data table stays a table
    assert tree.find(".//font") is None
    assert [p.text for p in tree.iter("p")] == [first, second]


def test_data_table_with_one_paragraph_per_cell_stays_a_table() -> None:
    from cleaners.repair import repair_structure

    cells = "".join(f"<tr><td><p>Plan {i}</p></td><td><p>${i}0 a month</p></td></tr>" for i in range(3))
    # a value written on two lines is still one cell's value
    cells += "<tr><td><p>Small</p><p>(1-99 employees)</p><p></p></td><td><p>Too complex</p></td></tr>"
    article = "<p>" + "A paragraph of the story laid out in a table cell. " * 10 + "</p>"
    tree = parse_html(page(f"<table>{cells}</table><table><tr><td>{article}</td></tr></table>"))
    repair_structure(tree)
    tables = tree.findall(".//table")
    assert len(tables) == 1 and "Plan 1" in tables[0].text_content()  # the chart stays a table


def test_guards_content_tokens_prose_and_component_classes() -> None:
    long_prose = "<p>" + "A sentence of real article prose, not a link. " * 60 + "</p>"
    tree = parse_html(
        page(
            # the id lies, the class names the body; then too much prose to be a sign-up box
            f'<div class="post-content" id="share-btn">{ARTICLE}</div>'
            f'<section class="hero cc-newsletter">{long_prose}</section>'
            f'<div class="cmp-container">{ARTICLE}</div>'  # AEM component, not consent
            '<div class="cmp-banner">We use cookies</div>'
            '<div role="dialog"><p>Subscribe to continue reading</p></div>'
            '<span class="author-tooltip">Jane Doe Jane Doe wrote 40 stories</span>'
        )
    )
    found = [e.get("class") or e.get("role") for e in find_boilerplate(tree)]
    assert sorted(found) == ["author-tooltip", "cmp-banner", "dialog"]


def test_drop_non_text_keeps_json_ld() -> None:
    from cleaners.dom import drop_non_text

    tree = parse_html(
        page(
            '<script>var x = 1;</script><script type="application/ld+json">{"@type": "NewsArticle"}</script>'
            "<style>p {}</style><noscript>enable js</noscript><svg><text>chart</text></svg><p>Story.</p>"
        )
    )
    drop_non_text(tree)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert tree.find(".//style") is None and tree.find(".//svg") is None
    assert "Story." in tree.text_content()


def test_attribute_rules_match_case_insensitively() -> None:
    tree = parse_html(
        page(
            f'{ARTICLE}<ol itemtype="https://schema.org/BreadcrumbList"><li>Home</li></ol>'
            '<div aria-label="Breadcrumb">Home › News</div><div role="Dialog">Sign in</div>'
            '<div role="main">kept</div>'
        )
    )
    found = [e.get("itemtype") or e.get("aria-label") or e.get("role") for e in find_boilerplate(tree)]
    assert sorted(found) == ["Breadcrumb", "Dialog", "https://schema.org/BreadcrumbList"]


# --- teaser-card grids ---------------------------------------------------------------------------------

URL = "https://news.example.com/2024/05/the-story"
PROSE = "<p>" + "A long paragraph of the story itself, with nothing to click in it. " * 30 + "</p>"


def card(href: str, title: str, excerpt: str = "Short excerpt of another post…") -> str:
    return f'<div class="item"><img src="x.jpg"><h3><a href="{href}">{title}</a></h3><p>{excerpt}</p></div>'


def test_teaser_grid_inside_the_article_is_removed() -> None:
    from cleaners.dom import remove_teaser_grids

    grid = "".join(card(f"/2024/05/other-{i}", f"Other story {i}") for i in range(4))
    # whole-card links (<a><h4>..</h4><span>..</span></a>) are cards too; www. is the same site
    linked = "".join(
        f'<a href="https://www.news.example.com/p/{i}"><h4>Card {i}</h4><span>May 3</span></a>'
        for i in range(3)
    )
    tree = parse_html(page(f'<article>{PROSE}<div class="grid">{grid}</div><div>{linked}</div></article>'))
    assert remove_teaser_grids(tree, URL) == 7
    text = tree.text_content()
    assert "A long paragraph" in text
    assert "Other story" not in text and "Short excerpt" not in text and "Card 1" not in text


def test_teaser_grid_rule_keeps_content_that_only_looks_like_cards() -> None:
    from cleaners.dom import find_teaser_grids

    long_section = "A section of the article that explains one point at length. " * 12
    tree = parse_html(
        page(
            f"<article>{PROSE}"
            # sections of prose under linked headings: cards hold little besides their title
            + "<div>"
            + "".join(card(f"/guide/part-{i}", f"Part {i}", long_section) for i in range(3))
            + "</div>"
            # a listicle linking out to other sites (products, resources) is the content
            + "<div>"
            + "".join(card(f"https://shop{i}.example.org/", f"Item {i}") for i in range(3))
            + "</div>"
            # two cards are not a grid; one linked heading is not one either
            + "<div>"
            + card("/a", "Only")
            + card("/b", "Two")
            + "</div>"
            + '<h2><a href="/elsewhere">A linked heading</a></h2>'
            # linked headings between paragraphs (a flat listicle), and permalinks to the page's own sections
            + "".join(f'<a href="/item-{i}"><h3>Item {i}</h3></a><p>About item {i}.</p>' for i in range(3))
            + "".join(f'<div><h3><a href="{URL}#s{i}">Section {i}</a></h3><p>x</p></div>' for i in range(3))
            # rows of a data table
            + "<table>"
            + "".join(f'<tr><td><h4><a href="/t{i}">Row {i}</a></h4></td></tr>' for i in range(3))
            + "</table></article>"
        )
    )
    assert find_teaser_grids(tree, URL) == []


def test_teaser_grid_that_is_most_of_the_page_stays() -> None:
    from cleaners.dom import find_teaser_grids

    # a hub page: the cards are what the page is about
    cards = "".join(card(f"/learn/{i}", f"Course {i}") for i in range(6))
    tree = parse_html(page(f'<div class="grid">{cards}</div><p>Intro.</p>'))
    assert find_teaser_grids(tree, URL) == []


def test_collapsed_accordion_panels_with_prose_are_shown() -> None:
    from cleaners.repair import reveal_collapsed_panels

    answer = "The answer to this question takes a few sentences of plain prose to give. " * 3
    tree = parse_html(
        page(
            '<button aria-controls="faq-1">Question?</button>'
            f'<div id="faq-1" style="display:none" class="panel is-hidden" aria-hidden="true">'
            f"<p>{answer}</p></div>"
            '<button aria-controls="menu">Menu</button>'
            '<div id="menu" hidden><ul>'
            + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(9))
            + "</ul></div>"
        )
    )
    assert reveal_collapsed_panels(tree) == 1
    panel, menu = tree.get_element_by_id("faq-1"), tree.get_element_by_id("menu")
    assert panel.get("style") is None and panel.get("aria-hidden") is None and panel.get("class") == "panel"
    assert menu.get("hidden") is not None  # links, not prose: a menu stays as it was


def test_panels_of_repeated_components_and_a_plain_hidden_class_are_shown() -> None:
    from cleaners.repair import reveal_collapsed_panels

    answer = "The answer to this question takes a few sentences of plain prose to give. " * 3
    faq = (
        '<div class="faq"><button aria-controls="content-1">Question?</button>'
        f'<div id="content-1" class="accordion-content border-b hidden"><p>{answer}</p></div></div>'
    )
    tree = parse_html(page(faq + faq))  # every FAQ block names its first panel "content-1"
    assert reveal_collapsed_panels(tree) == 2
    assert [p.get("class") for p in tree.xpath("//*[@id='content-1']")] == ["accordion-content border-b"] * 2


def test_panel_under_an_expandable_button_and_a_hidden_wrapper_are_shown() -> None:
    from cleaners.repair import reveal_collapsed_panels

    answer = "The answer to this question takes a few sentences of plain prose to give. " * 3
    tree = parse_html(
        page(
            # no aria-controls: the hidden block after the button's heading is its panel
            "<section><h3><button aria-expanded='false'><p>Weight</p></button></h3>"
            f"<div id='w' aria-hidden='true' hidden><p>{answer}</p></div></section>"
            # Chakra: the controlled panel is visible, its wrapper is not
            "<h2><button aria-controls='p2' aria-expanded='false'>Are EVs safe?</button></h2>"
            "<div id='wrap' class='collapse' style='overflow:hidden;display:none'>"
            f"<div id='p2'>{answer}</div></div>"
            # a button whose next block is shown is no toggle of ours
            "<button aria-expanded='false'>Share</button><div id='shown'><p>Visible.</p></div>"
            # the heading inside the button (a text-only <h3>: an element without children)
            "<button aria-controls='q3'><h3>How long does it take</h3></button>"
            f"<div id='q3' class='hidden'>{answer}</div>"
            # a control inside a paragraph shows its panel but is no heading
            f"<p>Intro text.<button aria-controls='m'>Expand</button></p><div id='m' hidden>{answer}</div>"
        )
    )
    assert reveal_collapsed_panels(tree) == 4
    weight, wrapper = tree.get_element_by_id("w"), tree.get_element_by_id("wrap")
    assert weight.get("hidden") is None and weight.get("aria-hidden") is None
    assert wrapper.get("style") is None
    # the buttons of shown panels give way to their labels (extractors drop buttons)
    assert [b.text_content() for b in tree.iter("button")] == ["Share", "Expand"]
    assert tree.find(".//h2").text_content() == "Are EVs safe?"


def test_and_related_names_the_thing_before_it_not_a_related_box() -> None:
    # "map-and-related" is a map and what goes with it; a heading's anchor "use-and-related-deaths"
    # is a slug of its text: neither is a box of related links, unlike "post-related".
    tree = parse_html(
        page(
            f"{ARTICLE}"
            '<div id="map-and-related"><p>Enter an address below to find an office near you.</p></div>'
            '<h3 id="how-drug-use-and-related-deaths-changed">How drug use and related deaths changed</h3>'
            '<div class="post-related"><a href="/a">Another story</a></div>'
        )
    )
    assert [e.get("class") for e in find_boilerplate(tree)] == ["post-related"]


def test_promo_and_announcement_bars_removed() -> None:
    tree = parse_html(
        page(
            '<div class="promo-bar"><p>Free standard shipping on orders $40+</p></div>'
            '<div id="announcement-bar"><a href="/go">Our new app is out. Check it out</a></div>'
            f"{ARTICLE}"
        )
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text
    assert "shipping" not in text and "new app" not in text


def test_pull_quote_figures_become_blocks() -> None:
    from cleaners.repair import repair_structure

    tree = parse_html(
        "<html><body><article><p>Text.</p>"
        "<figure class='quote'><blockquote><p>SEO isn't dead, it's just different.</p></blockquote>"
        "<figcaption>A. Person, VP</figcaption></figure>"
        "<figure><img src='a.png'><figcaption>A photo</figcaption></figure></article></body></html>"
    )
    repair_structure(tree)
    assert [e.tag for e in tree.find(".//article")] == ["p", "div", "figure"]


def test_call_to_action_boxes_and_modals_removed() -> None:
    tree = parse_html(
        page(
            f"<article>{ARTICLE}"
            '<div class="post-cta-wrapper"><p>Start your free trial today.</p></div>'
            '<div class="cta_modal"><p>Book a demo with our team.</p></div>'
            '<div class="success-modal"><p>Thanks, your request was sent.</p></div>'
            '<div class="elementor-location-popup"><p>Get 10% off your first order.</p></div>'
            '<div class="et_pb_cta_0"><p>A builder text module stays.</p></div>'
            "</article>"
        )
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text
    for cruft in ("free trial", "Book a demo", "request was sent", "10% off"):
        assert cruft not in text
    assert "builder text module stays" in text


def test_links_are_never_boxes() -> None:
    tree = parse_html(
        page(
            f"<article>{ARTICLE}"
            '<p>We compared <a class="external-popup" href="https://a.example">TurboTax</a> and'
            ' <a class="link-cta" href="/x">H&amp;R Block</a> with'
            ' <a class="sponsored-link" href="/y">TaxAct</a> for this review.</p>'
            '<div class="external-site-popup"><p>You are leaving our website.</p></div>'
            "</article>"
        )
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "We compared TurboTax and H&R Block with TaxAct for this review." in text
    assert "leaving our website" not in text


def test_utility_class_with_an_arbitrary_value_is_not_a_role() -> None:
    # Tailwind's "pb-[--related-gap]" sets a padding from a CSS variable; the block is no related box
    for box_class in ("pb-[--related-gap]", "pb-(--related-gap)"):  # Tailwind v3, v4
        box = f'<div class="{box_class}"><p>Short intro the page shows.</p></div>'
        tree = parse_html(page(f"{box}{ARTICLE}<div class='related-posts'><p>Popular now</p></div>"))
        remove_boilerplate(tree)
        text = tree.text_content()
        assert "Short intro" in text and "Popular now" not in text


def test_modal_dialog_is_removed_however_much_prose_it_holds() -> None:
    # "republish this story" guidelines: 3,000+ characters of prose in a hidden modal, whose id
    # alone ("-modal", at most 2,000 characters of prose) would not remove it
    guidelines = "<p>" + "Please credit us and link back to the story when you republish it. " * 50 + "</p>"
    modal = f'<div id="republish-modal" role="dialog" aria-modal="true">{guidelines}</div>'
    tree = parse_html(page(f"{ARTICLE}{ARTICLE}{ARTICLE}{modal}"))
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text and "Please credit us" not in text


def test_modal_dialog_holding_most_of_the_page_or_the_article_is_kept() -> None:
    # an article opened in an overlay
    tree = parse_html(page(f'<div role="dialog" aria-modal="true">{ARTICLE}</div><p>Footer line.</p>'))
    remove_boilerplate(tree)
    assert "Real article text" in tree.text_content()
    # ... even when the teasers around it hold more of the page's text
    teasers = "".join(
        f"<p>Teaser {i} for another story on this site, with its summary line.</p>" for i in range(40)
    )
    story = f"<article><h1>Council votes</h1>{ARTICLE}{ARTICLE}{ARTICLE}</article>"
    tree = parse_html(page(f'<div role="dialog" aria-modal="true">{story}</div>{teasers * 3}'))
    remove_boilerplate(tree)
    assert "Real article text" in tree.text_content()


def test_divs_that_are_paragraphs_become_paragraphs_only_among_enough_paragraph_text() -> None:
    from cleaners.repair import repair_structure

    note = (
        "<div><b>Update:</b> The vendor shipped a fix on May 2, and every user should install it now.</div>"
    )
    menu = "<div><a href='/a'>Home</a> <a href='/b'>World news and more sections of this site</a></div>"
    tree = parse_html(page(f"<article>{ARTICLE}{ARTICLE}{note}{menu}{ARTICLE}</article>"))
    repair_structure(tree)
    assert [p.text_content()[:7] for p in tree.iter("p")][2] == "Update:"
    assert len(list(tree.iter("div"))) == 1  # the link list stays a div
    # CNN-style pages write every paragraph as a div: converting the few beside a <p> would stop the
    # extractor reading the others
    paragraphs = "".join(
        f"<div class='body-paragraph'>Sentence number {i} of the story goes here.</div>" for i in range(9)
    )
    tree = parse_html(page(f"<article><p>Short lead.</p>{paragraphs}</article>"))
    repair_structure(tree)
    assert len(list(tree.iter("p"))) == 1


def test_article_sections_sharing_an_ads_class_are_kept() -> None:
    # every section of a review carries "TestReport__Section--Ads" (sections with ad slots in them):
    # each is a small share of the page, together they are the article
    section = "<p>" + "The grill heats the steak from above in minutes. " * 12 + "</p>"
    body = "".join(
        f'<section class="TestReport__Section TestReport__Section--{kind} TestReport__Section--Ads">'
        f"<h2>Part {i}</h2>{section}</section>"
        for i, kind in enumerate(["Intro", "Data", "Tips", "Conclusion"])
    )
    tree = parse_html(
        page(f'<article><div class="report">{body}</div><div class="ad-slot">Buy a grill</div></article>')
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert text.count("The grill heats") == 4 * 12
    assert "Buy a grill" not in text
    # ad slots repeated down the page still go: together they hold little of the page
    slots = "".join(f'<div class="ad-slot">Advertisement {i}</div><p>{ARTICLE}</p>' for i in range(4))
    tree = parse_html(page(slots))
    remove_boilerplate(tree)
    assert "Advertisement" not in tree.text_content()


def test_reader_comments_outweighing_the_article_are_removed() -> None:
    comments = "".join(
        f"<li class='forum-fil'><p>{'I disagree with this post entirely. ' * 20}</p></li>" for _ in range(8)
    )
    tree = parse_html(
        page(f"{ARTICLE}<div class='divforum'><h2>27 commentaires</h2><ul>{comments}</ul></div>")
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text and "I disagree" not in text
    tree = parse_html(page(f"{ARTICLE}<div class='comments-area'><ul>{comments}</ul></div>"))
    remove_boilerplate(tree)
    assert "I disagree" not in tree.text_content()
    # kept when asked for
    tree = parse_html(page(f"{ARTICLE}<div class='comments-area'><ul>{comments}</ul></div>"))
    remove_boilerplate(tree, include_comments=True)
    assert "I disagree" in tree.text_content()


def test_prose_after_a_block_becomes_a_paragraph() -> None:
    paragraphs = "".join(f"<p>{'Paragraph text of the story goes on here. ' * 8}</p>" for _ in range(8))
    html = page(
        f"<div class='post-body'>{paragraphs}<div><span>Villa by the sea</span></div>"
        "Hyatt announced the opening of <b>Nam Nghi</b> recently, the first such resort in Asia.<br>"
        "<div>Villa</div>The second resort opened on the island last year, with <b>ninety</b> rooms."
        "<span class='br'></span><b>A heading drawn in bold</b><span class='br'></span>And its text.</div>"
    )
    tree = parse_html(html)
    repair_structure(tree)
    wrapped = [
        " ".join(p.text_content().split()) for p in tree.iter("p") if "Paragraph text" not in p.text_content()
    ]
    assert wrapped == [
        "Hyatt announced the opening of Nam Nghi recently, the first such resort in Asia.",
        # an empty inline element (a line break drawn by CSS) ends the run
        "The second resort opened on the island last year, with ninety rooms.",
    ]
    # a page written in loose text, with little <p> text, is left to the extractor
    tree = parse_html(
        page("<div><div>caption</div>Hyatt announced the opening of the first such resort in Asia.</div>")
    )
    repair_structure(tree)
    assert not list(tree.iter("p"))


def test_class_tokens_add_the_kebab_case_spelling() -> None:
    from cleaners.classnames import class_tokens

    assert list(class_tokens("pnlByline post")) == ["pnlbyline", "pnl-byline", "post"]
    assert list(class_tokens("RelatedContent_relatedContent__ieyX5")) == [
        "relatedcontent_relatedcontent__ieyx5",
        "related-content",
    ]
    assert list(class_tokens("CommunityCTAStyles__StyledCTA-sc-cad98e2d-1")) == [
        "communityctastyles__styledcta-sc-cad98e2d-1",
        "styled-cta",
    ]
    assert list(class_tokens("GlobalVerticalCta h-100")) == [
        "globalverticalcta",
        "global-vertical-cta",
        "h-100",
    ]
    # generated hashes are no words: "bTqAd" is not "b-tq-ad" (an ad), "iNavQp" not "i-nav-qp"
    assert list(class_tokens("bTqAd AdGhkL iNavQp")) == ["btqad", "adghkl", "inavqp"]
    assert list(class_tokens("adBox topAd")) == ["adbox", "ad-box", "topad", "top-ad"]  # short words too
    box = "<div class='sc-gEvEer bTqAd'>Short line</div>"
    tree = parse_html(page(f"<article>{ARTICLE}{box}<div class='adBox'>Sponsored</div></article>"))
    assert remove_boilerplate(tree) == 1  # the ad box, not the hash-named block
    assert "Short line" in tree.text_content()


def test_camel_case_and_generated_class_names_are_read_in_the_rules_spelling() -> None:
    answer = "<p>" + "Remodeling almost always costs less than building from the ground up. " * 3 + "</p>"
    tree = parse_html(
        page(
            f"{ARTICLE}<div id='popupMessage'>Promotion has expired</div>"
            "<aside class='RelatedContent_relatedContent__ieyX5'><a href='/a'>Other story</a></aside>"
            "<div class='CommunityCTAStyles__StyledCTA-sc-cad98e2d-1 iyhqQr'>Deploy on our cloud</div>"
            # a generated class says what the element is by its local name: this is an answer,
            # held by a "read more" component (the related rule's "read-more-…" is not about it)
            f"<div class='ReadMoreAnswer_answerTextWrapper__9j8v_'>{answer}</div>"
        )
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text and "Remodeling almost always" in text
    for box in ("Promotion has expired", "Other story", "Deploy on our cloud"):
        assert box not in text


def test_loose_prose_on_a_page_without_paragraphs_loses_its_inline_markup() -> None:
    sentence = (
        "Small businesses remain the <a href='/backbone'>backbone of the economy</a> "
        "in <b>many</b> countries."
    )
    links = "".join(f"<a href='/t{i}'>Topic number {i}</a> and " for i in range(6)) + "more, see all."
    html = page(
        f"<div class='entry-content'> {sentence}<h2>Choosing</h2>"
        "On the one hand, <em>having options</em> is great for every small firm."
        f"<br>{links}<br>Short <a href='/x'>line</a> here.<br>"
        "A sentence with <span>a <br> break inside an inline element</span> that is long enough.</div>"
    )
    tree = parse_html(html)
    repair_structure(tree)
    content = tree.find(".//div")
    assert " ".join(content.text.split()) == (
        "Small businesses remain the backbone of the economy in many countries."
    )
    heading = content.find("h2")
    assert heading.tail == "On the one hand, having options is great for every small firm."
    assert len(content.findall("a")) == 6 + 1  # a link list, and a line too short for prose, keep theirs
    # styling markup around a line break goes, the break stays: two lines, each its own run
    assert content.find("span") is None
    assert content.findall("br")[-1].tail.startswith(" break inside an inline element")
    # the text before a div's first break reads as a line when prose follows a break; a div of one
    # paragraph that ends in breaks keeps its text (the extractor reads it whole)
    lead = "The first paragraph of the story comes here, before the first break."
    after = "The second paragraph follows it here, after the two line breaks."
    tree = parse_html(page(f"<div id='a'>{lead}<br><br>{after}</div><div id='b'>{lead}<br><br></div>"))
    repair_structure(tree)
    story, single = tree.get_element_by_id("a"), tree.get_element_by_id("b")
    assert story.text is None and story[0].tag == "br" and story[0].tail == lead
    assert single.text == lead
    # hidden markup stays as it is, line breaks or not: unwrapped, its words would show
    hidden = "<span style='display:none'>Subscribe now for one dollar a week.<br>Offer ends soon.</span>"
    tucked = "<span class='hidden'>Sign up for the newsletter to read more.</span>"
    tree = parse_html(page(f"<div id='c'>{lead} {hidden} {after}<br>{after} {tucked} {lead}</div>"))
    repair_structure(tree)
    assert len(tree.get_element_by_id("c").findall("span")) == 2
    # on a page that reads paragraphs the run becomes a <p> (above), markup and all
    paragraphs = "".join(f"<p>{'Paragraph text of the story goes on here. ' * 8}</p>" for _ in range(8))
    tree = parse_html(page(f"<div>{paragraphs}<h2>More</h2> {sentence}</div>"))
    repair_structure(tree)
    assert tree.find(".//h2").getnext().find("a") is not None


def test_prose_divs_nested_among_the_paragraphs_become_paragraphs() -> None:
    paragraphs = "".join(f"<p>{'Paragraph text of the story goes on here. ' * 8}</p>" for _ in range(6))
    answer = "The top data analysis tools include Python, R, Excel and SQL, each for its own use."
    excerpt = "Among those who believe the press has value, one investor stands out from the rest."
    html = page(
        f"<div class='body'>{paragraphs}"
        f"<div class='faq'><div><div><b>Which tools?</b></div><div>{answer}</div></div></div>"
        f"<div class='item'><div class='title'><a href='/x'>Another story</a></div><div>{excerpt}</div></div>"
        f"<div class='print'><div style='display: none'><div>Hidden {excerpt}</div></div></div>"
        f"<div class='gallery'><div><img src='a.jpg'>Caption {excerpt}</div></div>"
        f"<div class='player'><media-video><div>Video {excerpt}</div></media-video></div>"
        f"<div class='deep'><div><div><div><div><div>Deep {answer}</div></div></div></div></div></div></div>"
    )
    tree = parse_html(html)
    repair_structure(tree)
    made = [
        " ".join(p.text_content().split()) for p in tree.iter("p") if "Paragraph text" not in p.text_content()
    ]
    assert made == [answer]


def test_streamed_parts_are_moved_to_their_places() -> None:
    # React's streaming server rendering: each slow part comes last, hidden, and a script moves it
    tree = parse_html(
        page(
            "<article><h1>Index funds</h1>"
            "<template id='B:0'></template><div>Loading paragraph...</div>"
            "<template id='B:2'></template><template id='B:1'></template>"  # two places side by side
            "<template id='B:3'></template><h2>Risks</h2>"  # no fallback: the next block is the article's
            "</article><footer>Site footer</footer>"
            "<div hidden id='S:0'><p>First paragraph.</p><template id='P:4'></template></div>"
            "<div hidden id='S:1'><p>Second paragraph.</p></div>"
            "<div hidden id='S:2'><p>Between.</p></div>"
            "<div hidden id='S:3'><p>Third paragraph.</p></div>"
            "<div hidden id='S:4'><p>Nested part.</p></div>"
            "<div hidden id='S:9'><p>Part without a place.</p></div>"
        )
    )
    assert place_streamed_parts(tree) == 5
    article = tree.find(".//article")
    assert [" ".join(" ".join(e.itertext()).split()) for e in article] == [
        "Index funds",
        "First paragraph. Nested part.",
        "Between.",
        "Second paragraph.",
        "Third paragraph.",
        "Risks",
    ]
    assert tree.find(".//template") is None and "Loading" not in tree.text_content()
    assert tree.xpath("//*[@hidden]") == []  # the part without a place is shown where it is


def test_nested_prose_div_in_an_item_with_overflow_hidden_becomes_a_paragraph() -> None:
    paragraphs = "".join(f"<p>{'Paragraph text of the story goes on here. ' * 8}</p>" for _ in range(6))
    answer = "The council will raise the parking fee in the centre from April, and residents pay less."
    html = page(
        f"<div class='body'>{paragraphs}<div class='faq'><div class='faq-item' style='overflow: hidden'>"
        f"<h3>What changes?</h3><div class='answer'>{answer}</div></div></div></div>"
    )
    tree = parse_html(html)
    repair_structure(tree)
    assert any(p.text_content() == answer for p in tree.iter("p"))


def test_prose_aside_among_the_paragraphs_is_part_of_the_text() -> None:
    note = "<p>" + "Randomness should be treated carefully, and the disk need not be private. " * 6 + "</p>"
    links = "".join(f"<li><a href='/p{i}'>Another post number {i} on this blog</a></li>" for i in range(9))
    html = page(
        f"<article><p>First paragraph.</p><aside><h3>A note on other devices</h3>{note}</aside>"
        f"<p>Second paragraph.</p><aside><h3>More posts</h3><ul>{links}</ul></aside></article>"
        f"<aside class='widget'>{note}</aside>"  # beside the article, not among its paragraphs
    )
    tree = parse_html(html)
    repair_structure(tree)
    assert [a.find("h3").text if a.find("h3") is not None else None for a in tree.iter("aside")] == [
        "More posts",
        None,
    ]
    assert tree.find(".//article/div/h3").text == "A note on other devices"


def test_streamed_part_keeps_the_blocks_after_a_boundary_without_fallback() -> None:
    html = page(
        "<article><p>Intro.</p><template id='B:0'></template><h2>Loading the dishwasher</h2>"
        "<template id='B:1'></template><figure><img src='a.jpg'></figure><p>More.</p>"
        "<template id='B:2'></template><div class='spinner'><div></div></div>"
        "<template id='B:4'></template><p>Loading...</p></article>"
        "<div hidden id='S:0'><p>Part zero.</p></div><div hidden id='S:1'><p>Part one.</p></div>"
        "<div hidden id='S:2'><p>Part two.</p></div>"
        "<div hidden id='S:3'><p>Its own place inside.</p><template id='P:3'></template></div>"
        "<div hidden id='S:4'><p>Part four.</p></div>"
    )
    tree = parse_html(html)
    assert place_streamed_parts(tree) == 4
    assert "Loading..." not in tree.text_content()  # a loading message in a <p> is a fallback too
    assert tree.find(".//h2").text == "Loading the dishwasher"  # a heading is no fallback
    assert tree.find(".//figure/img") is not None  # a picture neither
    assert tree.find(".//*[@class='spinner']") is None  # a spinner is
    assert tree.xpath("//*[@hidden]") == []  # a part with no usable place is shown where it is


def test_streamed_parts_in_a_tree_parsed_with_comments() -> None:
    import lxml.html

    from cleaners import clean_tree

    story = "<p>" + "The storm reached the coast early on Tuesday, and crews worked all day. " * 8 + "</p>"
    tree = lxml.html.fromstring(
        f"<html><body><main>{story}<!--$?--><template id='B:0'></template><!--/$-->"
        "<p>Closing words of the story, written by the desk.</p></main>"
        f"<div hidden id='S:0'>{story.replace('storm', 'flood')}</div></body></html>"
    )
    text = clean_tree(tree).text  # no crash on the comment after the template
    assert "flood reached the coast" in text and "Closing words" in text


def test_numbered_code_tables_become_their_code() -> None:
    numbers = "<pre><code><span>1</span>\n<span>2</span>\n</code></pre>"
    code = "<pre><code>namespace sz = stringzilla;\nauto match = sz::find(text);\n</code></pre>"
    html = page(
        "<p>In C++ the same functionality is exposed on string views:</p>"
        f"<div class='highlight'><table class='lntable'><tr><td class='lntd'>{numbers}</td>"
        f"<td class='lntd'>{code}</td></tr></table>after</div>"
        # tables that are no numbered code: data with a <pre> in a cell, a layout with a spacer cell
        "<table><tr><th>Step</th><th>Command</th></tr><tr><td>1</td><td><pre>make</pre></td></tr></table>"
        "<table><tr><td><img src='spacer.gif'></td>"
        "<td><p>The story.</p><pre>make install</pre></td></tr></table>"
    )
    tree = parse_html(html)
    repair_structure(tree)
    highlight = tree.find(".//div[@class='highlight']")
    assert highlight.find("table") is None and highlight.find("pre").text_content().startswith("namespace")
    assert highlight.find("pre").tail == "after"
    assert "Step" in tree.text_content() and "The story." in tree.text_content()


def test_empty_permalink_in_a_heading_is_dropped() -> None:
    tree = parse_html(
        page(
            '<h2 id="q1"><b>How would you sum up your career?</b><a href="#q1" class="heading-link"></a></h2>'
            '<h3>Tools <a href="/tools">we use</a></h3>'
        )
    )
    repair_structure(tree)
    h2, h3 = tree.find(".//h2"), tree.find(".//h3")
    assert h2.find(".//a") is None and h2.text_content() == "How would you sum up your career?"
    assert h3.find(".//a") is not None  # a link with words is part of the heading


def test_modifier_saying_what_a_section_holds_is_not_a_role() -> None:
    section = "<p>" + "The contest takes place on a floating ramp this August. " * 3 + "</p>"
    tree = parse_html(
        page(
            f'{ARTICLE}<section class="o-section o-section--has-ads js-section--has-ads">{section}</section>'
            '<div class="ad-slot">Buy a ramp</div>'
        )
    )
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "floating ramp" in text and "Buy a ramp" not in text


def test_address_written_out_after_a_paragraph_loses_its_link() -> None:
    tree = parse_html(
        page(
            "<p>Please sign this petition against the new tariffs before the end of the month:</p>"
            "<p><a href='http://www.openpetition.de/p/1'>http://www.openpetition.de/p/1</a></p>"
            "<p><a href='mailto:tips@example.org'>tips@example.org</a></p>"
            "<ul><li><a href='https://example.org'>https://example.org</a></li></ul>"
        )
    )
    repair_structure(tree)
    petition, mail = tree.findall(".//p")[1:3]
    assert petition.find("a") is None and petition.text == "http://www.openpetition.de/p/1"
    assert mail.find("a") is not None  # after a link, not after prose: left alone
    assert tree.find(".//li/a") is not None  # only paragraphs


def test_comment_list_with_a_plugin_prefix_is_removed() -> None:
    comments = "".join(f"<div class='sf_comment'><p>Reader opinion number {i}.</p></div>" for i in range(5))
    tree = parse_html(page(f"{ARTICLE}<div id='sf_comment_list' class='box clearfix'>{comments}</div>"))
    remove_boilerplate(tree)
    text = tree.text_content()
    assert "Real article text" in text and "Reader opinion" not in text


def test_boxes_named_by_a_rule_word_go_however_many_and_a_paper_s_discussion_stays() -> None:
    comments = "".join(
        f"<div class='comment'><p>{'I think this is a bad idea for the city. ' * 5}</p></div>"
        for _ in range(8)
    )
    cards = "".join(
        f"<div class='related-post'><h3>Story {i}</h3><p>{'Summary of a related story. ' * 5}</p></div>"
        for i in range(6)
    )
    tree = parse_html(
        page(f"<article><h1>Budget</h1><p>Short story.</p></article><div>{comments}</div><div>{cards}</div>")
    )
    assert len(find_boilerplate(tree)) == 14
    # a scientific paper's Discussion section holding most of the page is no reader discussion
    discussion = "<p>" + "Our results suggest that the effect is robust across samples. " * 10 + "</p>"
    tree = parse_html(
        page(
            "<article><p>Intro of the paper.</p>"
            f"<section id='discussion'><h2>Discussion</h2>{discussion}</section></article>"
        )
    )
    remove_boilerplate(tree)
    assert "Our results suggest" in tree.text_content()


def test_sections_group_keeps_its_unheaded_intro_and_cards_with_long_excerpts_go() -> None:
    prose = "<p>" + "The grill heats the steak from above in a few minutes. " * 10 + "</p>"
    intro = f"<section class='Report__Section Report__Section--Ads'>{prose}</section>"
    headed = "".join(
        f"<section class='Report__Section Report__Section--Ads'><h2>Part {i}</h2>{prose}</section>"
        for i in range(3)
    )
    tree = parse_html(page(f"<article><h1>Grill test</h1><div>{intro}{headed}</div></article>"))
    remove_boilerplate(tree)
    assert tree.text_content().count("The grill heats") == 40
    excerpt = "<p>" + "A summary of another story on this site, as long as a default excerpt. " * 5 + "</p>"
    cards = "".join(
        f"<div class='card related-post'><h3><a href='/s{i}'>Another story {i}</a></h3>{excerpt}</div>"
        for i in range(5)
    )
    tree = parse_html(page(f"<article><h1>Budget</h1><p>Short story.</p></article><div>{cards}</div>"))
    assert len(find_boilerplate(tree)) == 5
