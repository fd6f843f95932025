"""A crawl killed with SIGKILL (or stopped with Ctrl-C) part-way resumes on the next run with the same
``--out``.

Expectations: every article archived exactly once; a page archived before the kill is not fetched again;
the page(s) in flight at the kill (fetched, not yet committed) may be fetched again, once; nothing
temporary or torn is left in ``--out`` (WARC files read to the end).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sitegen import REPO, archived_documents, read_warcs, run_newsarchive, tracking_free, warc_files

ARTICLES = 60
KILL_AFTER_DOCS = 12
# Pages fetched before the kill but not yet committed: per-host 1 plus a short fetch -> clean pipeline.
MAX_REFETCHED = 3
TEMPORARY = re.compile(r"(\.tmp|\.temp|\.part|\.partial|\.open|~)$|^\.?tmp")


def count_documents(out: Path) -> int:
    return sum(
        1 for p in out.rglob("*.txt") if not any(part.startswith(".") for part in p.relative_to(out).parts)
    )


def start_and_wait_for_documents(args: list[str], out: Path, log: Path, documents: int) -> subprocess.Popen:
    """Start ``python -m scraper ARGS`` in its own process group; return once ``documents`` exist."""
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper", *args],
            cwd=REPO,
            stdout=stream,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while not out.exists() or count_documents(out) < documents:
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError(
                f"crawl ended or stalled before {documents} documents:\n" + log.read_text()[-3000:]
            )
        time.sleep(0.05)
    return process


def test_sigkill_then_resume_archives_everything_once(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=ARTICLES, faults=False, page_size=10)
    site = server.site
    out = tmp_path / "out"
    args = [
        "crawl",
        server.base + "/",
        "--out",
        str(out),
        "--delay",
        "0.05",
        "--allow-private",
        "--depth",
        "20",
    ]

    first = start_and_wait_for_documents(args, out, tmp_path / "first-run.log", KILL_AFTER_DOCS)
    os.killpg(first.pid, signal.SIGKILL)  # the crawler and any worker processes it started
    first.wait()
    before_kill = server.snapshot()
    archived_at_kill = {doc.url for doc in archived_documents(out).values()}
    assert KILL_AFTER_DOCS <= len(archived_at_kill) < ARTICLES, "the kill should land part-way"

    second = run_newsarchive(args)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    after_kill = server.snapshot()[len(before_kill) :]

    # Every article exactly once.
    docs = archived_documents(out)
    urls = Counter(doc.url for doc in docs.values())
    assert set(urls) == {site.url(p) for p in site.expected_articles}
    assert [u for u, n in urls.items() if n > 1] == []

    # Archived pages are not fetched again; pages in flight at the kill at most once more.
    fetched_first = Counter(tracking_free(r.path) for r in before_kill if r.method == "GET")
    fetched_again = Counter(tracking_free(r.path) for r in after_kill if r.method == "GET")
    refetched_archived = [p for p in fetched_again if site.url(p) in archived_at_kill]
    assert refetched_archived == [], "pages archived before the kill were fetched again"
    refetched = {p: n for p, n in fetched_again.items() if p in fetched_first and site.is_html(p)}
    assert len(refetched) <= MAX_REFETCHED and all(n == 1 for n in refetched.values()), refetched
    print(f"archived at kill: {len(archived_at_kill)}; fetched again after the kill: {sorted(refetched)}")
    for path in site.expected_articles:
        assert fetched_first[path] + fetched_again[path] <= 2, path

    # Nothing temporary, nothing torn: every WARC file reads to its end and holds every article.
    leftovers = [p for p in out.rglob("*") if p.is_file() and TEMPORARY.search(p.name)]
    assert leftovers == []
    records = read_warcs(warc_files(out))
    captured = {r.target for r in records if r.type == "response" and r.http_status == 200}
    assert {site.url(p) for p in site.expected_articles} <= captured


def test_ctrl_c_stops_cleanly_then_resumes(fixture_server, tmp_path: Path) -> None:
    server = fixture_server(articles=24, faults=False, page_size=8)
    site = server.site
    out = tmp_path / "out"
    args = ["crawl", server.base + "/", "--out", str(out), "--delay", "0.05", "--allow-private"]
    log = tmp_path / "first-run.log"
    first = start_and_wait_for_documents(args, out, log, 4)
    os.killpg(first.pid, signal.SIGINT)  # what a terminal sends to the foreground process group on Ctrl-C
    try:
        code = first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    output = log.read_text()
    assert code == 130, output[-2000:]
    assert "Traceback" not in output
    assert [p for p in out.rglob("*") if p.is_file() and TEMPORARY.search(p.name)] == []
    read_warcs(warc_files(out))  # complete records only
    interrupted = len(archived_documents(out))
    assert interrupted < len(site.expected_articles), "Ctrl-C came too late to test anything"

    second = run_newsarchive(args)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    urls = Counter(doc.url for doc in archived_documents(out).values())
    assert urls == Counter({site.url(p): 1 for p in site.expected_articles})
