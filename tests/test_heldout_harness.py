"""bench/heldout.py: reading the expected values out of other projects' test files (no network)."""

from __future__ import annotations

from pathlib import Path

from benchmod import load_bench

heldout = load_bench("heldout")

REALWORLD = """
MOCK_PAGES = {'https://a.example/1': 'a.html', 'https://b.example/2': 'b.html',
              'https://c.example/3': 'c.html'}

def test_extract(xmloutput):
    result = load_mock_page('https://a.example/1', xmloutput)
    if xmloutput is False:
        assert 'kept A' in result and 'chrome A' not in result
    result = load_mock_page('https://b.example/2', xmloutput)
    assert 'kept B' in result # and 'commented out' in result
    result = load_mock_page('https://c.example/3', xmloutput, include_comments=False)
    assert 'other settings' in result

def test_other():
    result = load_mock_page('https://b.example/2')
    assert 'not from test_extract' in result
"""


def test_realworld_snippets_follow_source_order_into_blocks(tmp_path: Path) -> None:
    for name in ("a.html", "b.html", "c.html"):
        (tmp_path / name).write_text("<html></html>")
    pages = {p.file.name: p for p in heldout.realworld_snippets(REALWORLD, tmp_path)}
    assert set(pages) == {"a.html", "b.html"}  # c.html is read with other settings
    assert pages["a.html"].with_ == ["kept A"] and pages["a.html"].without == ["chrome A"]
    assert pages["b.html"].with_ == ["kept B"] and pages["b.html"].without == []


HTMLDATE = """
MOCK_PAGES = {'https://x.example/': 'x.html'}
def test_dates():
    assert find_date(load_mock_page('https://x.example/')) == '2017-08-11'
    assert find_date(load_mock_page('https://x.example/'), original_date=True) == '2016-05-22'
    assert find_date(load_mock_page('https://y.example/'), extensive_search=False) is None
"""


def test_htmldate_expectations_keep_original_and_default_dates() -> None:
    assert heldout.mock_pages(HTMLDATE) == {"https://x.example/": "x.html"}
    assert heldout.htmldate_expectations(HTMLDATE) == {
        "https://x.example/": {"default": "2017-08-11", "original": "2016-05-22"}
    }


def test_scores() -> None:
    assert heldout.word_f1("a b c", "a b c") == 1.0
    assert heldout.word_f1("a b", "c d") == 0.0
    assert heldout.authors_agree(["Jane Doe", "John Roe"], ["Jane Doe"])
    assert not heldout.authors_agree([], ["Jane Doe"])
    assert heldout.authors_agree([], [])
    assert heldout.folded("Gepru\u0308ft  WERDEN") == "geprüft werden"
