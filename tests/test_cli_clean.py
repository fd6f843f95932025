"""``newsarchive clean`` end to end: the real command on real files in tmp_path."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners import loads
from scraper import archive
from scraper.archive import document_relpath
from scraper.cli import app

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "fixtures" / "legacy"
SEED_000 = "000_96903b644adc0fa3.txt"

FERRY_PATH = "coastline-courier/2024/04/harbour-ferry-returns-after-winter-repairs.txt"


def article(
    title: str,
    *,
    site: str = "Coastline Courier",
    published: str = "2024-04-02T08:15:00+00:00",
    body: str = "",
) -> str:
    paragraphs = body or (
        "<p>The harbour ferry resumed its crossings on Tuesday morning after three months in dry dock, "
        "carrying more than two hundred passengers on its first day back in service.</p>"
        "<p>Engineers replaced both propeller shafts and refitted the passenger deck, the port authority "
        "said, adding that the timetable would return to its summer frequency in May.</p>"
        "<p>Commuters who had relied on the longer road route around the bay welcomed the return, with "
        "several saying the crossing saved them nearly an hour each day.</p>"
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>{title}</h1>{paragraphs}</article></main>
<footer><p>© 2024 {site}</p></footer></body></html>"""


FERRY = article("Harbour ferry returns after winter repairs")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it (``python -m scraper`` is the same app as ``newsarchive``)."""
    return subprocess.run(
        [sys.executable, "-m", "scraper", "clean", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def archive_files(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` except the index, by POSIX relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".newsarchive" not in p.parts
    }


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A small input tree: a page, the same page gzipped under another name, a legacy text file."""
    write(tmp_path / "in/pages/ferry.html", FERRY)
    write(tmp_path / "in/pages/more/ferry-copy.html.gz", gzip.compress(FERRY.encode()))
    shutil.copy(LEGACY / SEED_000, tmp_path / "in/pages" / SEED_000)
    return tmp_path


def test_layout_names_and_sources(pages: Path) -> None:
    result = run(pages, "in/pages", "--out", "out", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    files = archive_files(pages / "out")
    assert sorted(files) == sorted(
        [
            FERRY_PATH,
            FERRY_PATH.replace(".txt", "-2.txt"),  # same title: the input sorted second gets -2
            "unknown-site/2024/03/top-iranian-cmdr-in-iraq-meets-counterpart-defense-interior-ministers.txt",
        ]
    )
    sources = {path: loads(data.decode()).source for path, data in files.items()}
    assert sources[FERRY_PATH] == "pages/ferry.html"
    assert sources[FERRY_PATH.replace(".txt", "-2.txt")] == "pages/more/ferry-copy.html.gz"
    assert f"pages/{SEED_000}" in sources.values()
    for path, data in files.items():  # every file sits where its own header says it belongs
        doc = loads(data.decode())
        wanted = document_relpath(site=doc.site, url=doc.url, published=doc.published, title=doc.title)
        assert path in (str(wanted), str(wanted).replace(".txt", "-2.txt"))
        assert data.endswith(b"\n") and b"\r" not in data
    assert (pages / "out/.newsarchive/index.sqlite").is_file()
    assert "cleaned 3, unchanged 0, failed 0" in result.stderr
    assert not temporaries(pages / "out")


def test_rerun_skips_unchanged_and_force_rewrites(pages: Path) -> None:
    out = pages / "out"
    assert run(pages, "in/pages", "--out", "out").returncode == 0
    long_ago = 1_000_000_000
    for path in archive_files(out):
        os.utime(out / path, (long_ago, long_ago))

    again = run(pages, "in/pages", "--out", "out")
    assert again.returncode == 0, again.stderr
    assert "cleaned 0, unchanged 3, failed 0" in again.stderr
    assert all((out / p).stat().st_mtime == long_ago for p in archive_files(out))

    # a changed input is cleaned again; its unchanged neighbours are not touched
    write(pages / "in/pages/ferry.html", FERRY.replace("two hundred", "three hundred"))
    changed = run(pages, "in/pages", "--out", "out")
    assert "cleaned 1, unchanged 2, failed 0" in changed.stderr
    assert b"three hundred" in (out / FERRY_PATH).read_bytes()
    assert (out / FERRY_PATH).stat().st_mtime != long_ago
    assert (out / FERRY_PATH.replace(".txt", "-2.txt")).stat().st_mtime == long_ago

    # an output deleted by hand is written again even though its input did not change
    (out / FERRY_PATH.replace(".txt", "-2.txt")).unlink()
    assert "cleaned 1, unchanged 2" in run(pages, "in/pages", "--out", "out").stderr
    assert (out / FERRY_PATH.replace(".txt", "-2.txt")).is_file()

    for path in archive_files(out):
        os.utime(out / path, (long_ago, long_ago))
    forced = run(pages, "in/pages", "--out", "out", "--force")
    assert "cleaned 3, unchanged 0, failed 0" in forced.stderr
    assert all((out / p).stat().st_mtime != long_ago for p in archive_files(out))


def test_other_options_are_not_unchanged(pages: Path) -> None:
    assert run(pages, "in/pages", "--out", "out").returncode == 0
    with_comments = run(pages, "in/pages", "--out", "out", "--comments")
    assert "cleaned 3, unchanged 0" in with_comments.stderr


def test_collisions_are_deterministic_and_stable_across_runs(tmp_path: Path) -> None:
    for name in ("d.html", "b.html", "c.html", "a.html"):
        write(tmp_path / "in/p" / name, FERRY.replace("two hundred", f"{name} two hundred"))

    def mapping(out: str) -> dict[str, str]:
        return {loads(data.decode()).source: path for path, data in archive_files(tmp_path / out).items()}

    assert run(tmp_path, "in/p", "--out", "one", "--jobs", "2").returncode == 0
    assert run(tmp_path, "in/p", "--out", "two", "--jobs", "1").returncode == 0
    expected = {
        "p/a.html": FERRY_PATH,
        "p/b.html": FERRY_PATH.replace(".txt", "-2.txt"),
        "p/c.html": FERRY_PATH.replace(".txt", "-3.txt"),
        "p/d.html": FERRY_PATH.replace(".txt", "-4.txt"),
    }
    assert mapping("one") == mapping("two") == expected

    # a new input that sorts first does not push the others around: the index keeps their paths
    write(tmp_path / "in/p/0.html", FERRY)
    assert run(tmp_path, "in/p", "--out", "one", "--force").returncode == 0
    assert mapping("one") == {**expected, "p/0.html": FERRY_PATH.replace(".txt", "-5.txt")}

    # a document whose title changed moves to its new name and its old file goes away
    write(tmp_path / "in/p/a.html", article("Ferry timetable extended"))
    assert run(tmp_path, "in/p", "--out", "one").returncode == 0
    moved = mapping("one")
    assert moved["p/a.html"] == "coastline-courier/2024/04/ferry-timetable-extended.txt"
    assert FERRY_PATH not in moved.values()
    assert not (tmp_path / "one" / FERRY_PATH).exists()


def test_byte_identical_across_runs_and_out_dirs(pages: Path) -> None:
    assert run(pages, "in/pages", "--out", "first", "--jobs", "2").returncode == 0
    shutil.move(pages / "in", pages / "elsewhere")  # another checkout location: same relative sources
    (pages / "sub").mkdir()
    assert run(pages / "sub", "../elsewhere/pages", "--out", "../second", "--jobs", "1").returncode == 0
    first, second = archive_files(pages / "first"), archive_files(pages / "second")
    assert first and first == second


def test_bad_inputs_get_one_line_each_and_the_rest_is_written(tmp_path: Path) -> None:
    bad = {
        "empty.html": b"",
        "blank.txt": b" \n\n  \n",
        "binary.html": bytes(range(256)) * 40,
        "truncated.html.gz": gzip.compress(FERRY.encode() * 20)[:-60],
        "not-gzip.html.gz": FERRY.encode(),
        "undecodable.txt": b"\xff\xfe" + b"a\x00b",  # UTF-16 byte-order mark, then an odd byte count
        "deep.html": b"<html><body>" + b"<div>" * 200_000 + b"<p>deep</p>" + b"</div>" * 200_000,
        "bomb.html.gz": gzip.compress(b" " * (archive_limit() + 1024), compresslevel=9),
    }
    for name, data in bad.items():
        write(tmp_path / "in/p" / name, data)
    write(tmp_path / "in/p/good.html", FERRY)

    result = run(tmp_path, "in/p", "--out", "out", "--jobs", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == len(bad), result.stderr
    for name in bad:
        assert sum(line.startswith(f"error: p/{name}: ") for line in lines) == 1, (name, lines)
    reasons = {line.split(": ", 2)[1]: line.split(": ", 2)[2] for line in lines}
    assert reasons["p/truncated.html.gz"] == "truncated gzip stream"
    assert reasons["p/not-gzip.html.gz"] == "not a gzip file"
    assert reasons["p/empty.html"] == reasons["p/blank.txt"] == "empty input"
    assert "too large" in reasons["p/bomb.html.gz"]
    assert "binary" in reasons["p/binary.html"]
    assert "undecodable" in reasons["p/undecodable.txt"]
    assert list(archive_files(tmp_path / "out")) == [FERRY_PATH]
    assert "cleaned 1, unchanged 0, failed 8" in result.stderr
    assert not temporaries(tmp_path / "out")

    again = run(tmp_path, "in/p", "--out", "out")  # failed inputs are retried, good ones skipped
    assert again.returncode == 1 and "cleaned 0, unchanged 1, failed 8" in again.stderr


def archive_limit() -> int:
    from scraper.inputs import MAX_INPUT_BYTES

    return MAX_INPUT_BYTES


def test_unexpected_cleaner_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaners

    def exploding(html: object, url: object = None, **kwargs: object) -> object:
        if b"boom" in (html if isinstance(html, bytes) else html.encode()):
            raise KeyError("surprise")
        return real(html, url, **kwargs)

    real = cleaners.clean_html
    monkeypatch.setattr(cleaners, "clean_html", exploding)
    write(tmp_path / "p/a.html", FERRY.replace("<h1>", "<h1>boom "))
    write(tmp_path / "p/b.html", article("Another story"))
    result = CliRunner().invoke(
        app, ["clean", str(tmp_path / "p"), "--out", str(tmp_path / "out"), "-j", "1"]
    )
    assert result.exit_code == 1
    assert error_lines(result.stderr) == ["error: p/a.html: unexpected KeyError: 'surprise'"]
    assert list(archive_files(tmp_path / "out")) == ["coastline-courier/2024/04/another-story.txt"]


def test_write_failure_leaves_no_partial_or_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "p/a.html", FERRY)
    write(tmp_path / "p/b.html", article("Another story"))
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).endswith("harbour-ferry-returns-after-winter-repairs.txt"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(archive.os, "replace", failing_replace)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "p"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        "error: p/a.html: cannot write to the archive (No space left on device)"
    ]
    assert list(archive_files(out)) == ["coastline-courier/2024/04/another-story.txt"]
    assert not temporaries(out)

    monkeypatch.setattr(archive.os, "replace", real_replace)  # the disk has room again: a re-run completes
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "p"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0
    assert "cleaned 1, unchanged 1, failed 0" in result.stderr
    assert FERRY_PATH in archive_files(out)


def test_worker_crash_fails_that_input_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cleaning process that dies (OOM killer, C crash) costs its input, not the batch."""
    import cleaners

    def crashing(html: object, url: object = None, **kwargs: object) -> object:
        if b"poison" in (html if isinstance(html, bytes) else html.encode()):
            os._exit(9)  # what the OOM killer leaves: no exception, no result
        return real(html, url, **kwargs)

    real = cleaners.clean_html
    monkeypatch.setattr(cleaners, "clean_html", crashing)  # the worker processes are forked: they see it
    write(tmp_path / "p/a.html", article("First story"))
    write(tmp_path / "p/b.html", FERRY.replace("<h1>", "<h1>poison "))
    write(tmp_path / "p/c.html", article("Third story"))
    write(tmp_path / "p/d.html", article("Fourth story"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "p"), "--out", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert error_lines(result.stderr) == ["error: p/b.html: its cleaning process died (out of memory?)"]
    assert sorted(archive_files(out)) == [
        "coastline-courier/2024/04/first-story.txt",
        "coastline-courier/2024/04/fourth-story.txt",
        "coastline-courier/2024/04/third-story.txt",
    ]


def test_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead_pid = int(dead.stdout)
    write(tmp_path / "p/a.html", FERRY)
    out = tmp_path / "out"
    left = write(out / f"coastline-courier/2024/04/.x.txt.{dead_pid}.0badf00d.tmp", "half a docu")
    live = write(out / f"coastline-courier/2024/04/.y.txt.{os.getppid()}.0badf00d.tmp", "in progress")
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "p"), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.stderr
    assert not left.exists()
    assert live.exists(), "a running process's temporary file is not ours to delete"


def test_jsonl_goes_to_stdout_in_input_order(pages: Path) -> None:
    result = run(pages, "in/pages", "--format", "jsonl", "--out", "never", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in records] == [
        f"pages/{SEED_000}",
        "pages/ferry.html",
        "pages/more/ferry-copy.html.gz",
    ]
    ferry = records[1]
    assert ferry["title"] == "Harbour ferry returns after winter repairs"
    assert ferry["source"] == "pages/ferry.html"
    assert ferry["words"] == len(ferry["text"].split()) > 20
    assert len(ferry["sha256"]) == 64
    assert {"text", "authors", "published", "site", "url", "tags"} <= set(ferry)
    assert not (pages / "never").exists()
    assert run(pages, "in/pages", "--format", "jsonl").stdout == result.stdout  # deterministic


def test_console_script_and_module_are_the_same_program(pages: Path) -> None:
    script = Path(sys.executable).with_name("newsarchive")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    via_script = subprocess.run(
        [str(script), "clean", "in/pages", "--format", "jsonl"],
        cwd=pages,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    via_module = run(pages, "in/pages", "--format", "jsonl")
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout and via_script.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["nothing-here"],
        ["in/pages", "missing.html"],
        ["in/*.nothing"],
        ["in/pages", "--format", "xml"],
        ["in/pages", "--jobs", "0"],
        ["in/pages", "--no-such-option"],
        [],
    ],
)
def test_usage_errors_exit_2(pages: Path, args: list[str]) -> None:
    result = run(pages, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not (pages / "archive").exists()


def test_out_dir_inside_an_input_folder_is_not_read_back(pages: Path) -> None:
    assert run(pages, "in", "--out", "in/archive").returncode == 0
    second = run(pages, "in", "--out", "in/archive")
    assert "cleaned 0, unchanged 3, failed 0" in second.stderr


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for record_id, url, body, content_type in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=http,
                    warc_headers_dict={
                        "WARC-Record-ID": f"<{record_id}>",
                        "WARC-Date": "2024-04-02T10:20:30Z",
                    },
                )
            )


def test_warc_gz_input(tmp_path: Path) -> None:
    write(tmp_path / "caps/.keep", b"")
    write_warc(
        tmp_path / "caps/crawl.warc.gz",
        [
            (
                "urn:uuid:0001",
                "https://coastline.example/news/ferry",
                FERRY.encode(),
                "text/html; charset=utf-8",
            ),
            ("urn:uuid:0002", "https://coastline.example/logo.png", b"\x89PNG\r\n", "image/png"),
            (
                "urn:uuid:0003",
                "https://coastline.example/news/other",
                article("Another story").encode(),
                "text/html",
            ),
            ("urn:uuid:0004", "https://coastline.example/news/empty", b"   ", "text/html"),
        ],
    )
    result = run(tmp_path, "caps", "--out", "out", "--jobs", "2")
    assert result.returncode == 1  # the blank page is reported, the others are written
    assert error_lines(result.stderr) == ["error: caps/crawl.warc.gz#urn:uuid:0004: empty document"]
    files = archive_files(tmp_path / "out")
    assert sorted(files) == ["coastline-courier/2024/04/another-story.txt", FERRY_PATH]
    doc = loads(files[FERRY_PATH].decode())
    assert doc.source == "caps/crawl.warc.gz#urn:uuid:0001"
    assert doc.url == "https://coastline.example/news/ferry"
    assert doc.fetched == "2024-04-02T10:20:30+00:00"

    jsonl = run(tmp_path, "caps/crawl.warc.gz", "--format", "jsonl")
    assert [json.loads(line)["source"] for line in jsonl.stdout.splitlines()] == [
        "crawl.warc.gz#urn:uuid:0001",
        "crawl.warc.gz#urn:uuid:0003",
    ]
