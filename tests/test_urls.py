"""URL normalisation before de-duplication, same-site tests, the private-address guard."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
