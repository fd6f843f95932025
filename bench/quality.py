#!/usr/bin/env python3
"""Extraction quality benchmark: the project's `cleaners.clean_html` beside trafilatura.

Runs both extractors over the shared corpora (`../shared/corpora/aeb`, `../shared/corpora/wcxb-dev`) and
prints, per corpus, AEB F1/precision/recall (word 4-gram shingles, pages weighted equally) or WCXB word
F1/precision/recall, 'with'/'without' snippet rates, title/author/date agreement, and seconds per page.

The figures must agree with the reference scorer `../shared/tools/score_extraction.py`, so page loading,
the extractor adapters and every scoring function are imported from it (never re-implemented); this file
only adds parallel runs, the side-by-side table and the per-page loss report. Each extractor runs in its
own pass of fresh worker processes and is timed per page inside the worker (after one warm-up call on a
tiny page, so import costs are not charged to the first page): wall time as the scorer reports it, and the
worker's CPU time, which other people's load on a shared machine barely moves; the speed ratio uses CPU time.

usage (from the repo root, venv python):
    python bench/quality.py [--corpus aeb|wcxb|all] [--limit N] [--jobs N] [--no-reference]
                            [--worst N] [--worst-of project|reference] [--save DIR] [--shared DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import math
import multiprocessing
import re
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
CORPUS_DIRS = {"aeb": "aeb", "wcxb": "wcxb-dev"}
# Extractor names as the reference scorer knows them; the labels are what the table prints.
EXTRACTORS = {"project": "project", "reference": "trafilatura"}
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
WARMUP_HTML = (
    "<html><head><title>warm up</title></head><body><article><p>Warm up page.</p></article></body></html>"
)


def load_scorer(path: Path) -> ModuleType:
    """Import the reference scorer from its file path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- extraction in worker processes

_worker_extract: Any = None


def _init_worker(scorer_path: str, extractor: str) -> None:
    global _worker_extract
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))  # this checkout's cleaners, whatever the cwd
    scorer = load_scorer(Path(scorer_path))
    _worker_extract = scorer.make_extractor(extractor)
    # a failing warm-up shows up again, and is counted, on the real pages
    with contextlib.suppress(Exception):
        _worker_extract(WARMUP_HTML, "https://example.org/warm-up")


def _extract_one(task: tuple[str, str | None, str]) -> tuple[str, str, dict, float, float, str | None]:
    """Extract one page the way the scorer does: a crash is a full miss, reported by name.

    Wall time is what the scorer reports; CPU time of the worker is also kept because on a shared
    machine it barely moves with other people's load, so the speed ratio stays comparable.
    """
    key, url, html = task
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        pred, meta = _worker_extract(html, url)
        error = None
    except Exception as e:
        pred, meta, error = "", {}, f"{type(e).__name__}: {e}"
    return key, pred or "", meta or {}, time.perf_counter() - t0, time.process_time() - c0, error


# ---------------------------------------------------------------- per-page scores


@dataclass
class PageResult:
    key: str
    url: str | None
    pred: str
    meta: dict
    seconds: float
    error: str | None
    cpu_seconds: float = 0.0
    counts: tuple[float, float, float] | None = None  # aeb: normalised (tp, fp, fn) shingle counts
    scores: dict[str, float] = field(default_factory=dict)  # wcxb: p, r, f, with, without, title, ...
    f1: float = 0.0


def page_f1_from_counts(counts: tuple[float, float, float]) -> float:
    """F1 of one aeb page from its shingle counts; a page where both texts are empty scores 1."""
    tp, fp, fn = counts
    if tp == fp == fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def score_page(scorer: ModuleType, corpus: str, item: dict, result: PageResult) -> None:
    """Fill result's scores exactly as score_extraction.main() does for one page."""
    pred, meta = result.pred, result.meta
    if corpus == "aeb":
        result.counts = scorer.page_counts(item.get("articleBody", ""), pred)
        result.f1 = page_f1_from_counts(result.counts)
        return
    p, r, f = scorer.word_prf(pred, item.get("main_content") or "")
    s = {"p": p, "r": r, "f": f}
    low = pred.lower()
    if item.get("with"):
        s["with"] = sum(x.lower() in low for x in item["with"]) / len(item["with"])
    if item.get("without"):
        s["without"] = sum(x.lower() in low for x in item["without"]) / len(item["without"])
    if item.get("title"):
        s["title"] = float(scorer.same_text(meta.get("title"), item["title"]))
    if item.get("author"):
        s["author"] = float(scorer.same_author(meta.get("author"), item["author"]))
    if item.get("publish_date"):
        s["date"] = float(str(meta.get("date") or "")[:10] == str(item["publish_date"])[:10])
    result.scores = s
    result.f1 = f


def summarise(scorer: ModuleType, corpus: str, results: list[PageResult]) -> dict[str, float]:
    """Corpus figures, aggregated as the reference scorer aggregates them."""
    n = len(results)
    out: dict[str, float] = {
        "pages": n,
        "errors": sum(r.error is not None for r in results),
        "s_per_page": sum(r.seconds for r in results) / max(n, 1),
        "cpu_per_page": sum(r.cpu_seconds for r in results) / max(n, 1),
    }
    if corpus == "aeb":
        counts = [r.counts for r in results if r.counts is not None]
        out["precision"], out["recall"], out["f1"] = scorer.prf(counts) if counts else (math.nan,) * 3
        return out
    for name in ("p", "r", "f", "with", "without", "title", "author", "date"):
        values = [r.scores[name] for r in results if name in r.scores]
        out[name] = statistics.mean(values) if values else math.nan
    out["precision"], out["recall"], out["f1"] = out.pop("p"), out.pop("r"), out.pop("f")
    return out


def scorer_line(corpus: str, label: str, s: dict[str, float]) -> str:
    """The summary in the reference scorer's own format, for a direct comparison with its last line."""
    extra = ""
    if corpus == "wcxb":
        extra = (
            f" with={s['with']:.3f} without={s['without']:.3f} title={s['title']:.3f}"
            f" author={s['author']:.3f} date={s['date']:.3f}"
        )
    return (
        f"{corpus} {label}: pages={s['pages']} errors={s['errors']} precision={s['precision']:.4f} "
        f"recall={s['recall']:.4f} s_per_page={s['s_per_page']:.4f}{extra} f1={s['f1']:.4f}"
    )


# ---------------------------------------------------------------- text diff for the loss report


def normalise_words(text: str) -> str:
    """Lower-cased \\w+ tokens joined by single spaces: the scorers' view of a text."""
    return " ".join(WORD.findall(text.lower()))


def segments(text: str) -> list[str]:
    """Lines, long lines split into sentences; whitespace collapsed, parts without words dropped."""
    out = []
    for line in text.splitlines():
        for part in SENTENCE_END.split(line):
            part = " ".join(part.split())
            if WORD.search(part):
                out.append(part)
    return out


def text_diff(gold: str, pred: str) -> tuple[list[str], list[str]]:
    """(missing, extra): gold segments absent from pred, and pred segments absent from gold.

    A segment counts as present when its word sequence occurs anywhere in the other text, so the two
    texts may break lines differently without showing up as a difference.
    """
    gold_words, pred_words = f" {normalise_words(gold)} ", f" {normalise_words(pred)} "
    missing = [s for s in segments(gold) if f" {normalise_words(s)} " not in pred_words]
    extra = [s for s in segments(pred) if f" {normalise_words(s)} " not in gold_words]
    return missing, extra


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def word_count(parts: Iterable[str]) -> int:
    return sum(len(WORD.findall(p)) for p in parts)


def format_segments(label: str, parts: list[str], limit: int = 6, width: int = 110) -> list[str]:
    """One header line with counts, then at most `limit` truncated segments."""
    if not parts:
        return []
    lines = [f"    {label}: {len(parts)} segment(s), {word_count(parts)} words"]
    lines += [f"      - {shorten(p, width)}" for p in parts[:limit]]
    if len(parts) > limit:
        lines.append(f"      … {len(parts) - limit} more")
    return lines


def worst_report(
    corpus: str,
    items: dict[str, dict],
    focus: dict[str, PageResult],
    other: dict[str, PageResult] | None,
    n: int,
    focus_label: str = "project",
    other_label: str = "trafilatura",
) -> str:
    """The n pages of `focus` that lose the most F1 versus gold, with missing/extra text and snippets."""
    gold_field = "articleBody" if corpus == "aeb" else "main_content"
    ranked = sorted(focus.values(), key=lambda r: (r.f1, r.key))[:n]
    out = [f"== {corpus}: {len(ranked)} worst pages for {focus_label} (F1 lost versus gold)"]
    for r in ranked:
        item = items[r.key]
        versus = f"  {other_label} f1={other[r.key].f1:.3f}" if other and r.key in other else ""
        out.append(f"\n-- {r.key}  f1={r.f1:.3f}{versus}  {r.url or ''}")
        if corpus == "wcxb":
            s = r.scores
            out.append(
                f"    p={s['p']:.3f} r={s['r']:.3f} with={s.get('with', math.nan):.2f}"
                f" without={s.get('without', math.nan):.2f}"
            )
        if r.error:
            out.append(f"    error: {r.error}")
        missing, extra = text_diff(item.get(gold_field) or "", r.pred)
        out += format_segments("missing (in gold, not ours)", missing)
        out += format_segments("extra (ours, not in gold)", extra)
        if corpus == "wcxb":
            low = r.pred.lower()
            lost = [x for x in item.get("with") or [] if x.lower() not in low]
            leaked = [x for x in item.get("without") or [] if x.lower() in low]
            out += format_segments("'with' snippets missing", lost, limit=3, width=80)
            out += format_segments("'without' snippets leaked", leaked, limit=3, width=80)
    return "\n".join(out)


# ---------------------------------------------------------------- running a corpus


def iter_pages(
    scorer: ModuleType, corpus: str, data: Path, limit: int
) -> Iterator[tuple[str, str | None, str, dict]]:
    for i, page in enumerate(scorer.load(corpus, data)):
        if limit and i >= limit:
            return
        yield page


def run_extractor(
    scorer: ModuleType, scorer_path: Path, corpus: str, data: Path, extractor: str, limit: int, jobs: int
) -> tuple[dict[str, PageResult], dict[str, dict]]:
    """One pass of one extractor over a corpus; returns (results by page id, gold items by page id)."""
    items: dict[str, dict] = {}
    urls: dict[str, str | None] = {}

    def tasks() -> Iterator[tuple[str, str | None, str]]:
        for key, url, html, item in iter_pages(scorer, corpus, data, limit):
            items[key], urls[key] = item, url
            yield key, url, html

    results: dict[str, PageResult] = {}

    def collect(raw: Iterable[tuple[str, str, dict, float, float, str | None]]) -> None:
        for key, pred, meta, seconds, cpu_seconds, error in raw:
            if error:
                print(f"error {key}: {error}", file=sys.stderr)
            result = PageResult(key, urls[key], pred, meta, seconds, error, cpu_seconds=cpu_seconds)
            score_page(scorer, corpus, items[key], result)
            results[key] = result

    if jobs <= 1:
        _init_worker(str(scorer_path), extractor)
        collect(map(_extract_one, tasks()))
    else:
        with multiprocessing.Pool(
            jobs, initializer=_init_worker, initargs=(str(scorer_path), extractor)
        ) as pool:
            collect(pool.imap(_extract_one, tasks(), chunksize=1))
    return results, items


def figure_table(corpus: str, columns: dict[str, dict[str, float]]) -> str:
    rows = [("F1", "f1"), ("precision", "precision"), ("recall", "recall")]
    if corpus == "wcxb":
        rows += [
            ("'with' (higher better)", "with"),
            ("'without' (lower better)", "without"),
            ("title agreement", "title"),
            ("author agreement", "author"),
            ("date agreement", "date"),
        ]
    rows += [
        ("errors", "errors"),
        ("seconds per page", "s_per_page"),
        ("CPU seconds per page", "cpu_per_page"),
    ]
    labels = list(columns)
    lines = [f"{'':26}" + "".join(f"{label:>14}" for label in labels)]
    for name, key in rows:
        cells = []
        for label in labels:
            value = columns[label][key]
            cells.append(f"{value:>14d}" if key == "errors" else f"{value:>14.4f}")
        lines.append(f"{name:26}" + "".join(cells))
    if len(labels) == 2:
        a, b = (columns[label].get("cpu_per_page", math.nan) for label in labels)
        lines.append(f"{'CPU ratio ' + labels[0] + '/' + labels[1]:26}{a / b if b else math.nan:>14.2f}x")
    return "\n".join(lines)


def save_predictions(out_dir: Path, corpus: str, label: str, results: dict[str, PageResult]) -> None:
    """One text file per page plus the scorer's --save format ({id: text}) and the metadata by id."""
    page_dir = out_dir / corpus / label
    page_dir.mkdir(parents=True, exist_ok=True)
    for key, r in results.items():
        (page_dir / f"{key}.txt").write_text(r.pred, encoding="utf-8")
    preds = {key: r.pred for key, r in results.items()}
    meta = {key: {k: v for k, v in r.meta.items()} for key, r in results.items()}
    (out_dir / corpus / f"{label}.json").write_text(json.dumps(preds, ensure_ascii=False), encoding="utf-8")
    (out_dir / corpus / f"{label}-meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["aeb", "wcxb", "all"], default="all")
    ap.add_argument("--limit", type=int, default=0, help="first N pages of each corpus (0: all)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes per pass (1: sequential)")
    ap.add_argument("--worst", type=int, default=0, help="report the N pages that lose the most F1")
    ap.add_argument("--worst-of", choices=["project", "reference"], default="project")
    ap.add_argument("--save", type=Path, help="write per-page predictions under this directory")
    ap.add_argument("--no-reference", action="store_true", help="skip trafilatura")
    ap.add_argument("--no-project", action="store_true", help="skip the project (trafilatura alone)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared directory (../shared)")
    a = ap.parse_args(argv)

    scorer_path = a.shared / "tools" / "score_extraction.py"
    if not scorer_path.is_file():
        print(f"bench-quality skipped: {scorer_path} not found (no ../shared beside the repo)")
        return 0
    scorer = load_scorer(scorer_path)
    skipped = {"reference": a.no_reference, "project": a.no_project}
    roles = [role for role in EXTRACTORS if not skipped[role]]
    if not roles:
        ap.error("nothing to run: --no-reference and --no-project together")
    if a.worst and a.worst_of not in roles:
        ap.error(f"--worst-of {a.worst_of} needs that extractor to run")

    for corpus in ["aeb", "wcxb"] if a.corpus == "all" else [a.corpus]:
        data = a.shared / "corpora" / CORPUS_DIRS[corpus]
        if not data.is_dir():
            print(f"{corpus}: skipped, {data} not found")
            continue
        runs: dict[str, dict[str, PageResult]] = {}
        items: dict[str, dict] = {}
        figures: dict[str, dict[str, float]] = {}
        for role in roles:
            label = EXTRACTORS[role]
            runs[role], items = run_extractor(scorer, scorer_path, corpus, data, label, a.limit, a.jobs)
            figures[label] = summarise(scorer, corpus, list(runs[role].values()))
            if a.save:
                save_predictions(a.save, corpus, label, runs[role])
        print(f"\n{corpus} ({data}, jobs={a.jobs})")
        print(figure_table(corpus, figures))
        for label, s in figures.items():
            print(scorer_line(corpus, label, s))
        if a.worst:
            other_role = "reference" if a.worst_of == "project" else "project"
            print()
            print(
                worst_report(
                    corpus,
                    items,
                    runs[a.worst_of],
                    runs.get(other_role),
                    a.worst,
                    EXTRACTORS[a.worst_of],
                    EXTRACTORS[other_role],
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
