"""Speed of ``newsarchive clean`` beside the trafilatura CLI on the aeb corpus (181 news pages).

Gunzips ``<shared>/corpora/aeb/html/*.html.gz`` into a temporary folder, then alternates
``newsarchive clean DIR --jobs N --out TMP --force`` and
``trafilatura --input-dir DIR --output-dir TMP2 --parallel N --with-metadata`` (both from this venv),
each run into an emptied output folder, and prints wall times, pages/s and the ratio of median wall
times (ours / trafilatura; the target is <= 1.0). Figures, not assertions: run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
BIN = Path(sys.executable).parent


def gunzip_corpus(source: Path, target: Path) -> int:
    target.mkdir(parents=True)
    count = 0
    for page in sorted(source.glob("*.html.gz")):
        (target / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        count += 1
    return count


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], out: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds (all processes of the run) of ``command``, into an emptied ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu_before, done


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (../shared)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tool, alternating")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for both tools")
    args = parser.parse_args(argv)

    corpus = args.shared / "corpora" / "aeb" / "html"
    if not corpus.is_dir():
        print(f"bench skipped: {corpus} not found (it lives in ../shared beside the repository)")
        return 0
    ours_exe, theirs_exe = BIN / "newsarchive", BIN / "trafilatura"
    for exe in (ours_exe, theirs_exe):
        if not exe.exists():
            print(f"bench skipped: {exe} not found (run `make bench` so the venv is set up)")
            return 0

    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        work = Path(tmp)
        pages_dir = work / "pages"
        pages = gunzip_corpus(corpus, pages_dir)
        ours_out, theirs_out = work / "ours", work / "trafilatura"
        jobs = str(args.jobs)
        ours_cmd = [str(ours_exe), "clean", str(pages_dir), "--jobs", jobs, "--out", str(ours_out), "--force"]
        theirs_cmd = [
            str(theirs_exe),
            "--input-dir",
            str(pages_dir),
            "--output-dir",
            str(theirs_out),
            "--parallel",
            jobs,
            "--with-metadata",
        ]

        startup, _, _ = timed([str(ours_exe), "--help"], work / "help")
        print(
            f"corpus: {pages} aeb pages; {os.cpu_count()} cores; --jobs/--parallel {jobs}; "
            f"{args.rounds} alternating rounds; load average {os.getloadavg()[0]:.1f} at start"
        )
        print(f"newsarchive start-up (--help): {startup:.2f} s")

        wall: dict[str, list[float]] = {"newsarchive": [], "trafilatura": []}
        cpu: dict[str, list[float]] = {"newsarchive": [], "trafilatura": []}
        for round_number in range(1, args.rounds + 1):
            for name, command, out in (
                ("newsarchive", ours_cmd, ours_out),
                ("trafilatura", theirs_cmd, theirs_out),
            ):
                seconds, cpu_seconds, done = timed(command, out)
                # newsarchive exits 1 when some pages failed: still a complete run to time
                if done.returncode not in ((0, 1) if name == "newsarchive" else (0,)):
                    print(f"{name} failed (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
                    return 1
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
                written = sum(1 for p in out.rglob("*") if p.is_file() and ".newsarchive" not in p.parts)
                note = f"; {last_line(done.stderr)}" if name == "newsarchive" else ""
                print(
                    f"round {round_number}: {name:11} {seconds:6.2f} s wall {cpu_seconds:6.2f} s CPU"
                    f"  ({written} files{note})"
                )

    print()
    for name, label in (("newsarchive", "newsarchive clean"), ("trafilatura", "trafilatura CLI")):
        median = statistics.median(wall[name])
        print(
            f"{label:17}: median {median:.2f} s wall (best {min(wall[name]):.2f}), "
            f"median {statistics.median(cpu[name]):.2f} s CPU, {pages / median:6.1f} pages/s"
        )
    ours, theirs = statistics.median(wall["newsarchive"]), statistics.median(wall["trafilatura"])
    cpu_ratio = statistics.median(cpu["newsarchive"]) / statistics.median(cpu["trafilatura"])
    verdict = "target met" if ours <= theirs else "target missed"
    print(
        f"ratio ours/trafilatura: wall time {ours / theirs:.2f} (target <= 1.0: {verdict}), "
        f"CPU time {cpu_ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
