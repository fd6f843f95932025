"""The archive file format: header order, YAML safety, exact round trips."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Document, FormatError, dumps, loads
from cleaners.fileformat import HEADER_KEYS, body_sha256

# Any text without lone surrogates (those cannot be written as UTF-8 at all).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
optional_text = st.none() | text
documents = st.builds(
    Document,
    text=text,
    title=optional_text,
    authors=st.lists(text, max_size=3),
    published=optional_text,
    modified=optional_text,
    site=optional_text,
    url=optional_text,
    language=optional_text,
    description=optional_text,
    tags=st.lists(text, max_size=3),
    source=optional_text,
    fetched=optional_text,
)


def split_header(data: str) -> str:
    assert data.startswith("---\n")
    return data[4 : data.index("\n---\n") + 1]


@settings(max_examples=300)
@given(documents)
def test_round_trip_is_exact(doc: Document) -> None:
    assert loads(dumps(doc)) == doc


@settings(max_examples=300)
@given(documents)
def test_header_is_valid_yaml_and_reads_back(doc: Document) -> None:
    header = yaml.safe_load(split_header(dumps(doc)))
    assert header["title"] == doc.title
    assert header["authors"] == doc.authors
    assert header["sha256"] == body_sha256(doc.text)
    assert header["words"] == len(doc.text.split())


def test_header_keys_in_documented_order() -> None:
    doc = Document(text="Body text.", title="T", fetched="2024-01-01T00:00:00+00:00")
    header = yaml.safe_load(split_header(dumps(doc)))
    assert list(header) == list(HEADER_KEYS)


def test_fetched_only_written_for_web_captures() -> None:
    header = yaml.safe_load(split_header(dumps(Document(text="x"))))
    assert "fetched" not in header


@pytest.mark.parametrize(
    "title",
    [
        "Colon: inside",
        "'quoted' and \"double\"",
        "# hash first",
        "- leading dash",
        "--- three dashes",
        "multi\nline\ntitle",
        "Иран и Ирак",
        "إيران والعراق",
        "yes",
        "null",
        "2024-03-05",
        "0x1F",
        "  padded  ",
    ],
)
def test_awkward_titles_survive(title: str) -> None:
    data = dumps(Document(text="Body.", title=title))
    assert yaml.safe_load(split_header(data))["title"] == title
    assert loads(data).title == title
    # every header value stays on one line, so line-oriented tools can grep headers
    assert all(line.startswith(("- ", "  ")) or ":" in line for line in split_header(data).splitlines())


def test_body_layout() -> None:
    data = dumps(Document(text="First paragraph.\n\nSecond.", title="T"))
    assert data.endswith("---\n\nFirst paragraph.\n\nSecond.\n")
    assert not data.endswith("\n\n")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "no header",
        "---\ntitle: x\n",
        "---\n[1, 2]\n---\n\nbody\n",
        "---\ntitle: [unclosed\n---\n\nbody\n",
    ],
)
def test_loads_rejects_malformed(bad: str) -> None:
    with pytest.raises(FormatError):
        loads(bad)
