"""extract_metadata on small handwritten pages: each source, the traps, the cleaning rules."""

from __future__ import annotations

import json

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.metadata import Metadata, clean_author, extract_metadata, strip_site_name


def page(head: str = "", body: str = "", lang: str = "en") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>')


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_jsonld_article_with_graph_and_author_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://ex.com/#site", "name": "Example Times"},
            {"@type": "Person", "@id": "https://ex.com/#/person/1", "name": "Jane Doe"},
            {
                "@type": "NewsArticle",
                "headline": "Rivers rise after storm",
                "author": [{"@id": "https://ex.com/#/person/1"}, {"@type": "Person", "name": "John Roe"}],
                "datePublished": "2024-03-05T10:00:00+01:00",
                "dateModified": "2024-03-06T08:30:00Z",
                "publisher": {"@type": "Organization", "name": "Example Times"},
                "keywords": "storm, rivers, Storm",
            },
        ],
    }
    m = extract_metadata(page(ld(graph)), "https://www.ex.com/news/rivers")
    assert m.authors == ["Jane Doe", "John Roe"]
    assert m.published == "2024-03-05T10:00:00+01:00"
    assert m.modified == "2024-03-06T08:30:00+00:00"
    assert m.site == "Example Times"
    assert m.title == "Rivers rise after storm"
    assert m.tags == ["storm", "rivers"]
    assert m.language == "en"


def test_jsonld_list_of_objects_and_organisation_author_loses_to_person() -> None:
    objs = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {
            "@type": "BlogPosting",
            "headline": "A post",
            "author": {"@type": "Organization", "name": "Ex Blog"},
        },
    ]
    body = '<article><h1>A post</h1><p class="byline">By Mary Major</p></article>'
    head = ld(objs) + '<meta property="og:site_name" content="Ex Blog">'
    m = extract_metadata(page(head, body), "https://exblog.org/a-post")
    assert m.authors == ["Mary Major"]


def test_meta_tags_opengraph_article_and_dublin_core() -> None:
    head = """
      <title>Rivers rise after storm | Example Times</title>
      <meta property="og:title" content="Rivers rise after storm">
      <meta property="og:site_name" content="Example Times">
      <meta property="og:locale" content="fr_FR">
      <meta property="article:published_time" content="2024-03-05T10:00:00-05:00">
      <meta property="article:modified_time" content="2024-03-05T12:00:00-05:00">
      <meta property="article:tag" content="Weather">
      <meta property="article:tag" content="Floods">
      <meta name="news_keywords" content="floods, rain">
      <meta name="dc.creator" content="Jane Doe">
      <meta name="description" content="The river rose two metres.">
      <link rel="canonical" href="/news/rivers">
    """
    m = extract_metadata(page(head, lang=""), "https://ex.com/news/rivers?utm=1")
    assert m.title == "Rivers rise after storm"
    assert m.published == "2024-03-05T10:00:00-05:00"
    assert m.modified == "2024-03-05T12:00:00-05:00"
    assert m.authors == ["Jane Doe"]
    assert m.url == "https://ex.com/news/rivers"
    assert m.language == "fr"
    assert m.tags == ["Weather", "Floods", "rain"]  # deduped case-insensitively, order kept
    assert m.description == "The river rose two metres."


def test_parsely_and_sailthru_meta() -> None:
    head = """<meta name="parsely-author" content="Jane Doe">
              <meta name="parsely-pub-date" content="2023-12-03T15:13:00Z">"""
    m = extract_metadata(page(head), None)
    assert m.authors == ["Jane Doe"]
    assert m.published == "2023-12-03T15:13:00+00:00"
    head = '<meta name="sailthru.author" content="John Roe"><meta name="sailthru.date" content="2023-12-03">'
    m = extract_metadata(page(head), None)
    assert m.authors == ["John Roe"]
    assert m.published == "2023-12-03"


def test_time_element_in_article_and_itemprop_author() -> None:
    body = """
      <article><h1>Rivers rise after storm</h1>
        <span itemprop="author" itemscope><span itemprop="name">Jane Doe</span></span>
        <time datetime="2024-03-05T10:00:00Z">March 5, 2024</time>
        <p>Text.</p></article>"""
    m = extract_metadata(page("<title>Rivers rise after storm</title>", body), None)
    assert m.published == "2024-03-05T10:00:00+00:00"
    assert m.authors == ["Jane Doe"]
    assert m.title == "Rivers rise after storm"


def test_today_date_in_site_header_is_never_published() -> None:
    body = """
      <header class="site-header"><div class="top-bar">
        <time datetime="2026-11-22">Sunday, November 22, 2026</time></div></header>
      <div class="top-bar-date">Sunday, November 22, 2026</div>
      <div class="content"><h1>Top commander meets counterpart</h1>
        <p>Talks centred on the shared border.</p></div>"""
    m = extract_metadata(page("", body), "https://news.example.com/2024/03/05/top-commander/")
    assert m.published == "2024-03-05"  # from the URL, not the header's "today"


def test_today_date_in_header_without_other_source_gives_visible_article_date() -> None:
    body = """
      <div id="header"><span class="date">Sunday, November 22, 2026</span></div>
      <article><h1>Top commander meets counterpart</h1>
        <div class="meta">Tuesday, March 5, 2024</div><p>Talks centred on the shared border.</p></article>"""
    m = extract_metadata(page("", body), "https://news.example.com/top-commander")
    assert m.published == "2024-03-05"


def test_date_from_url_when_nothing_else() -> None:
    m = extract_metadata(page("", "<p>x</p>"), "https://ex.com/2024/03/05/story-name/")
    assert m.published == "2024-03-05"


@pytest.mark.parametrize(
    ("title", "site", "host", "expected"),
    [
        ("Press TV-Iran, Iraq share stance", "Press TV", "presstv.ir", "Iran, Iraq share stance"),
        ("Iran, Iraq share stance | Example Times", "Example Times", "ex.com", "Iran, Iraq share stance"),
        ("Iran, Iraq share stance - Example Times", "Example Times", "ex.com", "Iran, Iraq share stance"),
        ("Iran, Iraq share stance – Example", None, "example.com", "Iran, Iraq share stance"),
        ("Example Times: Iran, Iraq share stance", "Example Times", "ex.com", "Iran, Iraq share stance"),
        # a section label beside the site name goes too; any other middle part stays
        (
            "Iran, Iraq share stance | World | Example Times",
            "Example Times",
            "ex.com",
            "Iran, Iraq share stance",
        ),
        (
            "Iran, Iraq share stance | Middle East | Example Times",
            "Example Times",
            "ex.com",
            "Iran, Iraq share stance | Middle East",
        ),
        ("Blog: Iran, Iraq share stance", None, "ex.com", "Iran, Iraq share stance"),
        # a headline that starts with the site's name keeps it
        ("Corti introduces GIM: a new method", "Corti", "corti.ai", "Corti introduces GIM: a new method"),
        # a separator inside the headline stays when neither side is the site
        ("Iran – Iraq: a stance", "Example Times", "ex.com", "Iran – Iraq: a stance"),
    ],
)
def test_strip_site_name(title: str, site: str | None, host: str, expected: str) -> None:
    assert strip_site_name(title, [site] if site else [], host) == expected


def test_title_h1_agreement_over_seo_title() -> None:
    head = """<title>Best gym workouts 2024 (Beginner's guide) - Fit Site</title>
              <meta property="og:title" content="Best gym workouts 2024 (Beginner's guide)">
              <meta property="og:site_name" content="Fit Site">"""
    body = "<main><h1>Gym workouts for beginners</h1><p>Text</p></main>"
    m = extract_metadata(page(head, body), "https://fitsite.com/gym")
    assert m.title == "Gym workouts for beginners"


def test_title_from_html_title_when_nothing_else() -> None:
    m = extract_metadata(
        page("<title>Rivers rise | Example Times</title>", "<p>x</p>"), "https://exampletimes.com/a"
    )
    assert m.title == "Rivers rise"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe & Mary Major", ["Jane Doe", "John Roe", "Mary Major"]),
        ("Jane Doe, Staff Writer", ["Jane Doe"]),
        ("By Jane Doe | Senior Correspondent", ["Jane Doe"]),
        ("Jane Doe jane@ex.com @janedoe", ["Jane Doe"]),
        ("By Jane Doe Updated March 5, 2024", ["Jane Doe"]),
        ("Jane Doe, March 5, 2024", ["Jane Doe"]),
        ("Dylan Bailey, MS, RD", ["Dylan Bailey, MS, RD"]),
        ("https://ex.com/author/jane", []),
        ("Reporter", []),
    ],
)
def test_clean_author(raw: str, expected: list[str]) -> None:
    assert clean_author(raw) == expected


def test_authors_deduplicated_and_never_a_url() -> None:
    head = """<meta name="author" content="Jane Doe">
              <meta property="article:author" content="https://facebook.com/janedoe">"""
    body = '<article><a rel="author" href="/a/jane">Jane Doe</a><p class="byline">By Jane Doe</p></article>'
    m = extract_metadata(page(head, body), None)
    assert m.authors == ["Jane Doe"]


def test_site_falls_back_to_host_and_language_primary_subtag() -> None:
    m = extract_metadata(page("", "<p>x</p>", lang="pt-BR"), "https://www.jornal.com.br/x")
    assert m.site == "jornal.com.br"
    assert m.language == "pt"


def test_tree_is_not_modified() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "author": "Jane Doe"}) + "<title>H | S</title>"
    tree = page(head, "<header><time datetime='2024-01-01'>x</time></header><article><h1>H</h1></article>")
    before = lxml.html.tostring(tree)
    extract_metadata(tree, "https://s.com/2024/01/02/h")
    assert lxml.html.tostring(tree) == before


def test_broken_jsonld_is_skipped() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    m = extract_metadata(page(head, "<h1>Visible headline</h1>"), None)
    assert isinstance(m, Metadata)
    assert m.title == "Visible headline"


def test_author_links_give_all_coauthors_when_structured_data_names_one() -> None:
    head = ld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "Jane Doe"}})
    body = """<article><h1>H</h1><div class="meta">By <a href="/author/jane-doe">Jane Doe</a> and
              <a href="/author/john-roe">John Roe</a></div><p>Text.</p></article>"""
    assert extract_metadata(page(head, body), "https://ex.com/h").authors == ["Jane Doe", "John Roe"]


def test_name_beside_date_in_headline_meta_line() -> None:
    body = """<article><h1>Small adventures</h1>
              <div class="meta"><span>Luke Kim</span><span>December 17, 2025</span></div>
              <p>Text.</p></article>"""
    m = extract_metadata(page("", body), "https://ex.com/blog/small")
    assert m.authors == ["Luke Kim"]
    assert m.published == "2025-12-17"


def test_category_link_beside_date_is_not_an_author() -> None:
    body = """<article><h1>Trends in catering</h1>
              <p><a href="/category/restaurant-tips">Restaurant Tips</a> · March 5, 2024</p>
              <p>Text.</p></article>"""
    assert extract_metadata(page("", body), "https://ex.com/blog/trends").authors == []


def test_date_leading_a_byline_is_dropped() -> None:
    body = """<article><h1>What do people love about Rust?</h1>
              <div class="publish-date-author">Dec. 19, 2025 · Niko Matsakis on behalf of the team</div>
              </article>"""
    assert extract_metadata(page("", body), "https://blog.ex.org/p").authors == ["Niko Matsakis"]


def test_collective_byline_kept_whole() -> None:
    assert clean_author("By The Everfit Team") == ["The Everfit Team"]
    assert clean_author("Podium Staff") == ["Podium Staff"]


def test_twitter_written_by_label() -> None:
    head = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Nawaz Dhandala">'
    )
    assert extract_metadata(page(head, "<p>x</p>"), None).authors == ["Nawaz Dhandala"]


def test_personal_site_named_after_author() -> None:
    head = "<title>Go ahead, self-host Postgres | Pierce Freeman</title>"
    m = extract_metadata(
        page(head, "<article><h1>Go ahead, self-host Postgres</h1></article>"), "https://pierce.dev/n"
    )
    assert m.authors == ["Pierce Freeman"]
    assert m.title == "Go ahead, self-host Postgres"
    # a business named like its host is not a person
    head = "<title>Best projectors | Projector Reviews</title>"
    m = extract_metadata(page(head, "<p>x</p>"), "https://projectorreviews.com/best")
    assert m.authors == []


def test_multiple_meta_authors_kept_in_order() -> None:
    head = (
        '<meta name="citation_author" content="Tishby, Naftali"><meta name="author" content="Jane Doe">'
        '<meta name="author" content="John Roe">'
    )
    assert extract_metadata(page(head, "<p>x</p>"), None).authors == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sarah E. Needleman", ["Sarah E. Needleman"]),  # an initial is not the conjunction "e"
        ("Ana e João", ["Ana", "João"]),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),
        ("DANICA KIRKA and JILL LAWLESS Associated Press", ["DANICA KIRKA", "JILL LAWLESS"]),
        ("Jane Doe, Reuters", ["Jane Doe"]),
        ("By The Associated Press", ["The Associated Press"]),
        ("Finian Cunningham. Sputnik International", ["Finian Cunningham", "Sputnik International"]),
        ("5 min read", []),
        ("Filed Under", []),
    ],
)
def test_clean_author_news_bylines(raw: str, expected: list[str]) -> None:
    assert clean_author(raw) == expected


def test_outlet_named_beside_a_person_is_dropped() -> None:
    head = (
        '<meta property="og:site_name" content="CNN">'
        '<meta name="author" content="Analysis by Chris Cillizza, CNN Editor-at-large">'
    )
    assert extract_metadata(page(head, "<p>x</p>"), "https://www.cnn.com/a").authors == ["Chris Cillizza"]


def test_language_from_jsonld_and_site_name_that_is_a_url() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "inLanguage": "de-DE"}) + (
        '<meta property="og:site_name" content="https://www.example.de">'
    )
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    m = extract_metadata(tree, "https://www.example.de/a")
    assert m.language == "de"
    assert m.site == "example.de"


def test_deeply_nested_jsonld_is_skipped_not_fatal() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    head = f'<script type="application/ld+json">{deep}</script><title>Kept | Site</title>'
    assert extract_metadata(page(head, "<p>x</p>"), "https://site.com/a").title == "Kept"


_FRAGMENTS = [
    "<h1>Headline</h1>",
    "<h1></h1>",
    '<time datetime="2024-13-45">x</time>',
    '<time datetime="2024-03-05T10:00:00Z">x</time>',
    '<meta name="author" content="">',
    '<meta property="article:published_time" content="not a date">',
    '<script type="application/ld+json">'
    '{"@type": ["NewsArticle"], "author": [null, 3, {"name": {}}]}</script>',
    '<script type="application/ld+json">{"@graph": {"@type": "Article", "headline": ["a", "b"]}}</script>',
    '<div class="byline">By </div>',
    '<span class="author"><a href="/author/x">X Y</a></span>',
    "<p>By and and and</p>",
    "<header>Monday, January 1, 2024</header>",
    '<a rel="author" href="http://x">http://x</a>',
    "<title> | </title>",
    "<article><div>Published: 2024-02-30</div></article>",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8), st.text(max_size=40))
@settings(max_examples=150, deadline=None)
def test_extract_metadata_never_raises(fragments: list[str], noise: str) -> None:
    html = "<html><head></head><body>" + "".join(fragments) + f"<p>{noise}</p></body></html>"
    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml rejects some noise (control characters); not our concern here
        return
    m = extract_metadata(tree, "https://example.com/2024/03/05/story")
    assert all(isinstance(a, str) and a for a in m.authors)
    assert m.published is None or m.published[:4].isdigit()


def test_only_date_on_page_is_the_headers_today_gives_none() -> None:
    body = """<div class="top-bar"><span>Sunday, November 22, 2026</span></div>
              <div class="post"><h1>Top commander meets counterpart</h1><p>Talks went on.</p></div>"""
    assert extract_metadata(page("", body), "https://news.example.com/top-commander").published is None


def test_short_tagline_after_a_pipe_is_dropped_from_the_title() -> None:
    body = "<article><h1>Best Residential Movers in NYC 2025 | Top 19 Companies</h1></article>"
    assert (
        extract_metadata(page("", body), "https://movers.example/nyc").title
        == "Best Residential Movers in NYC 2025"
    )
    body = "<article><h1>Top 10 Cameras of 2025 | The Best Mirrorless Cameras on the Market</h1></article>"
    m = extract_metadata(page("", body), "https://cams.example/top")
    assert m.title == "Top 10 Cameras of 2025 | The Best Mirrorless Cameras on the Market"


@pytest.mark.parametrize(
    ("head", "body", "url", "site"),
    [
        # the <title> affix, confirmed by the host
        ("<title>Harbour ferry returns | Kestrel Bay Courier</title>", "<h1>Harbour ferry returns</h1>",
         "https://kestrelbaycourier.example/n/1", "Kestrel Bay Courier"),
        # several prefixes: the one that spells the host, not the section
        ("<title>The Valley Courier :: Local News :: Mill closes</title>", "<p>x</p>",
         "http://www.valleycourier.example/s?id=1", "The Valley Courier"),
        # a lone affix names the site even when the host is unrelated
        ("<title>Rural bus service adds routes – Hill Country Times</title>",
         "<h1>Rural bus service adds routes</h1>", "https://hct-news.example/a", "Hill Country Times"),
        # the logo's alt text in a link home, tagline dropped
        ("<title>Mill closes</title>",
         '<a href="/"><img alt="The Valley Courier — Serving the valley since 1874"></a><h1>Mill closes</h1>',
         "http://valleycourier.example/a", "The Valley Courier"),
        # the logo says "Home": nothing fits, the host it is
        ("<title>Mill closes</title>", '<a href="/"><img alt="Home"></a><h1>Mill closes</h1>',
         "https://www.valleycourier.example/a", "valleycourier.example"),
        # application-name beats an unrelated title affix
        ('<meta name="application-name" content="Example Times"><title>Storm | Weather</title>',
         "<h1>Storm</h1>", "https://ex.example/a", "Example Times"),
    ],
)  # fmt: skip
def test_site_name_without_og_site_name(head: str, body: str, url: str, site: str) -> None:
    assert extract_metadata(page(head, body), url).site == site


def test_title_drops_bullets_and_multi_part_affixes() -> None:
    head = "<title>The Valley Courier :: Local News :: Paper mill closes</title>"
    m = extract_metadata(page(head, "<p>x</p>"), "http://valleycourier.example/a")
    assert m.title == "Paper mill closes"
    head = '<meta property="og:title" content="Caspian TV-Rail freight to double">'
    body = '<h1><span class="bullet">&bull;</span> Rail freight to double</h1>'
    assert extract_metadata(page(head, body), "https://caspian.example/a").title == "Rail freight to double"


def test_published_keeps_the_time_of_the_chosen_day() -> None:
    # the itemprop wrapper prints the day; its <time> child has the time and offset
    body = """<article><h1>H</h1><span itemprop="datePublished"><time class="entry-date published"
      datetime="2023-05-22T18:20:11-05:00">May 22, 2023</time></span></article>"""
    assert extract_metadata(page("", body), "https://ex.example/a").published == "2023-05-22T18:20:11-05:00"
    # the URL gives the day, the printed date its time
    body = '<div class="news"><span class="date">Jan 16, 2024 09:47 UTC</span><h1>H</h1><p>text</p></div>'
    m = extract_metadata(page("", body), "https://ex.example/Detail/2024/01/16/718204/h")
    assert m.published == "2024-01-16T09:47:00+00:00"
    # a printed date of another day does not refine the URL's
    body = '<div class="news"><span class="date">Jan 17, 2024 09:47 UTC</span><h1>H</h1></div>'
    assert extract_metadata(page("", body), "https://ex.example/2024/01/16/h").published == "2024-01-16"


def test_today_is_line_is_never_the_published_date() -> None:
    body = """<table><tr><td class="dateline">Today is Tuesday, October 17, 2006 | Weather</td></tr>
      <tr><td><b>Mill closes</b><br>By Jane Doe, Courier Staff Writer<br>Thursday, October 12, 2006
      <p>The mill closes.</p></td></tr></table>"""
    m = extract_metadata(page("", body), "http://valleycourier.example/s?id=1")
    assert m.published == "2006-10-12"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Margaret O’Neill, Courier Staff Writer", ["Margaret O’Neill"]),
        ("By Jane Doe, Daily News Senior Staff Writer", ["Jane Doe"]),
        ("By Jane Doe and John Roe, Post-Gazette Staff Writers", ["Jane Doe", "John Roe"]),
        ("Jane Doe, MD", ["Jane Doe, MD"]),
    ],
)
def test_role_phrase_after_a_comma_is_a_role(raw: str, names: list[str]) -> None:
    assert clean_author(raw) == names


# --- rules added for the WCXB author/date families ----------------------------------------------
def _article_page(published: str, modified: str, meta_line: str) -> lxml.html.HtmlElement:
    obj = {"@type": "Article", "headline": "How to plant a hedge", "datePublished": published}
    obj["dateModified"] = modified
    prose = "Words here. " * 40
    body = f"<main><article><h1>How to plant a hedge</h1>{meta_line}<p>{prose}</p></article></main>"
    return page(ld(obj), body)


def test_date_printed_under_headline_beats_a_migration_stamp() -> None:
    m = extract_metadata(_article_page("2025-06-12", "2025-06-10", "<p>November 2, 2022</p>"), None)
    assert m.published and m.published.startswith("2022-11-02")


def test_printed_update_date_or_modified_date_does_not_replace_published() -> None:
    labelled = '<div><span class="label">Last Updated:</span> <span class="date">April 1, 2025</span></div>'
    m = extract_metadata(_article_page("2016-02-25", "2026-01-04", labelled), None)
    assert m.published and m.published.startswith("2016-02-25")
    m = extract_metadata(_article_page("2016-02-25", "2025-04-01", "<p>April 1, 2025</p>"), None)
    assert m.published and m.published.startswith("2016-02-25")


def test_printed_date_a_day_off_or_read_the_other_way_is_the_same_date() -> None:
    m = extract_metadata(_article_page("2025-12-19T02:41:41+00:00", "", "<p>December 18, 2025</p>"), None)
    assert m.published == "2025-12-19T02:41:41+00:00"  # a time-zone shift, not another date
    m = extract_metadata(_article_page("2024-09-10", "", "<p>09.10.2024</p>"), None)
    assert m.published and m.published.startswith("2024-09-10")


def test_date_labelled_published_in_the_article_beats_a_republication_stamp() -> None:
    # far from the headline (past a long standfirst), but labelled: "Published <time>"
    standfirst = f"<p>{'A long introduction to the tools. ' * 20}</p>"
    line = '<div class="published">Published <time datetime="2025-08-13">August 13, 2025</time></div>'
    m = extract_metadata(_article_page("2025-11-29T12:28:31-05:00", "2025-11-29", standfirst + line), None)
    assert m.published == "2025-08-13"
    line = "<div>VERÖFFENTLICHT AM 07.06.2019</div>"
    m = extract_metadata(_article_page("2019-12-11", "", standfirst + line), None)
    assert m.published and m.published.startswith("2019-06-07")
    # a labelled update is no publication date
    line = "<div>Updated and published again August 13, 2025</div>"
    m = extract_metadata(_article_page("2025-11-29", "", standfirst + line), None)
    assert m.published and m.published.startswith("2025-11-29")


def test_date_under_headline_does_not_replace_a_structured_date_printed_above_it() -> None:
    # the page prints its JSON-LD date over the headline; the date below is another post's card
    obj = {"@type": "Article", "headline": "Types of mobile apps", "datePublished": "2025-01-16T00:00:27Z"}
    body = (
        "<main><article><div class='meta'><span>January 16, 2025</span></div><h1>Types of mobile apps</h1>"
        "<div class='cards'><a href='/b'>Another post</a><span>July 15, 2025</span></div>"
        f"<p>{'Words here. ' * 40}</p></article></main>"
    )
    assert extract_metadata(page(ld(obj), body), None).published == "2025-01-16T00:00:27+00:00"


def test_header_classed_line_beside_the_headline_is_the_articles_own() -> None:
    # a hero's "category-header" row holds the date; a site header holds "today"
    body = (
        "<div class='site-header'><span>Monday, March 2, 2026</span></div>"
        "<div class='post-hero'><div class='category-header'><div>Published</div><div>October 14, 2025</div>"
        "</div><h1>Top ten e-learning companies this year</h1></div><p>Text.</p>"
    )
    assert extract_metadata(page("", body), None).published == "2025-10-14"


def test_update_line_above_the_headline_does_not_block_the_printed_date() -> None:
    # re-published: the structured dates are the re-publication, the kicker says "Last updated"
    obj = {"@type": "Article", "headline": "How to plant a hedge", "datePublished": "2024-03-05T09:00:00Z"}
    obj["dateModified"] = "2024-03-05T09:00:00Z"
    body = (
        "<main><article><div>Last updated March 5, 2024</div><h1>How to plant a hedge</h1>"
        f"<p>By Ana Ruiz · January 2, 2019</p><p>{'Words here. ' * 40}</p></article></main>"
    )
    assert extract_metadata(page(ld(obj), body), None).published == "2019-01-02"


def test_todays_date_beside_the_headline_is_not_the_articles() -> None:
    body = (
        "<div class='title-area'><div class='current-date'>Monday, March 2, 2026</div>"
        "<h1>Council votes on the new budget for schools</h1></div><p>Text.</p>"
    )
    assert extract_metadata(page("", body), None).published is None


def test_lost_characters_check_is_linear_on_a_title_the_page_could_not_encode() -> None:
    from cleaners.metadata.title import _lost_characters

    assert not _lost_characters("?" * 60, "中" * 60)  # no literal text: no evidence
    assert _lost_characters("Planning? Beginner? Guide", "Planning: Beginner's Guide")


def test_time_datetime_attribute_beats_its_text_below_the_headline() -> None:
    line = '<div><time datetime="2024-12-20">August 28, 2024</time></div>'
    m = extract_metadata(_article_page("2024-12-20", "", line), None)
    assert m.published and m.published.startswith("2024-12-20")


def test_published_meta_name() -> None:
    head = '<meta name="published" content="July 17, 2025">'
    m = extract_metadata(page(head, "<h1>A title here</h1>"), None)
    assert m.published == "2025-07-17"


def test_by_line_takes_the_linked_name_and_ignores_what_follows() -> None:
    body = (
        "<main><h1>Tips for selecting DC motors</h1><p>By <a href='/magazine/contributor/a._j._neal'>"
        "A. J. Neal</a> &nbsp; <a href='/digital' class='btn'>View In Digital Edition</a></p></main>"
    )
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == ["A. J. Neal"]


def test_first_name_author_link_is_completed_from_its_slug() -> None:
    body = (
        "<header><h1>Cloud computing innovations for next year</h1>"
        "<a href='/us/blog/authors/juliette-carreiro'>Articles by Juliette</a></header><p>Text.</p>"
    )
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == ["Juliette Carreiro"]


def test_aside_wrapping_main_is_broken_markup_not_a_sidebar() -> None:
    body = (
        "<aside class='banner'><main><article><h1>Startup lessons from 25 years</h1>"
        "<span class='blog-meta-author'>Tim Enwall</span><p>Text.</p></article></main></aside>"
    )
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == ["Tim Enwall"]


def test_author_list_starting_with_the_outlet_is_read_on_to_the_person() -> None:
    head = '<meta property="og:site_name" content="Corti">'
    body = (
        "<main><h1>A new standard for interpretability</h1><div class='post_author-list'>"
        "<a class='post_author-text'><div class='post_author-name'>Corti</div></a>"
        "<a class='post_author-text'><div class='post_author-name'>Joakim Edin</div></a></div></main>"
    )
    assert extract_metadata(page(head, body), "https://www.corti.ai/stories/x").authors == ["Joakim Edin"]


def test_personal_site_named_by_surname_gives_its_owner_from_the_header_brand() -> None:
    body = "<div><a href='/'>Christoffer Artmann</a></div><main><h1>Thirty years of tags</h1><p>x</p></main>"
    m = extract_metadata(page("<title>30 Years of Tags</title>", body), "https://www.artmann.co/articles/x")
    assert m.authors == ["Christoffer Artmann"]


def test_jsonld_types_walks_graphs_and_forgives_trailing_commas() -> None:
    from cleaners.metadata import jsonld_types

    tree = lxml.html.document_fromstring(
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
        ' {"@type": ["NewsArticle", "https://schema.org/Article"],}]}</script></head><body></body></html>'
    )
    assert jsonld_types(tree) == {"webpage", "newsarticle", "article"}


@pytest.mark.parametrize(
    "byline",
    [
        "<div><strong>Contributors:</strong> Janet Loughrey</div>",
        "<h2>Article by</h2><div>Janet Loughrey</div>",
        '<h6>Author(s)</h6><ul><li><a href="/l?a=1">Janet Loughrey</a></li></ul>',
    ],
)
def test_byline_label_followed_by_the_name(byline: str) -> None:
    head = ld(
        {"@type": "Article", "headline": "Low light", "author": {"@type": "Organization", "name": "Acme"}}
    )
    body = f"<article><h1>Low light</h1>{byline}<p>Plants that like shade.</p></article>"
    assert extract_metadata(page(head, body), "https://acme.com/low-light").authors == ["Janet Loughrey"]


def test_byline_label_lists_every_name() -> None:
    body = """<article><h1>Policy</h1><aside><h6>Author(s)</h6><ul><li><a href="/?a=1">John A. Alic</a></li>
              <li><a href="/?a=2">David C. Mowery</a></li></ul></aside><p>Text.</p></article>"""
    assert extract_metadata(page("", body), "https://ex.org/doc").authors == [
        "John A. Alic",
        "David C. Mowery",
    ]


def test_byline_label_in_related_posts_is_not_the_author() -> None:
    body = """<article><h1>Policy</h1><p>Text.</p></article>
              <div class="related-posts"><h3>Other post</h3><div><b>Written by</b> Jane Doe</div></div>"""
    assert extract_metadata(page("", body), "https://ex.org/doc").authors == []


def test_author_box_with_photo_and_bio_sentence() -> None:
    body = """<article><h1>Podcast gear</h1><p>Microphones matter most.</p>
              <div class="callout"><img src="/a.jpg" alt=""><h3>Alban Brooke</h3>
              <p>Alban Brooke is the Head of Marketing at a podcast host.</p></div></article>"""
    assert extract_metadata(page("", body), "https://ex.com/gear").authors == ["Alban Brooke"]


def test_bio_sentence_without_a_photo_or_about_an_organisation_is_not_an_author() -> None:
    no_photo = """<article><h1>Analytics</h1><h3>Google Analytics</h3>
                  <p>Google Analytics is a web analytics service.</p></article>"""
    assert extract_metadata(page("", no_photo), "https://ex.com/a").authors == []
    org = """<article><h1>Tutors</h1><div><img src="/u.jpg"><h3>Park University</h3>
             <p>Park University is a private university in Missouri.</p></div></article>"""
    assert extract_metadata(page("", org), "https://ex.com/t").authors == []


def test_copyright_line_names_a_personal_site_owner() -> None:
    body = (
        "<article><h1>Seven habits</h1><p>Text.</p></article>"
        "<footer>© 2025 Toby Hede. All rights reserved.</footer>"
    )
    assert extract_metadata(page("", body), "https://tobyhede.com/blog/habits").authors == ["Toby Hede"]
    # a copyright holder that does not spell the site's host says nothing about who wrote the post
    assert extract_metadata(page("", body), "https://example.com/blog/habits").authors == []


def test_visible_byline_beats_an_account_shown_nowhere_on_the_page() -> None:
    head = '<meta name="author" content="Josh Katzowitz">'
    body = """<article><h1>Retirement calculators</h1>
              <div class="author">
                <h3>By <a href="/charles-patterson/">Charles Patterson</a>, Columnist</h3></div>
              <p>Which calculator is best?</p></article>"""
    assert extract_metadata(page(head, body), "https://ex.com/calc").authors == ["Charles Patterson"]
    # when the structured author is shown on the page, it stays
    shown = body.replace("<p>Which", "<p>Edited by Josh Katzowitz. Which")
    assert extract_metadata(page(head, shown), "https://ex.com/calc").authors == ["Josh Katzowitz"]
    # a team or the outlet in the byline does not override a person
    team = body.replace("Charles Patterson</a>", "Acme Staff</a>")
    assert extract_metadata(page(head, team), "https://ex.com/calc").authors == ["Josh Katzowitz"]


def test_h1_after_paragraphs_is_a_section_heading_not_the_title() -> None:
    head = "<title>What do people love about Rust? | Rust Blog</title>"
    prose = "<p>" + "People told us many things about the language and its tools. " * 5 + "</p>"
    body = f"<article>{prose}<h1>But what they love is the sense of empowerment</h1><p>More.</p></article>"
    assert extract_metadata(page(head, body), "https://blog.rust-lang.org/x").title == (
        "What do people love about Rust?"
    )


def test_summary_sentence_in_an_h1_is_not_the_title() -> None:
    head = '<meta property="og:title" content="The 10 Best Renovation Projects of 2023">'
    summary = "Learn which home renovations have the best return on investment and " * 3
    body = f"<h1>{summary}</h1><article><p>Text.</p></article>"
    assert (
        extract_metadata(page(head, body), "https://ex.com/roi").title
        == "The 10 Best Renovation Projects of 2023"
    )


def test_bare_host_before_the_headline_is_stripped() -> None:
    head = "<title>davidbau.com Vibe Coding</title>"
    body = "<h1>davidbau.com</h1><article><p>Text.</p></article>"
    assert extract_metadata(page(head, body), "https://davidbau.com/archives/v.html").title == "Vibe Coding"


def test_label_before_the_headline_is_not_part_of_it() -> None:
    body = '<h1 class="title"><span class="descriptor">Title:</span>Merging Models Safely</h1><p>Text.</p>'
    assert extract_metadata(page("", body), "https://ex.org/abs/1").title == "Merging Models Safely"


def test_scholarly_meta_authors_are_surname_first() -> None:
    head = (
        '<meta name="citation_author" content="Roy, Aniruddha">'
        '<meta name="citation_author" content="Patel, Jyoti">'
    )
    assert extract_metadata(page(head, "<p>x</p>"), None).authors == ["Aniruddha Roy", "Jyoti Patel"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Benjamin Johnson, Sr. Director of Operations", ["Benjamin Johnson"]),
        ("Tracy Parker, Registered Dietitian", ["Tracy Parker"]),
        ("Rebecca Lake, CEPF®", ["Rebecca Lake, CEPF®"]),
        ("The Investopedia Team, Full Bio", ["The Investopedia Team"]),
        ("Rahul Tyagi, News Desk", ["Rahul Tyagi", "News Desk"]),
    ],
)
def test_job_titles_credentials_and_labels_after_a_name(raw: str, expected: list[str]) -> None:
    assert clean_author(raw) == expected


def test_coauthors_from_a_fuller_source_or_the_byline() -> None:
    one = ld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "Jennifer Huberty"}})
    metas = "".join(f'<meta name="dc.contributor" content="{n}">' for n in ("Jennifer Huberty", "Jeni Green"))
    assert extract_metadata(page(one + metas, "<p>x</p>"), None).authors == ["Jennifer Huberty", "Jeni Green"]
    head = ld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "Marna Merwe"}})
    body = """<article><h1>H</h1><div class="hero-author">Written by <span>Marna Merwe</span>,
              <span>Dieter Veldsman</span></div><p>Text.</p></article>"""
    assert extract_metadata(page(head, body), "https://ex.com/h").authors == [
        "Marna Merwe",
        "Dieter Veldsman",
    ]


def test_comment_authors_in_microdata_are_not_coauthors() -> None:
    head = ld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "Pamela Wilson"}})
    body = """<article><h1>H</h1><p>Text.</p></article><ol class="comments">
              <li><span itemprop="author">Jan Smith</span> said</li>
              <li><span itemprop="author">Pamela Wilson</span> replied</li></ol>"""
    assert extract_metadata(page(head, body), "https://ex.com/h").authors == ["Pamela Wilson"]


def test_cms_internal_labels_are_not_tags() -> None:
    head = '<meta name="keywords" content="x"><meta property="article:tag" content="galaxies">'
    head += ld(
        {"@type": "NewsArticle", "headline": "H", "keywords": "galaxy formation, channel_other, type_news"}
    )
    assert extract_metadata(page(head, "<p>x</p>"), None).tags == ["galaxies", "galaxy formation"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("dc.creator", "Jane Doe, Reuters", ["Jane Doe"]),
        ("dc.creator", "Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("citation_author", "Doe, Staff Writer", ["Doe"]),
        ("citation_author", "Tishby, Naftali", ["Naftali Tishby"]),
    ],
)
def test_only_scholarly_surname_first_values_are_turned_round(
    key: str, value: str, expected: list[str]
) -> None:
    head = f'<meta name="{key}" content="{value}">'
    assert extract_metadata(page(head, "<p>x</p>"), None).authors == expected


def test_headline_after_a_list_of_topic_links_is_still_the_title() -> None:
    chips = (
        "<ul>"
        + "".join(f'<li><a href="/t{i}">Category number {i} here</a></li>' for i in range(12))
        + "</ul>"
    )
    body = f"<article>{chips}<h1>The real headline of the story</h1><p>Text.</p></article>"
    assert extract_metadata(page("", body), "https://ex.com/a").title == "The real headline of the story"


def test_profiles_in_a_listicle_are_not_the_author() -> None:
    chefs = "".join(
        f"<div><h3>{n}</h3><img src='/{i}.jpg'><p>{n} is a chef who runs a small restaurant.</p></div>"
        for i, n in enumerate(["Maria Lopez", "Tom Baker", "Ana Silva"])
    )
    body = f"<article><h1>Ten best chefs</h1>{chefs}</article>"
    assert extract_metadata(page("", body), "https://ex.com/chefs").authors == []


def test_author_field_of_a_reviewed_book_is_not_the_byline() -> None:
    body = """<article><h1>Review: Emma</h1><table><tr><th>Author</th><td>Jane Austen</td></tr></table>
              <p>Text.</p></article>"""
    assert extract_metadata(page("", body), "https://ex.com/review").authors == []


def test_date_line_in_a_block_with_a_utility_class_naming_a_sidebar_variable() -> None:
    # "lg:mr-[--sidebar-container-width]" is a margin, not a sidebar: the date under it is the article's
    body = (
        "<div class='w-full lg:mr-[--sidebar-container-width]'><h1>Eight private cloud providers</h1>"
        "<div><span>Published on Oct 21, 2025</span></div><p>Text.</p></div>"
        "<div class='related'><span>Published on Mar 11, 2026</span></div>"
    )
    assert extract_metadata(page("", body), "https://www.example.com/a").published == "2025-10-21"
    v4 = body.replace("lg:mr-[--sidebar-container-width]", "lg:mr-(--sidebar-container-width)")
    assert extract_metadata(page("", v4), "https://www.example.com/a").published == "2025-10-21"


def test_headline_with_characters_lost_to_encoding_takes_the_meta_title() -> None:
    head = "<meta property='og:title' content=\"What Are The Basics Of Event Planning: Beginner's Guide\">"
    body = "<article><h1>What Are The Basics Of Event Planning? Beginner? Guide</h1><p>Text.</p></article>"
    assert (
        extract_metadata(page(head, body), None).title
        == "What Are The Basics Of Event Planning: Beginner's Guide"
    )
    # a real question mark stays
    head = "<meta property='og:title' content='Is the index fund dead? | Example'>"
    body = "<article><h1>Is the index fund dead?</h1><p>Text.</p></article>"
    assert extract_metadata(page(head, body), None).title == "Is the index fund dead?"


def test_outlet_after_the_byline_name_is_a_credit_not_a_credential() -> None:
    head = "<meta property='og:site_name' content='CNN'>"
    body = "<article><h1>Storm</h1><div class='byline'>By Eric Bradner, CNN</div><p>Text.</p></article>"
    assert extract_metadata(page(head, body), "https://www.cnn.com/a").authors == ["Eric Bradner"]
    # a real credential stays with its name
    body = "<article><h1>Pets</h1><div class='byline'>By Shelby Loos, DVM</div><p>Text.</p></article>"
    assert extract_metadata(page(head, body), "https://www.cnn.com/a").authors == ["Shelby Loos, DVM"]


def test_print_link_in_the_byline_box_is_not_the_author() -> None:
    body = """<article><h1>Food searches of the year</h1><div id="Byline">
        <div class="EmailPrint"><a class="PrintLink" href="/print">Print</a></div>
        <a href="/user/desk"><span class="Avatar">National Desk</span></a> By
        <span class="author vcard"><a href="/user/desk/posts">National Desk</a></span>
        <br>on December 27, 2014 at 12:06 PM, updated December 27, 2014 at 12:10 PM</div>
        <p>Text.</p></article>"""
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == ["National Desk"]
    body = "<article><h1>Flood</h1><span class='submitted-by'>Submitted on Mon, 2019-01-21</span></article>"
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == []


def test_site_name_link_beside_the_headline_in_the_h1_is_not_title() -> None:
    head = "<title>Court to decide on the appeal » Local » News » Ultima Hora</title>"
    body = (
        "<h1><span class='define'>Court to decide on the appeal</span>"
        "<a href='/mallorca.html'>Ultima Hora</a></h1><p>Text.</p>"
    )
    title = extract_metadata(page(head, body), "https://www.ultimahora.es/a").title
    assert title == "Court to decide on the appeal"


def test_source_and_comment_count_beside_the_headline_in_the_h1_are_not_title() -> None:
    # Slashdot: the story's source in brackets and the comment bubble sit inside the h1
    head = '<meta property="og:title" content="Grads Find Their Degrees No Longer Guarantee Jobs">'
    body = (
        "<h1><span><a href='/story'>Grads Find Their Degrees No Longer Guarantee Jobs</a>"
        "<span><a href='https://latimes.com/x'> (latimes.com) </a></span></span>"
        "<span class='comment-bubble'><a href='#comments'>87</a></span></h1><p>Text.</p>"
    )
    title = extract_metadata(page(head, body), "https://developers.slashdot.org/story/1").title
    assert title == "Grads Find Their Degrees No Longer Guarantee Jobs"
    # words or a number beside it are still the headline's ("Part 2", "iPhone 15", "Section 230")
    for h1 in (
        "Grads Find Their Degrees No Longer Guarantee Jobs, Part 2",
        "Grads Find Their Degrees No Longer Guarantee Jobs 15",
    ):
        body = f"<h1>{h1}</h1><p>Text.</p>"
        assert extract_metadata(page(head, body), "https://example.org/a").title == h1


def test_subtitle_inside_the_h1_is_not_glued_to_the_headline() -> None:
    for subtitle in ("<span class='block text-sm'>", "<span class='d-block'>", "<small class='subtitle'>"):
        close = "</small>" if subtitle.startswith("<small") else "</span>"
        body = f"<h1>The Best Notion Alternatives{subtitle}Top Note-taking Tools{close}</h1><p>Text.</p>"
        title = extract_metadata(
            page("<title>Notion alternatives</title>", body), "https://example.com/a"
        ).title
        assert title == "The Best Notion Alternatives Top Note-taking Tools"
    # a span that is part of a word stays part of it
    body = (
        "<h1><span class='first-letter'>T</span>he <span class='blocky'>Best</span> Notion Alternatives</h1>"
    )
    title = extract_metadata(page("", body), "https://example.com/a").title
    assert title == "The Best Notion Alternatives"


def test_byline_in_a_related_posts_block_is_another_articles() -> None:
    story = "<p>" + "The storm reached the coast early on Tuesday. " * 10 + "</p>"
    for name in ("related-posts", "post-comments"):
        body = (
            f"<article><h1>Storm hits coast</h1>{story}</article>"
            f"<div class='{name}'><h3><a href='/b'>Another story</a></h3>"
            "<p class='byline'>By John Other</p></div>"
        )
        assert extract_metadata(page("<title>Storm</title>", body), "https://example.com/a").authors == []


def test_taxonomy_class_on_the_article_does_not_make_it_other_content() -> None:
    # WordPress's post_class() files the post under a tag named "popular posts"
    body = (
        "<article class='post hentry tag-popular-posts'><header><h1>Storm hits coast</h1>"
        "<span class='byline'>By <a rel='author' href='/jane'>Jane Doe</a></span></header>"
        "<p>" + "The storm reached the coast early on Tuesday. " * 10 + "</p></article>"
    )
    assert extract_metadata(page("<title>Storm</title>", body), "https://example.com/a").authors == [
        "Jane Doe"
    ]
    # a block named by a topic prefix is still what its name says, off the post itself
    story = "<p>" + "The storm reached the coast early on Tuesday. " * 10 + "</p>"
    related = (
        f"<article><h1>Storm hits coast</h1>{story}</article><div class='topic-related-stories'>"
        "<h3><a href='/b'>Another story</a></h3>"
        "<p class='byline'>By <a rel='author' href='/bob'>Bob Other</a></p></div>"
    )
    assert extract_metadata(page("<title>Storm</title>", related), "https://example.com/a").authors == []


def test_feed_link_title_is_the_site_name_not_an_author() -> None:
    # a personal site's owner is read from its names; "MajkasWelt » Feed" names the feed, not a person
    head = (
        "<link rel='canonical' href='https://majkaswelt.com/post/'>"
        "<link rel='alternate' type='application/rss+xml' title='MajkasWelt &raquo; Feed' href='/feed/'>"
    )
    body = "<article><h1>Five things for the summer</h1><p>Text.</p></article>"
    assert extract_metadata(page(head, body), "https://majkaswelt.com/post/").authors == []
    head = "<link rel='alternate' type='application/rss+xml' title='Toby Hede RSS Feed' href='/feed/'>"
    assert extract_metadata(page(head, body), "https://tobyhede.com/post/").authors == ["Toby Hede"]


def test_og_title_that_is_a_slug_is_not_the_title() -> None:
    head = (
        "<title>Child Seat Test 2018 | ADAC</title>"
        + "<meta property='og:title' content='adac-test-autumn-2018'>"
    )
    assert (
        extract_metadata(page(head, "<p>Text.</p>"), "https://www.adac.de/a").title == "Child Seat Test 2018"
    )


def test_photo_credit_and_comment_authors_in_microdata_are_not_the_author() -> None:
    body = """<article><h1>Microsoft moves to erase its carbon footprint</h1>
        <figure itemscope itemtype="https://schema.org/ImageObject"><img src="/a.jpg">
        <figcaption><span itemprop="creator">Mike Blake</span></figcaption></figure><p>Text.</p>
        <li itemscope itemtype="http://schema.org/Comment"><cite itemprop="author" itemscope
        itemtype="http://schema.org/Person">Karol Nowak</cite><p>Nice.</p></li></article>"""
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == []


def test_about_page_link_and_foreign_bylines() -> None:
    body = "<nav><a href='/en/about-dw/profile/s-30688'>ABOUT DW</a></nav><h1>Colonial past</h1>"
    assert extract_metadata(page("", body), "https://www.dw.com/a").authors == []
    for byline, name in [
        ("Veröffentlicht von Henning Lobin", "Henning Lobin"),
        ("Publié par Jean Dupont", "Jean Dupont"),
        ("Текст: Венера Ерофеева", "Венера Ерофеева"),
    ]:
        assert clean_author(byline) == [name]


def test_headline_beside_the_date_is_not_the_author() -> None:
    body = """<h1 class="site-title">Pony Magazine</h1><div class="post"><header class="entry-header">
        <h1 class="entry-title">OUTDOOR LOVERS</h1><span>24. Mai 2018</span></header><p>Text.</p></div>"""
    assert extract_metadata(page("", body), "https://www.example.com/a").authors == []


def test_microformat_published_and_updated_dates() -> None:
    body = """<div class="post hentry"><h3 class="post-title">Python 3.6.0 is now available!</h3>
        <div class="post-body"><p>Text.</p></div><span class="post-timestamp">at
        <abbr class="published" title="2016-12-23T05:11:00-05:00">5:11 AM</abbr></span>
        <abbr class="updated" title="2016-12-24T08:00:00-05:00">update</abbr></div>"""
    m = extract_metadata(page("", body), "https://blog.python.org/")
    assert m.published == "2016-12-23T05:11:00-05:00"
    assert m.modified == "2016-12-24T08:00:00-05:00"
    # the class alone, without a machine-readable date, is not enough
    body = "<div class='published'>Published by the press office</div><p>Text.</p>"
    assert extract_metadata(page("", body), None).published is None


def test_layout_class_naming_a_sidebar_around_the_article_header() -> None:
    # "site-content content-area sidebar": a layout with a sidebar, wrapping the article's own header
    body = """<article class="post"><div class="site-content content-area sidebar"><header>
        <h1>The First Decade</h1><span class="byline"><time datetime="2019-07-13T15:52:31+02:00">13 Jul
        2019</time></span></header></div><p>Text.</p></article>
        <aside class="sidebar"><time datetime="2019-08-01T01:15:45+02:00">1 Aug 2019</time></aside>"""
    assert (
        extract_metadata(page("", body), "https://verfassungsblog.de/x/").published
        == "2019-07-13T15:52:31+02:00"
    )
    assert clean_author("View More Articles") == []


def test_sidebar_headline_is_not_the_article_and_names_in_small_headings_count() -> None:
    body = """<div class="sidebar"><h1>Most Read Stories</h1><ul><li>x</li></ul>
        <span>March 1, 2019</span></div><div class="main"><h1>Council approves transit budget</h1>
        <p class="date">June 4, 2024</p><p>Text.</p></div>"""
    assert extract_metadata(page("", body), None).published == "2024-06-04"
    body = """<h1>Council approves transit budget</h1><div class="meta"><h4>Jane Doe</h4>
        <span>June 4, 2024</span></div><p>Text.</p>"""
    assert extract_metadata(page("", body), None).authors == ["Jane Doe"]


def test_modified_date_of_another_post_in_the_sidebar_is_not_the_article_s() -> None:
    body = """<article><h1>Council approves transit budget</h1><p>Text.</p></article>
        <aside class="sidebar"><div class="hentry"><a href="/other">Other story</a>
        <abbr class="updated" title="2024-06-09T10:00:00Z">June 9</abbr>
        <span itemprop="dateModified">2024-06-10</span></div></aside>"""
    assert extract_metadata(page("", body), None).modified is None


def test_state_token_on_the_article_is_not_a_role() -> None:
    # "has-comments" says the article has comments; it is not a comments block, and its h1 is the title
    body = """<article class="BlogItem hentry has-comments"><h1>My Top 23 Herbs and Flowers for Pest Control
        in the Garden</h1><p>Text.</p></article>"""
    head = "<meta property='og:title' content='Top 23 Herbs And Flowers For Pest Control'>"
    assert (
        extract_metadata(page(head, body), None).title
        == "My Top 23 Herbs and Flowers for Pest Control in the Garden"
    )


def test_sidebar_named_primary_and_a_post_title_in_h3_beside_the_date() -> None:
    body = """<div id="primary" class="widget-area"><ul><li><a href="/old">Old post</a>
        <time datetime="2014-01-09T10:00:00+00:00" class="post-date">Jan 9, 2014</time>
        By <a href="/author/jane-roe/">Jane Roe</a></li></ul></div>
        <div id="content"><h1>Council approves transit budget</h1>
        <span class="entry-date">March 3, 2015</span> by <a href="/author/john-smith/">John Smith</a>
        <p>Text.</p></div>"""
    m = extract_metadata(page("", body), "https://example.com/a")
    assert (m.published, m.authors) == ("2015-03-03", ["John Smith"])
    body = """<h1>The Harbour Town Daily Blog</h1><div class='post'><div class='post-header'>
        <h3 class='post-title'>Harbor Bridge Reopens</h3><span class='date'>March 3, 2015</span></div>
        <p>Text.</p></div>"""
    assert extract_metadata(page("", body), None).authors == []


def test_h1_typed_in_capitals_gives_way_to_the_meta_title() -> None:
    headline = "GAAP Compliance: Applying Accounting Best Practices To Your Business"
    head = f'<title>{headline}</title><meta property="og:title" content="{headline}">'
    body = "<main><h1>SUPPORTING GAAP COMPLIANCE</h1><p>Text</p></main>"
    m = extract_metadata(page(head, body), "https://example.com/gaap")
    assert m.title == headline


def test_h1_in_capitals_that_agrees_with_the_meta_title_takes_its_case() -> None:
    head = '<meta property="og:title" content="Tips for Online Success">'
    body = "<main><h1>TIPS FOR ONLINE SUCCESS</h1><p>Text</p></main>"
    assert extract_metadata(page(head, body), "https://example.com/tips").title == "Tips for Online Success"
    # no meta title in ordinary case: the capitals are all there is
    head = '<meta property="og:title" content="TIPS FOR ONLINE SUCCESS">'
    assert extract_metadata(page(head, body), "https://example.com/tips").title == "TIPS FOR ONLINE SUCCESS"


@pytest.mark.parametrize(
    "line",
    [
        # a sentence citing a date, however it is marked up
        "<p>The WHO report, published on <a href='/r'>March 12, 2019</a>, found a similar rise.</p>",
        "<p>The minister posted on X on <a href='/x'>June 5, 2021</a>.</p>",
        "<p>The study was published in Nature. <em>(Nature, 12 March 2019)</em></p>",
        # a label that is not the date's own: a publisher's name, a comment's author before it
        "<div class='meta'>Published by Green Press<p>Workshop on <span>June 9, 2018</span></p></div>",
        "<div class='responses'><div><b>Ann</b> posted on <span>March 3, 2023</span></div></div>",
    ],
)
def test_a_date_the_text_mentions_is_no_labelled_publication_date(line: str) -> None:
    obj = {"@type": "NewsArticle", "headline": "Measles cases rise", "datePublished": "2024-05-10T09:00:00Z"}
    prose = "Words here. " * 100
    body = f"<main><article><h1>Measles cases rise</h1><p>By Ann Lee</p><p>{prose}</p>{line}</article></main>"
    assert extract_metadata(page(ld(obj), body), None).published == "2024-05-10T09:00:00+00:00"


def test_only_the_articles_first_date_line_may_carry_the_label() -> None:
    # the story's own line comes first; a later "Posted" line belongs to something else
    standfirst = f"<p>{'A long introduction to the tools. ' * 20}</p>"
    lines = "<div>March 4, 2025</div><div class='teaser'>Posted March 1, 2022</div>"
    m = extract_metadata(_article_page("2025-03-04", "", standfirst + lines), None)
    assert m.published and m.published.startswith("2025-03-04")


@pytest.mark.parametrize("og_title", ["Latest news", "City Council", "Latest news from the city"])
def test_h1_in_capitals_stays_when_the_meta_titles_are_about_something_else(og_title: str) -> None:
    # a section's name, not this headline in ordinary case
    head = f'<title>COUNCIL PASSES BUDGET</title><meta property="og:title" content="{og_title}">'
    body = "<main><h1>THE CITY COUNCIL APPROVES NEW BUDGET PLAN</h1><p>Text</p></main>"
    assert extract_metadata(page(head, body), None).title == "THE CITY COUNCIL APPROVES NEW BUDGET PLAN"


def test_short_h1_in_capitals_keeps_its_capitals() -> None:
    head = '<meta property="og:title" content="Nasa">'
    assert extract_metadata(page(head, "<main><h1>NASA</h1><p>Text</p></main>"), None).title == "NASA"


@pytest.mark.parametrize(
    "line",
    [
        "<div><b>Published on</b> March 5, 2024</div>",  # the label in markup, the date its tail
        "<div>Published <time>March&nbsp;5,\n 2024</time></div>",  # spaces in the date
        "<div><span>Published:</span> <span><time>March 5, 2024</time></span></div>",  # two levels up
        "<p>First published on March 5, 2024</p>",
        "<p>Publicada el 5 de marzo de 2024</p>",
    ],
)
def test_published_label_found_beside_its_date(line: str) -> None:
    standfirst = f"<p>{'A long introduction to the tools. ' * 20}</p>"
    m = extract_metadata(_article_page("2025-11-29", "", standfirst + line), None)
    assert m.published and m.published.startswith("2024-03-05")


@pytest.mark.parametrize(
    "line",
    [
        "<p>Published in Nature, March 12, 2019</p>",  # a citation: words between label and date
        "<p>Postedon March 12, 2019</p>",
    ],
)
def test_label_with_words_before_the_date_is_no_published_label(line: str) -> None:
    standfirst = f"<p>{'A long introduction to the tools. ' * 20}</p>"
    m = extract_metadata(_article_page("2024-03-05", "", standfirst + line), None)
    assert m.published and m.published.startswith("2024-03-05")
