"""A fixture news site for crawl tests and the crawl benchmark.

Two halves:

- page renderers (``render_article``, ``render_listing``, ``render_sitemap``...): realistic markup, pure
  functions of their arguments, shared with ``bench/bench_crawl.py``;
- ``FixtureSite`` + ``FixtureServer``: a real HTTP server on 127.0.0.1 (port 0) in a background thread that
  serves a small site with faults and records what it saw: every request (method, path, headers, start/end
  time, status) and the largest number of requests in flight at once.

The site served by ``FixtureSite(faults=True)`` (see ``FixtureSite.expected_articles`` for the ground truth):

- ``/robots.txt``: ``Disallow: /private/`` for everyone, ``/members/`` too for the newsarchive group, and
  ``Sitemap:`` pointing at ``/sitemap_index.xml``, whose children are ``/sitemaps/news.xml`` (a news
  sitemap) and ``/sitemaps/archive.xml.gz`` (gzipped); both list some articles nothing else links to;
- ``/feed.xml`` (RSS, found via ``<link rel="alternate">``) with articles only the feed lists;
- sections ``/news/`` and ``/world/`` paginated with ``?page=2``, a tag page;
- articles with cruft (cookie banner, share bar, subscribe box, related block, comment form with a
  reCAPTCHA notice, footer) and links carrying tracking parameters and fragments;
- faults: 503 once then 200, 429 with ``Retry-After: 1`` once then 200, a slow page (1.5 s), a 3-hop
  redirect chain to an article, a redirect loop, a PDF and a JPEG, an oversized article, an article with
  malformed markup and stray invalid UTF-8 bytes, a print copy whose canonical link names the article.

Every HTML page has an ETag and a Last-Modified header; conditional requests get 304.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import html
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from cleaners import Document, loads

SITE_NAME = "Fixture Gazette"
LAST_MODIFIED = "Tue, 05 Mar 2024 12:00:00 GMT"

#: Strings from the page furniture: none may appear in an archived body.
CRUFT_STRINGS = (
    "We use cookies",
    "Accept all cookies",
    "Share on Facebook",
    "Share on X",
    "Email this article",
    "Subscribe to our newsletter",
    "delivered to your inbox",
    "Related articles",
    "Leave a Reply",
    "Your email address will not be published",
    "protected by reCAPTCHA",
    "Post Comment",
    "All rights reserved",
    "Print this article",
)

# --------------------------------------------------------------------------------------------- text

_PEOPLE = [
    "Amira Haddad",
    "Jonas Keller",
    "Lucia Moreno",
    "Tomasz Nowak",
    "Grace Okafor",
    "Ravi Menon",
    "Hanna Lindqvist",
    "Mateo Rossi",
    "Yuki Tanaka",
    "Samuel Adeyemi",
    "Ines Duarte",
    "Oren Levi",
]
_PLACES = [
    "Basra",
    "Rotterdam",
    "Valparaiso",
    "Gdansk",
    "Mombasa",
    "Chennai",
    "Tromso",
    "Genoa",
    "Hakodate",
    "Lagos",
    "Porto",
    "Haifa",
    "Antwerp",
    "Durban",
    "Halifax",
    "Cebu",
]
_BODIES = [
    "the port authority",
    "the city council",
    "the regional water board",
    "the transport ministry",
    "the harbour workers' union",
    "the national statistics office",
    "the coast guard",
    "the chamber of commerce",
    "the university hospital",
    "the energy regulator",
]
_TOPICS = [
    "container traffic",
    "flood defences",
    "the new tram line",
    "fishing quotas",
    "rent controls",
    "the desalination plant",
    "night-time freight",
    "the school building programme",
    "offshore wind leases",
    "the grain terminal",
    "ferry timetables",
    "air quality readings",
]
_SENTENCES = [
    "{Body} said on {day} that {topic} in {place} had grown by {n} percent over the past year.",
    "Officials in {place} expect the figures for {topic} to be published before the end of the month.",
    "{person}, who has followed {topic} for more than a decade, called the decision overdue.",
    "According to {body}, at least {n} families were directly affected by the changes.",
    "The plan, first announced in {month}, would cost an estimated {n} million euros.",
    "Critics argue that {topic} has received too little attention from {body}.",
    "A spokesperson for {body} declined to comment on the timetable for the next phase.",
    "Residents of {place} gathered outside the town hall on {day} to ask for more details.",
    "{person} told reporters that the talks had been difficult but constructive.",
    "The report found that delays to {topic} were mostly caused by shortages of skilled workers.",
    "In {month}, {body} approved a review of {topic} covering the next {n} years.",
    "Local businesses in {place} say the uncertainty has made it harder to plan investments.",
    "The proposal will be debated again when {body} meets in {month}.",
    "Similar measures introduced in {place} two years ago cut waiting times by a third.",
    "{person} said the government would publish a detailed response within {n} weeks.",
    "Engineers are due to inspect the site in {place} again before the winter storms.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def article_paragraphs(seed: int, count: int = 5) -> list[str]:
    """``count`` paragraphs of plausible news prose, unique per ``seed``, deterministic."""
    rnd = random.Random(seed)
    paragraphs = []
    for index in range(count):
        sentences = []
        for template in rnd.sample(_SENTENCES, 4):
            body = rnd.choice(_BODIES)
            sentences.append(
                template.format(
                    Body=body[0].upper() + body[1:],
                    body=body,
                    topic=rnd.choice(_TOPICS),
                    place=rnd.choice(_PLACES),
                    person=rnd.choice(_PEOPLE),
                    day=rnd.choice(_DAYS),
                    month=rnd.choice(_MONTHS),
                    n=rnd.randint(3, 97),
                )
            )
        # A per-article, per-paragraph token makes every paragraph unique across the site.
        sentences.append(f"Reference {seed}-{index} was filed with the archive desk.")
        paragraphs.append(" ".join(sentences))
    return paragraphs


def article_title(seed: int) -> str:
    rnd = random.Random(seed * 7919)
    return (
        f"{rnd.choice(_PLACES)} weighs new rules on {rnd.choice(_TOPICS)} "
        f"after {rnd.choice(_BODIES)} review ({seed})"
    )


# ------------------------------------------------------------------------------------------ markup


@dataclass(frozen=True)
class Article:
    path: str  # site path of the canonical copy, e.g. /news/2024/03/port-traffic-3.html
    seed: int
    section: str = "news"
    day: int = 5
    month: int = 3
    extra_html: str = ""  # appended to the body (links to faults, files...)
    paragraphs_count: int = 5

    @property
    def title(self) -> str:
        return article_title(self.seed)

    @property
    def author(self) -> str:
        return _PEOPLE[self.seed % len(_PEOPLE)]

    @property
    def published(self) -> str:
        return f"2024-{self.month:02d}-{self.day:02d}T{8 + self.seed % 10:02d}:30:00+00:00"

    @property
    def paragraphs(self) -> list[str]:
        return article_paragraphs(self.seed, self.paragraphs_count)


def _nav(sections: Iterable[str] = ("news", "world")) -> str:
    items = "".join(f'<li class="menu-item"><a href="/{s}/">{s.title()}</a></li>' for s in sections)
    return (
        f'<header class="site-header"><div class="logo"><a href="/">{SITE_NAME}</a></div>'
        f'<nav class="main-nav" aria-label="Main"><ul class="menu">'
        f'<li class="menu-item"><a href="/">Home</a></li>{items}'
        f'<li class="menu-item"><a href="/tag/harbours/">Harbours</a></li></ul></nav></header>'
    )


_COOKIE_BANNER = (
    '<div id="cookie-notice" class="cookie-banner" role="dialog"><p>We use cookies to improve your '
    "experience on our site. By continuing to browse you agree to our use of cookies.</p>"
    '<button class="cookie-accept">Accept all cookies</button></div>'
)
_FOOTER = (
    f'<footer class="site-footer"><p>&copy; 2024 {SITE_NAME}. All rights reserved.</p>'
    '<ul><li><a href="/about/">About us</a></li><li><a href="mailto:desk@gazette.invalid">Contact</a></li>'
    '<li><a href="javascript:void(0)">Privacy settings</a></li></ul></footer>'
)


def _share_bar(url: str) -> str:
    return (
        '<div class="share-bar social-share"><span>Share this:</span>'
        f'<a class="share-facebook" href="https://share.invalid/facebook?u={html.escape(url)}">'
        "Share on Facebook</a> "
        f'<a class="share-x" href="https://share.invalid/x?url={html.escape(url)}">Share on X</a> '
        '<a class="share-email" href="mailto:?subject=Gazette">Email this article</a></div>'
    )


_SUBSCRIBE = (
    '<div class="newsletter-signup subscribe-box"><h3>Subscribe to our newsletter</h3>'
    "<p>Get the day's top stories delivered to your inbox every morning.</p>"
    '<form action="/newsletter" method="post"><input type="email" name="email" '
    'placeholder="Your email address"><button type="submit">Sign up</button></form></div>'
)
_COMMENTS = (
    '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
    '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
    '<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
    '<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>'
    '<p class="comment-form-comment"><label for="comment">Comment *</label>'
    '<textarea id="comment" name="comment"></textarea></p>'
    '<p class="comment-form-author"><label for="author">Name *</label><input id="author" name="author"></p>'
    '<p class="comment-form-email"><label for="email">Email *</label><input id="email" name="email"></p>'
    '<p class="recaptcha-notice">This site is protected by reCAPTCHA and the Google Privacy Policy and '
    "Terms of Service apply.</p>"
    '<p class="form-submit"><input name="submit" type="submit" id="submit" value="Post Comment"></p>'
    "</form></div></div>"
)


def render_article(
    article: Article,
    base: str,
    related: Iterable[tuple[str, str]] = (),
    print_path: str | None = None,
    canonical_path: str | None = None,
    cruft: bool = True,
    sections: Iterable[str] = ("news", "world"),
) -> str:
    """A full article page. ``related`` is (href, title) pairs; ``base`` is ``http://host:port``;
    ``sections`` are linked from the menu."""
    canonical = base + (canonical_path or article.path)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published,
        "dateModified": article.published,
        "author": [{"@type": "Person", "name": article.author}],
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "mainEntityOfPage": canonical,
    }
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    related_html = "".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in related)
    human_date = f"{_MONTHS[article.month - 1]} {article.day}, 2024"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(article.title)} | {SITE_NAME}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{canonical}">',
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} feed" href="/feed.xml">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{html.escape(article.title)}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
        f'<meta property="og:url" content="{canonical}">',
        f'<meta property="article:published_time" content="{article.published}">',
        f'<meta name="author" content="{article.author}">',
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
        '<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"page": "article"});</script>',
        '</head><body class="single single-post">',
        _COOKIE_BANNER if cruft else "",
        _nav(sections) if cruft else "",
        '<main id="main" class="site-main"><article class="post type-post">',
        f'<h1 class="entry-title">{html.escape(article.title)}</h1>',
        f'<div class="entry-meta byline">By <span class="author vcard">{article.author}</span> &middot; '
        f'<time class="published" datetime="{article.published}">'
        f"{human_date}</time></div>",
        _share_bar(canonical) if cruft else "",
        f'<div class="entry-content">{body}',
        _SUBSCRIBE if cruft else "",
        article.extra_html,
        "</div>",
        (
            f'<p class="print-link"><a href="{print_path}">Print this article</a></p>'
            if print_path and cruft
            else ""
        ),
        (
            f'<section class="related-posts"><h3>Related articles</h3><ul>{related_html}</ul></section>'
            if related_html and cruft
            else ""
        ),
        _COMMENTS if cruft else "",
        "</article></main>",
        _FOOTER if cruft else "",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def render_listing(
    title: str,
    items: Iterable[tuple[str, str, str]],
    *,
    next_href: str | None = None,
    prev_href: str | None = None,
    extra_html: str = "",
    sections: Iterable[str] = ("news", "world"),
) -> str:
    """A section front, tag page or home page: teasers (href, title, excerpt), no article markup."""
    teasers = "\n".join(
        f'<div class="teaser"><h2 class="teaser-title"><a href="{html.escape(h)}">{html.escape(t)}</a></h2>'
        f'<p class="excerpt">{html.escape(x)}</p></div>'
        for h, t, x in items
    )
    pager = ""
    if prev_href or next_href:
        pager = '<nav class="pagination">'
        if prev_href:
            pager += f'<a class="prev" rel="prev" href="{html.escape(prev_href)}">Previous page</a> '
        if next_href:
            pager += f'<a class="next" rel="next" href="{html.escape(next_href)}">Next page</a>'
        pager += "</nav>"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(title)} | {SITE_NAME}</title>",
            '<meta property="og:type" content="website">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} feed" href="/feed.xml">',
            '</head><body class="archive">',
            _COOKIE_BANNER,
            _nav(sections),
            f'<main class="site-main"><h1 class="page-title">{html.escape(title)}</h1>',
            teasers,
            extra_html,
            pager,
            "</main>",
            _FOOTER,
            "</body></html>",
        ]
    )


def render_sitemap(urls: Iterable[tuple[str, str | None]], *, news: bool = False) -> bytes:
    """A urlset sitemap of (loc, lastmod) pairs; ``news`` adds news:news publication dates."""
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    rows = []
    for loc, lastmod in urls:
        row = f"<url><loc>{html.escape(loc)}</loc>"
        if lastmod:
            row += f"<lastmod>{lastmod}</lastmod>"
        if news and lastmod:
            row += (
                f"<news:news><news:publication><news:name>{SITE_NAME}</news:name>"
                f"<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{lastmod}</news:publication_date>"
                f"<news:title>Item</news:title></news:news>"
            )
        rows.append(row + "</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    ).encode()


def render_sitemap_index(locs: Iterable[str]) -> bytes:
    rows = "\n".join(f"<sitemap><loc>{html.escape(loc)}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}\n</sitemapindex>\n'
    ).encode()


def render_rss(base: str, items: Iterable[tuple[str, str, str]]) -> bytes:
    """RSS 2.0 with (link, title, rfc822 date) items."""
    rows = "\n".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        f'<guid isPermaLink="false">{html.escape(link)}</guid><pubDate>{d}</pubDate></item>'
        for link, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{base}/</link><description>Latest stories</description>\n"
        f"{rows}\n</channel></rss>\n"
    ).encode()


# ---------------------------------------------------------------------------------------- the site


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering (slow pages)
    conditional: bool = True  # answer 304 to matching If-None-Match / If-Modified-Since


def tracking_free(path_and_query: str) -> str:
    """``path?query`` without tracking parameters: what a correct crawler would request once."""
    parts = urlsplit(path_and_query)
    pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k.startswith("utm_") or k in {"fbclid", "gclid"})
    ]
    return parts.path + ("?" + urlencode(pairs) if pairs else "")


class FixtureSite:
    """The pages of the fixture site, rendered for one base URL, plus per-path fault behaviour.

    ``articles`` regular articles are spread over two paginated sections; with ``faults`` the fault
    pages described in the module docstring are added. ``expected_articles`` maps every article path
    that a correct crawl must archive (exactly once) to its ``Article``.
    """

    def __init__(
        self,
        base: str,
        articles: int = 12,
        *,
        faults: bool = True,
        robots_extra: str = "",
        page_size: int = 4,
    ):
        if faults and articles < 6:
            raise ValueError("the fault site links to regular articles 0 to 5: articles >= 6")
        self.base = base
        self.page_size = page_size
        self.faults = faults
        self.robots_extra = robots_extra
        self.regular = [
            Article(
                f"/{'news' if i % 2 == 0 else 'world'}/2024/03/story-{i}.html",
                seed=i,
                section="news" if i % 2 == 0 else "world",
                day=1 + i % 28,
            )
            for i in range(articles)
        ]
        self.sitemap_only: list[Article] = []
        self.feed_only: list[Article] = []
        self.fault_articles: dict[str, Article] = {}
        self.oversized: Article | None = None
        self.print_of: dict[str, Article] = {}  # print path -> article
        if faults:
            self.sitemap_only = [
                Article(f"/news/2024/02/sitemap-only-{i}.html", seed=100 + i, day=10 + i, month=2)
                for i in range(3)
            ]
            self.feed_only = [
                Article(
                    f"/world/2024/02/feed-only-{i}.html", seed=200 + i, section="world", day=20 + i, month=2
                )
                for i in range(2)
            ]
            self.fault_articles = {
                name: Article(f"/news/2024/03/{name}.html", seed=300 + n, day=15)
                for n, name in enumerate(
                    ["flaky-503", "rate-limited-429", "slow-page", "redirect-target", "broken-markup"]
                )
            }
            self.oversized = Article("/news/2024/03/oversized.html", seed=400, paragraphs_count=2500)
            self.print_of["/print/2024/03/story-0.html"] = self.regular[0]
        self.pages: dict[str, Response] = {}
        self._build()
        self._lock = threading.Lock()
        self._gets: dict[str, int] = {}

    # -- ground truth --------------------------------------------------------------------------
    @property
    def expected_articles(self) -> dict[str, Article]:
        arts = [*self.regular, *self.sitemap_only, *self.feed_only, *self.fault_articles.values()]
        return {a.path: a for a in arts}

    @property
    def retry_paths(self) -> set[str]:
        """Paths whose first GET intentionally fails (503, 429): they are fetched exactly twice."""
        if not self.faults:
            return set()
        return {self.fault_articles["flaky-503"].path, self.fault_articles["rate-limited-429"].path}

    def url(self, path: str) -> str:
        return self.base + path

    def is_html(self, path: str) -> bool:
        """Whether ``path`` (tracking parameters ignored) is an HTML page of the site."""
        page = self.pages.get(tracking_free(path))
        return page is not None and page.status == 200 and page.content_type.startswith("text/html")

    # -- rendering -----------------------------------------------------------------------------
    def _add_html(self, path: str, text: str | bytes, **kw: object) -> None:
        body = text.encode("utf-8") if isinstance(text, str) else text
        self.pages[path] = Response(body=body, **kw)  # type: ignore[arg-type]

    def _related(self, article: Article) -> list[tuple[str, str]]:
        others = [a for a in self.regular if a.path != article.path][:3]
        return [(a.path + "?utm_source=related&utm_medium=web", a.title) for a in others]

    def _build(self) -> None:
        base = self.base
        robots = "User-agent: *\nDisallow: /private/\n"
        robots += "\nUser-agent: newsarchive\nDisallow: /private/\nDisallow: /members/\n"
        robots += self.robots_extra
        robots += f"\nSitemap: {base}/sitemap_index.xml\n"
        self.pages["/robots.txt"] = Response(
            body=robots.encode(), content_type="text/plain", conditional=False
        )

        extra_home = ""
        if self.faults:
            extra_home = (
                '<aside class="trending"><h3>Trending</h3><ul>'
                f'<li><a href="{self.regular[1].path}?utm_source=homepage&amp;utm_medium=trending">'
                "Trending</a></li>"
                f'<li><a href="{self.regular[2].path}#comments">Comments</a></li>'
                f'<li><a href="{base}{self.regular[3].path}?fbclid=IwAR0abc123">Shared</a></li>'
                f'<li><a href="{self.regular[4].path}?gclid=Cj0KCQ&amp;utm_campaign=spring#top">Ad</a></li>'
                '<li><a href="/private/leaked-memo.html">Leaked memo</a></li>'
                '<li><a href="/members/insider-briefing.html">Members only</a></li>'
                '<li><a href="/go/1">Editor\'s pick</a></li>'
                '<li><a href="/loop/a">Live blog</a></li>'
                "</ul></aside>"
            )
        for section in ("news", "world"):
            arts = [a for a in self.regular if a.section == section]
            if self.faults and section == "news":
                arts += [
                    self.fault_articles[n]
                    for n in ("flaky-503", "rate-limited-429", "slow-page", "broken-markup")
                ]
                arts.append(self.oversized)  # type: ignore[arg-type]
            pages = [arts[i : i + self.page_size] for i in range(0, len(arts), self.page_size)] or [[]]
            for number, chunk in enumerate(pages, start=1):
                path = f"/{section}/" if number == 1 else f"/{section}/?page={number}"
                teasers = [(a.path, a.title, a.paragraphs[0][:120]) for a in chunk]
                self._add_html(
                    path,
                    render_listing(
                        f"{section.title()} - page {number}",
                        teasers,
                        next_href=f"/{section}/?page={number + 1}" if number < len(pages) else None,
                        prev_href=(f"/{section}/" if number == 2 else f"/{section}/?page={number - 1}")
                        if number > 1
                        else None,
                        extra_html=(
                            '<p><a href="/private/archive-2023.html">Archive</a></p>'
                            if self.faults and number == 1
                            else ""
                        ),
                    ),
                )
        latest = [(a.path, a.title, a.paragraphs[0][:120]) for a in self.regular[:4]]
        self._add_html("/", render_listing(f"{SITE_NAME} - Home", latest, extra_html=extra_home))
        self._add_html(
            "/tag/harbours/",
            render_listing("Tag: harbours", [(a.path + "#main", a.title, "") for a in self.regular[::3]]),
        )
        self._add_html("/about/", render_listing("About us", [], extra_html="<p>Independent since 1921.</p>"))

        for article in self.regular:
            print_path = next((p for p, a in self.print_of.items() if a is article), None)
            extra = ""
            if self.faults and article is self.regular[5 % len(self.regular)]:
                extra = (
                    '<p class="attachments"><a href="/files/annual-report.pdf">Annual report (PDF)</a>'
                    ' <a href="/images/front-page.jpg">Front page</a></p>'
                )
                article = dataclasses.replace(article, extra_html=extra)
            self._add_html(article.path, render_article(article, base, self._related(article), print_path))
        for print_path, article in self.print_of.items():
            self._add_html(print_path, render_article(article, base, cruft=False))
        for article in [*self.sitemap_only, *self.feed_only]:
            self._add_html(article.path, render_article(article, base, self._related(article)))
        self._build_sitemaps_and_feed()
        if not self.faults:
            return

        fa = self.fault_articles
        for name in ("flaky-503", "rate-limited-429", "redirect-target"):
            self._add_html(fa[name].path, render_article(fa[name], base, self._related(fa[name])))
        self._add_html(fa["slow-page"].path, render_article(fa["slow-page"], base), delay=1.5)
        self._add_html(fa["broken-markup"].path, self._broken_markup(fa["broken-markup"]))
        assert self.oversized is not None
        self._add_html(
            self.oversized.path,
            render_article(self.oversized, base).replace(
                "</article>", "<p>OVERSIZE-END-MARKER</p></article>"
            ),
        )
        # Redirect chain: 3 hops, mixed codes, relative and absolute Locations.
        self.pages["/go/1"] = Response(301, headers={"Location": "/go/2"}, conditional=False)
        self.pages["/go/2"] = Response(302, headers={"Location": f"{base}/go/3"}, conditional=False)
        self.pages["/go/3"] = Response(
            307, headers={"Location": fa["redirect-target"].path}, conditional=False
        )
        self.pages["/loop/a"] = Response(302, headers={"Location": "/loop/b"}, conditional=False)
        self.pages["/loop/b"] = Response(302, headers={"Location": "/loop/a"}, conditional=False)
        self.pages["/files/annual-report.pdf"] = Response(
            body=b"%PDF-1.4\n" + b"0" * 40_000 + b"\n%%EOF\n", content_type="application/pdf"
        )
        self.pages["/images/front-page.jpg"] = Response(
            body=b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20_000) + b"\xff\xd9", content_type="image/jpeg"
        )
        for path in (
            "/private/leaked-memo.html",
            "/private/archive-2023.html",
            "/members/insider-briefing.html",
        ):
            self._add_html(path, render_article(Article(path, seed=999), base))

    def _build_sitemaps_and_feed(self) -> None:
        sitemap_regular = [(self.url(a.path), a.published[:10]) for a in self.regular]
        half = len(sitemap_regular) // 2
        news = sitemap_regular[:half] + [(self.url(a.path), a.published[:10]) for a in self.sitemap_only[:1]]
        if self.faults:
            news.append((self.url("/private/leaked-memo.html"), "2024-03-01"))
        archive = [
            *sitemap_regular[half:],
            *[(self.url(a.path), a.published[:10]) for a in self.sitemap_only[1:]],
        ]
        self.pages["/sitemap_index.xml"] = Response(
            body=render_sitemap_index([self.url("/sitemaps/news.xml"), self.url("/sitemaps/archive.xml.gz")]),
            content_type="application/xml",
        )
        self.pages["/sitemaps/news.xml"] = Response(
            body=render_sitemap(news, news=True), content_type="application/xml"
        )
        self.pages["/sitemaps/archive.xml.gz"] = Response(
            body=gzip.compress(render_sitemap(archive), mtime=0), content_type="application/x-gzip"
        )
        feed_items = [
            (
                self.url(a.path) + "?utm_source=rss&utm_medium=feed",
                a.title,
                format_datetime(datetime.fromisoformat(a.published), usegmt=True),
            )
            for a in [*self.regular[:3], *self.feed_only]
        ]
        self.pages["/feed.xml"] = Response(
            body=render_rss(self.base, feed_items), content_type="application/rss+xml"
        )

    def _broken_markup(self, article: Article) -> bytes:
        """Unclosed and mis-nested tags, a stray close tag, and bytes that are not UTF-8."""
        page = render_article(article, self.base).encode("utf-8")
        paragraphs = article.paragraphs
        broken = (
            b'<div class="entry-content"><p>'
            + paragraphs[0].encode()
            + b" caf\xe9 \xff\xfe"
            + b"<p><b>"
            + paragraphs[1].encode()
            + b"</i></div></span>"
            + b"<p>"
            + paragraphs[2].encode()
            + b" \xc3\x28 <table><tr><td>"
            + b"<p>"
            + paragraphs[3].encode()
            + b"<p>"
            + paragraphs[4].encode()
            + b"\x80"
        )
        start = page.index(b'<div class="entry-content">')
        end = page.index(b'<div class="newsletter-signup', start)
        return page[:start] + broken + page[end:]

    # -- serving -------------------------------------------------------------------------------
    def respond(self, method: str, path: str) -> Response:
        """What the server sends for ``path`` (path plus query, as requested)."""
        # Tracking parameters still serve the page, as on real sites; other unknown queries are 404s.
        key = path if path in self.pages else tracking_free(path)
        page = self.pages.get(key)
        if page is None:
            return Response(404, b"<html><body><h1>Not found</h1></body></html>", conditional=False)
        if method == "GET":
            with self._lock:
                count = self._gets[key] = self._gets.get(key, 0) + 1
            if self.faults and count == 1:
                if key == self.fault_articles["flaky-503"].path:
                    return Response(503, b"<html><body>Service Unavailable</body></html>", conditional=False)
                if key == self.fault_articles["rate-limited-429"].path:
                    return Response(
                        429,
                        b"<html><body>Too Many Requests</body></html>",
                        headers={"Retry-After": "1"},
                        conditional=False,
                    )
        return page


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


@dataclass
class RequestRecord:
    method: str
    path: str  # path and query as sent
    headers: dict[str, str]  # lower-cased names
    start: float  # time.monotonic() when the handler began
    end: float = 0.0  # when the response was written (or the client went away)
    status: int = 0
    client_port: int = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the crawler may pool connections
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls
    server: FixtureServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        record = RequestRecord(
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            time.monotonic(),
            client_port=self.client_address[1],
        )
        self.server.enter(record)
        try:
            response = self.server.site.respond(self.command, self.path)
            if response.delay:
                time.sleep(response.delay)
            status, body = response.status, response.body
            extra = dict(response.headers)
            if status == 200 and response.conditional:
                etag = etag_of(body)
                extra["ETag"] = etag
                extra["Last-Modified"] = LAST_MODIFIED
                if _not_modified(record.headers, etag):
                    status, body = 304, b""
            record.status = status
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Fixture-Server", "sitegen")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            if not head and body:
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client cut the body (e.g. at --max-bytes)
        finally:
            record.end = time.monotonic()
            self.server.leave()


def _not_modified(headers: dict[str, str], etag: str) -> bool:
    if "if-none-match" in headers:
        return (
            etag in [t.strip() for t in headers["if-none-match"].split(",")]
            or headers["if-none-match"].strip() == "*"
        )
    since = headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
        except (TypeError, ValueError):
            return False
    return False


class FixtureServer(ThreadingHTTPServer):
    """ThreadingHTTPServer on 127.0.0.1 that records requests and the peak number in flight."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site_factory: type[FixtureSite] | None = None, **site_kw: object):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.site = (site_factory or FixtureSite)(self.base, **site_kw)  # type: ignore[arg-type]
        self.records: list[RequestRecord] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._thread: threading.Thread | None = None

    def enter(self, record: RequestRecord) -> None:
        with self._lock:
            self.records.append(record)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up mid-response is expected (body cut at --max-bytes, SIGKILL)

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def reset_log(self) -> None:
        with self._lock:
            self.records = []
            self.max_in_flight = self.in_flight

    # -- views of the log ----------------------------------------------------------------------
    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self.records)

    def gets(self) -> list[RequestRecord]:
        return [r for r in self.snapshot() if r.method == "GET"]

    def get_counts(self) -> dict[str, int]:
        """GETs per path with tracking parameters removed (fragments never reach a server)."""
        counts: dict[str, int] = {}
        for record in self.gets():
            key = tracking_free(record.path)
            counts[key] = counts.get(key, 0) + 1
        return counts


# ------------------------------------------------------------------ reading what a crawl left behind

REPO = Path(__file__).resolve().parents[1]


def run_newsarchive(
    args: list[str],
    *,
    timeout: float = 180,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m scraper ARGS`` as a user would run it (no terminal: plain log lines)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "scraper", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def archived_documents(out: Path) -> dict[Path, Document]:
    """Every document file under ``out`` (``<site>/<YYYY>/<MM>/<slug>.txt``), read back with ``loads``.

    Hidden folders (the crawl state) and the WARC folder are not documents.
    """
    docs = {}
    for path in sorted(out.rglob("*.txt")):
        relative = path.relative_to(out)
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] == "warc":
            continue
        docs[path] = loads(path.read_text(encoding="utf-8"))
    return docs


def warc_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.name.endswith((".warc.gz", ".warc")))


@dataclass
class WarcRecord:
    file: str
    type: str  # request, response, warcinfo...
    version: str  # WARC/1.1
    target: str | None
    record_id: str | None
    concurrent_to: str | None
    http_status: int | None
    http_headers: dict[str, str]  # lower-cased names
    payload: bytes


def read_warcs(files: Iterable[Path]) -> list[WarcRecord]:
    """Every record of ``files``; raises if a file is torn (warcio reads each to the end)."""
    from warcio.archiveiterator import ArchiveIterator

    records = []
    for path in files:
        with path.open("rb") as stream:
            for rec in ArchiveIterator(stream):
                http = rec.http_headers
                status = None
                if rec.rec_type == "response" and http is not None:
                    status = int(http.get_statuscode())
                records.append(
                    WarcRecord(
                        file=path.name,
                        type=rec.rec_type,
                        version=rec.rec_headers.protocol,
                        target=rec.rec_headers.get_header("WARC-Target-URI"),
                        record_id=rec.rec_headers.get_header("WARC-Record-ID"),
                        concurrent_to=rec.rec_headers.get_header("WARC-Concurrent-To"),
                        http_status=status,
                        http_headers={k.lower(): v for k, v in (http.headers if http is not None else [])},
                        payload=rec.content_stream().read(),
                    )
                )
    return records
