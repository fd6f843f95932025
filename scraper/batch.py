"""The ``clean`` command's work: find inputs, clean them in worker processes, write the archive.

Workers only read and clean (CPU-bound); the parent process does every write, so the index and the
collision rules are single-threaded and the result never depends on process scheduling: results are
consumed in input order.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import ArchiveError, InputReadError
from .inputs import InputFile, InputKind, discover, file_sha256, input_stem

if TYPE_CHECKING:  # cleaners is imported lazily: workers and the parent need it, --help does not
    from cleaners import Document

FORMAT_FILES = "files"
FORMAT_JSONL = "jsonl"
_COMMIT_EVERY = 64  # inputs between index commits: a crash loses little, commits stay cheap


@dataclass(frozen=True)
class CleanOptions:
    inputs: Sequence[str]
    out: Path = Path("archive")
    jobs: int | None = None  # None: one process per available core
    include_comments: bool = False
    force: bool = False
    output_format: str = FORMAT_FILES


@dataclass
class Summary:
    cleaned: int = 0  # documents written (or already identical on disk)
    unchanged: int = 0  # documents of inputs skipped because nothing changed
    failed: int = 0  # inputs or WARC records that produced an error line

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def __str__(self) -> str:
        return f"cleaned {self.cleaned}, unchanged {self.unchanged}, failed {self.failed}"


# -- worker side -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    path: str
    source: str
    kind: InputKind
    include_comments: bool
    as_json: bool


@dataclass(frozen=True)
class Cleaned:
    """One cleaned document, already serialised (file text or JSON line) by the worker."""

    doc_key: str
    rendered: str
    site: str | None
    url: str | None
    published: str | None
    title: str | None


@dataclass(frozen=True)
class Failed:
    name: str  # the input's source, or source#record for a WARC record
    reason: str


@dataclass
class InputResult:
    source: str
    items: list[Cleaned | Failed] = field(default_factory=list)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _failure_reason(exc: BaseException) -> str:
    """The user-facing reason: our own errors by message, anything unexpected by type and message."""
    from cleaners import CleanerError

    if isinstance(exc, InputReadError | CleanerError):
        return _one_line(str(exc)) or type(exc).__name__
    if isinstance(exc, RecursionError):
        return "too deeply nested to process"
    if isinstance(exc, MemoryError):
        return "too large to process (out of memory)"
    detail = _one_line(str(exc))
    return f"unexpected {type(exc).__name__}" + (f": {detail}" if detail else "")


def _render(doc: Document, input_source: str, as_json: bool) -> str:
    from cleaners import dumps

    if not as_json:
        return dumps(doc)
    record = doc.to_dict()
    record["words"] = doc.words
    record["sha256"] = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
    record["input"] = input_source
    return json.dumps(record, ensure_ascii=False)


def _cleaned(doc: Document, doc_key: str, task: Task) -> Cleaned | Failed:
    if not doc.text.strip():
        return Failed(doc_key, "no article text found")
    return Cleaned(
        doc_key=doc_key,
        rendered=_render(doc, task.source, task.as_json),
        site=doc.site,
        url=doc.url,
        published=doc.published,
        title=doc.title,
    )


def _clean_warc(task: Task, result: InputResult) -> None:
    from cleaners import clean_html

    from .inputs import iter_warc_pages

    for page in iter_warc_pages(task.path):
        name = f"{task.source}#{page.record_id}"
        if page.error is not None:
            result.items.append(Failed(name, page.error))
            continue
        try:
            doc = clean_html(page.content, page.url, include_comments=task.include_comments, strict=True)
            doc = doc.replace(source=name, fetched=page.fetched)
            result.items.append(_cleaned(doc, name, task))
        except Exception as exc:  # one bad record must not stop the others
            result.items.append(Failed(name, _failure_reason(exc)))


def clean_input(task: Task) -> InputResult:
    """Read and clean one input file (any number of documents for a WARC). Never raises."""
    from cleaners import clean_html, clean_text

    from .inputs import check_content, decode_text, read_input_bytes

    result = InputResult(task.source)
    try:
        if task.kind is InputKind.WARC:
            _clean_warc(task, result)
            return result
        data = read_input_bytes(task.path)
        check_content(data)
        if task.kind is InputKind.TEXT:
            doc = clean_text(decode_text(data))
        else:
            doc = clean_html(data, include_comments=task.include_comments, strict=True)
        result.items.append(_cleaned(doc.replace(source=task.source), task.source, task))
    except Exception as exc:  # reported as one line by the parent; the batch goes on
        result.items.append(Failed(task.source, _failure_reason(exc)))
    return result


def _prepare_worker() -> None:
    """Import and warm the cleaners once per worker process, not once per input.

    Workers ignore Ctrl-C: the parent stops the pool and reports, instead of one traceback per worker.
    """
    import contextlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from cleaners import clean_html

    with contextlib.suppress(Exception):
        clean_html("<html><body><article><p>Warm-up paragraph for the worker.</p></article></body></html>")


# -- parent side -------------------------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _results(tasks: list[Task], jobs: int) -> Iterator[InputResult]:
    """Results in input order, computed in ``jobs`` processes (in this process when that is cheaper).

    A worker that dies (the OOM killer, a crash in a C extension) breaks the whole pool: the input
    being waited for is then retried alone in a fresh process and, if that dies too, reported as failed;
    the rest go on in a new pool. One poisonous input costs a restart, not the batch.
    """
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(clean_input, tasks)
        return
    from concurrent.futures.process import BrokenProcessPool

    remaining = tasks
    while remaining:
        done = 0
        try:
            for result in _pooled_results(remaining, jobs):
                done += 1
                yield result
            return
        except BrokenProcessPool:
            pass
        yield _clean_isolated(remaining[done])
        remaining = remaining[done + 1 :]


def _clean_isolated(task: Task) -> InputResult:
    """Clean one input in a process of its own: a crash there is this input's failure only."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_prepare_worker) as pool:
        try:
            return pool.submit(clean_input, task).result()
        except BrokenProcessPool:
            died = Failed(task.source, "its cleaning process died (out of memory?)")
            return InputResult(task.source, [died])


def _pooled_results(tasks: list[Task], jobs: int) -> Iterator[InputResult]:
    from concurrent.futures import ProcessPoolExecutor

    workers = min(jobs, len(tasks))
    chunksize = max(1, min(8, len(tasks) // (workers * 4)))  # few round trips, still balanced at the end
    with ProcessPoolExecutor(max_workers=workers, initializer=_prepare_worker) as pool:
        try:
            yield from pool.map(clean_input, tasks, chunksize=chunksize)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


class _Reporter:
    """Error lines and the progress bar on stderr; the bar only when stderr is a terminal."""

    def __init__(self, stderr: TextIO, total: int, show_progress: bool) -> None:
        self._stderr = stderr
        self._progress = None
        if show_progress and total > 1:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("cleaning"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=stderr),
                transient=True,
            )
            self._task = self._progress.add_task("clean", total=total)
            self._progress.start()

    def error(self, name: str, reason: str) -> None:
        line = f"error: {name}: {reason}"
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self._stderr, flush=True)

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


class _ArchiveWriter:
    """Places cleaned documents in the archive and keeps the index in step (parent process only)."""

    def __init__(self, root: Path, config: str, force: bool, reporter: _Reporter, summary: Summary) -> None:
        from .archive import ArchiveIndex

        self.root = root
        self.config = config
        self.force = force
        self.reporter = reporter
        self.summary = summary
        self.index = ArchiveIndex(root)

    def store(self, item: Cleaned, input_file: InputFile) -> None:
        from .archive import atomic_write, document_relpath, remove_file

        wanted = document_relpath(
            site=item.site,
            url=item.url,
            published=item.published,
            title=item.title,
            input_stem=input_stem(os.path.basename(input_file.path)),
        )
        previous = self.index.path_of(item.doc_key)
        relpath = self.index.assign_path(item.doc_key, wanted)
        target = self.root / relpath
        data = item.rendered.encode("utf-8")
        if self.force or not _same_bytes(target, data):
            atomic_write(target, data)  # before the index: the index never points at an unwritten file
        self.index.record_document(item.doc_key, input_file.source, relpath)
        if previous is not None and previous != relpath:
            remove_file(self.root, previous)  # the document moved (new title or date): drop its old copy

    def finish_input(self, input_file: InputFile, content_sha256: str, produced: set[str]) -> None:
        """Remember a fully cleaned input; forget (and delete) documents it no longer produces."""
        from .archive import remove_file

        stale = {
            key: path
            for key, path in self.index.documents_of(input_file.source).items()
            if key not in produced
        }
        for path in stale.values():
            remove_file(self.root, path)
        self.index.forget_documents(stale)
        self.index.record_input(input_file.source, content_sha256, self.config)

    def consume(self, input_file: InputFile, content_sha256: str, result: InputResult) -> None:
        produced: set[str] = set()
        complete = True
        for item in result.items:
            if isinstance(item, Failed):
                self.reporter.error(item.name, item.reason)
                self.summary.failed += 1
                complete = False
                continue
            try:
                self.store(item, input_file)
            except OSError as exc:
                self.reporter.error(item.doc_key, f"cannot write to the archive ({exc.strerror or exc})")
                self.summary.failed += 1
                complete = False
                continue
            produced.add(item.doc_key)
            self.summary.cleaned += 1
        if complete:
            self.finish_input(input_file, content_sha256, produced)

    def close(self) -> None:
        self.index.close()


def _config(options: CleanOptions) -> str:
    """What besides the input bytes shapes the output: a change re-cleans everything."""
    from cleaners import EXTRACTOR

    return f"{EXTRACTOR}; include_comments={options.include_comments}"


def _task(input_file: InputFile, options: CleanOptions) -> Task:
    return Task(
        input_file.path,
        input_file.source,
        input_file.kind,
        options.include_comments,
        options.output_format == FORMAT_JSONL,
    )


def run_clean(
    options: CleanOptions,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    show_progress: bool | None = None,
) -> Summary:
    """Clean every input named by ``options`` into the archive (or into JSON lines on ``stdout``).

    Raises ``UsageError`` when the inputs cannot be resolved and ``ArchiveError`` when the archive
    cannot be opened; every per-input problem is reported on ``stderr`` and counted instead.
    """
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    as_json = options.output_format == FORMAT_JSONL
    inputs = discover(options.inputs, exclude=None if as_json else options.out)
    jobs = options.jobs or default_jobs()
    if show_progress is None:
        show_progress = stderr.isatty()
    summary = Summary()

    if as_json:
        reporter = _Reporter(stderr, len(inputs), show_progress)
        try:
            for result in _results([_task(f, options) for f in inputs], jobs):
                for item in result.items:
                    if isinstance(item, Failed):
                        reporter.error(item.name, item.reason)
                        summary.failed += 1
                    else:
                        stdout.write(item.rendered + "\n")
                        summary.cleaned += 1
                reporter.advance()
            stdout.flush()
        finally:
            reporter.close()
        return summary

    from .archive import remove_temporary_files

    if options.out.exists() and not options.out.is_dir():
        raise ArchiveError(f"{options.out}: not a folder")
    config = _config(options)
    reporter = _Reporter(stderr, len(inputs), show_progress)
    writer: _ArchiveWriter | None = None
    try:
        writer = _ArchiveWriter(options.out, config, options.force, reporter, summary)
        remove_temporary_files(options.out)  # left by a run that was killed mid-write
        pending: list[tuple[InputFile, str]] = []
        for input_file in inputs:
            try:
                content_sha256 = file_sha256(input_file.path)
            except InputReadError as exc:
                reporter.error(input_file.source, str(exc))
                summary.failed += 1
                continue
            if not options.force and writer.index.is_unchanged(input_file.source, content_sha256, config):
                summary.unchanged += len(writer.index.documents_of(input_file.source))
                reporter.advance()
                continue
            pending.append((input_file, content_sha256))
        tasks = [_task(f, options) for f, _ in pending]
        for count, ((input_file, content_sha256), result) in enumerate(
            zip(pending, _results(tasks, jobs), strict=True), start=1
        ):
            writer.consume(input_file, content_sha256, result)
            reporter.advance()
            if count % _COMMIT_EVERY == 0:
                writer.index.commit()
    finally:
        if writer is not None:
            writer.close()
        reporter.close()
    return summary
