"""Finding and reading inputs: saved pages, legacy text files and WARC captures.

Every input gets a ``source``: its path relative to the folder of the INPUT argument that found it,
with POSIX separators (``fixtures/legacy`` finds ``legacy/000_x.txt``), so what we write does not
depend on the machine, the checkout location or the current directory.

Reading is bounded: at most ``MAX_INPUT_BYTES`` of (decompressed) content per document, gzip read
in chunks so a gzip bomb costs no more than that. Every read problem is an ``InputReadError`` whose
message is one short line meant for the user.
"""

from __future__ import annotations

import codecs
import glob
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO, Protocol

from .errors import InputReadError, InputTooLargeError, UsageError

MAX_INPUT_BYTES = 50 * 1024 * 1024  # per document, after decompression
_CHUNK = 1 << 16
_BINARY_SNIFF = 1 << 16  # NUL bytes in this many leading bytes mean binary


class InputKind(str, Enum):
    HTML = "html"
    TEXT = "text"
    WARC = "warc"


# Longest suffixes first: ".html.gz" must win over ".gz" style partial matches.
_SUFFIX_KINDS: tuple[tuple[str, InputKind], ...] = (
    (".html.gz", InputKind.HTML),
    (".htm.gz", InputKind.HTML),
    (".warc.gz", InputKind.WARC),
    (".html", InputKind.HTML),
    (".htm", InputKind.HTML),
    (".txt", InputKind.TEXT),
    (".warc", InputKind.WARC),
)
SUPPORTED_SUFFIXES = tuple(suffix for suffix, _ in _SUFFIX_KINDS)


def input_kind(name: str) -> InputKind | None:
    """The kind of input a file name denotes, or None when we do not read such files."""
    lowered = name.lower()
    for suffix, kind in _SUFFIX_KINDS:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return kind
    return None


def input_stem(name: str) -> str:
    """The file name without its input suffix: ``x.html.gz`` -> ``x``."""
    lowered = name.lower()
    for suffix, _ in _SUFFIX_KINDS:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class InputFile:
    """One file to clean. ``source`` is its machine-independent name (see module docstring)."""

    path: str
    source: str
    kind: InputKind


# -- discovery ---------------------------------------------------------------------------------------


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: str, excluded: Path | None) -> Iterator[str]:
    """Supported files under ``folder``, recursively, skipping hidden entries and ``excluded``."""
    if excluded is not None and _inside(Path(folder).resolve(), excluded):
        return
    for root, dirs, files in os.walk(folder):
        kept = []
        for d in dirs:
            if _is_hidden(d):
                continue
            if excluded is not None and Path(root, d).resolve() == excluded:
                continue
            kept.append(d)
        dirs[:] = sorted(kept)
        for name in sorted(files):
            if not _is_hidden(name) and input_kind(name) is not None:
                yield os.path.join(root, name)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _folder_base(folder: str) -> str:
    """Sources of files found in ``folder`` start with the folder's own name (``legacy/x.txt``)."""
    norm = os.path.normpath(folder)
    name = os.path.basename(norm)
    if name in ("", ".", "..") or norm == os.path.dirname(norm):
        return norm
    return os.path.dirname(norm) or "."


def _glob_base(pattern: str) -> str:
    """The folder part of a glob pattern before its first wildcard."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return os.path.join(*fixed) if fixed else "."


def _posix_relative(path: str, base: str) -> str:
    return Path(os.path.relpath(path, base)).as_posix()


def discover(arguments: Sequence[str], *, exclude: Path | None = None) -> list[InputFile]:
    """The inputs named by INPUT arguments (files, folders searched recursively, globs), in a stable order.

    Arguments keep their order; the files each one finds are sorted. A file found twice is kept once.
    ``exclude`` (the output folder) is never searched. Raises ``UsageError`` for an argument that finds
    nothing or names a file of an unsupported type.
    """
    excluded = exclude.resolve() if exclude is not None else None
    found: list[InputFile] = []
    seen_files: set[str] = set()
    seen_sources: set[str] = set()
    problems: list[str] = []

    def add(path: str, source: str) -> None:
        kind = input_kind(path)
        if kind is None:
            return
        real = os.path.realpath(path)
        if real in seen_files:
            return
        if source in seen_sources:  # same relative name from two arguments: fall back to the path as given
            source = Path(os.path.normpath(path)).as_posix()
        seen_files.add(real)
        seen_sources.add(source)
        found.append(InputFile(path=path, source=source, kind=kind))

    for argument in arguments:
        before = len(found)
        matched_any = False
        if os.path.isdir(argument):
            if excluded is not None and _inside(Path(argument).resolve(), excluded):
                problems.append(f"{argument}: is the output folder (or inside it), not an input")
                continue
            base = _folder_base(argument)
            for path in _walk(argument, excluded):
                matched_any = True
                add(path, _posix_relative(path, base))
        elif os.path.isfile(argument):
            if input_kind(argument) is None:
                problems.append(
                    f"{argument}: unsupported input type (expected {', '.join(SUPPORTED_SUFFIXES)})"
                )
                continue
            matched_any = True
            add(argument, os.path.basename(argument))
        elif glob.has_magic(argument):
            base = _glob_base(argument)
            candidates: list[tuple[str, str]] = []
            for match in glob.glob(argument, recursive=True):
                if os.path.isdir(match):
                    candidates.extend((p, _posix_relative(p, base)) for p in _walk(match, excluded))
                elif input_kind(match) is not None and not _is_hidden(os.path.basename(match)):
                    candidates.append((match, _posix_relative(match, base)))
            for path, source in sorted(candidates, key=lambda pair: pair[1]):
                matched_any = True
                add(path, source)
        else:
            problems.append(f"{argument}: no such file or folder")
            continue
        if not matched_any and len(found) == before:
            problems.append(f"{argument}: no {', '.join(SUPPORTED_SUFFIXES)} files found")
    if problems:
        raise UsageError("; ".join(problems))
    return found


# -- reading -----------------------------------------------------------------------------------------


def _mib(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB"


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_bounded(stream: _Readable, limit: int, what: str) -> bytes:
    """Read ``stream`` to its end in chunks, failing as soon as it exceeds ``limit`` bytes."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise InputTooLargeError(f"too large (more than {_mib(limit)}{what})")
        chunks.append(chunk)


def read_input_bytes(path: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The content of a page or text file, gunzipped when its name ends in ``.gz``."""
    try:
        with open(path, "rb") as raw:
            if not path.lower().endswith(".gz"):
                return _read_bounded(raw, limit, "")
            magic = raw.read(2)
            if not magic:
                raise InputReadError("empty input")
            if magic != b"\x1f\x8b":
                raise InputReadError("not a gzip file")
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                try:
                    return _read_bounded(unzipped, limit, " decompressed")
                except EOFError:
                    raise InputReadError("truncated gzip stream") from None
                except (gzip.BadGzipFile, zlib.error) as exc:
                    raise InputReadError(f"corrupt gzip stream ({exc})") from None
    except OSError as exc:
        raise InputReadError(f"cannot read ({exc.strerror or exc})") from None


def file_sha256(path: str) -> str:
    """SHA-256 of a file's bytes as stored (compressed or not): the identity of its content."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise InputReadError(f"cannot read ({exc.strerror or exc})") from None
    return digest.hexdigest()


_UNICODE_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def check_content(data: bytes) -> None:
    """Reject what no cleaner can use: empty or whitespace-only content, and binary files."""
    if not data.strip():
        raise InputReadError("empty input")
    if not data.startswith(_UNICODE_BOMS) and b"\x00" in data[:_BINARY_SNIFF]:
        raise InputReadError("binary content (NUL bytes), not text or HTML")


def decode_text(data: bytes) -> str:
    """Decode a legacy text file: BOM, then UTF-8, then detection. Raises ``InputReadError``."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputReadError(
                    f"undecodable text (invalid {encoding} after its byte-order mark)"
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # only for the rare non-UTF-8 legacy file

        best = from_bytes(data).best()
        if best is None:
            raise InputReadError("undecodable text (not UTF-8 and no known encoding fits)") from None
        text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text) // 20:
        raise InputReadError("binary content, not text")
    return text


# -- WARC --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarcPage:
    """One HTML response record of a WARC file."""

    record_id: str  # WARC-Record-ID without its angle brackets
    url: str | None
    fetched: str | None  # WARC-Date, ISO 8601 in UTC
    content: bytes | str  # str when the HTTP header declared a charset that decodes it cleanly
    error: str | None = None  # why the record could not be read; content is then empty


def _warc_date(value: str | None) -> str | None:
    """WARC-Date (``2024-03-05T10:00:00Z``) as ISO 8601 with an explicit offset."""
    if not value:
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def declared_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, or None."""
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _http_decoded(payload: bytes, content_type: str) -> bytes | str:
    """The HTTP header's charset wins over the page's own declaration (HTML spec), unless a BOM is present."""
    charset = declared_charset(content_type)
    if charset is None or payload.startswith(_UNICODE_BOMS):
        return payload
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload  # wrong or unknown label: let the cleaners detect the encoding


class _StrictGzip:
    """A gunzipping reader whose errors are ``InputReadError`` (warcio swallows ``EOFError``)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1) -> bytes:
        return self._strict(self._gzip.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._strict(self._gzip.readline, size)

    @staticmethod
    def _strict(method: Callable[[int], bytes], size: int) -> bytes:
        try:
            return method(size)
        except EOFError:
            raise InputReadError("truncated gzip stream") from None
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise InputReadError(f"corrupt gzip stream ({exc})") from None


def iter_warc_pages(path: str, *, limit: int = MAX_INPUT_BYTES) -> Iterator[WarcPage]:
    """HTML response records (2xx) of a ``.warc`` or ``.warc.gz`` file, in file order.

    A record too large to read is yielded with ``error`` set; a file that is not a WARC or is cut
    short raises ``InputReadError`` (after the records read before the damage).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    try:
        with open(path, "rb") as raw:
            # Python's gzip is strict about cut-off members where warcio would stop quietly.
            stream = _StrictGzip(raw) if path.lower().endswith(".gz") else raw
            for record in ArchiveIterator(stream):
                if not str(getattr(record, "format", "warc")).startswith("warc"):  # warcio's ARC fallback
                    raise InputReadError("not a readable WARC file (no WARC/1.x record header)")
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                mime = content_type.split(";")[0].strip().lower()
                if mime not in ("text/html", "application/xhtml+xml"):
                    continue
                status = record.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    continue
                record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
                record_id = record_id or f"record-{records}"  # the header is mandatory, but be lenient
                url = record.rec_headers.get_header("WARC-Target-URI")
                fetched = _warc_date(record.rec_headers.get_header("WARC-Date"))
                try:
                    payload = _read_bounded(record.content_stream(), limit, "")
                except InputTooLargeError as exc:
                    yield WarcPage(record_id, url, fetched, b"", error=str(exc))
                    continue
                if getattr(record.raw_stream, "limit", 0) > 0:  # warcio stops quietly at a cut-off end
                    raise InputReadError(f"truncated WARC file (record {record_id} is cut short)")
                yield WarcPage(record_id, url, fetched, _http_decoded(payload, content_type))
    except ArchiveLoadFailed as exc:
        raise InputReadError(f"not a readable WARC file ({str(exc).strip().splitlines()[0]})") from None
    except EOFError:
        raise InputReadError("truncated WARC file") from None
    except OSError as exc:
        raise InputReadError(f"cannot read ({exc.strerror or exc})") from None
    if records == 0:
        raise InputReadError("no WARC records (empty, truncated or not a WARC file)")
