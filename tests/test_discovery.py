"""Sitemaps, feeds and links: what pages point to, parsed safely; the article judgement."""

from __future__ import annotations

import gzip
import http.server
import threading
from typing import ClassVar

import pytest

from scraper.discovery import (
    MAX_XML_BYTES,
    PageLinks,
    XmlError,
    extract_links,
    gunzip_bounded,
    judge_article,
    parse_date,
    parse_xml,
    url_shape,
)

BASE = "http://news.test/sitemap.xml"

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://news.test/sitemaps/news.xml</loc><lastmod>2024-03-05</lastmod></sitemap>
  <sitemap><loc>/sitemaps/archive.xml.gz</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://news.test/a.html?utm_source=sitemap</loc><lastmod>2024-01-01</lastmod>
    <news:news><news:publication_date>2024-03-05T08:30:00+01:00</news:publication_date></news:news></url>
  <url><loc>http://news.test/b.html</loc><lastmod>2023-12-31T23:00:00Z</lastmod></url>
  <url><loc>mailto:someone@news.test</loc></url>
  <url><loc>http://news.test/c.html</loc></url>
</urlset>"""

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>http://news.test/one.html?utm_medium=feed</link>
  <pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">http://news.test/two.html</guid></item>
<item><title>No link</title><guid isPermaLink="false">tag:news.test,2024:3</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>A</title><link rel="alternate" href="http://news.test/atom-a.html"/>
  <published>2024-03-02T10:00:00Z</published></entry>
<entry><title>B</title><link href="/atom-b.html"/><updated>2024-03-03T10:00:00Z</updated></entry>
</feed>"""


def test_sitemap_index_children_are_sitemaps() -> None:
    doc = parse_xml(INDEX, BASE)
    assert doc.kind == "sitemapindex"
    assert [(e.url, e.is_sitemap) for e in doc.entries] == [
        ("http://news.test/sitemaps/news.xml", True),
        ("http://news.test/sitemaps/archive.xml.gz", True),
    ]
    assert doc.entries[0].lastmod == "2024-03-05"


def test_news_sitemap_publication_date_wins_over_lastmod() -> None:
    doc = parse_xml(NEWS, BASE)
    assert doc.kind == "urlset"
    by_url = {e.url: e.lastmod for e in doc.entries}
    assert by_url == {
        "http://news.test/a.html": "2024-03-05T07:30:00+00:00",  # normalised, in UTC
        "http://news.test/b.html": "2023-12-31T23:00:00+00:00",
        "http://news.test/c.html": None,
    }


def test_gzipped_sitemap() -> None:
    doc = parse_xml(gzip.compress(NEWS), BASE)
    assert len(doc.entries) == 3


def test_rss_and_atom() -> None:
    rss = parse_xml(RSS, "http://news.test/feed.xml")
    assert rss.kind == "rss"
    assert [(e.url, e.lastmod) for e in rss.entries] == [
        ("http://news.test/one.html", "2024-03-05T08:00:00+00:00"),
        ("http://news.test/two.html", None),
    ]
    atom = parse_xml(ATOM, "http://news.test/atom.xml")
    assert atom.kind == "atom"
    assert [(e.url, e.lastmod[:10]) for e in atom.entries] == [
        ("http://news.test/atom-a.html", "2024-03-02"),
        ("http://news.test/atom-b.html", "2024-03-03"),
    ]


def test_not_xml_or_not_a_sitemap() -> None:
    for data in (b"", b"<html><body>hi</body></html>", b"\x1f\x8bnot really gzip", b"plain text"):
        with pytest.raises(XmlError):
            parse_xml(data, BASE)


def test_external_entities_not_fetched_or_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://news.test/&x;</loc></url></urlset>"
    ).encode()
    with pytest.raises(XmlError, match="entities"):  # refused whole: nothing read, nothing expanded
        parse_xml(xxe, BASE)
    undeclared = xxe.replace(
        b'<!DOCTYPE urlset [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>',
        f'<!DOCTYPE urlset SYSTEM "file://{secret}">'.encode(),
    )
    assert b"SYSTEM" in undeclared and b"ENTITY" not in undeclared
    assert all("TOP-SECRET" not in e.url for e in parse_xml(undeclared, BASE).entries)


SITEMAP_NS = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


@pytest.mark.parametrize("gzipped", [False, True])
def test_billion_laughs_not_expanded(gzipped: bool) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )  # &a9; would be 3 GB of "lol"
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [{entities}]>{SITEMAP_NS}'
        "<url><loc>http://news.test/&a9;</loc></url><url><loc>http://news.test/ok.html</loc></url></urlset>"
    ).encode()
    with pytest.raises(XmlError, match="entities"):
        parse_xml(gzip.compress(bomb) if gzipped else bomb, BASE)


def test_quadratic_blowup_not_expanded() -> None:
    big = "x" * 100_000
    refs = "&big;" * 10_000  # 1 GB if expanded
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{big}">]><rss><channel>'
        f"<item><link>http://news.test/{refs}</link></item>"
        "<item><link>http://news.test/fine.html</link></item></channel></rss>"
    ).encode()
    with pytest.raises(XmlError, match="entities"):
        parse_xml(bomb, BASE)


def test_undeclared_entity_does_not_cut_a_url() -> None:
    # No DTD to declare it (and none loaded): the entry is dropped, not read as "http://news.test/".
    feed = (
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd"><rss>'
        b"<channel><item><link>http://news.test/&nbsp;x</link></item>"
        b"<item><link>http://news.test/a.html?x=1&amp;y=2</link></item></channel></rss>"
    )
    assert [e.url for e in parse_xml(feed, BASE).entries] == ["http://news.test/a.html?x=1&y=2"]


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'<!ENTITY leak "FETCHED-FROM-NETWORK">' if self.path.endswith(".dtd") else b"FETCHED"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_external_dtds_and_entities_never_fetched() -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _RecordingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _RecordingHandler.requests = []
    at = f"http://127.0.0.1:{server.server_address[1]}"
    documents = [
        # External DTD subset, external general entity, external parameter entity.
        f'<!DOCTYPE urlset SYSTEM "{at}/sitemap.dtd">{SITEMAP_NS}<url><loc>http://news.test/&leak;</loc>'
        "</url><url><loc>http://news.test/a.html</loc></url></urlset>",
        f'<!DOCTYPE urlset [<!ENTITY ext SYSTEM "{at}/entity">]>{SITEMAP_NS}'
        "<url><loc>http://news.test/&ext;</loc></url><url><loc>http://news.test/a.html</loc></url></urlset>",
        f'<!DOCTYPE urlset [<!ENTITY % param SYSTEM "{at}/param.dtd"> %param;]>{SITEMAP_NS}'
        "<url><loc>http://news.test/&leak;</loc></url><url><loc>http://news.test/a.html</loc></url></urlset>",
        f'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "{at}/rss-0.91.dtd">'
        "<rss><channel><item><link>http://news.test/a.html</link></item></channel></rss>",
        '<?xml version="1.0"?><rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel><item><link>'
        f'http://news.test/a.html</link><xi:include href="{at}/xinclude" parse="text"/></item>'
        "</channel></rss>",
    ]
    try:
        for text in documents:
            for data in (text.encode(), gzip.compress(text.encode())):
                try:
                    doc = parse_xml(data, BASE)
                except XmlError:
                    continue
                urls = [e.url for e in doc.entries]
                assert "http://news.test/a.html" in urls, (text, urls)
                assert all("FETCHED" not in u for u in urls), urls
                assert "http://news.test/" not in urls, "a URL cut at the entity"
    finally:
        server.shutdown()
        server.server_close()
    assert _RecordingHandler.requests == [], "the parser fetched something"


def test_gzip_bomb_refused() -> None:
    bomb = gzip.compress(b"<" * (MAX_XML_BYTES + 1024))
    with pytest.raises(XmlError, match="more than"):
        gunzip_bounded(bomb)
    assert gunzip_bounded(gzip.compress(b"small")) == b"small"


def test_gzip_members_are_all_read_within_one_limit() -> None:
    two = gzip.compress(b"<urlset>") + gzip.compress(b"</urlset>")
    assert gunzip_bounded(two) == b"<urlset></urlset>"
    # bytes after the last member that are no gzip member are ignored, as gzip(1) does
    assert gunzip_bounded(gzip.compress(b"<urlset/>") + b"\r\n") == b"<urlset/>"
    half = b"<" * (MAX_XML_BYTES // 2 + 10)
    with pytest.raises(XmlError, match="more than"):
        gunzip_bounded(gzip.compress(half) + gzip.compress(half))


def test_since_accepts_a_date_or_a_timestamp_and_nothing_else() -> None:
    from scraper.crawl import parse_since
    from scraper.errors import UsageError

    assert str(parse_since("2024-03-01")) == "2024-03-01"
    assert str(parse_since("2024-03-01T12:00:00Z")) == "2024-03-01"
    for bad in ("2024-03-01garbage", "2024-3-1", "yesterday"):
        with pytest.raises(UsageError, match="--since"):
            parse_since(bad)


def test_parse_date() -> None:
    assert parse_date("2024-03-05") == "2024-03-05"
    assert parse_date("2024-03-05T10:00:00Z") == "2024-03-05T10:00:00+00:00"
    assert parse_date("Tue, 05 Mar 2024 08:00:00 +0100") == "2024-03-05T07:00:00+00:00"
    assert parse_date("2024-03-05 at noon") == "2024-03-05"
    assert parse_date("yesterday") is None
    assert parse_date(None) is None


# ------------------------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html><head>
<link rel="canonical" href="/news/story.html">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="next" href="/news/story.html?page=2">
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context": "https://schema.org",
  "@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "x"}]}</script>
<script type="application/ld+json">{ broken json</script>
</head><body>
<a href="other.html?utm_source=x#frag">Other</a>
<a href="other.html">Other again</a>
<a href="mailto:desk@news.test">Mail</a>
<a href="javascript:void(0)">JS</a>
<a href="https://elsewhere.test/x">Elsewhere</a>
<a>No href</a>
<p>Some text that is not a link at all, enough of it to keep link density low.</p>
</body></html>"""


def test_extract_links() -> None:
    page = extract_links(PAGE, "http://news.test/news/story.html?utm_campaign=z")
    assert page.links == [
        "http://news.test/news/other.html",
        "https://elsewhere.test/x",
        "http://news.test/news/story.html?page=2",
    ]
    assert page.canonical == "http://news.test/news/story.html"
    assert page.feeds == ["http://news.test/feed.xml"]
    assert page.og_type == "article"
    assert {"newsarticle", "webpage"} <= page.ld_types
    assert 0 < page.link_density < 0.5


def test_base_href_respected() -> None:
    page = extract_links(
        '<html><head><base href="http://cdn.news.test/dir/"></head>'
        '<body><a href="x.html">x</a></body></html>',
        "http://news.test/",
    )
    assert page.links == ["http://cdn.news.test/dir/x.html"]


def test_malformed_html_does_not_raise() -> None:
    for html in ("", "   ", "<html><body><a href='/a'>unclosed <div><p></i></body>", "\x00\x01 binary"):
        extract_links(html, "http://news.test/")
    assert extract_links("<a href='/a'>a", "http://news.test/").links == ["http://news.test/a"]


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("http://news.test/", "listing"),
        ("http://news.test/news/", "listing"),
        ("http://news.test/tag/harbours/", "listing"),
        ("http://news.test/category/world/page/2/", "listing"),
        ("http://news.test/news/?page=3", "listing"),
        ("http://news.test/news/2024/03/port-traffic.html", "article"),
        ("http://news.test/world/port-traffic-grows-again-in-march", "article"),
        ("http://news.test/story/1234567", "article"),
        ("http://news.test/news/about-us", "unknown"),
    ],
)
def test_url_shape(url: str, shape: str) -> None:
    assert url_shape(url) == shape


def test_judge_article() -> None:
    article = PageLinks(og_type="article")
    assert judge_article(article, "http://news.test/x", 300)[0]
    assert not judge_article(article, "http://news.test/x", 5)[0]  # markup but no text
    ld = PageLinks(ld_types={"newsarticle"})
    assert judge_article(ld, "http://news.test/news/", 200)[0]  # markup beats URL shape
    listing = PageLinks(og_type="website")
    assert not judge_article(listing, "http://news.test/2024/03/long-story-slug-here", 900)[0]
    plain = PageLinks()
    assert judge_article(plain, "http://news.test/2024/03/long-story-slug-here", 150)[0]
    assert not judge_article(plain, "http://news.test/2024/03/long-story-slug-here", 60)[0]
    assert not judge_article(plain, "http://news.test/tag/ports/", 300)[0]
    assert not judge_article(PageLinks(link_density=0.8), "http://news.test/a-b-c-d", 400)[0]
