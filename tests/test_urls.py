"""URL normalisation before de-duplication, same-site tests, the private-address guard."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.crawl import CrawlConfig, Crawler
from scraper.progress import Progress
from scraper.state import NewUrl
from scraper.urls import (
    host_of,
    is_private_ip,
    is_tracking_param,
    normalize_url,
    resolves_private,
    same_site,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com/a#section", "http://example.com/a"),
        ("http://example.com/a?utm_source=x&utm_medium=y&id=3", "http://example.com/a?id=3"),
        ("http://example.com/a?fbclid=abc", "http://example.com/a"),
        ("http://example.com/a?gclid=1&mc_cid=2&mc_eid=3&page=2#top", "http://example.com/a?page=2"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/%7Euser", "http://example.com/%7Euser"),  # existing escapes kept
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://example.com./a", "http://example.com/a"),
        ("  http://example.com/a  ", "http://example.com/a"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "mailto:desk@example.com",
        "javascript:void(0)",
        "tel:+123",
        "data:text/html,x",
        "ftp://example.com/file",
        "",
        "http://",
        "http://example.com:99999/",
    ],
)
def test_non_web_urls_refused(raw: str) -> None:
    assert normalize_url(raw) is None


def test_relative_links_resolved() -> None:
    base = "http://example.com/news/2024/story.html"
    assert normalize_url("other.html", base) == "http://example.com/news/2024/other.html"
    assert normalize_url("/world/", base) == "http://example.com/world/"
    assert normalize_url("//cdn.example.com/x", base) == "http://cdn.example.com/x"
    assert normalize_url("?page=2", base) == "http://example.com/news/2024/story.html?page=2"
    assert normalize_url("#comments", base) == "http://example.com/news/2024/story.html"


def test_duplicates_collapse() -> None:
    spellings = [
        "http://Example.com/news/a.html?utm_campaign=spring#top",
        "http://example.com:80/news/a.html",
        "HTTP://EXAMPLE.COM/news/a.html?fbclid=IwAR0",
        "http://example.com/news/a.html#comments",
    ]
    assert len({normalize_url(u) for u in spellings}) == 1


def test_tracking_params() -> None:
    for name in ("utm_source", "UTM_Medium", "fbclid", "gclid", "mc_cid", "_ga", "pk_campaign"):
        assert is_tracking_param(name), name
    for name in ("id", "page", "q", "p", "article"):
        assert not is_tracking_param(name), name


@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(["", "?", "?a=1&", "#", "?utm_source=x&"]),
)
def test_normalize_is_idempotent(path: str, query: str) -> None:
    first = normalize_url("http://Example.com/" + path + query)
    if first is not None:
        assert normalize_url(first) == first


def test_same_site() -> None:
    hosts = {"example.com", "127.0.0.1:8000"}
    assert same_site("http://example.com/a", hosts)
    assert same_site("https://www.example.com/a", hosts)
    assert not same_site("http://other.com/a", hosts)
    assert not same_site("http://example.com.evil.test/a", hosts)
    assert same_site("http://127.0.0.1:8000/x", hosts)
    assert not same_site("http://127.0.0.1:9000/x", hosts)
    assert host_of("http://Example.com:8080/a") == "example.com:8080"


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("224.0.0.1", True),
        ("100.64.0.1", True),  # carrier-grade NAT: neither private nor public to ipaddress
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
        ("not-an-ip", False),
    ],
)
def test_private_ips(address: str, private: bool) -> None:
    assert is_private_ip(address) is private


def test_resolves_private_without_network() -> None:
    # Literals and localhost never need DNS.
    assert asyncio.run(resolves_private("127.0.0.1"))
    assert asyncio.run(resolves_private("[::1]"))
    assert asyncio.run(resolves_private("localhost"))
    assert asyncio.run(resolves_private("api.localhost"))
    assert not asyncio.run(resolves_private("93.184.216.34"))


# ------------------------------------------------- the crawler's refusal of links and redirect targets

# Names a fake resolver answers with (no DNS, no traffic): what an attacker's page could link to.
FAKE_DNS = {
    "intranet.news.test": ["10.0.0.7"],
    "metadata.news.test": ["169.254.169.254"],
    "loop.news.test": ["127.0.0.1"],
    "v6loop.news.test": ["::1"],
    "mixed.news.test": ["93.184.216.34", "10.1.2.3"],  # one private answer is enough to refuse
    "www.news.test": ["93.184.216.34"],
}


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    async def getaddrinfo(self, host, port, *args, **kwargs):
        asked.append(host)
        if host not in FAKE_DNS:
            raise OSError(f"unknown host {host}")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0))
            for a in FAKE_DNS[host]
        ]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)
    return asked


def make_crawler(tmp_path: Path, seed: str = "http://news.test/", allow_private: bool = False) -> Crawler:
    config = CrawlConfig(seeds=[seed], out=tmp_path, allow_private=allow_private)
    crawler = Crawler(config, Progress(quiet=True))
    crawler.seed_hosts = {host_of(seed)}
    return crawler


REFUSED = [
    "http://127.0.0.1/admin",
    "http://10.1.2.3/",
    "http://172.16.5.4:8080/x",
    "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/",
    "http://[fe80::1]/",
    "http://localhost:8000/",
    "http://intranet.news.test/wiki",
    "http://metadata.news.test/latest/",
    "http://loop.news.test/",
    "http://v6loop.news.test/",
    "http://mixed.news.test/",
]
ACCEPTED = ["http://news.test/a", "http://www.news.test/a", "http://93.184.216.34/a"]


def test_private_links_and_redirect_targets_refused(tmp_path: Path, fake_dns: list[str]) -> None:
    crawler = make_crawler(tmp_path)

    async def check() -> tuple[dict[str, str | None], dict[str, bool]]:
        refusals = {url: await crawler._address_refusal(url) for url in REFUSED + ACCEPTED}
        new = [NewUrl(url, host_of(url), "page", 1) for url in REFUSED + ACCEPTED]
        await crawler._resolve(new)  # links: resolved once per host, then judged synchronously
        return refusals, {n.url: crawler._host_allowed(n.url) for n in new}

    refusals, allowed = asyncio.run(check())
    assert {u: r for u, r in refusals.items() if u in REFUSED and r != "private-address"} == {}
    assert {u: r for u, r in refusals.items() if u in ACCEPTED and r is not None} == {}
    assert [u for u in REFUSED if allowed[u]] == []
    assert [u for u in ACCEPTED if not allowed[u]] == []
    assert "news.test" not in fake_dns, "the seed host is trusted, never resolved"


def test_seed_hosts_trusted_and_allow_private_lets_everything_through(
    tmp_path: Path, fake_dns: list[str]
) -> None:
    seeded = make_crawler(tmp_path / "a", seed="http://127.0.0.1:8000/")
    trusting = make_crawler(tmp_path / "b", allow_private=True)

    async def check() -> tuple[str | None, str | None, list[str | None]]:
        return (
            await seeded._address_refusal("http://127.0.0.1:8000/story"),
            await seeded._address_refusal("http://127.0.0.1:9000/other-server"),
            [await trusting._address_refusal(url) for url in REFUSED],
        )

    same_seed, other_port, with_flag = asyncio.run(check())
    assert same_seed is None  # the user typed it
    assert other_port == "private-address"
    assert with_flag == [None] * len(REFUSED)
    assert all(trusting._host_allowed(url) for url in REFUSED)


@pytest.mark.parametrize(
    "url",
    ["mailto:desk@news.test", "javascript:void(0)", "ftp://news.test/f", "tel:+4412345", "data:text/html,hi"],
)
def test_other_schemes_never_followed(tmp_path: Path, url: str) -> None:
    assert normalize_url(url, "http://news.test/") is None  # links: dropped when extracted
    assert asyncio.run(make_crawler(tmp_path)._address_refusal(url)) == "unsupported-url"  # redirects
