"""WARC capture: request/response pairs with the real headers, rotation, and repair after a crash."""

from __future__ import annotations

import gzip
import os
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from scraper.capture import WARC_DIR, WarcCapture, repair
from scraper.fetch import Response


def response(path: str = "/a", body: bytes = b"<html>hello</html>", status: int = 200, **kw) -> Response:
    url = "http://news.test" + path
    headers = kw.pop(
        "headers",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("ETag", '"abc"'),
            ("X-Served-By", "fixture"),
            ("Content-Length", str(len(body))),
        ],
    )
    return Response(
        url=url,
        method="GET",
        request_headers=[("Host", "news.test"), ("User-Agent", "newsarchive/test"), ("Accept", "*/*")],
        status=status,
        reason="OK" if status == 200 else "Found",
        http_version="HTTP/1.1",
        headers=headers,
        raw_body=kw.pop("raw_body", body),
        body=body,
        truncated=kw.pop("truncated", False),
        started=datetime(2024, 3, 5, 12, 0, 0, tzinfo=timezone.utc),
    )


def read(path: Path) -> list:
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            body = record.content_stream().read()
            out.append((record.rec_type, record.rec_headers, record.http_headers, body))
    return out


def test_request_response_pairs_with_real_headers(tmp_path: Path) -> None:
    warc = WarcCapture(tmp_path)
    capture = warc.write([response("/go", b"", 302, headers=[("Location", "/a")]), response("/a")])
    warc.close()
    files = list((tmp_path / WARC_DIR).glob("*.warc.gz"))
    assert [f.name for f in files] == [capture.filename]
    records = read(files[0])
    assert [r[0] for r in records] == ["warcinfo", "response", "request", "response", "request"]
    assert {r[1].protocol for r in records} == {"WARC/1.1"}
    resp, req = records[3], records[4]
    assert resp[1].get_header("WARC-Target-URI") == "http://news.test/a"
    assert req[1].get_header("WARC-Concurrent-To") == resp[1].get_header("WARC-Record-ID") or resp[
        1
    ].get_header("WARC-Concurrent-To") == req[1].get_header("WARC-Record-ID")
    assert resp[2].get_statuscode() == "200"
    assert resp[2].get_header("X-Served-By") == "fixture" and resp[2].get_header("ETag") == '"abc"'
    assert req[2].get_header("User-Agent") == "newsarchive/test"
    assert req[2].protocol == "GET" and "/a" in req[2].statusline
    assert resp[3] == b"<html>hello</html>"
    assert records[1][2].get_statuscode() == "302"
    # The document's source names the final response's record.
    assert capture.source == f"{capture.filename}#{resp[1].get_header('WARC-Record-ID')}"
    assert capture.record_ids[-1] == resp[1].get_header("WARC-Record-ID")


def test_gzip_body_kept_as_on_the_wire_and_readable(tmp_path: Path) -> None:
    html = b"<html>" + b"x" * 500 + b"</html>"
    packed = gzip.compress(html)
    warc = WarcCapture(tmp_path)
    warc.write(
        [
            response(
                "/z",
                html,
                raw_body=packed,
                headers=[
                    ("Content-Type", "text/html"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ],
            )
        ]
    )
    warc.close()
    (path,) = (tmp_path / WARC_DIR).glob("*.warc.gz")
    resp = next(r for r in read(path) if r[0] == "response")
    assert resp[3] == html  # readers decode the content encoding
    assert resp[2].get_header("Transfer-Encoding") is None  # the stored body is not chunked
    assert resp[2].get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"


def test_truncated_body_is_marked(tmp_path: Path) -> None:
    warc = WarcCapture(tmp_path)
    warc.write([response("/big", b"a" * 100, truncated=True)])
    warc.close()
    (path,) = (tmp_path / WARC_DIR).glob("*.warc.gz")
    resp = next(r for r in read(path) if r[0] == "response")
    assert resp[1].get_header("WARC-Truncated") == "length"


def test_rotation(tmp_path: Path) -> None:
    warc = WarcCapture(tmp_path, max_file_size=3000)
    captures = [warc.write([response(f"/p{i}", os.urandom(900))]) for i in range(6)]
    warc.close()
    files = sorted((tmp_path / WARC_DIR).glob("*.warc.gz"))
    assert len(files) >= 3
    assert len({c.filename for c in captures}) == len(files)
    assert sum(len([r for r in read(f) if r[0] == "response"]) for f in files) == 6
    # Rotation does not wait for pages to commit: a rotated file's uncommitted writes are still tracked.
    first_file = [c for c in captures if c.filename == captures[0].filename]
    assert len(first_file) == 2
    assert warc.committed_size(first_file[-1]) == first_file[0].start  # the first page is not committed
    assert warc.committed_size(first_file[0]) == first_file[-1].end


def test_committed_size_never_covers_a_write_still_in_progress(tmp_path: Path) -> None:
    warc = WarcCapture(tmp_path)
    first = warc.write([response("/1")])
    second = warc.write([response("/2")])
    # The second page commits first: the first page's bytes are not yet owned by the state.
    assert warc.committed_size(second) == first.start
    assert warc.committed_size(first) == second.end
    third = warc.write([response("/3")])
    warc.release(third)  # abandoned page: it no longer holds back the others
    fourth = warc.write([response("/4")])
    assert warc.committed_size(fourth) == fourth.end
    warc.close()


def test_repair_cuts_uncommitted_records_and_removes_uncommitted_files(tmp_path: Path) -> None:
    warc = WarcCapture(tmp_path)
    first = warc.write([response("/1")])
    committed = warc.committed_size(first)
    second = warc.write([response("/2")])
    warc.close()
    path = tmp_path / WARC_DIR / first.filename
    with path.open("ab") as handle:  # a torn record, as a SIGKILL mid-write leaves it
        handle.write(b"\x1f\x8b\x08\x00garbage")
    orphan = tmp_path / WARC_DIR / "newsarchive-20240101000000-1-00001.warc.gz"
    orphan.write_bytes(b"\x1f\x8b partial")
    other = tmp_path / WARC_DIR / "someone-elses.warc.gz"
    other.write_bytes(b"keep me")
    changes = repair(tmp_path, {first.filename: committed})
    assert len(changes) == 2
    assert path.stat().st_size == committed < second.end
    records = read(path)  # reads to the end: nothing torn
    assert [r[1].get_header("WARC-Target-URI") for r in records if r[0] == "response"] == [
        "http://news.test/1"
    ]
    assert not orphan.exists() and other.exists()
    assert repair(tmp_path, {first.filename: committed}) == []  # idempotent
