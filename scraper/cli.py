"""The ``newsarchive`` command line (also ``python -m scraper``).

Kept thin: each command parses its options and calls one library function. Heavy modules are imported
inside the commands so that start-up (and ``--help``) stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="newsarchive",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _newsarchive() -> None:
    """Scrape news pages and archive them as clean text files with YAML metadata headers."""


@contextmanager
def _exit_codes(interrupted: str) -> Iterator[None]:
    """The exit-code contract of every command: usage errors 2, archive errors 1, Ctrl-C 130."""
    from .errors import ArchiveError, UsageError

    try:
        yield
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ArchiveError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted: {interrupted}", err=True)
        raise typer.Exit(130) from None


class OutputFormat(str, Enum):
    files = "files"
    jsonl = "jsonl"


@app.command()
def clean(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Files, folders (recursive) or globs of .html, .htm, .html.gz, .txt, .warc, .warc.gz.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Archive folder to write into.")] = Path("archive"),
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes (default: all cores).",
            show_default=False,
        ),
    ] = None,
    comments: Annotated[bool, typer.Option("--comments", help="Keep reader comments in the text.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-clean and rewrite unchanged inputs too.")
    ] = False,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="files: write the archive; jsonl: one JSON document per line on stdout.",
        ),
    ] = OutputFormat.files,
) -> None:
    """Clean saved pages, legacy text files and WARC captures into the archive, offline."""
    from .batch import CleanOptions, run_clean

    options = CleanOptions(
        inputs=inputs,
        out=out,
        jobs=jobs,
        include_comments=comments,
        force=force,
        output_format=output_format.value,
    )
    with _exit_codes("files written so far are complete; re-run to continue"):
        summary = run_clean(options)
    where = "" if output_format is OutputFormat.jsonl else f" in {out}"
    typer.echo(f"{summary}{where}", err=True)
    raise typer.Exit(summary.exit_code)


_URLS_FILE = typer.Option("--urls-file", help="Read more URLs from FILE, one per line.", show_default=False)
_JSON_LOG = typer.Option("--json-log", help="Write one JSON event per fetch to FILE.", show_default=False)
_WEB_OUT = typer.Option("--out", "-o", help="Archive folder (crawl state and WARC files too).")
_PRIVATE = typer.Option("--allow-private", help="Follow links to loopback/private addresses.")
# Options that fetch and crawl share, declared once.
_DELAY = typer.Option(help="Seconds between requests to one host.")
_CONCURRENCY = typer.Option(help="Requests in flight in all.")
_PER_HOST = typer.Option("--per-host", help="Requests in flight per host.")
_USER_AGENT = typer.Option("--user-agent", help="User-Agent header.")
_NO_ROBOTS = typer.Option("--no-robots", help="Ignore robots.txt.")
_MAX_BYTES = typer.Option("--max-bytes", help="Cut bodies at N bytes.")
_TEN_MIB = 10 * 1024 * 1024


def _run_web(
    command: str,
    urls: list[str],
    urls_file: Path | None,
    *,
    user_agent: str | None,
    no_robots: bool,
    **options: object,
) -> None:
    """Shared by ``fetch`` and ``crawl``: seeds, usage errors -> exit 2, Ctrl-C -> exit 130."""
    from .crawl import CrawlConfig, parse_since, read_urls_file, run_crawl, run_fetch
    from .errors import UsageError
    from .fetch import DEFAULT_USER_AGENT

    options.update(user_agent=user_agent or DEFAULT_USER_AGENT, robots=not no_robots)
    with _exit_codes("run the same command again to resume"):
        seeds = list(urls) + (read_urls_file(urls_file) if urls_file else [])
        if not seeds:
            raise UsageError("give at least one URL (or --urls-file FILE)")
        options["since"] = parse_since(options.get("since"))  # type: ignore[arg-type]
        run = run_fetch if command == "fetch" else run_crawl
        code = run(CrawlConfig(seeds=seeds, **options))  # type: ignore[arg-type]
    raise typer.Exit(code)


@app.command()
def fetch(
    urls: Annotated[list[str] | None, typer.Argument(metavar="URL...", help="Pages to fetch.")] = None,
    out: Annotated[Path, _WEB_OUT] = Path("archive"),
    delay: Annotated[float, _DELAY] = 1.0,
    concurrency: Annotated[int, _CONCURRENCY] = 8,
    per_host: Annotated[int, _PER_HOST] = 1,
    user_agent: Annotated[str | None, _USER_AGENT] = None,
    no_robots: Annotated[bool, _NO_ROBOTS] = False,
    allow_private: Annotated[bool, _PRIVATE] = False,
    max_bytes: Annotated[int, _MAX_BYTES] = _TEN_MIB,
    json_log: Annotated[Path | None, _JSON_LOG] = None,
    urls_file: Annotated[Path | None, _URLS_FILE] = None,
) -> None:
    """Fetch, capture (WARC) and clean the given pages into the archive."""
    _run_web(
        "fetch",
        urls or [],
        urls_file,
        out=out,
        delay=delay,
        concurrency=concurrency,
        per_host=per_host,
        user_agent=user_agent,
        no_robots=no_robots,
        allow_private=allow_private,
        max_bytes=max_bytes,
        json_log=json_log,
    )


@app.command()
def crawl(
    seeds: Annotated[list[str] | None, typer.Argument(metavar="SEED...", help="Start pages.")] = None,
    out: Annotated[Path, _WEB_OUT] = Path("archive"),
    max_pages: Annotated[int | None, typer.Option("--max-pages", min=1, help="Stop after N pages.")] = None,
    depth: Annotated[int, typer.Option(min=0, help="Links followed from a seed, at most.")] = 10,
    include: Annotated[list[str] | None, typer.Option(help="Only URLs matching REGEX (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="No URLs matching REGEX (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Skip articles published before DATE.")] = None,
    delay: Annotated[float, _DELAY] = 1.0,
    concurrency: Annotated[int, _CONCURRENCY] = 8,
    per_host: Annotated[int, _PER_HOST] = 1,
    user_agent: Annotated[str | None, _USER_AGENT] = None,
    no_robots: Annotated[bool, _NO_ROBOTS] = False,
    allow_private: Annotated[bool, _PRIVATE] = False,
    max_bytes: Annotated[int, _MAX_BYTES] = _TEN_MIB,
    all_pages: Annotated[bool, typer.Option("--all-pages", help="Archive listings and fronts too.")] = False,
    json_log: Annotated[Path | None, _JSON_LOG] = None,
    urls_file: Annotated[Path | None, _URLS_FILE] = None,
) -> None:
    """Crawl sites from SEED pages: polite, resumable (same --out), captured to WARC, cleaned."""
    _run_web(
        "crawl",
        seeds or [],
        urls_file,
        out=out,
        max_pages=max_pages,
        depth=depth,
        include=include or [],
        exclude=exclude or [],
        since=since,
        delay=delay,
        concurrency=concurrency,
        per_host=per_host,
        user_agent=user_agent,
        no_robots=no_robots,
        allow_private=allow_private,
        max_bytes=max_bytes,
        all_pages=all_pages,
        json_log=json_log,
    )


def main() -> None:
    """Console-script entry point."""
    app(prog_name="newsarchive")
