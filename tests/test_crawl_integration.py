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

import itertools
import json
import re
import shutil
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
    run_newsarchive,
    tracking_free,
    warc_files,
)

from cleaners import Document, __version__

MAX_BYTES = 256 * 1024  # the oversized article is ~1.2 MB
PER_HOST = 2
CRAWL_OPTIONS = ["--delay", "0", "--per-host", str(PER_HOST), "--concurrency", "4", "--depth", "10",
                 "--max-bytes", str(MAX_BYTES), "--allow-private"]
TIMING_SLACK = 0.02  # seconds: timer granularity between the crawler's clock and the server's


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
        result=result, records=server.snapshot()[start:], max_in_flight=server.max_in_flight, out=out,
        docs=docs, mtimes={p: p.stat().st_mtime_ns for p in docs},
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


def test_json_log_has_one_event_per_fetch(first_crawl: CrawlRun) -> None:
    lines = (first_crawl.out.parent / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert all(isinstance(e, dict) for e in events)
    text = "\n".join(lines)
    for path in ("/news/2024/03/story-0.html", "/loop/a", "/robots.txt"):
        assert path in text, f"no event mentions {path}"


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
    for path in ("/news/?page=2", "/news/?page=3", "/world/?page=2", "/sitemap_index.xml",
                 "/sitemaps/news.xml", "/sitemaps/archive.xml.gz", "/feed.xml",
                 *site.expected_articles):
        assert counts.get(path), f"{path} was never fetched"


def test_retries_after_503_and_429_and_retry_after_honoured(first_crawl: CrawlRun, server: FixtureServer,
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
        assert doc.fetched and re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$",
                                        doc.fetched), doc.fetched
        assert doc.source, path
        year, month = article.published[:4], article.published[5:7]
        assert path.parent.parts[-2:] == (year, month), path


def body_problems(doc: Document, article: Article, titles: list[str]) -> list[str]:
    """What is wrong with an archived article body: cruft kept, paragraphs lost."""
    problems = [f"cruft {s!r}" for s in CRUFT_STRINGS if s in doc.text]
    problems += [f"title {t!r}" for t in titles if t in doc.text]  # its own (repeated) or a related one
    if f"By {article.author}" in doc.text:
        problems.append("byline")
    problems += [f"paragraph {i} lost" for i in range(len(article.paragraphs))
                 if f"Reference {article.seed}-{i} " not in doc.text]
    return problems


def article_bodies(run: CrawlRun, server: FixtureServer) -> dict[str, list[str]]:
    """Problems per archived article URL."""
    articles = {server.site.url(p): a for p, a in server.site.expected_articles.items()}
    titles = [a.title for a in articles.values()]
    return {doc.url: body_problems(doc, articles[doc.url], titles)
            for doc in run.docs.values() if doc.url in articles}


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
    leftovers = [p for p in first_crawl.out.rglob("*")
                 if p.is_file() and re.search(r"(\.tmp|\.part|\.partial|\.open|~)$|^\.?tmp", p.name)]
    assert leftovers == []


# --------------------------------------------------------------------------------------------- WARC

def test_warc_has_request_and_response_pairs_for_everything(first_crawl: CrawlRun,
                                                            first_warc_records: list[WarcRecord]) -> None:
    records = first_warc_records
    assert {r.version for r in records} == {"WARC/1.1"}
    requests = [r for r in records if r.type == "request"]
    responses = [r for r in records if r.type == "response"]
    # Every response the server sent (retried 503/429, redirects, robots.txt, sitemaps, feed) is there.
    seen = Counter((tracking_free(r.path), r.status) for r in first_crawl.records
                   if r.method == "GET" and r.status)
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
    assert all(r.http_headers.get("x-fixture-server") == "sitegen" for r in responses), \
        "responses keep the real HTTP headers"


def _path_query(url: str | None) -> str:
    parts = urlsplit(url or "")
    return parts.path + ("?" + parts.query if parts.query else "")


def test_clean_recleans_warcs_offline(first_crawl: CrawlRun, first_warc_records: list[WarcRecord],
                                      tmp_path: Path) -> None:
    warcs = [str(p) for p in warc_files(first_crawl.out.parent / "first-warcs")]
    result = run_newsarchive(["clean", *warcs, "--out", str(tmp_path / "again")])
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1: error pages (503, 429) are inputs too
    assert "Traceback" not in result.stdout + result.stderr
    again = {doc.text for doc in archived_documents(tmp_path / "again").values()}
    lost = [doc.url for doc in first_crawl.docs.values() if doc.text not in again]
    assert lost == [], "documents whose offline re-cleaning from the WARC gives another text"


# ---------------------------------------------------------------------------------------- re-crawl

def test_recrawl_uses_conditional_requests_and_keeps_files(second_crawl: CrawlRun, first_crawl: CrawlRun,
                                                           server: FixtureServer) -> None:
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
    changed = [p for p in first_crawl.docs if second_crawl.mtimes[p] != first_crawl.mtimes[p]
               or second_crawl.texts[p] != first_crawl.texts[p]]
    assert changed == [], "unchanged documents were rewritten"


# ----------------------------------------------------------------------------------- smaller crawls

def test_polite_defaults_and_delay_between_requests(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=3, faults=False)
    out = tmp_path / "out"
    result = run_newsarchive(["crawl", server.base + "/", "--out", str(out), "--delay", "0.3",
                              "--allow-private", "--depth", "5"])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    records = server.snapshot()
    assert server.max_in_flight == 1, "one request at a time per host by default"
    gaps = [(round(b.start - a.start, 3), b.path) for a, b in itertools.pairwise(records)]
    assert len(gaps) >= 5
    assert [g for g in gaps if g[0] < 0.3 - TIMING_SLACK] == [], "request starts closer than --delay"
    urls = {doc.url for doc in archived_documents(out).values()}
    assert urls == {server.site.url(p) for p in server.site.expected_articles}


def test_max_pages_and_exclude(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=8, faults=False)
    result = run_newsarchive(["crawl", server.base + "/", "--out", str(tmp_path / "a"), "--delay", "0",
                              "--allow-private", "--max-pages", "3"])
    assert result.returncode == 0, result.stderr[-2000:]
    html_gets = [r for r in server.gets() if server.site.is_html(r.path)]
    assert len(html_gets) <= 3, [r.path for r in html_gets]
    assert len(archived_documents(tmp_path / "a")) <= 3

    server.reset_log()
    result = run_newsarchive(["crawl", server.base + "/", "--out", str(tmp_path / "b"), "--delay", "0",
                              "--allow-private", "--depth", "10", "--exclude", "/world/"])
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
    result = run_newsarchive(["crawl", server.base + "/", "--out", str(out), "--delay", "0",
                              "--per-host", "2", "--allow-private", "--since", "2024-03-01",
                              "--exclude", skip])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    urls = {doc.url for doc in archived_documents(out).values()}
    recent = {site.url(p) for p, a in site.expected_articles.items()
              if a.published >= "2024-03-01" and not re.search(skip + "|redirect-target", p)}
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
    result = run_newsarchive(["fetch", site.url("/go/1"), site.url("/news/2024/03/story-0.html"),
                              "--out", str(out), "--delay", "0"])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    urls = sorted(doc.url for doc in archived_documents(out).values())
    assert urls == [site.url("/news/2024/03/redirect-target.html"), site.url("/news/2024/03/story-0.html")]
    targets = {r.target for r in read_warcs(warc_files(out)) if r.type == "response"}
    assert site.url("/go/1") in targets and site.url("/news/2024/03/redirect-target.html") in targets
