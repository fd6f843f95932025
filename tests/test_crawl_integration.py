"""`newsarchive crawl` and `fetch` against a real HTTP server on 127.0.0.1 serving the fixture site.

The main crawl runs once per module (``first_crawl``); its tests assert on what the server saw and on
what was left in ``--out``. A second run with the same ``--out`` (``second_crawl``) checks re-crawls.

Expectations that the issue leaves to judgement, decided here:

- the redirect loop is a failed page, so the main crawl exits 1 (and names the loop in its output);
- the two fault pages that fail once (503, 429) are fetched exactly twice, every other page at most once;
- the oversized page is either not archived or archived cut: never with its last paragraph;
- re-running a finished crawl with the same ``--out`` revisits pages with conditional requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess
from urllib.parse import urlsplit

import pytest
from sitegen import (
    CRUFT_STRINGS,
    Article,
    FixtureServer,
    RequestRecord,
    WarcRecord,
    archived_documents,
    read_warcs,
    render_article,
    run_newsarchive,
    tracking_free,
    warc_files,
)
from sitegen import (
    Response as SiteResponse,
)

from cleaners import Document, __version__
from scraper import crawl as crawl_module
from scraper.crawl import CleanTimeout, CrawlConfig, Crawler
from scraper.fetch import RetryPolicy
from scraper.progress import Progress

MAX_BYTES = 256 * 1024  # the oversized article is ~1.2 MB
PER_HOST = 2
CRAWL_OPTIONS = [
    "--delay",
    "0",
    "--per-host",
    str(PER_HOST),
    "--concurrency",
    "4",
    "--depth",
    "10",
    "--max-bytes",
    str(MAX_BYTES),
    "--allow-private",
]
TIMING_SLACK = 0.02  # seconds: timer granularity between the crawler's clock and the server's
# Request starts as the server sees them: the crawler spaces a request from the END of the previous
# response, which the server sent after that request started, so the gap can only exceed --delay.
PACING_SLACK = 0.001  # rounding only


@dataclass
class CrawlRun:
    result: CompletedProcess[str]
    records: list[RequestRecord]  # what the server saw during this run
    max_in_flight: int
    out: Path
    docs: dict[Path, Document]
    mtimes: dict[Path, int]
    texts: dict[Path, str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def gets(self, path: str) -> list[RequestRecord]:
        """GETs of ``path`` (tracking parameters ignored), in order."""
        return [r for r in self.records if r.method == "GET" and tracking_free(r.path) == path]


def crawl(server: FixtureServer, out: Path, *extra: str) -> CrawlRun:
    start = len(server.snapshot())
    server.max_in_flight = 0
    result = run_newsarchive(["crawl", server.base + "/", "--out", str(out), *CRAWL_OPTIONS, *extra])
    docs = archived_documents(out) if out.exists() else {}
    return CrawlRun(
        result=result,
        records=server.snapshot()[start:],
        max_in_flight=server.max_in_flight,
        out=out,
        docs=docs,
        mtimes={p: p.stat().st_mtime_ns for p in docs},
        texts={p: p.read_text(encoding="utf-8") for p in docs},
    )


def describe(run: CrawlRun) -> str:
    return f"exit {run.result.returncode}\n--- output (tail) ---\n{run.output[-3000:]}"


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    server = FixtureServer(articles=12).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def first_crawl(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    root = tmp_path_factory.mktemp("crawl")
    run = crawl(server, root / "out", "--json-log", str(root / "events.jsonl"))
    # Keep this run's WARC files: the second crawl may add to the same folder.
    first_warcs = root / "first-warcs"
    first_warcs.mkdir()
    for path in warc_files(run.out):
        shutil.copy2(path, first_warcs / path.name)
    return run


@pytest.fixture(scope="module")
def first_warc_records(first_crawl: CrawlRun) -> list[WarcRecord]:
    files = warc_files(first_crawl.out.parent / "first-warcs")
    assert files, f"no WARC file in {first_crawl.out}\n{describe(first_crawl)}"
    return read_warcs(files)


@pytest.fixture(scope="module")
def second_crawl(server: FixtureServer, first_crawl: CrawlRun) -> CrawlRun:
    return crawl(server, first_crawl.out)


def docs_by_url(run: CrawlRun) -> dict[str, list[Document]]:
    by_url: dict[str, list[Document]] = {}
    for doc in run.docs.values():
        by_url.setdefault(doc.url or "", []).append(doc)
    return by_url


# --------------------------------------------------------------------------------- exit and output


def test_crawl_exits_1_and_names_the_failed_page(first_crawl: CrawlRun) -> None:
    # The redirect loop cannot succeed: the crawl completes but reports a failure.
    assert first_crawl.result.returncode == 1, describe(first_crawl)
    assert "/loop/" in first_crawl.output, describe(first_crawl)
    assert "Traceback" not in first_crawl.output, describe(first_crawl)
    # The give-up is in the closing summary by cause, and recorded in the state with its reason.
    assert re.search(r"failures by cause:\n\s+redirect-loop: 1 \(e\.g\. \S+/loop/a\)", first_crawl.output), (
        describe(first_crawl)
    )
    state = sqlite3.connect(first_crawl.out / ".newsarchive" / "crawl.sqlite")
    failed = state.execute("SELECT url, cause, detail FROM urls WHERE status = 'failed'").fetchall()
    state.close()
    assert [(urlsplit(u).path, c) for u, c, _ in failed] == [("/loop/a", "redirect-loop")]
    assert "/loop/b" in failed[0][2]


def test_json_log_has_one_event_per_fetch(first_crawl: CrawlRun) -> None:
    lines = (first_crawl.out.parent / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert all(isinstance(e, dict) for e in events)
    text = "\n".join(lines)
    for path in ("/news/2024/03/story-0.html", "/loop/a", "/robots.txt"):
        assert path in text, f"no event mentions {path}"
    # One event per URL fetched (its retries and redirect hops inside it): every GET the server saw.
    fetched = Counter(tracking_free(_path_query(e["url"])) for e in events if e.get("status"))
    assert max(fetched.values()) == 1, [p for p, n in fetched.items() if n > 1]
    hops = {
        tracking_free(_path_query(u))
        for e in events
        for u in [*e.get("redirects", []), e.get("final_url")]
        if u
    }
    assert {tracking_free(r.path) for r in first_crawl.records if r.method == "GET"} <= set(fetched) | hops
    assert {"url", "final_url", "outcome", "cause", "status", "attempts", "time"} <= set(events[0])
    # Same site only: the share links (https://share.invalid/...) and mailto: were never tried.
    assert len({urlsplit(e["url"]).netloc for e in events}) == 1


# ------------------------------------------------------------------------------- what the server saw


def test_robots_txt_first_and_disallowed_paths_never_requested(first_crawl: CrawlRun) -> None:
    assert first_crawl.records, describe(first_crawl)
    assert first_crawl.records[0].path == "/robots.txt"
    forbidden = [r.path for r in first_crawl.records if r.path.startswith(("/private/", "/members/"))]
    assert forbidden == [], "robots.txt disallows these (/members/ only for the newsarchive group)"


def test_user_agent_names_project_version_and_url(first_crawl: CrawlRun) -> None:
    agents = {r.headers.get("user-agent", "") for r in first_crawl.records}
    assert len(agents) == 1, agents
    (agent,) = agents
    assert agent.lower().startswith("newsarchive/"), agent
    assert __version__ in agent and "http" in agent, agent


def test_every_discovered_page_fetched_and_none_twice(first_crawl: CrawlRun, server: FixtureServer) -> None:
    site = server.site
    counts = Counter(tracking_free(r.path) for r in first_crawl.records if r.method == "GET")
    twice_expected = site.retry_paths
    wrong = {path: n for path, n in counts.items() if n != (2 if path in twice_expected else 1)}
    assert wrong == {}, "GETs per path (tracking parameters removed)"
    # Discovery: through pagination, the sitemap index (one child gzipped) and the RSS feed.
    for path in (
        "/news/?page=2",
        "/news/?page=3",
        "/world/?page=2",
        "/sitemap_index.xml",
        "/sitemaps/news.xml",
        "/sitemaps/archive.xml.gz",
        "/feed.xml",
        *site.expected_articles,
    ):
        assert counts.get(path), f"{path} was never fetched"


def test_retries_after_503_and_429_and_retry_after_honoured(
    first_crawl: CrawlRun,
    server: FixtureServer,
) -> None:
    flaky = first_crawl.gets(server.site.fault_articles["flaky-503"].path)
    assert [r.status for r in flaky] == [503, 200]
    limited = first_crawl.gets(server.site.fault_articles["rate-limited-429"].path)
    assert [r.status for r in limited] == [429, 200]
    waited = limited[1].start - limited[0].end
    assert waited >= 1.0 - TIMING_SLACK, f"retried {waited:.3f}s after a 429 with Retry-After: 1"


def test_never_more_requests_in_flight_than_per_host(first_crawl: CrawlRun) -> None:
    assert 1 <= first_crawl.max_in_flight <= PER_HOST, first_crawl.max_in_flight


def test_redirect_chain_followed_once_and_loop_stopped(first_crawl: CrawlRun) -> None:
    chain = [(r.path, r.status) for r in first_crawl.records if r.path.startswith("/go/")]
    assert chain == [("/go/1", 301), ("/go/2", 302), ("/go/3", 307)]
    loop = [r.path for r in first_crawl.records if r.path.startswith("/loop/")]
    assert loop == ["/loop/a", "/loop/b"], "the loop is detected when it comes back, not retried"


# --------------------------------------------------------------------------------------- the archive


def test_every_article_archived_exactly_once(first_crawl: CrawlRun, server: FixtureServer) -> None:
    site = server.site
    expected = {site.url(path) for path in site.expected_articles}
    by_url = docs_by_url(first_crawl)
    oversized = site.url(site.oversized.path)  # may be archived cut, see test_oversized_page_is_cut
    assert set(by_url) - {oversized} == expected, describe(first_crawl)
    assert {url: len(d) for url, d in by_url.items() if len(d) != 1} == {}
    assert len(first_crawl.docs) == len(by_url)
    layout = re.compile(r"^[a-z0-9.-]+/\d{4}/\d{2}/[a-z0-9][a-z0-9-]*\.txt$")
    for path in first_crawl.docs:
        assert layout.match(path.relative_to(first_crawl.out).as_posix()), path


def test_archived_headers(first_crawl: CrawlRun, server: FixtureServer) -> None:
    articles = {server.site.url(p): a for p, a in server.site.expected_articles.items()}
    for path, doc in first_crawl.docs.items():
        if doc.url not in articles:
            continue
        article = articles[doc.url]
        assert doc.title == article.title, path
        assert doc.authors == [article.author], path
        assert (doc.published or "")[:10] == article.published[:10], path
        assert doc.fetched and re.match(
            r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$", doc.fetched
        ), doc.fetched
        assert doc.source, path
        year, month = article.published[:4], article.published[5:7]
        assert path.parent.parts[-2:] == (year, month), path


def body_problems(doc: Document, article: Article, titles: list[str]) -> list[str]:
    """What is wrong with an archived article body: cruft kept, paragraphs lost."""
    problems = [f"cruft {s!r}" for s in CRUFT_STRINGS if s in doc.text]
    problems += [f"title {t!r}" for t in titles if t in doc.text]  # its own (repeated) or a related one
    if f"By {article.author}" in doc.text:
        problems.append("byline")
    problems += [
        f"paragraph {i} lost"
        for i in range(len(article.paragraphs))
        if f"Reference {article.seed}-{i} " not in doc.text
    ]
    return problems


def article_bodies(run: CrawlRun, server: FixtureServer) -> dict[str, list[str]]:
    """Problems per archived article URL."""
    articles = {server.site.url(p): a for p, a in server.site.expected_articles.items()}
    titles = [a.title for a in articles.values()]
    return {
        doc.url: body_problems(doc, articles[doc.url], titles)
        for doc in run.docs.values()
        if doc.url in articles
    }


def test_bodies_complete_and_free_of_cruft(first_crawl: CrawlRun, server: FixtureServer) -> None:
    malformed = server.site.url(server.site.fault_articles["broken-markup"].path)
    problems = article_bodies(first_crawl, server)
    assert len(problems) == len(server.site.expected_articles)
    assert {url: p for url, p in problems.items() if p and url != malformed} == {}
    for doc in first_crawl.docs.values():
        assert "\ufffd" not in doc.text or doc.url == malformed, doc.url


def test_malformed_page_with_stray_bytes_cleaned(first_crawl: CrawlRun, server: FixtureServer) -> None:
    malformed = server.site.url(server.site.fault_articles["broken-markup"].path)
    assert article_bodies(first_crawl, server)[malformed] == []


def test_oversized_page_is_cut(first_crawl: CrawlRun) -> None:
    for path, text in first_crawl.texts.items():
        assert "OVERSIZE-END-MARKER" not in text, f"{path}: more than --max-bytes was kept"


def test_non_html_and_listing_pages_not_archived(first_crawl: CrawlRun) -> None:
    for doc in first_crawl.docs.values():
        path = urlsplit(doc.url or "").path
        assert not path.endswith((".pdf", ".jpg", "/")), doc.url
        assert not path.startswith(("/print/", "/tag/", "/private/", "/members/")), doc.url


def test_no_temporary_files_left(first_crawl: CrawlRun) -> None:
    leftovers = [
        p
        for p in first_crawl.out.rglob("*")
        if p.is_file() and re.search(r"(\.tmp|\.part|\.partial|\.open|~)$|^\.?tmp", p.name)
    ]
    assert leftovers == []


# --------------------------------------------------------------------------------------------- WARC


def test_warc_has_request_and_response_pairs_for_everything(
    first_crawl: CrawlRun, first_warc_records: list[WarcRecord]
) -> None:
    records = first_warc_records
    assert {r.version for r in records} == {"WARC/1.1"}
    requests = [r for r in records if r.type == "request"]
    responses = [r for r in records if r.type == "response"]
    # Every response the server sent (retried 503/429, redirects, robots.txt, sitemaps, feed) is there.
    seen = Counter(
        (tracking_free(r.path), r.status) for r in first_crawl.records if r.method == "GET" and r.status
    )
    captured = Counter((tracking_free(_path_query(r.target)), r.http_status) for r in responses)
    missing = {key: n for key, n in seen.items() if captured[key] < n}
    assert missing == {}, "responses the server sent but the WARC lacks"
    request_ids = {r.record_id for r in requests}
    for response in responses:
        pair = [q for q in requests if q.target == response.target]
        assert pair, f"no request record for {response.target}"
        if response.concurrent_to:
            assert response.concurrent_to in request_ids
    robots = [r for r in responses if _path_query(r.target) == "/robots.txt"]
    assert robots and b"Disallow: /private/" in robots[0].payload
    assert all(r.http_headers.get("x-fixture-server") == "sitegen" for r in responses), (
        "responses keep the real HTTP headers"
    )


def _path_query(url: str | None) -> str:
    parts = urlsplit(url or "")
    return parts.path + ("?" + parts.query if parts.query else "")


def test_clean_recleans_warcs_offline(
    first_crawl: CrawlRun, first_warc_records: list[WarcRecord], tmp_path: Path
) -> None:
    warcs = [str(p) for p in warc_files(first_crawl.out.parent / "first-warcs")]
    result = run_newsarchive(["clean", *warcs, "--out", str(tmp_path / "again")])
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1: error pages (503, 429) are inputs too
    assert "Traceback" not in result.stdout + result.stderr
    again = {doc.text for doc in archived_documents(tmp_path / "again").values()}
    lost = [doc.url for doc in first_crawl.docs.values() if doc.text not in again]
    assert lost == [], "documents whose offline re-cleaning from the WARC gives another text"


# ---------------------------------------------------------------------------------------- re-crawl


def test_recrawl_uses_conditional_requests_and_keeps_files(
    second_crawl: CrawlRun, first_crawl: CrawlRun, server: FixtureServer
) -> None:
    assert second_crawl.result.returncode in (0, 1), describe(second_crawl)
    assert "Traceback" not in second_crawl.output
    for path in server.site.expected_articles:
        if path == server.site.fault_articles["redirect-target"].path:
            continue  # reached through /go/1: the conditional headers go with the first URL
        gets = second_crawl.gets(path)
        assert gets, f"{path} not revisited"
        headers = gets[-1].headers
        assert "if-none-match" in headers or "if-modified-since" in headers, path
        assert gets[-1].status == 304, path
    assert set(second_crawl.docs) == set(first_crawl.docs)
    changed = [
        p
        for p in first_crawl.docs
        if second_crawl.mtimes[p] != first_crawl.mtimes[p] or second_crawl.texts[p] != first_crawl.texts[p]
    ]
    assert changed == [], "unchanged documents were rewritten"


# ----------------------------------------------------------------------------------- smaller crawls


def test_polite_defaults_and_delay_between_requests(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=3, faults=False)
    out = tmp_path / "out"
    result = run_newsarchive(
        ["crawl", server.base + "/", "--out", str(out), "--delay", "0.3", "--allow-private", "--depth", "5"]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    records = server.snapshot()
    assert server.max_in_flight == 1, "one request at a time per host by default"
    gaps = [(round(b.start - a.start, 3), b.path) for a, b in itertools.pairwise(records)]
    assert len(gaps) >= 5
    assert [g for g in gaps if g[0] < 0.3 - PACING_SLACK] == [], "request starts closer than --delay"
    urls = {doc.url for doc in archived_documents(out).values()}
    assert urls == {server.site.url(p) for p in server.site.expected_articles}


def test_max_pages_and_exclude(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=8, faults=False)
    result = run_newsarchive(
        [
            "crawl",
            server.base + "/",
            "--out",
            str(tmp_path / "a"),
            "--delay",
            "0",
            "--allow-private",
            "--max-pages",
            "3",
        ]
    )
    assert result.returncode == 0, result.stderr[-2000:]
    html_gets = [r for r in server.gets() if server.site.is_html(r.path)]
    assert len(html_gets) <= 3, [r.path for r in html_gets]
    assert len(archived_documents(tmp_path / "a")) <= 3

    server.reset_log()
    result = run_newsarchive(
        [
            "crawl",
            server.base + "/",
            "--out",
            str(tmp_path / "b"),
            "--delay",
            "0",
            "--allow-private",
            "--depth",
            "10",
            "--exclude",
            "/world/",
        ]
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r.path for r in server.gets() if "/world/" in r.path] == []
    urls = {doc.url for doc in archived_documents(tmp_path / "b").values()}
    assert urls == {server.site.url(p) for p in server.site.expected_articles if p.startswith("/news/")}


def test_since_skips_older_articles_and_old_sitemap_entries(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=6)
    site = server.site
    out = tmp_path / "out"
    # Slow and failing fault pages are left out: short, and exit 0 expected.
    skip = r"/(go|loop)/|slow-page|oversized"
    result = run_newsarchive(
        [
            "crawl",
            server.base + "/",
            "--out",
            str(out),
            "--delay",
            "0",
            "--per-host",
            "2",
            "--allow-private",
            "--since",
            "2024-03-01",
            "--exclude",
            skip,
        ]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    urls = {doc.url for doc in archived_documents(out).values()}
    recent = {
        site.url(p)
        for p, a in site.expected_articles.items()
        if a.published >= "2024-03-01" and not re.search(skip + "|redirect-target", p)
    }
    assert urls == recent
    # A sitemap's lastmod (or news publication date) before --since: not worth a request.
    old_in_sitemaps = [a.path for a in site.sitemap_only]
    assert [r.path for r in server.gets() if r.path in old_in_sitemaps] == []


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_newsarchive(["crawl", "--out", str(tmp_path)]).returncode == 2  # no seed
    bad = run_newsarchive(["crawl", "http://127.0.0.1:9/", "--out", str(tmp_path), "--max-pages", "many"])
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_fetch_follows_redirects_and_archives_final_url(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=6)
    site = server.site
    out = tmp_path / "out"
    result = run_newsarchive(
        [
            "fetch",
            site.url("/go/1"),
            site.url("/news/2024/03/story-0.html"),
            "--out",
            str(out),
            "--delay",
            "0",
        ]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    urls = sorted(doc.url for doc in archived_documents(out).values())
    assert urls == [site.url("/news/2024/03/redirect-target.html"), site.url("/news/2024/03/story-0.html")]
    targets = {r.target for r in read_warcs(warc_files(out)) if r.type == "response"}
    assert site.url("/go/1") in targets and site.url("/news/2024/03/redirect-target.html") in targets


# ------------------------------------------------------------------------- redirects to another host


def test_redirect_to_another_host_reads_its_robots_txt_first(fixture_server, tmp_path: Path) -> None:
    home, other = fixture_server(articles=6, faults=False), fixture_server(articles=6, faults=False)
    allowed, disallowed = other.site.url("/news/2024/03/story-0.html"), other.site.url("/private/memo.html")
    home.site.pages["/away/allowed"] = SiteResponse(302, headers={"Location": allowed}, conditional=False)
    home.site.pages["/away/disallowed"] = SiteResponse(
        302, headers={"Location": disallowed}, conditional=False
    )
    out = tmp_path / "out"
    result = run_newsarchive(
        [
            "fetch",
            home.site.url("/away/disallowed"),
            home.site.url("/away/allowed"),
            "--out",
            str(out),
            "--delay",
            "0.3",
            "--allow-private",
            "--json-log",
            str(tmp_path / "events.jsonl"),
        ]
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    seen = [r.path for r in other.snapshot()]
    assert seen == ["/robots.txt", "/news/2024/03/story-0.html"], "robots.txt first, disallowed never"
    robots, page = other.snapshot()
    assert page.start - robots.start >= 0.3 - PACING_SLACK, "--delay holds on the redirect target's host"
    assert [doc.url for doc in archived_documents(out).values()] == [allowed]
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    refused = [e for e in events if e.get("url") == home.site.url("/away/disallowed")]
    assert [(e["outcome"], e["cause"]) for e in refused] == [("skipped", "robots")]


def test_redirect_to_a_private_address_refused(fixture_server, tmp_path: Path) -> None:
    # The seed (typed by the user) is trusted although it is on 127.0.0.1; where it redirects is not.
    home, other = fixture_server(articles=6, faults=False), fixture_server(articles=6, faults=False)
    target = other.site.url("/news/2024/03/story-0.html")
    home.site.pages["/away/allowed"] = SiteResponse(302, headers={"Location": target}, conditional=False)
    out = tmp_path / "out"
    result = run_newsarchive(["fetch", home.site.url("/away/allowed"), "--out", str(out), "--delay", "0"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert other.snapshot() == [], "nothing sent to the private address a redirect pointed to"
    assert [r.path for r in home.snapshot()] == ["/robots.txt", "/away/allowed"]
    assert "private-address" in output and "--allow-private" in output
    assert archived_documents(out) == {}


def test_redirects_from_another_host_count_in_per_host(fixture_server, tmp_path: Path) -> None:
    home, other = fixture_server(articles=6, faults=False), fixture_server(articles=6, faults=False)
    story = other.site.pages["/news/2024/03/story-0.html"].body
    for n in range(1, 5):
        other.site.pages[f"/slow/{n}"] = SiteResponse(body=story, delay=0.4)
    for n in (1, 2):
        target = other.site.url(f"/slow/{n + 2}")
        home.site.pages[f"/away/{n}"] = SiteResponse(302, headers={"Location": target}, conditional=False)
    seeds = [
        home.site.url("/away/1"),
        home.site.url("/away/2"),
        other.site.url("/slow/1"),
        other.site.url("/slow/2"),
    ]
    result = run_newsarchive(
        [
            "fetch",
            *seeds,
            "--out",
            str(tmp_path / "out"),
            "--delay",
            "0",
            "--per-host",
            "1",
            "--concurrency",
            "8",
        ]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    paths = Counter(r.path for r in other.snapshot())
    assert paths == Counter(["/robots.txt", "/slow/1", "/slow/2", "/slow/3", "/slow/4"]), paths
    assert other.max_in_flight == 1, "a redirect target's host keeps its --per-host limit"


# ------------------------------------------------------------------------------- the cleaning pool


def test_page_stuck_in_cleaning_times_out_and_pool_is_replaced(tmp_path: Path) -> None:
    crawler = Crawler(
        CrawlConfig(seeds=["http://news.test/"], out=tmp_path, workers=1, clean_timeout=1.0),
        Progress(quiet=True),
    )

    async def scenario() -> tuple[set[int], int, float]:
        crawler.pool = crawler._new_pool()
        first = crawler.pool
        workers = {await crawler._in_pool(os.getpid)}
        started = time.monotonic()
        with pytest.raises(CleanTimeout):
            await crawler._in_pool(time.sleep, 60)  # a cleaner that does not return in time
        waited = time.monotonic() - started
        assert crawler.pool is not first
        crawler.config.clean_timeout = 120.0  # the new pool's spawned workers take a moment to start
        return workers, await crawler._in_pool(os.getpid), waited

    try:
        old, new_pid, waited = asyncio.run(scenario())
    finally:
        crawler.pool.shutdown(wait=True, cancel_futures=True)
    assert waited < 30, waited
    assert new_pid not in old, "the stuck worker was replaced"
    (old_pid,) = old
    deadline = time.monotonic() + 10
    while _alive(old_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(old_pid), "the stuck worker was killed, not left running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie until the pool's manager reaps it: gone for our purpose.
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"
    return True


_real_analyse_html = crawl_module.analyse_html


def _analyse_html_stuck_on_story_1(body: bytes, url: str, *args: object):
    """A cleaner that hangs on one page (module level: the worker processes unpickle it by name)."""
    if url.endswith("/story-1.html"):
        time.sleep(30)  # a regression fails the test after 30 s instead of hanging it
    return _real_analyse_html(body, url, *args)


def test_crawl_records_clean_timeout_and_goes_on(
    fixture_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fixture_server(articles=6, faults=False)
    monkeypatch.setattr(crawl_module, "analyse_html", _analyse_html_stuck_on_story_1)
    out, log = tmp_path / "out", tmp_path / "events.jsonl"
    lines = io.StringIO()
    config = CrawlConfig(
        seeds=[server.base + "/"], out=out, delay=0, allow_private=True, clean_timeout=2.0, json_log=log
    )
    monkeypatch.setattr(crawl_module, "Progress", lambda *a, **kw: Progress(*a, **kw, stream=lines))
    code = crawl_module.run_crawl(config)
    output = lines.getvalue()
    assert code == 1, output
    stuck = server.site.url("/world/2024/03/story-1.html")
    assert f"clean-timeout: 1 (e.g. {stuck})" in output, output
    state = sqlite3.connect(out / ".newsarchive" / "crawl.sqlite")
    row = state.execute("SELECT status, cause, source FROM urls WHERE url = ?", (stuck,)).fetchone()
    state.close()
    assert row[:2] == ("failed", "clean-timeout") and row[2], "recorded, its WARC capture kept"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["url"] for e in events if e.get("cause") == "clean-timeout"] == [stuck]
    urls = {doc.url for doc in archived_documents(out).values()}
    assert urls == {server.site.url(p) for p in server.site.expected_articles} - {stuck}


def test_sitemap_and_feed_seeds_are_read_as_such(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=6, faults=False)
    site = server.site
    options = ["--delay", "0", "--allow-private", "--depth", "0", "--no-robots"]
    for seed, expected in (
        ("/feed.xml", {a.path for a in site.regular[:3]}),
        ("/sitemap_index.xml", set(site.expected_articles)),
    ):
        out = tmp_path / seed.strip("/")
        result = run_newsarchive(["crawl", site.url(seed), "--out", str(out), *options])
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert {doc.url for doc in archived_documents(out).values()} == {site.url(p) for p in expected}
    assert "/" not in [r.path for r in server.gets()], "pages found in them: no links followed at --depth 0"


def test_crawl_delay_urls_file_include_all_pages_and_user_agent(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=4, faults=False, robots_extra="Crawl-delay: 0.3\n")  # newsarchive group
    seeds = tmp_path / "seeds.txt"
    seeds.write_text(f"# where to start\n\n{server.base}/\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_newsarchive(
        [
            "crawl",
            "--urls-file",
            str(seeds),
            "--out",
            str(out),
            "--delay",
            "0",
            "--allow-private",
            "--include",
            "/news/",
            "--all-pages",
            "--depth",
            "2",
        ]
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    records = server.snapshot()
    gaps = [round(b.start - a.start, 3) for a, b in itertools.pairwise(records)]
    assert len(gaps) >= 5 and min(gaps) >= 0.3 - PACING_SLACK, "robots.txt Crawl-delay beats --delay 0"
    pages = [r.path for r in records if server.site.is_html(r.path)]
    assert pages and [p for p in pages if p != "/" and not p.startswith("/news/")] == [], pages
    urls = {doc.url for doc in archived_documents(out).values()}
    assert server.site.url("/news/") in urls, "--all-pages archives the section front too"
    assert {server.site.url(p) for p in server.site.expected_articles if p.startswith("/news/")} <= urls

    server.reset_log()
    agent = "TestBot/1.0 (+https://example.test/bot)"
    result = run_newsarchive(
        [
            "crawl",
            server.base + "/",
            "--out",
            str(tmp_path / "ua"),
            "--delay",
            "0",
            "--allow-private",
            "--max-pages",
            "1",
            "--user-agent",
            agent,
        ]
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r.headers.get("user-agent") for r in server.snapshot()} == {agent}


def test_robots_txt_5xx_blocks_the_host_until_readable_4xx_allows_all(
    fixture_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fixture_server(articles=3, faults=False)
    server.site.pages["/robots.txt"] = SiteResponse(503, b"busy", conditional=False)
    lines = io.StringIO()
    monkeypatch.setattr(crawl_module, "Progress", lambda *a, **kw: Progress(*a, **kw, stream=lines))
    config = CrawlConfig(
        seeds=[server.base + "/"],
        out=tmp_path / "out",
        delay=0,
        allow_private=True,
        retry=RetryPolicy(attempts=1),
        robots_attempts=2,
        robots_retry_delay=0.2,
    )
    assert crawl_module.run_crawl(config) == 1, lines.getvalue()
    assert [r.path for r in server.snapshot()] == ["/robots.txt", "/robots.txt"], "read again, nothing else"
    assert "robots-unavailable" in lines.getvalue()

    server.site.pages["/robots.txt"] = SiteResponse(404, b"none", conditional=False)
    server.reset_log()
    config.retry = RetryPolicy(attempts=1)
    assert crawl_module.run_crawl(config) == 0, lines.getvalue()
    assert "resuming pass 1" in lines.getvalue()
    urls = {doc.url for doc in archived_documents(tmp_path / "out").values()}
    assert urls == {server.site.url(p) for p in server.site.expected_articles}


def test_charset_from_the_http_header_beats_a_wrong_meta(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=6, faults=False)
    article = server.site.regular[0]
    sentence = "Smörgåsbord at the café in Malmö drew a crowd of two hundred people this week."
    first = html.escape(article.paragraphs[0])
    page = render_article(article, server.base).replace(first, f"{first} {sentence}")
    assert sentence in page
    assert '<meta charset="utf-8">' in page  # wrong for these bytes: the header is right
    server.site.pages[article.path] = SiteResponse(
        body=page.encode("cp1252"), content_type="text/html; charset=windows-1252"
    )
    out = tmp_path / "out"
    result = run_newsarchive(["fetch", server.site.url(article.path), "--out", str(out), "--delay", "0"])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (doc,) = archived_documents(out).values()
    assert sentence in doc.text
