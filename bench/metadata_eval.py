"""Metadata agreement on WCXB-dev article pages: cleaners.metadata beside trafilatura's metadata.

Comparison functions are ../shared/tools/score_extraction.py's own (same_text for titles, same_author
for authors), and its first 10 characters for dates.

usage: python bench/metadata_eval.py [--limit N] [--no-trafilatura] [--show title|author|date]
       [--worst N] [--aeb]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from cleaners.metadata import extract_metadata  # noqa: E402

SCORER_PATH = SHARED / "tools" / "score_extraction.py"


@functools.cache
def _scorer_functions():
    """``same_text`` and ``same_author`` from the reference scorer itself, so agreement means what it
    means there (imported, never re-implemented)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from quality import load_scorer

    scorer = load_scorer(SCORER_PATH)
    return scorer.same_text, scorer.same_author


def load_wcxb(data: Path):
    meta = json.loads((data / "metadata.json").read_text())["files"]
    for fid, m in sorted(meta.items()):
        if m["split"] != "dev" or m["page_type"] != "article":
            continue
        gt = json.loads((data / "ground-truth" / f"{fid}.json").read_text())
        html = gzip.decompress((data / "html" / f"{fid}.html.gz").read_bytes()).decode("utf8", "replace")
        yield fid, gt.get("url"), html, gt["ground_truth"]


def load_aeb(data: Path):
    gold = json.loads((data / "ground-truth.json").read_text())
    for key, item in sorted(gold.items()):
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()).decode("utf8")
        yield key, item.get("url"), html, item


def parse(html: str):
    from trafilatura.utils import load_html

    return load_html(html)


def ours(html: str, url: str | None) -> tuple[dict[str, str | None], float]:
    t0 = time.perf_counter()
    tree = parse(html)
    if tree is None:
        return {"title": None, "author": None, "date": None}, time.perf_counter() - t0
    m = extract_metadata(tree, url)
    return {"title": m.title, "author": "; ".join(m.authors), "date": m.published}, time.perf_counter() - t0


def theirs(html: str, url: str | None) -> dict[str, str | None]:
    import trafilatura

    d = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if d is None:
        return {"title": None, "author": None, "date": None}
    return {"title": d.title, "author": d.author, "date": d.date}


def agree(field: str, pred: dict, gold: dict) -> bool | None:
    same_text, same_author = _scorer_functions()
    if field == "title":
        return same_text(pred.get("title"), gold["title"]) if gold.get("title") else None
    if field == "author":
        return same_author(pred.get("author"), gold["author"]) if gold.get("author") else None
    g = gold.get("publish_date")
    return (str(pred.get("date") or "")[:10] == str(g)[:10]) if g else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument("--show", choices=["title", "author", "date"], help="list our mismatches for a field")
    ap.add_argument("--worst", type=int, default=0, help="list up to N mismatches per field")
    ap.add_argument("--aeb", action="store_true", help="also run over the aeb corpus (crash check)")
    a = ap.parse_args()
    data = SHARED / "corpora" / "wcxb-dev"
    if not data.is_dir() or not SCORER_PATH.is_file():
        raise SystemExit(f"corpus or reference scorer not found under {SHARED}")
    fields = ("title", "author", "date")
    score = {("ours", f): [] for f in fields} | {("traf", f): [] for f in fields}
    misses: dict[str, list[str]] = {f: [] for f in fields}
    t_ours = 0.0
    t_traf = 0.0
    errors = 0
    n = 0
    for i, (fid, url, html, gold) in enumerate(load_wcxb(data)):
        if a.limit and i >= a.limit:
            break
        n += 1
        try:
            pred, dt = ours(html, url)
        except Exception as e:
            errors += 1
            print(f"error {fid}: {type(e).__name__}: {e}", file=sys.stderr)
            pred, dt = {}, 0.0
        t_ours += dt
        t0 = time.perf_counter()
        tpred = None if a.no_trafilatura else theirs(html, url)
        t_traf += time.perf_counter() - t0
        for f in fields:
            ok = agree(f, pred, gold)
            if ok is None:
                continue
            score[("ours", f)].append(ok)
            if tpred is not None:
                score[("traf", f)].append(agree(f, tpred, gold))
            if not ok:
                g = gold[{"title": "title", "author": "author", "date": "publish_date"}[f]]
                misses[f].append(f"{fid} {url}\n    pred: {pred.get(f)!r}\n    gold: {g!r}")
    for f in fields:
        if a.show == f or a.worst:
            limit = a.worst or len(misses[f])
            print(f"== {f} mismatches ({len(misses[f])})")
            for line in misses[f][:limit]:
                print(line)

    def fmt(who: str) -> str:
        return " ".join(
            f"{f}={statistics.mean(score[(who, f)]):.3f}" if score[(who, f)] else f"{f}=n/a" for f in fields
        )

    print(f"wcxb-dev articles: pages={n} errors={errors} metadata ms/page={1000 * t_ours / max(n, 1):.2f}")
    print(f"  ours:        {fmt('ours')}")
    if not a.no_trafilatura:
        ms = 1000 * t_traf / max(n, 1)
        print(f"  trafilatura: {fmt('traf')}  (whole bare_extraction ms/page={ms:.2f})")
    if a.aeb:
        aeb = SHARED / "corpora" / "aeb"
        crashes = 0
        count = 0
        for key, url, html, _item in load_aeb(aeb):
            count += 1
            try:
                ours(html, url)
            except Exception as e:
                crashes += 1
                print(f"aeb error {key}: {type(e).__name__}: {e}", file=sys.stderr)
        print(f"aeb: pages={count} crashes={crashes}")


if __name__ == "__main__":
    main()
