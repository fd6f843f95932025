"""Finding and reading inputs (scraper/inputs.py): real files in tmp_path."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import InputReadError, UsageError
from scraper.inputs import (
    InputKind,
    check_content,
    decode_text,
    discover,
    input_kind,
    input_stem,
    iter_warc_pages,
    read_input_bytes,
)

PAGE = b"<html><head><title>T</title></head><body><p>Hello world.</p></body></html>"


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], *, compress: bool = True) -> None:
    """Write (record_id, url, body, content_type) HTTP response records."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        for record_id, url, body, content_type in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Record-ID": f"<{record_id}>", "WARC-Date": "2024-03-05T10:20:30Z"},
            )
            writer.write_record(record)


def touch(path: Path, data: bytes = PAGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.html", InputKind.HTML),
        ("a.HTM", InputKind.HTML),
        ("a.html.gz", InputKind.HTML),
        ("a.txt", InputKind.TEXT),
        ("a.warc", InputKind.WARC),
        ("a.warc.gz", InputKind.WARC),
        ("a.gz", None),
        ("a.pdf", None),
        (".html", None),
    ],
)
def test_input_kind(name: str, kind: InputKind | None) -> None:
    assert input_kind(name) == kind


def test_input_stem() -> None:
    assert input_stem("x.y.html.gz") == "x.y"
    assert input_stem("000_a.txt") == "000_a"


def test_folder_sources_are_relative_to_the_arguments_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "fixtures/legacy/b.txt")
    touch(tmp_path / "fixtures/legacy/a.txt")
    touch(tmp_path / "fixtures/legacy/sub/c.html.gz", gzip.compress(PAGE))
    touch(tmp_path / "fixtures/legacy/.hidden/d.html")
    touch(tmp_path / "fixtures/legacy/notes.md")
    monkeypatch.chdir(tmp_path)
    relative = discover(["fixtures/legacy"])
    assert [f.source for f in relative] == ["legacy/a.txt", "legacy/b.txt", "legacy/sub/c.html.gz"]
    absolute = discover([str(tmp_path / "fixtures/legacy") + os.sep])
    assert [f.source for f in absolute] == [f.source for f in relative]
    assert [f.kind for f in relative] == [InputKind.TEXT, InputKind.TEXT, InputKind.HTML]
    monkeypatch.chdir(tmp_path / "fixtures/legacy")
    assert [f.source for f in discover(["."])] == ["a.txt", "b.txt", "sub/c.html.gz"]


def test_files_globs_and_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "p/x.html")
    touch(tmp_path / "p/y.htm")
    touch(tmp_path / "p/q/z.html")
    monkeypatch.chdir(tmp_path)
    found = discover(["p/y.htm", "p/*.htm*", "p/**/*.html"])
    assert [(f.path, f.source) for f in found] == [
        ("p/y.htm", "y.htm"),
        ("p/x.html", "x.html"),
        ("p/q/z.html", "q/z.html"),
    ]


def test_same_relative_name_from_two_arguments_stays_distinct(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "a/pages/x.html")
    touch(tmp_path / "b/pages/x.html")
    monkeypatch.chdir(tmp_path)
    assert [f.source for f in discover(["a/pages", "b/pages"])] == ["pages/x.html", "b/pages/x.html"]


def test_output_folder_is_not_an_input(tmp_path: Path) -> None:
    touch(tmp_path / "in/x.txt")
    touch(tmp_path / "archive/site/undated/x.txt")
    found = discover([str(tmp_path)], exclude=tmp_path / "archive")
    assert [f.source for f in found] == [f"{tmp_path.name}/in/x.txt"]
    with pytest.raises(UsageError, match="output folder"):
        discover([str(tmp_path / "archive/site")], exclude=tmp_path / "archive")


@pytest.mark.parametrize("argument", ["missing.html", "empty-dir", "*.nothing", "notes.md"])
def test_arguments_that_find_nothing_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str
) -> None:
    (tmp_path / "empty-dir").mkdir()
    touch(tmp_path / "notes.md")
    touch(tmp_path / "ok.html")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match=argument.replace("*", r"\*")):
        discover(["ok.html", argument])


def test_read_plain_and_gzip(tmp_path: Path) -> None:
    assert read_input_bytes(str(touch(tmp_path / "a.html"))) == PAGE
    assert read_input_bytes(str(touch(tmp_path / "a.html.gz", gzip.compress(PAGE)))) == PAGE


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(PAGE * 100)[:-30], "truncated gzip stream"),
        (PAGE, "not a gzip file"),
        (b"", "empty input"),
        (gzip.compress(PAGE)[:10] + b"\xff" * 40, "corrupt gzip stream"),
    ],
)
def test_bad_gzip(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(InputReadError, match=reason):
        read_input_bytes(str(touch(tmp_path / "a.html.gz", data)))


def test_gzip_bomb_is_cut_at_the_limit(tmp_path: Path) -> None:
    bomb = touch(tmp_path / "bomb.html.gz", gzip.compress(b" " * (3 << 20)))
    with pytest.raises(InputReadError, match=r"too large \(more than 2 MiB decompressed\)"):
        read_input_bytes(str(bomb), limit=2 << 20)
    with pytest.raises(InputReadError, match=r"too large \(more than 1 MiB\)"):
        read_input_bytes(str(touch(tmp_path / "big.html", b"x" * ((1 << 20) + 1))), limit=1 << 20)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match="cannot read"):
        read_input_bytes(str(tmp_path / "gone.html"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b" \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_check_content_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(InputReadError, match=reason):
        check_content(data)


def test_check_content_accepts_utf16_with_bom() -> None:
    check_content("\ufeff<p>hé</p>".encode("utf-16-le"))


def test_decode_text() -> None:
    assert decode_text("café".encode()) == "café"
    assert decode_text("\ufeffcafé".encode()) == "café"
    assert decode_text("café au lait, s'il vous plaît, très élégant".encode("cp1252")).startswith("café")
    assert decode_text("hé".encode("utf-16")) == "hé"
    with pytest.raises(InputReadError, match=r"undecodable|binary"):
        decode_text(bytes(range(1, 32)) * 50)


def test_warc_html_records(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            (
                "urn:uuid:1",
                "https://news.example/a",
                "<p>caf\xe9</p>".encode("latin-1"),
                "text/html; charset=iso-8859-1",
            ),
            ("urn:uuid:2", "https://news.example/logo.png", b"\x89PNG", "image/png"),
            ("urn:uuid:3", "https://news.example/b", PAGE, "text/html"),
        ],
    )
    pages = list(iter_warc_pages(str(warc)))
    assert [(p.record_id, p.url) for p in pages] == [
        ("urn:uuid:1", "https://news.example/a"),
        ("urn:uuid:3", "https://news.example/b"),
    ]
    assert pages[0].content == "<p>café</p>"  # the HTTP charset decided the decoding
    assert pages[1].content == PAGE
    assert pages[0].fetched == "2024-03-05T10:20:30+00:00"


def test_warc_record_too_large_and_damaged_file(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    write_warc(
        warc,
        [
            ("urn:uuid:1", "https://n.example/a", b"<p>" + b"x" * 5000 + b"</p>", "text/html"),
            ("urn:uuid:2", "https://n.example/b", PAGE, "text/html"),
        ],
        compress=False,
    )
    pages = list(iter_warc_pages(str(warc), limit=1000))
    assert pages[0].error is not None and "too large" in pages[0].error
    assert pages[1].content == PAGE
    damaged = touch(tmp_path / "bad.warc.gz", gzip.compress(warc.read_bytes())[:-200])
    with pytest.raises(InputReadError, match="truncated gzip stream"):
        list(iter_warc_pages(str(damaged)))
    with pytest.raises(InputReadError, match="no WARC records"):
        list(iter_warc_pages(str(touch(tmp_path / "empty.warc", b""))))
    with pytest.raises(InputReadError, match="not a readable WARC"):
        list(iter_warc_pages(str(touch(tmp_path / "no.warc", b"hello, this is not a WARC file\n" * 3))))
