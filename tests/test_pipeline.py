"""clean_html end to end on small pages, and its never-raise property."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaners import Document, InputError, clean_html, clean_text, dumps, loads

PAGE = """<!doctype html><html lang="en"><head><title>Storm hits coast | Example News</title>
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.com/2024/03/05/storm-hits-coast">
</head><body>
<header><div class="top-bar">Tuesday, November 22, 2026</div><nav><a href="/">Home</a></nav></header>
<article><h1>Storm hits coast</h1>
<p class="byline">By Jane Doe and John Roe</p>
<time datetime="2024-03-05T10:30:00+01:00">March 5, 2024</time>
<p>The storm reached the coast early on Tuesday, bringing winds of more than 100 km/h and heavy rain
to towns along the shore, where residents had been told to stay indoors.</p>
<div class="ad-slot"><span>Advertisement</span></div>
<h2>Damage assessed</h2>
<p>Officials said it would take days to assess the damage to roads and power lines, and that crews
were already working to restore electricity to thousands of homes.</p>
<ul><li>Schools closed in three districts</li><li>Ferries cancelled until Thursday</li></ul>
<p>Forecasters expect the weather to calm by the weekend, though more rain is likely next week.</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li>Facebook</li><li>Twitter</li></ul></div>
<div id="comments"><h3>2 Comments</h3><p>Great reporting, thanks for keeping us informed today.</p></div>
<div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea>
<p>Please enter your comment!</p><p>Please enter your name here</p></form></div>
</article>
<footer>© 2024 Example News. All rights reserved.</footer>
</body></html>"""


def test_article_body_layout_and_no_cruft() -> None:
    doc = clean_html(PAGE, url="https://news.example.com/2024/03/05/storm-hits-coast?utm_source=x")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0].startswith("The storm reached the coast")
    assert "Damage assessed" in paragraphs
    assert "- Schools closed in three districts\n- Ferries cancelled until Thursday" in paragraphs
    for cruft in (
        "Advertisement",
        "Share this",
        "Facebook",
        "Great reporting",
        "Leave a Reply",
        "Please enter",
        "All rights reserved",
        "Storm hits coast\n",
    ):
        assert cruft not in doc.text
    assert not doc.text.startswith("Storm hits coast")  # the title is not repeated


def test_template_filler_text_is_dropped_and_a_sentence_quoting_it_stays() -> None:
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 4
    quoted = "Printers have filled their proofs with lorem ipsum since the 1500s, and still do."
    about = "Lorem ipsum is the placeholder text that typesetters have used since the 1500s."
    opening = "Lorem ipsum dolor sit amet is how the passage opens, a garbled line from Cicero."
    html = PAGE.replace(
        "<h2>Damage assessed</h2>",
        f"<h2>Lorem Ipsum</h2><p>{filler}</p><ul><li>Lorem ipsum 1</li><li>Lorem ipsum 2</li></ul>"
        f"<p>{quoted}</p><p>{about}</p><p>{opening}</p><h2>Damage assessed</h2>",
    )
    text = clean_html(html).text
    assert "consectetur" not in text and "Lorem Ipsum" not in text and "Lorem ipsum 1" not in text
    for sentence in (quoted, about, opening, "Damage assessed"):
        assert sentence in text


def test_comments_included_on_request() -> None:
    doc = clean_html(PAGE, include_comments=True)
    assert "Great reporting" in doc.text
    assert "Please enter your comment" not in doc.text


def test_bytes_and_str_give_the_same_document() -> None:
    assert clean_html(PAGE.encode("utf-8")) == clean_html(PAGE)


def test_deterministic() -> None:
    assert dumps(clean_html(PAGE)) == dumps(clean_html(PAGE))


@pytest.mark.parametrize("bad", [b"", b"\x89PNG\r\n\x1a\n" + bytes(64), "<div>" * 3000])
def test_unusable_input_is_an_empty_document_or_strict_error(bad: str | bytes) -> None:
    assert clean_html(bad, url="https://x.example/a") == Document(url="https://x.example/a")
    with pytest.raises(InputError):
        clean_html(bad, strict=True)


html_fragments = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div class='share'>",
            "</div>",
            "<script>",
            "</script>",
            "<h1>",
            "<table><tr><td>",
            "<ul><li>",
            "<!--",
            "-->",
            "<meta charset='x-unknown'>",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "\x00",
            "é",
            "<article>",
            "<time datetime='9999-99-99'>",
            '<script type="application/ld+json">{"@type":',
            "text words here. ",
            "<br>",
            "<?xml version='1.0' encoding='latin-1'?>",
            # malformed addresses in the page: urllib raises ValueError on these
            "<link rel='canonical' href='http://[oops/'>",
            "<meta property='og:url' content='//[::1'>",
            "<h3><a href='http://[x/y'>Linked title</a></h3>",
            "<a href='https://[bad'>link</a>",
        ]
    ),
    max_size=40,
).map("".join)


@pytest.mark.parametrize("url", ["http://[oops/2024/01/02/story", "https://[::1/x", "not a url at all"])
def test_malformed_url_is_no_error(url: str) -> None:
    page = "<html><head><link rel='canonical' href='http://[bad/'></head><body><article>"
    page += "<p>Some text here, enough words to keep for the record.</p></article></body></html>"
    doc = clean_html(page, url=url)
    assert "Some text here" in doc.text
    assert clean_text("Title\n\nSome text here, enough words.", url=url).text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(max_size=500), st.binary(max_size=500), html_fragments))
@example("0<UL><LI><UL>0000")  # a list holding only a nested list once rendered with leading spaces
def test_never_raises_and_output_round_trips(data: str | bytes) -> None:
    doc = clean_html(data, url="https://example.com/a")
    assert loads(dumps(doc)) == doc
    assert doc.text == doc.text.strip()
    assert "\n\n\n" not in doc.text


def test_clean_tree_matches_clean_html() -> None:
    from cleaners import clean_tree, parse_html

    assert clean_tree(parse_html(PAGE), "https://news.example.com/a") == clean_html(
        PAGE, "https://news.example.com/a"
    )
