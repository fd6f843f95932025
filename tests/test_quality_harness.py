"""bench/quality.py: its diff and report logic, and agreement with the reference scorer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from benchmod import load_bench

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
needs_shared = pytest.mark.skipif(not SCORER.is_file(), reason="../shared (corpora, reference scorer) absent")


quality = load_bench("quality")


def test_segments_split_lines_and_sentences_and_drop_wordless_parts():
    text = "First line. Second sentence!\n\n  ***  \nThird   line with   spaces"
    assert quality.segments(text) == ["First line.", "Second sentence!", "Third line with spaces"]


def test_text_diff_reports_missing_and_extra_segments():
    gold = "The cat sat. The dog ran.\nBirds sang loudly."
    pred = "The cat sat.\nSubscribe to our newsletter."
    missing, extra = quality.text_diff(gold, pred)
    assert missing == ["The dog ran.", "Birds sang loudly."]
    assert extra == ["Subscribe to our newsletter."]


def test_text_diff_ignores_line_breaks_case_and_punctuation():
    gold = "One two three four five."
    pred = "one two\nTHREE, four five"
    assert quality.text_diff(gold, pred) == ([], [])


def test_text_diff_matches_whole_words_only():
    missing, extra = quality.text_diff("cat", "concatenate")
    assert missing == ["cat"]
    assert extra == ["concatenate"]


def test_format_segments_truncates_and_counts():
    parts = ["a" * 50, "two words", "three", "four"]
    lines = quality.format_segments("missing", parts, limit=2, width=20)
    assert lines[0] == "    missing: 4 segment(s), 5 words"
    assert lines[1] == "      - " + "a" * 19 + "…"
    assert lines[2] == "      - two words"
    assert lines[3] == "      … 2 more"
    assert quality.format_segments("missing", []) == []


def test_page_f1_from_counts():
    assert quality.page_f1_from_counts((0.0, 0.0, 0.0)) == 1.0
    assert quality.page_f1_from_counts((0.5, 0.25, 0.25)) == pytest.approx(2 / 3)
    assert quality.page_f1_from_counts((0.0, 0.5, 0.5)) == 0.0


def _wcxb_result(key: str, pred: str, f1: float) -> object:
    r = quality.PageResult(key, f"https://example.org/{key}", pred, {}, 0.01, None)
    r.scores = {"p": f1, "r": f1, "f": f1}
    r.f1 = f1
    return r


def test_worst_report_ranks_by_lost_f1_and_shows_diff_and_snippets():
    items = {
        "good": {"main_content": "All here.", "with": ["All here"], "without": []},
        "bad": {
            "main_content": "Kept sentence. Lost heading\nLost paragraph text.",
            "with": ["Lost paragraph"],
            "without": ["Related stories"],
        },
        "mid": {"main_content": "Mostly here. Nearly.", "with": [], "without": []},
    }
    focus = {
        "good": _wcxb_result("good", "All here.", 1.0),
        "bad": _wcxb_result("bad", "Kept sentence.\nRelated stories and more", 0.3),
        "mid": _wcxb_result("mid", "Mostly here.", 0.8),
    }
    other = {k: _wcxb_result(k, "", 0.5) for k in focus}
    report = quality.worst_report("wcxb", items, focus, other, 2)
    assert report.splitlines()[0] == "== wcxb: 2 worst pages for project (F1 lost versus gold)"
    assert re.search(r"-- bad\s+f1=0\.300\s+trafilatura f1=0\.500", report)
    assert report.index("-- bad") < report.index("-- mid")
    assert "-- good" not in report
    assert "      - Lost heading" in report
    assert "      - Lost paragraph text." in report
    assert "      - Related stories and more" in report
    assert "'with' snippets missing: 1 segment(s)" in report
    assert "'without' snippets leaked: 1 segment(s)" in report


def test_figure_table_prints_both_columns_and_speed_ratio():
    fig = {"f1": 0.9, "precision": 0.8, "recall": 1.0, "errors": 1, "s_per_page": 0.03, "cpu_per_page": 0.03}
    ref = {"f1": 0.95, "precision": 0.9, "recall": 1.0, "errors": 0, "s_per_page": 0.02, "cpu_per_page": 0.02}
    table = quality.figure_table("aeb", {"project": fig, "trafilatura": ref})
    assert re.search(r"^F1\s+0\.9000\s+0\.9500$", table, re.M)
    assert re.search(r"^errors\s+1\s+0$", table, re.M)
    assert re.search(r"CPU ratio project/trafilatura\s+1\.50x$", table, re.M)


def test_missing_shared_directory_skips_cleanly(tmp_path, capsys):
    assert quality.main(["--shared", str(tmp_path)]) == 0
    assert "skipped" in capsys.readouterr().out


@needs_shared
def test_aggregation_agrees_with_reference_scorer_on_tiny_pages():
    scorer = quality.load_scorer(SCORER)
    golds = ["alpha beta gamma delta epsilon", "one two three four five six", "x y z w"]
    preds = ["alpha beta gamma delta", "one two three four five six seven eight", ""]
    results = []
    for i, (g, p) in enumerate(zip(golds, preds, strict=True)):
        r = quality.PageResult(str(i), None, p, {}, 0.0, None)
        quality.score_page(scorer, "aeb", {"articleBody": g}, r)
        results.append(r)
    summary = quality.summarise(scorer, "aeb", results)
    expected = scorer.prf([scorer.page_counts(g, p) for g, p in zip(golds, preds, strict=True)])
    assert (summary["precision"], summary["recall"], summary["f1"]) == expected
    assert results[2].f1 == 0.0


def _summary(output: str, corpus: str, label: str) -> str:
    """The scorer-format summary line, without the timing figure (which differs run to run)."""
    line = next(x for x in output.splitlines() if x.startswith(f"{corpus} {label}: pages="))
    return re.sub(r" s_per_page=\S+", "", line)


@needs_shared
@pytest.mark.slow
def test_smoke_run_matches_reference_scorer_on_three_pages(tmp_path):
    harness = subprocess.run(
        [
            sys.executable,
            "bench/quality.py",
            "--limit",
            "3",
            "--jobs",
            "1",
            "--worst",
            "1",
            "--save",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    out = harness.stdout
    for corpus, data in (("aeb", "aeb"), ("wcxb", "wcxb-dev")):
        assert f"== {corpus}: 1 worst pages for project" in out
        assert len(list((tmp_path / corpus / "project").glob("*.txt"))) == 3
        reference = subprocess.run(
            [
                sys.executable,
                str(SCORER),
                corpus,
                str(SHARED / "corpora" / data),
                "trafilatura",
                "--limit",
                "3",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        assert _summary(out, corpus, "trafilatura") == _summary(reference.stdout, corpus, "trafilatura")
        assert "pages=3 " in _summary(out, corpus, "project")
