"""WARC capture: every exchange written as a WARC/1.1 request + response record pair (warcio), into
gzipped files in ``OUT/warc/`` that rotate at a size limit.

Crash safety: a record pair counts only once the crawl state has committed the page that owns it. The
state stores each file's *committed size*; on start, ``repair`` cuts every file back to that size, so a
SIGKILL in the middle of a record never leaves a torn gzip member (or an orphan capture) behind.
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.version import __version__

from .fetch import Response

WARC_DIR = "warc"
DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024
# The body stored is the de-chunked wire body: a kept "Transfer-Encoding: chunked" header would make WARC
# readers de-chunk it again, so that header is renamed (the usual practice of web archives).
_RENAMED = {"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}


@dataclass
class Capture:
    """Where one fetch's records went: the file, each response's record id, the byte range."""

    filename: str
    record_ids: list[str]
    start: int
    end: int

    @property
    def source(self) -> str:
        """``<file>#<record id>`` of the last (final) response: the ``source`` of its document."""
        return f"{self.filename}#{self.record_ids[-1]}" if self.record_ids else self.filename


@dataclass
class _OpenFile:
    name: str
    handle: io.BufferedWriter
    writer: WARCWriter
    pending: dict[int, int] = field(default_factory=dict)  # start -> end of uncommitted writes


def _warc_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class WarcCapture:
    """Thread-safe rotating WARC writer (called from worker threads so gzip never blocks the event loop)."""

    def __init__(self, out: Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        self.dir = Path(out) / WARC_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_file_size = max_file_size
        self._lock = threading.Lock()
        self._file: _OpenFile | None = None
        self._sizes: dict[str, int] = {}  # name -> final size, for files rotated away
        self._draining: dict[str, dict[int, int]] = {}  # rotated files with uncommitted writes
        self._serial = 0

    # -- writing -----------------------------------------------------------------------------------
    def write(self, responses: list[Response]) -> Capture:
        """Write request+response pairs for ``responses``, contiguously, and flush them to the OS."""
        with self._lock:
            current = self._current_file()
            start = current.handle.tell()
            ids: list[str] = []
            for response in responses:
                request_record, response_record = self._records(current.writer, response)
                current.writer.write_request_response_pair(request_record, response_record)
                ids.append(response_record.rec_headers.get_header("WARC-Record-ID"))
            current.handle.flush()
            end = current.handle.tell()
            current.pending[start] = end
            return Capture(current.name, ids, start, end)

    def committed_size(self, capture: Capture) -> int:
        """Mark ``capture`` as owned by committed state; return the file size that is now safe to keep.

        Writes of other pages still in progress are beyond it, so a crash never keeps their records.
        """
        with self._lock:
            pending, size = self._pending_of(capture.filename)
            if pending is None:
                return self._sizes.get(capture.filename, capture.end)
            pending.pop(capture.start, None)
            if not pending and capture.filename in self._draining:
                del self._draining[capture.filename]
            return min(pending) if pending else size

    def release(self, capture: Capture) -> None:
        """Forget ``capture`` without committing it (its page was abandoned): it no longer holds back the
        committed size of later pages. Its records stay in the file as an extra, harmless capture."""
        with self._lock:
            pending, _ = self._pending_of(capture.filename)
            if pending is not None:
                pending.pop(capture.start, None)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.handle.close()
                self._file = None

    # -- internals ---------------------------------------------------------------------------------
    def _pending_of(self, name: str) -> tuple[dict[int, int] | None, int]:
        current = self._file
        if current is not None and current.name == name:
            return current.pending, current.handle.tell()
        if name in self._draining:
            return self._draining[name], self._sizes[name]
        return None, 0

    def _current_file(self) -> _OpenFile:
        current = self._file
        if current is not None and current.handle.tell() >= self.max_file_size:
            # Rotate: the old file takes no more writes; pages still in flight commit into it later.
            self._sizes[current.name] = current.handle.tell()
            if current.pending:
                self._draining[current.name] = current.pending
            current.handle.close()
            current = self._file = None
        if current is None:
            current = self._file = self._open_new()
        return current

    def _open_new(self) -> _OpenFile:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            name = f"newsarchive-{stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
            if not (self.dir / name).exists():
                break
        handle = open(self.dir / name, "wb")  # noqa: SIM115 - kept open across writes, closed in close()
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        info = writer.create_warcinfo_record(
            name,
            {
                "software": f"newsarchive/{__version__}",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            },
        )
        writer.write_record(info)
        handle.flush()
        return _OpenFile(name, handle, writer)

    @staticmethod
    def _records(writer: WARCWriter, response: Response) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        date = _warc_date(response.started)
        request_headers = StatusAndHeaders(
            f"{response.method} {_request_target(response.url)} {response.http_version}",
            list(response.request_headers),
            is_http_request=True,
        )
        request = writer.create_warc_record(
            response.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date},
        )
        headers = [(_RENAMED.get(k.lower(), k), v) for k, v in response.headers]
        http_headers = StatusAndHeaders(
            f"{response.status} {response.reason}".strip(), headers, protocol=response.http_version
        )
        warc_headers = {"WARC-Date": date}
        if response.truncated:
            warc_headers["WARC-Truncated"] = "length"
        record = writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.raw_body),
            length=len(response.raw_body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        return request, record


def repair(out: Path, committed: dict[str, int]) -> list[str]:
    """Cut WARC files back to their committed sizes; delete files the state never committed anything to.

    Returns a description of each change (for the log).
    """
    directory = Path(out) / WARC_DIR
    changes: list[str] = []
    if not directory.is_dir():
        return changes
    for path in sorted(directory.glob("newsarchive-*.warc.gz")):
        size = path.stat().st_size
        keep = committed.get(path.name)
        if keep is None or keep == 0:
            if keep is None or size > 0:
                path.unlink()
                changes.append(f"removed uncommitted {path.name}")
            continue
        if size > keep:
            with open(path, "r+b") as handle:
                handle.truncate(keep)
            changes.append(f"cut {path.name} from {size} to {keep} bytes")
    return changes
