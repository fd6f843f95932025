"""The crawl state: queueing once per pass, aliases, resuming, and documents whose write was cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import ArchiveError
from scraper.state import CrawlState, NewUrl, Outcome


def new(url: str, kind: str = "page", depth: int = 1) -> NewUrl:
    return NewUrl(url, "news.test", kind, depth)


def test_queued_once_per_pass_and_again_in_the_next(tmp_path: Path) -> None:
    state = CrawlState(tmp_path)
    assert state.start_run() is False and state.pass_no == 1
    with state.transaction():
        assert state.add([new("http://news.test/a"), new("http://news.test/b")]) == 2
        assert state.add([new("http://news.test/a")]) == 0  # already queued
    [a, b] = state.queued("news.test", 0, 10)
    assert (a.url, b.url) == ("http://news.test/a", "http://news.test/b") and a.seq < b.seq
    assert state.queued("news.test", a.seq, 10)[0].url == b.url  # the cursor skips what was loaded
    with state.transaction():
        state.complete(a.url, Outcome("done", http_status=200, etag='"e1"', doc_path="x/a.txt", doc_hash="h"))
        assert state.add([new("http://news.test/a")]) == 0  # done in this pass: not again
    assert state.is_queued(b.url) and not state.is_queued(a.url)
    assert state.pages_fetched_in_pass() == 1
    state.close()

    # A run that did not finish resumes the same pass: nothing done is queued again.
    state = CrawlState(tmp_path)
    assert state.start_run() is True and state.pass_no == 1
    assert [q.url for q in state.queued("news.test", 0, 10)] == [b.url]
    with state.transaction():
        state.complete(b.url, Outcome("failed", cause="timeout"))
    assert state.failures_by_cause() == {"timeout": 1}
    state.finish_pass()
    state.close()

    # After a finished pass, the next run starts a new one: rediscovered pages come back with validators.
    state = CrawlState(tmp_path)
    assert state.start_run() is False and state.pass_no == 2
    with state.transaction():
        assert state.add([new("http://news.test/a")]) == 1
    [again] = state.queued("news.test", 0, 10)
    assert again.url == a.url and again.etag == '"e1"' and again.doc_path == "x/a.txt"
    assert state.failures_by_cause() == {}  # failures are counted per pass
    state.close()


def test_alias_stops_a_second_fetch(tmp_path: Path) -> None:
    state = CrawlState(tmp_path)
    state.start_run()
    with state.transaction():
        state.add([new("http://news.test/target"), new("http://news.test/go")])
        state.complete("http://news.test/go", Outcome("done", final_url="http://news.test/target"))
        state.add_alias("http://news.test/target", "news.test", "http://news.test/go")
    assert not state.is_queued("http://news.test/target")
    with state.transaction():
        assert state.add([new("http://news.test/target")]) == 0
    state.close()


def test_pending_documents_survive_a_crash(tmp_path: Path) -> None:
    state = CrawlState(tmp_path)
    state.start_run()
    with state.transaction():
        state.add([new("http://news.test/a")])
        outcome = Outcome("done", doc_path="s/a.txt", doc_hash="h", doc_pending=True)
        state.complete("http://news.test/a", outcome)
    state.close()  # "killed" before the document file was written
    state = CrawlState(tmp_path)
    assert state.pending_documents() == [("http://news.test/a", "s/a.txt", "h")]
    with state.transaction():
        state.requeue("http://news.test/a")
    assert state.is_queued("http://news.test/a") and state.pending_documents() == []
    state.close()


def test_warc_commits_only_grow(tmp_path: Path) -> None:
    state = CrawlState(tmp_path)
    with state.transaction():
        state.commit_warc("f.warc.gz", 100)
        state.commit_warc("f.warc.gz", 50)
    assert state.warc_sizes() == {"f.warc.gz": 100}
    state.close()


def test_unusable_state_location_is_an_archive_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(ArchiveError, match="cannot open the crawl state"):
        CrawlState(tmp_path / "afile")
    corrupt = tmp_path / "out" / ".newsarchive" / "crawl.sqlite"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes(b"this is not an SQLite database, whatever its name says" * 10)
    with pytest.raises(ArchiveError, match="cannot open the crawl state"):
        CrawlState(tmp_path / "out")
