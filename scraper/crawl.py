"""The crawler: per-host queues and politeness, discovery, capture, cleaning, the archive, resumability.

One page's life, in an order that survives SIGKILL at any point without losing or duplicating a document:

1. fetch (with retries, redirects) -> 2. WARC records written and flushed -> 3. cleaned in a worker
process -> 4. ONE state transaction: the page's outcome, its discoveries, the WARC bytes now committed,
and ``doc_pending`` if a document is due -> 5. document written atomically (temp file + rename)
-> 6. ``doc_pending`` cleared.

A kill before 4 leaves the URL queued: it is fetched again, its uncommitted WARC bytes are cut on start.
A kill between 4 and 6 is found on start through ``doc_pending``: the page is queued again unless the
file on disk already holds this very document.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import os
import re
import signal
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date, timezone
from pathlib import Path
from urllib.parse import urlsplit

from cleaners import Document, clean_tree, dumps, loads, parse_html
from cleaners.decode import decode_bytes
from cleaners.errors import CleanerError

from . import archive
from .capture import Capture, WarcCapture, repair
from .discovery import (
    COMMON_FEED_PATHS,
    FEED_TYPES,
    HTML_TYPES,
    XML_TYPES,
    PageLinks,
    XmlDocument,
    extract_links,
    judge_article,
    parse_xml,
)
from .errors import ArchiveError, CleanTimeout, UsageError, XmlError
from .fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_USER_AGENT,
    FetchConfig,
    Fetcher,
    FetchResult,
    RetryPolicy,
    make_client,
)
from .progress import Progress
from .robots import RobotsRules
from .state import CrawlState, NewUrl, Outcome, QueuedUrl
from .urls import host_of, hostname_of, normalize_url, resolves_private, same_site

#: Links to these are not worth a request: they are never HTML pages.
SKIPPED_EXTENSIONS = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4a|m4v|mov|avi|wmv|webm|ogg|wav|flac|zip|gz|tgz|"
    r"bz2|xz|7z|rar|exe|dmg|iso|apk|docx?|xlsx?|pptx?|odt|ods|csv|json|css|js|woff2?|ttf|eot)$",
    re.IGNORECASE,
)
_REFILL = 200  # queued URLs loaded per host at a time: memory stays flat however big the queue


@dataclass
class CrawlConfig:
    seeds: list[str]
    out: Path
    max_pages: int | None = None
    depth: int = 10
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    since: date | None = None
    delay: float = 1.0
    concurrency: int = 8
    per_host: int = 1
    user_agent: str = DEFAULT_USER_AGENT
    robots: bool = True
    allow_private: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    all_pages: bool = False
    json_log: Path | None = None
    follow_links: bool = True  # False for ``fetch``: only the given URLs
    discover: bool = True  # sitemaps and feeds
    workers: int = 2  # cleaning processes
    clean_timeout: float = 60.0  # seconds one page may take in a cleaning process before it is given up
    live: bool | None = None  # progress display: None = when stderr is a terminal
    quiet: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    robots_attempts: int = 3  # reads of an unreachable robots.txt per run before its URLs wait for the next
    robots_retry_delay: float = 30.0  # seconds, times the attempt number
    fetch: FetchConfig | None = None


# -- work done in cleaning processes -----------------------------------------------------------------


@dataclass
class PageAnalysis:
    links: PageLinks
    document: Document | None
    is_article: bool
    reason: str
    error: str | None = None
    serialized: str | None = None  # the archive file's text (serialising in the worker spares the loop)
    doc_hash: str | None = None


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: the parent decides how to stop, workers just finish.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(ImportError):
        import trafilatura  # noqa: F401 - warm the import once per worker


def decode_page(body: bytes, charset: str | None) -> str:
    """Bytes to text: BOM, HTTP charset, <meta>, then detection (the cleaners' decoder)."""
    return decode_bytes(body, declared=charset)


def analyse_html(
    body: bytes, url: str, charset: str | None, all_pages: bool, fetched: str | None, source: str | None
) -> PageAnalysis:
    """Links, article judgement and (for articles) the cleaned, serialised document of one HTML page."""
    try:
        text = decode_page(body, charset)
    except CleanerError as exc:
        return PageAnalysis(PageLinks(), None, False, "undecodable", error=str(exc))
    try:
        tree = parse_html(text)  # once: links are read from the tree, then it is cleaned
    except CleanerError as exc:
        return PageAnalysis(extract_links(text, url), None, False, "not cleanable", error=str(exc))
    links = extract_links(tree, url)
    listing_markup = links.og_type in ("website", "profile") and not links.ld_types
    if listing_markup and not all_pages:
        return PageAnalysis(links, None, False, "listing markup")
    try:
        document = clean_tree(tree, url=url)
    except CleanerError as exc:
        return PageAnalysis(links, None, False, "not cleanable", error=str(exc))
    is_article, reason = judge_article(links, url, document.words)
    if all_pages and document.text:
        is_article, reason = True, "--all-pages"
    if not is_article:
        return PageAnalysis(links, None, False, reason)
    document = document.replace(url=url, fetched=fetched, source=source)
    return PageAnalysis(
        links, document, True, reason, serialized=dumps(document), doc_hash=document_hash(document)
    )


def analyse_xml(body: bytes, url: str) -> XmlDocument | str:
    try:
        return parse_xml(body, url)
    except XmlError as exc:
        return str(exc)


def _ping() -> int:
    return os.getpid()


# -- the archive, through the archive module's writer ------------------------------------------------


def document_hash(doc: Document) -> str:
    """Identity of a document's content: what a re-crawl compares (fetch time and capture left out)."""
    return hashlib.sha256(dumps(doc.replace(fetched=None, source=None)).encode("utf-8")).hexdigest()


class DocumentStore:
    """Thin adapter over ``scraper.archive``: the document key is the page's canonical URL, so a page
    keeps its path across runs and passes (the index assigns it once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index = archive.ArchiveIndex(root)

    def close(self) -> None:
        self.index.close()

    def reserve(self, key: str, doc: Document) -> str:
        """The path ``doc`` goes to, recorded in the index before anything is written."""
        wanted = archive.document_relpath(
            site=doc.site, url=doc.url, published=doc.published, title=doc.title
        )
        previous = self.index.path_of(key)
        relpath = self.index.assign_path(key, wanted)
        if previous != relpath:
            self.index.record_document(key, key, relpath)
            self.index.commit()
            if previous:
                archive.remove_file(self.root, previous)
        return relpath

    def write(self, relpath: str, text: str) -> None:
        archive.atomic_write(self.root / relpath, text.encode("utf-8"))

    def holds(self, relpath: str, doc_hash: str | None) -> bool:
        """Whether the file at ``relpath`` exists and holds a document with this hash."""
        try:
            existing = loads((self.root / relpath).read_text(encoding="utf-8"))
        except (OSError, ValueError, CleanerError):
            return False
        return doc_hash is not None and document_hash(existing) == doc_hash


# -- hosts -------------------------------------------------------------------------------------------


@dataclass
class Host:
    key: str  # host[:port]
    scheme: str
    delay: float
    active: int = 0
    next_time: float = 0.0
    robots: RobotsRules | None = None
    buffer: deque[QueuedUrl] = field(default_factory=deque)
    cursor: int = 0
    exhausted: bool = False
    robots_attempts: int = 0
    robots_retry_at: float = 0.0  # loop time before which robots.txt is not asked for again
    robots_task: asyncio.Task[None] | None = None  # the robots.txt fetch in progress or last done
    # Requests in flight, at most --per-host: pages are dispatched per host, but redirects from other
    # hosts arrive too.
    requests: asyncio.Semaphore | None = None


# -- the crawler -------------------------------------------------------------------------------------


class Crawler:
    def __init__(self, config: CrawlConfig, progress: Progress) -> None:
        self.config = config
        self.progress = progress
        self.out = config.out
        self.include = [re.compile(p) for p in config.include]
        self.exclude = [re.compile(p) for p in config.exclude]
        self.since = config.since.isoformat() if config.since else None
        self.hosts: dict[str, Host] = {}
        self.ready_hosts: dict[str, None] = {}  # hosts that may have queued work, in round-robin order
        self.tasks: set[asyncio.Task[None]] = set()
        self.wake = asyncio.Event()
        self.stopping = False
        self.interrupted = False
        self.limit_reached = False
        self.timer: float | None = None  # earliest loop time something waits for (a robots.txt retry)
        self.seed_urls: list[str] = []
        self.seed_hosts: set[str] = set()
        self.private_cache: dict[str, bool] = {}
        self.pages_started = 0
        self.counts = {"fetched": 0, "archived": 0, "failed": 0, "skipped": 0, "queued": 0}
        self.failed_examples: dict[str, list[str]] = {}
        self.refused_private: set[str] = set()

    # -- set-up ------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        config = self.config
        for seed in config.seeds:
            # A bare "example.com/news" is what people type: read it as https, as browsers do.
            bare = "://" not in seed and re.match(r"^[\w.-]+\.[a-z]{2,}(:\d+)?(/|$)", seed.strip(), re.I)
            url = normalize_url("https://" + seed.strip() if bare else seed)
            if url is None:
                raise UsageError(f"not an http(s) URL: {seed!r}")
            if url not in self.seed_urls:
                self.seed_urls.append(url)
        if not self.seed_urls:
            raise UsageError("no seed URL given")
        self.seed_hosts = {host_of(u) for u in self.seed_urls}
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"{self.out}: not usable as the archive ({exc.strerror or exc})") from None
        for path in archive.remove_temporary_files(self.out):
            self.progress.log(f"removed temporary file left by an interrupted run: {path}")
        self.state = CrawlState(self.out)
        resumed = self.state.start_run()
        for change in repair(self.out, self.state.warc_sizes()):
            self.progress.log(f"WARC repair: {change}")
        self.store = DocumentStore(self.out)
        with self.state.transaction():
            deferred = self.state.requeue_deferred()
            for url, relpath, doc_hash in self.state.pending_documents():
                if relpath and self.store.holds(relpath, doc_hash):
                    self.state.document_written(url)
                else:
                    self.state.requeue(url)
            self.state.add(NewUrl(u, host_of(u), "page", 0) for u in self.seed_urls)
            if not config.robots and config.discover:  # no robots.txt to name the sitemaps: try the usual one
                self.state.add(
                    NewUrl(f"{urlsplit(u).scheme}://{host_of(u)}/sitemap.xml", host_of(u), "sitemap", 1)
                    for u in self.seed_urls
                )
        if resumed:
            self.progress.log(f"resuming pass {self.state.pass_no} in {self.out}")
        elif self.state.pass_no > 1:
            self.progress.log(f"re-crawl: pass {self.state.pass_no} in {self.out} (conditional requests)")
        if deferred:
            self.progress.log(f"{deferred} URLs waiting for an unreachable robots.txt queued again")
        for host in self.state.hosts_with_work():
            self._host(host)
            self.ready_hosts[host] = None
        self.pages_started = self.state.pages_fetched_in_pass()
        self.counts["queued"] = self.state.queued_count()
        self.warc = WarcCapture(self.out)

    def _host(self, key: str, scheme: str = "http") -> Host:
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = Host(key, scheme, self.config.delay)
            if not self.config.robots:
                host.robots = RobotsRules.from_response(404)
        return host

    # -- the main loop -----------------------------------------------------------------------------
    async def run(self) -> int:
        """Crawl until the queue is empty, ``--max-pages`` is reached or Ctrl-C; the exit code."""
        try:
            return await self._run()
        finally:
            self._close()

    def _close(self) -> None:
        """Release what ``_prepare`` opened, however far it got (an error half-way leaks nothing)."""
        for name in ("pool", "warc", "store", "state"):
            resource = self.__dict__.pop(name, None)
            if isinstance(resource, ProcessPoolExecutor):
                resource.shutdown(wait=True, cancel_futures=True)
            elif resource is not None:
                resource.close()
        self.progress.stop()

    async def _run(self) -> int:
        self._prepare()
        config = self.config
        fetch_config = config.fetch or FetchConfig()
        fetch_config.user_agent = config.user_agent
        fetch_config.max_bytes = config.max_bytes
        fetch_config.max_connections = max(config.concurrency, config.per_host)
        self.pool = self._new_pool(fork=True)
        loop = asyncio.get_running_loop()
        # Start the workers now, before any thread exists in this process (they are forked).
        await asyncio.gather(*(loop.run_in_executor(self.pool, _ping) for _ in range(config.workers)))
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self._interrupt)
        started = time.monotonic()
        self.progress.start()
        try:
            async with make_client(fetch_config) as client:
                self.fetcher = Fetcher(
                    client,
                    fetch_config,
                    config.retry,
                    before_request=self._pace,
                    after_request=self._paced,
                    on_retry=self._on_retry,
                )
                await self._loop()
        finally:
            for task in self.tasks:
                task.cancel()
            if self.tasks:
                await asyncio.gather(*self.tasks, return_exceptions=True)
            self.progress.update(**self.counts)
            self.progress.stop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(signum)
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.warc.close()
        completed = (
            not self.interrupted
            and not self.limit_reached
            and self.state.queued_count() == 0
            and not self.state.skips_by_cause().get("robots-unavailable")  # resumed, not restarted, next run
        )
        if completed:
            self.state.finish_pass()
        return self._summary(time.monotonic() - started, completed)

    def _interrupt(self) -> None:
        if self.interrupted:  # second Ctrl-C: stop waiting for pages in flight
            for task in self.tasks:
                task.cancel()
        self.interrupted = True
        self.stopping = True
        self.progress.log(
            "interrupted: finishing pages in flight (Ctrl-C again to stop now); "
            "run the same command again to resume"
        )
        self.wake.set()

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self.timer = None
            if not self.stopping:
                self._dispatch()
            if not self.tasks and (self.timer is None or self.stopping):
                return  # nothing in flight, nothing waiting for a time: nothing left to do
            timeout = 0.5 if self.timer is None else min(0.5, max(0.0, self.timer - loop.time()))
            self.wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=timeout)
            self.counts["queued"] = max(0, self.counts["queued"])
            self.progress.update(**self.counts)

    def _dispatch(self) -> None:
        config = self.config
        for key in list(self.ready_hosts):
            host = self.hosts[key]
            while host.active < config.per_host and len(self.tasks) < config.concurrency:
                if host.robots is None:
                    if host.active == 0:
                        now = asyncio.get_running_loop().time()
                        if now >= host.robots_retry_at:
                            host.robots_task = self._start(host, self._fetch_robots(host))
                        else:  # robots.txt unreachable: its URLs wait, the loop wakes up for the retry
                            self.timer = min(self.timer or host.robots_retry_at, host.robots_retry_at)
                    break
                item = self._next_item(host)
                if item is None:
                    self.ready_hosts.pop(key, None)
                    break
                if not host.robots.allowed(item.url, config.user_agent):
                    cause = "robots" if host.robots.available else "robots-unavailable"
                    with self.state.transaction():
                        self.state.complete(
                            item.url, Outcome("skipped", cause=cause, detail="disallowed by robots.txt")
                        )
                    self._count("skipped")
                    self.counts["queued"] -= 1
                    self.progress.event(url=item.url, kind=item.kind, outcome="skipped", cause=cause)
                    continue
                if item.kind == "page":
                    if config.max_pages is not None and self.pages_started >= config.max_pages:
                        host.buffer.appendleft(item)
                        self.limit_reached = True
                        self.stopping = True
                        self.progress.log(f"--max-pages {config.max_pages} reached")
                        return
                    self.pages_started += 1
                self._start(host, self._process(host, item))

    def _next_item(self, host: Host) -> QueuedUrl | None:
        while True:
            if not host.buffer:
                if host.exhausted:
                    return None
                batch = self.state.queued(host.key, host.cursor, _REFILL)
                if not batch:
                    host.exhausted = True
                    return None
                host.cursor = batch[-1].seq
                host.buffer.extend(batch)
            item = host.buffer.popleft()
            if self.state.is_queued(item.url):  # not completed meanwhile as a redirect target or alias
                return item

    def _start(self, host: Host, coroutine) -> asyncio.Task[None]:
        host.active += 1
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            host.active -= 1
            self.tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                exc = finished.exception()
                self.progress.log(f"internal error: {type(exc).__name__}: {exc}")
            self.wake.set()

        task.add_done_callback(done)
        return task

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    # -- politeness --------------------------------------------------------------------------------
    async def _pace(self, url: str) -> None:
        """Wait for a request slot on the host (--per-host) and space request starts by its delay
        (called before every attempt and redirect hop; ``_paced`` is called after each)."""
        host = self._host(host_of(url), urlsplit(url).scheme)
        if host.requests is None:
            host.requests = asyncio.Semaphore(self.config.per_host)
        await host.requests.acquire()
        try:
            loop = asyncio.get_running_loop()
            now = loop.time()
            slot = max(now, host.next_time)
            host.next_time = slot + host.delay
            if slot > now:
                await asyncio.sleep(slot - now)
        except BaseException:  # cancelled while waiting: no request, so no ``_paced``
            host.requests.release()
            raise

    def _paced(self, url: str) -> None:
        """The delay also runs from the end of a response: a slow server gets slower requests."""
        host = self.hosts.get(host_of(url))
        if host is None:
            return
        if host.requests is not None:
            host.requests.release()
        if host.delay > 0:
            host.next_time = max(host.next_time, asyncio.get_running_loop().time() + host.delay)

    def _on_retry(self, url: str, cause: str, wait: float) -> None:
        self.progress.log(f"retry {url}: {cause}, waiting {wait:.1f} s")

    async def _refusal(self, url: str) -> str | None:
        """Why a redirect target must not be fetched, or None. A host first met here gets its robots.txt
        read (and paced) before the target is requested."""
        refusal = await self._address_refusal(url)
        if refusal:
            return refusal
        host = self._host(host_of(url), urlsplit(url).scheme)
        if host.robots is None:
            await self._robots_of(host)
        rules = host.robots
        if rules is None or not rules.available:
            return "robots-unavailable"
        if not rules.allowed(url, self.config.user_agent):
            return "robots"
        return None

    async def _address_refusal(self, url: str) -> str | None:
        """``private-address`` for a non-seed host that is or resolves to a non-public address, unless
        --allow-private; ``unsupported-url`` for other schemes; None if the address may be fetched."""
        if urlsplit(url).scheme not in ("http", "https"):
            return "unsupported-url"
        key = host_of(url)
        if not self.config.allow_private and key not in self.seed_hosts:
            name = hostname_of(url)
            if name not in self.private_cache:
                self.private_cache[name] = await resolves_private(name)
            if self.private_cache[name]:
                if name not in self.refused_private:
                    self.refused_private.add(name)
                    self.progress.log(f"refusing {name}: private or loopback address (see --allow-private)")
                return "private-address"
        return None

    async def _robots_of(self, host: Host) -> None:
        """Read ``host``'s robots.txt now, or wait for the read already in progress (by the dispatcher or
        another redirect). An unreachable file is not asked for again before its retry time."""
        task = host.robots_task
        if task is None or task.done():
            if task is not None and asyncio.get_running_loop().time() < host.robots_retry_at:
                return
            task = host.robots_task = self._start(host, self._fetch_robots(host))
        await asyncio.shield(task)

    # -- robots.txt --------------------------------------------------------------------------------
    async def _fetch_robots(self, host: Host) -> None:
        try:
            await self._fetch_robots_file(host)
        except Exception as exc:
            if host.robots is None:  # never retried in a loop: the host waits for the next run
                host.robots = RobotsRules.from_response(None)
            self.progress.log(f"{host.key}: robots.txt could not be processed: {type(exc).__name__}: {exc}")

    async def _fetch_robots_file(self, host: Host) -> None:
        url = f"{host.scheme}://{host.key}/robots.txt"
        # Redirects of robots.txt are followed (RFC 9309), but never to a private address.
        result = await self.fetcher.fetch(url, check_redirect=self._address_refusal)
        final = result.final
        status = None if result.error or final is None else final.status
        body = final.body if final is not None else b""
        rules: RobotsRules | None = RobotsRules.from_response(status, body)
        capture = await self._capture(result)
        new: list[NewUrl] = []
        if rules.available:
            delay = rules.crawl_delay(self.config.user_agent)
            if delay is not None and delay > host.delay:
                host.delay = delay
                # robots.txt itself was paced by the old delay: the next request waits the new one.
                host.next_time = max(host.next_time, asyncio.get_running_loop().time() + delay)
                self.progress.log(f"{host.key}: robots.txt Crawl-delay {delay:g} s")
            if self.config.discover and host.key in self.seed_hosts:
                sitemaps = [normalize_url(s, url) for s in rules.sitemaps]
                # Depth of a sitemap or feed marks how it was found: 0 named by the site, 1 a guessed path.
                guessed = 0 if sitemaps else 1
                sitemaps = sitemaps or [f"{host.scheme}://{host.key}/sitemap.xml"]
                new = [
                    NewUrl(s, host_of(s), "sitemap", guessed)
                    for s in sitemaps
                    if s and same_site(s, self.seed_hosts)
                ]
        else:
            host.robots_attempts += 1
            if host.robots_attempts < self.config.robots_attempts:
                wait = self.config.robots_retry_delay * host.robots_attempts
                host.robots_retry_at = asyncio.get_running_loop().time() + wait
                self.progress.log(
                    f"{host.key}: robots.txt unreachable ({result.error or status}): "
                    f"nothing fetched from this host until it can be read; trying again in {wait:g} s"
                )
                rules = None
            else:
                self.progress.log(
                    f"{host.key}: robots.txt unreachable ({result.error or status}): its URLs are "
                    "left for the next run"
                )
        with self.state.transaction():
            if capture is not None:
                self._commit_capture(capture)
            self._add(new)
        host.robots = rules
        outcome = "done" if rules is not None and rules.available else "failed"
        cause = result.error or (f"http-{status}" if outcome == "failed" else None)
        self._event(result, "robots", outcome, cause)

    # -- one URL -----------------------------------------------------------------------------------
    async def _capture(self, result: FetchResult) -> Capture | None:
        if not result.responses:
            return None
        future = asyncio.ensure_future(asyncio.to_thread(self.warc.write, result.responses))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                self.warc.release(await future)
            raise

    def _commit_capture(self, capture: Capture) -> None:
        self.state.commit_warc(capture.filename, self.warc.committed_size(capture))

    async def _process(self, host: Host, item: QueuedUrl) -> None:
        headers: dict[str, str] = {}
        # Conditional only when the document is still on disk: a deleted file is fetched and written again.
        if item.kind == "page" and item.doc_path and (self.out / item.doc_path).is_file():
            if item.etag:
                headers["If-None-Match"] = item.etag
            if item.last_modified:
                headers["If-Modified-Since"] = item.last_modified
        result = await self.fetcher.fetch(item.url, headers, check_redirect=self._refusal)
        capture = await self._capture(result)
        try:
            await self._handle(item, result, capture)
        except asyncio.CancelledError:
            if capture is not None:
                self.warc.release(capture)
            raise
        except CleanTimeout as exc:  # the capture is kept: the page can be cleaned offline from the WARC
            final = result.final
            outcome = Outcome(
                "failed",
                http_status=final.status if final else None,
                final_url=result.final_url,
                source=capture.source if capture else None,
                cause="clean-timeout",
                detail=str(exc),
            )
            await self._finish(item, result, capture, outcome)
        except Exception as exc:  # a bug or a broken worker: this page fails, the crawl goes on
            if capture is not None:
                self.warc.release(capture)
            outcome = Outcome("failed", cause="internal-error", detail=f"{type(exc).__name__}: {exc}")
            await self._finish(item, result, None, outcome)

    async def _handle(self, item: QueuedUrl, result: FetchResult, capture: Capture | None) -> None:
        final = result.final
        source = capture.source if capture else None
        fetched = final.started.astimezone(timezone.utc).isoformat(timespec="seconds") if final else None
        base = Outcome(
            "failed",
            http_status=final.status if final else None,
            final_url=result.final_url,
            source=source,
            fetched=fetched,
        )
        if final is not None:
            self._count("fetched")
        if result.error:
            base.cause, base.detail = result.error, result.detail
            if result.error in ("robots", "robots-unavailable", "private-address"):
                base.status = "skipped"
            return await self._finish(item, result, capture, base)
        assert final is not None
        if final.status == 304:
            base.status, base.cause = "done", "not-modified"
            return await self._finish(item, result, capture, base)
        if final.status >= 400 or final.status in (301, 302, 303, 307, 308):
            base.cause = f"http-{final.status}"
            base.detail = f"{final.status} {final.reason}"
            if self._guessed(item):
                base.status = "skipped"  # a guessed path: absence is normal
            return await self._finish(item, result, capture, base)
        base.etag = final.header("etag")
        base.last_modified = final.header("last-modified")
        is_html = self._is_html(final.content_type, final.body)
        seed_xml = item.kind == "page" and item.depth == 0 and self.config.follow_links and not is_html
        if item.kind in ("sitemap", "feed") or (seed_xml and self._is_xml(final.content_type, final.body)):
            # A sitemap or feed; or a seed that is one (``crawl https://site/sitemap.xml``).
            parsed = await self._in_pool(analyse_xml, final.body, result.final_url)
            if isinstance(parsed, str):
                base.cause, base.detail = "bad-xml", parsed
                if item.kind == "page":  # a seed that is not a sitemap or feed after all
                    base.status, base.cause = "skipped", "not-html"
                if self._guessed(item):  # e.g. a soft-404 HTML page at a guessed path
                    base.status = "skipped"
                return await self._finish(item, result, capture, base)
            base.status = "done"
            new = await self._resolve(self._from_xml(item, parsed))
            return await self._finish(item, result, capture, base, new)
        if not is_html:
            base.status, base.cause = "skipped", "not-html"
            base.detail = final.content_type or "no content type"
            return await self._finish(item, result, capture, base)
        if final.truncated:
            base.status, base.cause = "skipped", "too-large"
            base.detail = f"cut at --max-bytes {self.config.max_bytes}"
            self.progress.log(f"skipped {item.url}: larger than --max-bytes, not archived")
        analysis = await self._in_pool(
            analyse_html,
            final.body,
            result.final_url,
            final.charset,
            self.config.all_pages,
            fetched,
            source,
        )
        if analysis.error:
            self.progress.log(f"{item.url}: {analysis.error}")
        new = await self._resolve(self._from_page(item, result.final_url, analysis.links))
        if final.truncated:
            return await self._finish(item, result, capture, base, new)
        base.status = "done"
        document = analysis.document
        if document is None:
            base.cause = None if analysis.is_article else "not-article"
            base.detail = analysis.reason
            return await self._finish(item, result, capture, base, new)
        canonical = analysis.links.canonical
        final_url = result.final_url
        if (
            canonical
            and canonical != final_url
            and self.config.follow_links
            and same_site(canonical, self.seed_hosts | {host_of(final_url)})
        ):
            # A copy (print view, AMP...) of a page archived under its own URL: fetch that one instead.
            if not self.state.has_document_in_pass(canonical):
                new.append(NewUrl(canonical, host_of(canonical), "page", item.depth))
            base.cause, base.detail = "non-canonical", f"copy of {canonical}"
            return await self._finish(item, result, capture, base, new)
        if self.since and document.published and document.published[:10] < self.since:
            base.cause, base.detail = "older-than-since", document.published
            return await self._finish(item, result, capture, base, new)
        return await self._finish(item, result, capture, base, new, analysis)

    async def _in_pool(self, function, *args):
        """Run CPU work in a cleaning process, at most ``clean_timeout`` seconds (waiting for a free worker
        included). A page over the limit raises ``CleanTimeout`` and its stuck worker is killed with its
        pool; if a worker died (OOM killer, crash, or a pool killed for a timeout), new ones start and the
        work is tried once more."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self.pool
            try:
                return await asyncio.wait_for(
                    loop.run_in_executor(pool, function, *args), self.config.clean_timeout
                )
            except asyncio.TimeoutError:
                self._replace_pool(
                    pool,
                    f"a page took more than {self.config.clean_timeout:g} s to clean: "
                    "its cleaning process is killed, new ones start",
                )
                raise CleanTimeout(f"not cleaned within {self.config.clean_timeout:g} s") from None
            except BrokenProcessPool:
                if attempt == 2:
                    raise
                self._replace_pool(pool, "a cleaning process died: starting new ones")
        raise AssertionError("unreachable")

    def _new_pool(self, fork: bool = False) -> ProcessPoolExecutor:
        # spawn, not fork, once the crawl runs: this process has threads by then, and forking them is unsafe.
        context = None if fork else multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=max(1, self.config.workers), initializer=_worker_init, mp_context=context
        )

    def _replace_pool(self, pool: ProcessPoolExecutor, message: str) -> None:
        """Kill ``pool``'s processes (a stuck one never returns) and start a new pool, once per pool."""
        if self.pool is not pool:
            return  # another page already replaced it
        self.progress.log(message)
        kill_workers = getattr(pool, "kill_workers", None)  # Python 3.14+
        if kill_workers is not None:
            kill_workers()
        else:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    @staticmethod
    def _guessed(item: QueuedUrl) -> bool:
        """A sitemap or feed at a common path we tried, not one the site named."""
        return item.kind in ("sitemap", "feed") and item.depth > 0

    @staticmethod
    def _is_xml(content_type: str, body: bytes) -> bool:
        if content_type in XML_TYPES or content_type in FEED_TYPES or content_type.endswith("+xml"):
            return True
        return body[:2] == b"\x1f\x8b" or body[:256].lstrip().startswith(b"<?xml")

    @staticmethod
    def _is_html(content_type: str, body: bytes) -> bool:
        if content_type in HTML_TYPES:
            return True
        if content_type in ("", "text/plain", "application/octet-stream"):
            head = body[:1024].lstrip().lower()
            return head.startswith((b"<!doctype html", b"<html"))
        return False

    async def _finish(
        self,
        item: QueuedUrl,
        result: FetchResult,
        capture: Capture | None,
        outcome: Outcome,
        new: list[NewUrl] | None = None,
        analysis: PageAnalysis | None = None,
    ) -> None:
        """Steps 4-6: commit, then write the document (in a thread: the disk must not stall the loop).

        A cancellation while the file is written leaves ``doc_pending`` set: the next start checks the file.
        """
        relpath = None
        write = False
        document = analysis.document if analysis is not None else None
        if document is not None and analysis is not None:
            key = document.url or item.url
            outcome.doc_hash = analysis.doc_hash
            relpath = self.store.reserve(key, document)
            unchanged = (
                item.doc_hash == outcome.doc_hash
                and item.doc_path == relpath
                and (self.out / relpath).is_file()
            )
            outcome.doc_path = relpath
            write = not unchanged
            outcome.doc_pending = write
            if not write:
                outcome.cause = "unchanged"
        with self.state.transaction():
            self.state.complete(item.url, outcome)
            if result.final_url != item.url and outcome.status == "done":
                self.state.add_alias(result.final_url, host_of(result.final_url), item.url)
            if capture is not None:
                self._commit_capture(capture)
            self._add(new or [])
        self.counts["queued"] -= 1
        if analysis is not None and analysis.serialized is not None and relpath is not None and write:
            await asyncio.to_thread(self.store.write, relpath, analysis.serialized)
            with self.state.transaction():
                self.state.document_written(item.url)
            self._count("archived")
        if outcome.status == "failed":
            self._count("failed")
            examples = self.failed_examples.setdefault(outcome.cause or "unknown", [])
            if len(examples) < 5:
                examples.append(item.url)
            self.progress.log(f"FAILED {item.url}: {outcome.cause} ({outcome.detail})")
        elif outcome.status == "skipped":
            self._count("skipped")
        elif not self.progress.live_mode:
            what = f"archived {relpath}" if write else (outcome.cause or "ok")
            moved = f" -> {result.final_url}" if result.final_url != item.url else ""
            self.progress.log(f"{outcome.http_status} {item.url}{moved} {what}")
        self._event(result, item.kind, outcome.status, outcome.cause, relpath if write else None)

    def _event(
        self, result: FetchResult, kind: str, outcome: str, cause: str | None, document: str | None = None
    ) -> None:
        final = result.final
        self.progress.event(
            url=result.url,
            final_url=result.final_url,
            kind=kind,
            outcome=outcome,
            cause=cause,
            status=final.status if final else None,
            bytes=len(final.raw_body) if final else 0,
            truncated=final.truncated if final else False,
            attempts=result.attempts,
            redirects=[r.url for r in result.responses[:-1]],
            document=document,
        )

    # -- discoveries -------------------------------------------------------------------------------
    def _wanted(self, url: str) -> bool:
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)

    def _from_page(self, item: QueuedUrl, page_url: str, links: PageLinks) -> list[NewUrl]:
        new: list[NewUrl] = []
        if self.config.discover and item.depth == 0:
            feeds = links.feeds or [
                f"{urlsplit(page_url).scheme}://{host_of(page_url)}{p}" for p in COMMON_FEED_PATHS
            ]
            # Depth marks how the feed was found: 0 advertised, 1 a guessed common path.
            new += [
                NewUrl(f, host_of(f), "feed", 0 if links.feeds else 1)
                for f in feeds
                if same_site(f, self.seed_hosts)
            ]
        elif self.config.discover:
            new += [NewUrl(f, host_of(f), "feed", 0) for f in links.feeds if same_site(f, self.seed_hosts)]
        if not self.config.follow_links or item.depth + 1 > self.config.depth:
            return new
        for link in links.links:
            if self._follow(link):
                new.append(NewUrl(link, host_of(link), "page", item.depth + 1))
        return new

    def _follow(self, url: str) -> bool:
        return (
            same_site(url, self.seed_hosts)
            and not SKIPPED_EXTENSIONS.search(urlsplit(url).path)
            and self._wanted(url)
        )

    def _from_xml(self, item: QueuedUrl, parsed: XmlDocument) -> list[NewUrl]:
        new: list[NewUrl] = []
        for entry in parsed.entries:
            if not same_site(entry.url, self.seed_hosts):
                continue
            if entry.is_sitemap:
                new.append(NewUrl(entry.url, host_of(entry.url), "sitemap", 0))
                continue
            if self.since and entry.lastmod and entry.lastmod[:10] < self.since:
                continue
            if self.config.follow_links and self._follow(entry.url):
                new.append(NewUrl(entry.url, host_of(entry.url), "page", 1, entry.lastmod))
        return new

    def _add(self, new: list[NewUrl]) -> None:
        """Queue discoveries (inside the page's transaction); private hosts were filtered before."""
        if not new:
            return
        allowed = [n for n in new if self._host_allowed(n.url)]
        added = self.state.add(allowed)
        self.counts["queued"] += added
        if added:
            for n in allowed:
                host = self._host(n.host, urlsplit(n.url).scheme)
                host.exhausted = False
                self.ready_hosts[n.host] = None

    async def _resolve(self, new: list[NewUrl]) -> list[NewUrl]:
        """Look up (once per host) whether new hosts are private, so ``_add`` can decide synchronously."""
        if not self.config.allow_private:
            for name in {hostname_of(n.url) for n in new if n.host not in self.seed_hosts}:
                if name not in self.private_cache:
                    self.private_cache[name] = await resolves_private(name)
        return new

    def _host_allowed(self, url: str) -> bool:
        """Synchronous private-address check from the cache (hosts are resolved before, in ``_resolve``)."""
        if self.config.allow_private or host_of(url) in self.seed_hosts:
            return True
        return not self.private_cache.get(hostname_of(url), False)

    # -- the end -----------------------------------------------------------------------------------
    def _summary(self, elapsed: float, completed: bool) -> int:
        failures = self.state.failures_by_cause()
        skips = self.state.skips_by_cause()
        rate = self.counts["fetched"] / elapsed if elapsed > 0 else 0.0
        state = "completed" if completed else ("interrupted" if self.interrupted else "stopped")
        self.progress.log(
            f"crawl {state}: {self.counts['fetched']} fetched, {self.counts['archived']} archived, "
            f"{sum(failures.values())} failed, {sum(skips.values())} skipped in {elapsed:.1f} s "
            f"({rate:.1f} pages/s); pass {self.state.pass_no}, {self.state.queued_count()} still queued"
        )
        if failures:
            self.progress.log("failures by cause:")
            for cause, count in failures.items():
                examples = ", ".join(self.failed_examples.get(cause) or self.state.failure_examples(cause, 5))
                self.progress.log(f"  {cause}: {count}" + (f" (e.g. {examples})" if examples else ""))
        if skips:
            self.progress.log("skipped by cause: " + ", ".join(f"{c} {n}" for c, n in skips.items()))
        if self.interrupted:
            return 130
        blocked = skips.get("robots-unavailable", 0)
        return 1 if failures or blocked else 0


def run_crawl(config: CrawlConfig) -> int:
    """Run a crawl to the end (or until interrupted); returns the exit code (0, 1, or 130)."""
    for pattern in [*config.include, *config.exclude]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"bad regular expression {pattern!r}: {exc}") from None
    if config.per_host < 1 or config.concurrency < 1 or config.delay < 0 or config.max_bytes < 1:
        raise UsageError("--per-host, --concurrency and --max-bytes must be positive, --delay not negative")
    progress = Progress(config.json_log, live=config.live, quiet=config.quiet)
    crawler = Crawler(config, progress)
    return asyncio.run(crawler.run())


def run_fetch(config: CrawlConfig) -> int:
    """``newsarchive fetch``: the seeds only (no links, sitemaps or feeds), each archived whatever it
    looks like."""
    return run_crawl(replace(config, follow_links=False, discover=False, all_pages=True, depth=0))


def read_urls_file(path: Path) -> list[str]:
    """URLs from a file, one per line; blank lines and ``#`` comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --urls-file {path}: {exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def parse_since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        # a date, or a full timestamp whose date part is what counts ("2024-03-01T12:00:00Z")
        text = value.strip()
        if len(text) > 10 and text[10] not in "T ":
            raise ValueError(text)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise UsageError(f"--since wants a date like 2024-03-01, not {value!r}") from None


__all__ = ["CrawlConfig", "Crawler", "parse_since", "read_urls_file", "run_crawl", "run_fetch"]
