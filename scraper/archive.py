"""The archive on disk: where a document goes, safe names, atomic writes, and the SQLite index.

Layout: ``DIR/<site>/<YYYY>/<MM>/<slug>.txt`` (``DIR/<site>/undated/<slug>.txt`` without a date).
Every path component is ASCII, lowercase, at most ``MAX_COMPONENT`` characters, never ``.``/``..``,
never hidden, never a reserved Windows device name, so any title gives a path inside DIR that works
on every common file system (case-insensitive ones included).

The index (``DIR/.newsarchive/index.sqlite``) remembers, per input, the hash of its bytes and the
tool configuration that cleaned it (to skip unchanged inputs), and per document the path it owns (so
a document keeps its path across runs and collisions resolve the same way every time).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import ArchiveError

MAX_COMPONENT = 80
UNKNOWN_SITE = "unknown-site"
UNDATED = "undated"
FALLBACK_SLUG = "document"
INDEX_RELPATH = Path(".newsarchive") / "index.sqlite"

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)
# Letters that NFKD does not split into ASCII base + accent.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_HOST = re.compile(r"[^a-z0-9.-]+")
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?(?:[T ]|$)")
_URL_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)


def ascii_fold(text: str) -> str:
    """Latin letters without their accents; other characters with no ASCII form become spaces
    (so ``Hamburg–Bremen`` keeps its two words apart)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    if decomposed.isascii():
        return decomposed
    return "".join(ch if ch.isascii() else "" if unicodedata.combining(ch) else " " for ch in decomposed)


def _bounded(slug: str, limit: int, separator: str) -> str:
    """Cut to ``limit`` characters, at a separator when one is reasonably close to the end."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    boundary = cut.rfind(separator)
    if boundary >= limit // 2:
        cut = cut[:boundary]
    return cut.strip(separator)


def _not_reserved(component: str) -> str:
    """Windows refuses ``con``, ``nul.txt``, ``com1.anything``...: move such names out of the way."""
    if component.split(".", 1)[0] in _WINDOWS_RESERVED:
        return component + "_"
    return component


def slugify(text: str | None, *, limit: int = MAX_COMPONENT) -> str:
    """``"Iran's Top Général: 5 things"`` -> ``"irans-top-general-5-things"``; ``""`` when nothing is left."""
    if not text:
        return ""
    folded = _APOSTROPHES.sub("", ascii_fold(text)).lower()
    slug = _NOT_SLUG.sub("-", folded).strip("-")
    return _not_reserved(_bounded(slug, limit, "-"))


def _url_slug(url: str | None) -> str:
    """A slug from the last meaningful segment of a URL path: ``/2024/03/big-news.html`` -> ``big-news``."""
    if not url:
        return ""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    for segment in reversed([s for s in unquote(path).split("/") if s]):
        slug = slugify(_URL_PAGE_SUFFIX.sub("", segment))
        is_year_or_month = slug.isdigit() and len(slug) <= 4
        if slug and not is_year_or_month:
            return slug
    return ""


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    if host.startswith("xn--") or ".xn--" in host:
        with contextlib.suppress(UnicodeError):
            host = host.encode("ascii").decode("idna")
    host = _NOT_HOST.sub("-", ascii_fold(host).lower())
    host = re.sub(r"\.{2,}", ".", host).strip(".-")
    return host.removeprefix("www.")


_HOST_LIKE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)


def site_dirname(site: str | None, url: str | None) -> str:
    """The site folder: the document's site name, else its URL's host, else ``unknown-site``.

    A site name that is a host name (``KestrelBay.example``) is written like a host, dots kept.
    """
    if site and _HOST_LIKE.match(site.strip()):
        host = _host("http://" + site.strip())
        name = _not_reserved(_bounded(host, MAX_COMPONENT, ".").strip(".-"))
    else:
        name = slugify(site)
    if not name:
        host = _bounded(_host(url), MAX_COMPONENT, ".")
        name = _not_reserved(host.strip(".-")) if host else ""
    return name or UNKNOWN_SITE


def date_dirs(published: str | None) -> tuple[str, ...]:
    """``("2024", "03")`` from an ISO 8601 date, ``("undated",)`` when there is none."""
    match = _DATE_PREFIX.match(published or "")
    if match and 1 <= int(match.group(2)) <= 12:
        return match.group(1), match.group(2)
    return (UNDATED,)


def document_slug(title: str | None, url: str | None, input_stem: str | None) -> str:
    """The file name (without ``.txt``): from the title, else the URL path, else the input's name."""
    return slugify(title) or _url_slug(url) or slugify(input_stem) or FALLBACK_SLUG


def document_relpath(
    *,
    site: str | None,
    url: str | None,
    published: str | None,
    title: str | None,
    input_stem: str | None = None,
) -> PurePosixPath:
    """Where a document wants to live, relative to the archive folder (before collision handling)."""
    slug = document_slug(title, url, input_stem)
    return PurePosixPath(site_dirname(site, url), *date_dirs(published), f"{slug}.txt")


def numbered(relpath: PurePosixPath, number: int) -> PurePosixPath:
    """The ``number``-th candidate for ``relpath``: 1 is itself, then ``slug-2.txt``, ``slug-3.txt``..."""
    if number <= 1:
        return relpath
    return relpath.with_name(f"{relpath.stem}-{number}{relpath.suffix}")


def is_numbered_variant(candidate: str, relpath: PurePosixPath) -> bool:
    """Whether ``candidate`` is ``relpath`` itself or one of its ``-N`` collision variants."""
    other = PurePosixPath(candidate)
    if other == relpath:
        return True
    if other.parent != relpath.parent or other.suffix != relpath.suffix:
        return False
    return re.fullmatch(re.escape(relpath.stem) + r"-([2-9]|[1-9]\d+)", other.stem) is not None


def is_safe_relpath(relpath: PurePosixPath) -> bool:
    """True when ``relpath`` stays inside the archive folder and every component is a safe name."""
    if relpath.is_absolute() or not relpath.parts:
        return False
    for part in relpath.parts:
        if part in ("", ".", "..") or part.startswith(".") or "/" in part or "\\" in part:
            return False
        if len(part) > MAX_COMPONENT + 8 or part.split(".", 1)[0] in _WINDOWS_RESERVED:
            return False
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", part) or part.endswith((".", " ")):
            return False
    return True


# -- writing -----------------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a partial one.

    The bytes go to a hidden temporary file in the same folder, which then replaces ``path`` in one
    rename; on any error the temporary file is removed. (No fsync: this protects against crashes of
    the process, which is what a batch tool meets; power loss is the file system's business.)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_file(root: Path, relpath: str) -> None:
    """Delete an archive file we own and the folders it leaves empty (up to, not including, ``root``).

    ``relpath`` comes from the index: one that could not have been produced here (``..``, absolute,
    hidden) is left alone, so a damaged or hand-edited index can never delete outside the archive.
    """
    if not is_safe_relpath(PurePosixPath(relpath)):
        return
    path = root / relpath
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[0-9a-f]+\.tmp$")  # atomic_write's ``.<name>.<pid>.<hex>.tmp``


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # we have written nothing yet: a file with our pid is from an earlier process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_temporary_files(root: Path) -> list[Path]:
    """Delete the temporary files of ``atomic_write`` that a killed run left under ``root``.

    Files of a process still running (another run writing into the same archive) are left alone.
    """
    removed: list[Path] = []
    for folder, _, files in os.walk(root):
        for name in files:
            match = _TEMPORARY.match(name)
            if match is None or _process_alive(int(match.group(1))):
                continue
            path = Path(folder) / name
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


# -- the index ---------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    input TEXT PRIMARY KEY,          -- the input's source name
    content_sha256 TEXT NOT NULL,    -- hash of its bytes as stored
    config TEXT NOT NULL             -- tool version and options that shaped its output
);
CREATE TABLE IF NOT EXISTS documents (
    doc_key TEXT PRIMARY KEY,        -- the document's source (input, or input#record for WARC)
    input TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE        -- relative to the archive folder, POSIX separators
);
CREATE INDEX IF NOT EXISTS documents_by_input ON documents(input);
"""


class ArchiveIndex:
    """The archive's memory between runs. Single-threaded: only the parent process touches it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        location = root / INDEX_RELPATH
        try:
            location.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(location, timeout=30)
            # A crawl commits once per document: in rollback-journal mode each commit costs an fsync,
            # more than fetching and cleaning the page. WAL with synchronous=NORMAL survives process
            # crashes (SIGKILL, Ctrl-C), which is what the index must survive.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"cannot open the archive index {location}: {exc}") from None

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    def __enter__(self) -> ArchiveIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def commit(self) -> None:
        self._db.commit()

    def documents_of(self, input_source: str) -> dict[str, str]:
        """``{doc_key: path}`` of the documents an input produced last time."""
        rows = self._db.execute("SELECT doc_key, path FROM documents WHERE input = ?", (input_source,))
        return dict(rows.fetchall())

    def is_unchanged(self, input_source: str, content_sha256: str, config: str) -> bool:
        """Same bytes, same tool configuration, and every file it produced is still there."""
        row = self._db.execute(
            "SELECT content_sha256, config FROM inputs WHERE input = ?", (input_source,)
        ).fetchone()
        if row is None or row != (content_sha256, config):
            return False
        return all((self.root / path).is_file() for path in self.documents_of(input_source).values())

    def path_of(self, doc_key: str) -> str | None:
        row = self._db.execute("SELECT path FROM documents WHERE doc_key = ?", (doc_key,)).fetchone()
        return row[0] if row else None

    def owner_of(self, relpath: str) -> str | None:
        row = self._db.execute("SELECT doc_key FROM documents WHERE path = ?", (relpath,)).fetchone()
        return row[0] if row else None

    def assign_path(self, doc_key: str, wanted: PurePosixPath) -> str:
        """The path ``doc_key`` gets: the one it already owns if that still fits ``wanted``, else the
        first of ``wanted``, ``wanted-2``, ``wanted-3``... that no other document owns."""
        current = self.path_of(doc_key)
        if current is not None and is_numbered_variant(current, wanted):
            return current
        number = 1
        while True:
            candidate = str(numbered(wanted, number))
            owner = self.owner_of(candidate)
            if owner is None or owner == doc_key:
                return candidate
            number += 1

    def record_document(self, doc_key: str, input_source: str, relpath: str) -> None:
        self._db.execute(
            "INSERT INTO documents (doc_key, input, path) VALUES (?, ?, ?) "
            "ON CONFLICT(doc_key) DO UPDATE SET input = excluded.input, path = excluded.path",
            (doc_key, input_source, relpath),
        )

    def forget_documents(self, doc_keys: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM documents WHERE doc_key = ?", [(key,) for key in doc_keys])

    def record_input(self, input_source: str, content_sha256: str, config: str) -> None:
        self._db.execute(
            "INSERT INTO inputs (input, content_sha256, config) VALUES (?, ?, ?) "
            "ON CONFLICT(input) DO UPDATE SET content_sha256 = excluded.content_sha256, "
            "config = excluded.config",
            (input_source, content_sha256, config),
        )
