"""robots.txt rules: RFC 9309 semantics for missing and unreachable files, group choice, longest match."""

from __future__ import annotations

import pytest

from scraper.robots import MAX_CRAWL_DELAY, RobotsRules, RobotsStatus

UA = "newsarchive/0.1.0 (+https://github.com/newsarchive/newsarchive)"
BASE = "http://news.test"

ROBOTS = b"""\
User-agent: *
Disallow: /private/
Crawl-delay: 3

User-agent: newsarchive
Disallow: /private/
Disallow: /members/
Allow: /members/public/
Disallow: /*.pdf$
Crawl-delay: 2

Sitemap: http://news.test/sitemap_index.xml
Sitemap: http://news.test/news-sitemap.xml
"""


def rules() -> RobotsRules:
    return RobotsRules.from_response(200, ROBOTS)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/news/2024/03/story.html", True),
        ("/private/memo.html", False),
        ("/members/briefing.html", False),  # only in the newsarchive group
        ("/members/public/open.html", True),  # longest match: the Allow is more specific
        ("/files/report.pdf", False),  # wildcard and end anchor
        ("/files/report.pdf?download=1", True),
        ("/robots.txt", True),
    ],
)
def test_our_group_applies(path: str, allowed: bool) -> None:
    assert rules().allowed(BASE + path, UA) is allowed


def test_other_agents_get_the_star_group() -> None:
    r = rules()
    assert r.allowed(BASE + "/members/briefing.html", "SomeBot/1.0")
    assert not r.allowed(BASE + "/private/memo.html", "SomeBot/1.0")


def test_crawl_delay_of_our_group_and_sitemaps() -> None:
    r = rules()
    assert r.crawl_delay(UA) == 2.0
    assert r.crawl_delay("SomeBot/1.0") == 3.0
    assert r.sitemaps == ["http://news.test/sitemap_index.xml", "http://news.test/news-sitemap.xml"]


def test_absurd_crawl_delay_is_capped() -> None:
    r = RobotsRules.parse("User-agent: *\nCrawl-delay: 86400\n")
    assert r.crawl_delay(UA) == MAX_CRAWL_DELAY


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 429])
def test_4xx_means_allow_all(status: int) -> None:
    r = RobotsRules.from_response(status, b"User-agent: *\nDisallow: /\n")
    assert r.status is RobotsStatus.ALLOW_ALL and r.available
    assert r.allowed(BASE + "/private/anything", UA)
    assert r.crawl_delay(UA) is None and r.sitemaps == []


@pytest.mark.parametrize("status", [500, 502, 503, None])
def test_5xx_or_unreachable_means_disallow_all(status: int | None) -> None:
    r = RobotsRules.from_response(status)
    assert r.status is RobotsStatus.DISALLOW_ALL and not r.available
    assert not r.allowed(BASE + "/", UA)
    assert not r.allowed(BASE + "/news/story.html", UA)


def test_empty_or_garbage_file_allows_everything() -> None:
    assert RobotsRules.from_response(200, b"").allowed(BASE + "/x", UA)
    assert RobotsRules.from_response(200, b"\x00\xff<html>not robots</html>").allowed(BASE + "/x", UA)


def test_bom_and_crlf_tolerated() -> None:
    r = RobotsRules.from_response(200, b"\xef\xbb\xbfUser-agent: *\r\nDisallow: /secret\r\n")
    assert not r.allowed(BASE + "/secret/x", UA)
    assert r.allowed(BASE + "/public", UA)


def test_disallow_all() -> None:
    r = RobotsRules.from_response(200, b"User-agent: *\nDisallow: /\n")
    assert not r.allowed(BASE + "/", UA)
    assert not r.allowed(BASE + "/a/b", UA)
