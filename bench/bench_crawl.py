"""Crawl benchmark: `newsarchive crawl` beside `wget --recursive` on a generated news site.

Generates a site of ``--articles`` articles (default 2,000) with section listings (paginated), a
sitemap and robots.txt, pre-rendered into a temporary folder, and serves it on 127.0.0.1 from a
separate process (an in-memory, keep-alive, threaded server). Then, in the same run:

- ``newsarchive crawl URL --delay 0 --per-host 8 --max-pages 2100`` (fetch, WARC capture, cleaning);
- ``wget --recursive --level=inf --no-parent -q`` over the same site.

For each: HTML pages served (counted by the server), wall time, CPU time (user + system, the process
and its children), pages/s, peak RSS of the process tree (VmRSS of the process and its descendants,
summed, polled every 50 ms). Prints the ratio of pages/s.
Targets (issue 3): newsarchive >= 3x wget's pages/s, cleaning included; peak RSS < 300 MB.

``--latency-ms N...`` makes the server wait N ms before each response, like a remote site would; each
value is one measurement (default: 0 and 50). At 0 ms wget measures loopback and disk speed only (a few
thousand pages/s), which no crawler that also cleans every page can approach; with a server response
time like a real site's, the crawler's concurrency (--per-host 8) is what counts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECTIONS = (
    "news",
    "world",
    "business",
    "politics",
    "science",
    "health",
    "sport",
    "culture",
    "opinion",
    "travel",
)
LISTING_SIZE = 40


# ------------------------------------------------------------------------------------------ the site


def generate_site(root: Path, base: str, articles: int) -> int:
    """Render the site into ``root``; returns the number of HTML pages."""
    sys.path.insert(0, str(REPO / "tests"))
    from sitegen import Article, render_article, render_listing, render_rss, render_sitemap

    per_section: dict[str, list[Article]] = {s: [] for s in SECTIONS}
    for seed in range(articles):
        section = SECTIONS[seed % len(SECTIONS)]
        month = 1 + seed % 12
        per_section[section].append(
            Article(
                f"/{section}/2024/{month:02d}/story-{seed}.html",
                seed=seed,
                section=section,
                day=1 + seed % 28,
                month=month,
            )
        )
    everything = [a for arts in per_section.values() for a in arts]
    pages = 0

    def write(path: str, data: str | bytes) -> None:
        target = root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    for index, article in enumerate(everything):
        related = [
            (other.path, other.title)
            for other in (everything[(index + step) % len(everything)] for step in (1, 7, 31))
        ]
        write(article.path, render_article(article, base, related, sections=SECTIONS))
        pages += 1
    for section, arts in per_section.items():
        chunks = [arts[i : i + LISTING_SIZE] for i in range(0, len(arts), LISTING_SIZE)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            path = f"/{section}/" if number == 1 else f"/{section}/page/{number}/"
            teasers = [(a.path, a.title, a.paragraphs[0][:140]) for a in chunk]
            write(
                path,
                render_listing(
                    f"{section.title()} - page {number}",
                    teasers,
                    sections=SECTIONS,
                    next_href=f"/{section}/page/{number + 1}/" if number < len(chunks) else None,
                    prev_href=None
                    if number == 1
                    else (f"/{section}/" if number == 2 else f"/{section}/page/{number - 1}/"),
                ),
            )
            pages += 1
    # The menu and footer of every page link these too.
    write("/", render_listing("Home", [(a.path, a.title, "") for a in everything[:20]], sections=SECTIONS))
    write(
        "/tag/harbours/",
        render_listing("Tag: harbours", [(a.path, a.title, "") for a in everything[::97]], sections=SECTIONS),
    )
    write("/about/", render_listing("About us", [], sections=SECTIONS))
    pages += 3
    write(
        "/feed.xml",
        render_rss(
            base, [(base + a.path, a.title, "Tue, 05 Mar 2024 08:00:00 GMT") for a in everything[:30]]
        ),
    )
    write("/sitemap.xml", render_sitemap([(base + a.path, a.published[:10]) for a in everything]))
    write("/robots.txt", f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n")
    return pages


# ---------------------------------------------------------------------------------------- the server


class _SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls
    server: _SiteServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        if self.path == "/__stats__":
            self._send(200, json.dumps(server.stats).encode(), "application/json")
            return
        if self.path == "/__reset__":
            with server.lock:
                server.stats = {"requests": 0, "html_pages": 0, "bytes": 0}
            self._send(200, b"{}", "application/json")
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        page = server.files.get(path)
        if server.latency:
            time.sleep(server.latency)
        with server.lock:
            server.stats["requests"] += 1
            if page is not None and page[1].startswith("text/html"):
                server.stats["html_pages"] += 1
                server.stats["bytes"] += len(page[0])
        if page is None:
            self._send(404, b"not found", "text/plain")
        else:
            self._send(200, *page)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, port: int, root: Path, latency: float) -> None:
        super().__init__(("127.0.0.1", port), _SiteHandler)
        self.lock = threading.Lock()
        self.latency = latency
        self.stats = {"requests": 0, "html_pages": 0, "bytes": 0}
        self.files: dict[str, tuple[bytes, str]] = {}
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            url = "/" + path.relative_to(root).as_posix()
            ctype = {"html": "text/html; charset=utf-8", "xml": "application/xml", "txt": "text/plain"}[
                path.suffix.lstrip(".")
            ]
            if path.name == "feed.xml":
                ctype = "application/rss+xml"
            self.files[url] = (path.read_bytes(), ctype)
            if url.endswith("/index.html"):
                self.files[url[: -len("index.html")]] = self.files[url]

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def serve(root: Path, port: int, latency_ms: float) -> None:
    server = _SiteServer(port, root, latency_ms / 1000)
    print("ready", flush=True)
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict[str, int]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


# ------------------------------------------------------------------------------------------ measuring


def tree_rss_kb(root: int) -> int:
    """VmRSS of ``root`` and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


@dataclass
class Measure:
    name: str
    pages: int
    seconds: float
    peak_rss_mb: float
    returncode: int
    cpu_seconds: float = 0.0
    docs: int | None = None

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def measure(name: str, command: list[str], stats_url: str, log: Path) -> Measure:
    get_json(stats_url.replace("__stats__", "__reset__"))
    peak = 0
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO
        )
        while True:  # wait4, not poll: its rusage gives the CPU time of the process and its reaped children
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    pages = get_json(stats_url)["html_pages"]
    return Measure(
        name, pages, seconds, peak / 1024, process.returncode, cpu_seconds=usage.ru_utime + usage.ru_stime
    )


def run_pair(
    site: Path,
    work: Path,
    port: int,
    latency_ms: float,
    args: argparse.Namespace,
) -> tuple[Measure, Measure]:
    """Serve ``site`` with ``latency_ms`` and measure newsarchive, then wget, on it."""
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            str(site),
            "--port",
            str(port),
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        stats_url = f"{base}/__stats__"
        out = work / f"archive-{latency_ms:g}ms"
        shutil.rmtree(out, ignore_errors=True)
        ours = measure(
            "newsarchive",
            [
                str(Path(sys.executable).with_name("newsarchive")),
                "crawl",
                base + "/",
                "--out",
                str(out),
                "--delay",
                "0",
                "--per-host",
                str(args.per_host),
                "--max-pages",
                str(args.max_pages),
                "--allow-private",
                "--depth",
                "50",
            ],
            stats_url,
            work / f"newsarchive-{latency_ms:g}ms.log",
        )
        ours.docs = sum(1 for p in out.rglob("*.txt") if ".newsarchive" not in p.parts)
        mirror = work / f"wget-{latency_ms:g}ms"
        shutil.rmtree(mirror, ignore_errors=True)
        wget = ["wget", "--recursive", "--level=inf", "--no-parent", "-q", "-P", str(mirror), base + "/"]
        theirs = measure("wget", wget, stats_url, work / f"wget-{latency_ms:g}ms.log")
    finally:
        server.terminate()
        server.wait()
    return ours, theirs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--max-pages", type=int, default=2100)
    parser.add_argument(
        "--latency-ms",
        type=float,
        nargs="+",
        default=[0.0, 50.0],
        help="server wait before each response; one measurement per value (default: 0 50)",
    )
    parser.add_argument("--keep", type=Path, help="keep the site, archives and logs in this folder")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # internal: the server process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, args.latency_ms[0])
        return 0
    if not shutil.which("wget"):
        print("wget not found: install it (apt-get install -y wget)", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="bench-crawl-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    pages = generate_site(site, f"http://127.0.0.1:{port}", args.articles)
    size_mb = sum(p.stat().st_size for p in site.rglob("*.html")) / 1e6
    print(
        f"site: {args.articles} articles, {pages} HTML pages ({size_mb:.1f} MB) on 127.0.0.1; "
        f"newsarchive crawl --delay 0 --per-host {args.per_host} --max-pages {args.max_pages}"
    )
    print(
        f"{'latency':>7} {'tool':<12} {'exit':>4} {'pages':>6} {'docs':>6} {'wall s':>8} {'CPU s':>7} "
        f"{'pages/s':>8} {'peak RSS MB':>12}"
    )
    failed = False
    for latency in args.latency_ms:
        ours, theirs = run_pair(site, work, port, latency, args)
        for m in (ours, theirs):
            docs = "-" if m.docs is None else str(m.docs)
            print(
                f"{latency:>5g}ms {m.name:<12} {m.returncode:>4} {m.pages:>6} {docs:>6} {m.seconds:>8.2f} "
                f"{m.cpu_seconds:>7.1f} {m.pages_per_s:>8.1f} {m.peak_rss_mb:>12.1f}",
                flush=True,
            )
        ratio = ours.pages_per_s / theirs.pages_per_s if theirs.pages_per_s else float("inf")
        print(
            f"{latency:>5g}ms pages/s newsarchive/wget: {ratio:.2f} (target >= 3.0); "
            f"newsarchive peak RSS {ours.peak_rss_mb:.0f} MB (target < 300)",
            flush=True,
        )
        if ours.returncode != 0:
            failed = True
            print(
                f"newsarchive exited {ours.returncode}: see {work}/newsarchive-{latency:g}ms.log",
                file=sys.stderr,
            )
    if args.keep is None and not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
