"""The crawl state: one SQLite database in ``OUT/.newsarchive/crawl.sqlite`` (WAL mode).

It is the crawl's memory: what is queued, what was fetched (status, final URL, ETag, Last-Modified),
why something failed, which WARC bytes are committed. A URL stays ``queued`` until the transaction that
completes it commits, so a crawl killed at any moment simply finds its in-flight URLs still queued on the
next start (nothing is marked in-flight on disk, which saves a write per fetch).

Passes: a run that empties the queue completes a *pass*. The next run with the same ``--out`` starts a
new pass: URLs are fetched again when rediscovered (conditionally, with the stored validators), once per
pass. A run that finds an unfinished pass resumes it instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveError

STATE_RELPATH = Path(".newsarchive") / "crawl.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,            -- normalised
    host TEXT NOT NULL,              -- scheduling key: host[:port]
    kind TEXT NOT NULL,              -- page | sitemap | feed | alias
    status TEXT NOT NULL,            -- queued | done | failed | skipped
    depth INTEGER NOT NULL,
    seq INTEGER NOT NULL,            -- discovery order (FIFO per host)
    pass INTEGER NOT NULL,           -- crawl pass that last queued or completed it
    lastmod TEXT,                    -- from a sitemap or feed, ISO 8601
    http_status INTEGER,
    final_url TEXT,
    etag TEXT,
    last_modified TEXT,
    doc_path TEXT,                   -- archive path of its document, relative to OUT
    doc_hash TEXT,                   -- hash of the document without fetch-time fields
    doc_pending INTEGER NOT NULL DEFAULT 0,  -- 1 from the commit until the document file is written
    cause TEXT,                      -- failure or skip cause
    detail TEXT,
    source TEXT,                     -- WARC file#record id of the final response
    fetched TEXT                     -- UTC ISO 8601
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(host, status, seq);
CREATE TABLE IF NOT EXISTS warc_files (
    name TEXT PRIMARY KEY,
    committed INTEGER NOT NULL       -- bytes that belong to committed pages
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class NewUrl:
    url: str
    host: str
    kind: str
    depth: int
    lastmod: str | None = None


@dataclass
class QueuedUrl:
    url: str
    host: str
    kind: str
    depth: int
    seq: int
    lastmod: str | None
    etag: str | None
    last_modified: str | None
    doc_path: str | None
    doc_hash: str | None


@dataclass
class Outcome:
    """What a finished URL writes to the state, in the same transaction as its discoveries."""

    status: str  # done | failed | skipped
    http_status: int | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    doc_path: str | None = None
    doc_hash: str | None = None
    cause: str | None = None
    detail: str | None = None
    source: str | None = None
    fetched: str | None = None
    doc_pending: bool = False


class CrawlState:
    """Single-threaded: used from the event loop thread only."""

    def __init__(self, out: Path) -> None:
        self.path = Path(out) / STATE_RELPATH
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable against process crashes
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()
            self._seq = int(row[0])
            self.pass_no = int(self._meta("pass", "0"))
        except (OSError, sqlite3.Error, ValueError) as exc:  # not a folder, not a database, locked...
            raise ArchiveError(f"cannot open the crawl state {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    # -- meta and passes -----------------------------------------------------------------------------
    def _meta(self, key: str, default: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def start_run(self) -> bool:
        """Resume the unfinished pass, or start a new one. True when resuming."""
        completed = self._meta("pass_completed", "1") == "1"
        if completed or self.pass_no == 0:
            with self.transaction():
                self.pass_no += 1
                self._set_meta("pass", str(self.pass_no))
                self._set_meta("pass_completed", "0")
            return False
        return True

    def finish_pass(self) -> None:
        with self.transaction():
            self._set_meta("pass_completed", "1")

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # -- the queue -----------------------------------------------------------------------------------
    def add(self, urls: Iterable[NewUrl]) -> int:
        """Queue URLs not yet seen in this pass (call inside a transaction). Returns how many were queued."""
        added = 0
        for new in urls:
            self._seq += 1
            cursor = self.db.execute(
                "INSERT INTO urls (url, host, kind, status, depth, seq, pass, lastmod) "
                "VALUES (?, ?, ?, 'queued', ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET status = 'queued', depth = excluded.depth, "
                "seq = excluded.seq, pass = excluded.pass, lastmod = excluded.lastmod, "
                "kind = CASE WHEN urls.kind = 'alias' THEN urls.kind ELSE excluded.kind END "
                "WHERE urls.pass < excluded.pass AND urls.status != 'queued' AND urls.kind != 'alias'",
                (new.url, new.host, new.kind, new.depth, self._seq, self.pass_no, new.lastmod),
            )
            added += cursor.rowcount
        return added

    def add_alias(self, url: str, host: str, final_url: str) -> None:
        """Record that ``url`` (a redirect source or canonical target) is the page just completed, so
        it is not fetched again in this pass."""
        self._seq += 1
        self.db.execute(
            "INSERT INTO urls (url, host, kind, status, depth, seq, pass, final_url) "
            "VALUES (?, ?, 'alias', 'done', 0, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET status = 'done', pass = excluded.pass, "
            "final_url = excluded.final_url WHERE urls.status = 'queued' OR urls.pass < excluded.pass",
            (url, host, self._seq, self.pass_no, final_url),
        )

    def queued(self, host: str, after_seq: int, limit: int) -> list[QueuedUrl]:
        rows = self.db.execute(
            "SELECT url, host, kind, depth, seq, lastmod, etag, last_modified, doc_path, doc_hash FROM urls "
            "WHERE host = ? AND status = 'queued' AND seq > ? ORDER BY seq LIMIT ?",
            (host, after_seq, limit),
        ).fetchall()
        return [QueuedUrl(*row) for row in rows]

    def is_queued(self, url: str) -> bool:
        row = self.db.execute("SELECT status FROM urls WHERE url = ?", (url,)).fetchone()
        return bool(row) and row[0] == "queued"

    def hosts_with_work(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT host FROM urls WHERE status = 'queued'")]

    def queued_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM urls WHERE status = 'queued'").fetchone()[0])

    def pages_fetched_in_pass(self) -> int:
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM urls WHERE pass = ? AND kind = 'page' AND status != 'queued' "
                "AND http_status IS NOT NULL",
                (self.pass_no,),
            ).fetchone()[0]
        )

    def complete(self, url: str, outcome: Outcome) -> None:
        """Record how ``url`` ended (call inside a transaction)."""
        self.db.execute(
            "UPDATE urls SET status = ?, pass = ?, http_status = COALESCE(?, http_status), "
            "final_url = COALESCE(?, final_url), etag = COALESCE(?, etag), "
            "last_modified = COALESCE(?, last_modified), doc_path = COALESCE(?, doc_path), "
            "doc_hash = COALESCE(?, doc_hash), cause = ?, detail = ?, source = COALESCE(?, source), "
            "fetched = COALESCE(?, fetched), doc_pending = ? WHERE url = ?",
            (
                outcome.status,
                self.pass_no,
                outcome.http_status,
                outcome.final_url,
                outcome.etag,
                outcome.last_modified,
                outcome.doc_path,
                outcome.doc_hash,
                outcome.cause,
                outcome.detail,
                outcome.source,
                outcome.fetched,
                int(outcome.doc_pending),
                url,
            ),
        )

    def document_written(self, url: str) -> None:
        self.db.execute("UPDATE urls SET doc_pending = 0 WHERE url = ?", (url,))

    def pending_documents(self) -> list[tuple[str, str, str | None]]:
        """(url, doc_path, doc_hash) of pages committed whose document file may not have been written."""
        return self.db.execute("SELECT url, doc_path, doc_hash FROM urls WHERE doc_pending = 1").fetchall()

    def requeue(self, url: str) -> None:
        # Validators and hash go too: they describe a document that never reached the disk, so the next
        # fetch must be a full one.
        self.db.execute(
            "UPDATE urls SET status = 'queued', doc_pending = 0, etag = NULL, last_modified = NULL, "
            "doc_hash = NULL WHERE url = ?",
            (url,),
        )

    def has_document_in_pass(self, url: str) -> bool:
        """Whether ``url`` was archived (or stood for an archived page) in this pass."""
        row = self.db.execute(
            "SELECT 1 FROM urls WHERE url = ? AND pass = ? AND status = 'done' "
            "AND (doc_path IS NOT NULL OR kind = 'alias')",
            (url, self.pass_no),
        ).fetchone()
        return row is not None

    def requeue_deferred(self) -> int:
        """URLs skipped because their host's robots.txt was unreachable get another chance."""
        cursor = self.db.execute(
            "UPDATE urls SET status = 'queued' WHERE status = 'skipped' "
            "AND cause = 'robots-unavailable' AND pass = ?",
            (self.pass_no,),
        )
        return cursor.rowcount

    # -- WARC files ----------------------------------------------------------------------------------
    def commit_warc(self, name: str, size: int) -> None:
        """Files never committed to are deleted on the next start (``capture.repair``)."""
        self.db.execute(
            "INSERT INTO warc_files (name, committed) VALUES (?, ?) ON CONFLICT(name) "
            "DO UPDATE SET committed = MAX(committed, excluded.committed)",
            (name, size),
        )

    def warc_sizes(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT name, committed FROM warc_files").fetchall())

    # -- reporting -----------------------------------------------------------------------------------
    def _by_cause(self, status: str) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT cause, COUNT(*) FROM urls WHERE pass = ? AND status = ? "
            "GROUP BY cause ORDER BY COUNT(*) DESC, cause",
            (self.pass_no, status),
        )
        return {cause or "unknown": count for cause, count in rows}

    def failures_by_cause(self) -> dict[str, int]:
        return self._by_cause("failed")

    def failure_examples(self, cause: str, limit: int = 5) -> list[str]:
        """Some URLs that failed with ``cause`` in this pass (for the summary of a resumed run)."""
        rows = self.db.execute(
            "SELECT url FROM urls WHERE pass = ? AND status = 'failed' AND COALESCE(cause, 'unknown') = ? "
            "ORDER BY seq LIMIT ?",
            (self.pass_no, cause, limit),
        )
        return [row[0] for row in rows]

    def skips_by_cause(self) -> dict[str, int]:
        return self._by_cause("skipped")


class _Transaction:
    """``with state.transaction():`` one BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
