"""clean_text on legacy scraper output, including the acceptance checks on the two seeds."""

from pathlib import Path

import pytest

from cleaners import clean_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
SEED_0 = (FIXTURES / "000_96903b644adc0fa3.txt").read_text("utf-8")
SEED_1 = (FIXTURES / "001_9dcb05464cc52427.txt").read_text("utf-8")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_seed_0_acceptance() -> None:
    doc = clean_text(SEED_0)
    assert doc.title == "Top Iranian Cmdr. in Iraq, meets counterpart, defense, interior ministers"
    assert doc.published == "2024-03-05"
    body = paragraphs(doc.text)
    assert len(body) == 11
    assert body[0].startswith("In a meeting between Major General Mohammad Bagheri")
    assert body[-1].startswith("He stressed the importance of the Iraqi government")
    for cruft in (
        "Subscribe",
        "Please enter your comment!",
        "Please enter your name here",
        "reCAPTCHA",
        "More Articles",
    ):
        assert cruft not in doc.text


def test_seed_1_acceptance() -> None:
    doc = clean_text(SEED_1)
    assert doc.title == "Iran, Iraq share 'very close' stance on Palestine, Gaza war: Top general"
    assert doc.published == "2023-12-03T15:13:00+00:00"
    body = paragraphs(doc.text)
    assert "Iran expects Iraq to fully disarm terrorists along common borders: Baqeri" in body
    assert body[0].startswith("Iran’s highest-ranking military commander")
    assert body[-1].startswith("Iraqi Foreign Minister Fuad Hussein")
    assert len(body) == 18  # 7 paragraphs, the sub-heading, 10 paragraphs


@pytest.mark.parametrize(
    "date_line, iso",
    [
        ("Tuesday, March 5, 2024", "2024-03-05"),
        ("Dec 03, 2023 15:13 UTC", "2023-12-03T15:13:00+00:00"),
        ("2024-03-05", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
    ],
)
def test_date_line_forms(date_line: str, iso: str) -> None:
    doc = clean_text(f"{date_line}\n\nA headline about things\n\nThe first paragraph of the story.\n")
    assert doc.published == iso
    assert doc.title == "A headline about things"
    assert doc.text == "The first paragraph of the story."


def test_title_before_date_and_bullet() -> None:
    doc = clean_text("  • The headline here\nMarch 5, 2024\n\nBody paragraph one.\n\nBody two.")
    assert (doc.title, doc.published) == ("The headline here", "2024-03-05")
    assert doc.text == "Body paragraph one.\n\nBody two."


def test_hard_wrapped_paragraphs_rejoined() -> None:
    doc = clean_text("Headline words here\n\nThis sentence was wrapped\nby an old tool at the margin.\n")
    assert doc.text == "This sentence was wrapped by an old tool at the margin."


def test_no_head_no_crash() -> None:
    for text in ("", "\n\n", "Just one sentence of text.", "\ufeff\r\n"):
        doc = clean_text(text)
        assert doc.text == doc.text.strip()


def test_language_detected_from_the_body() -> None:
    assert clean_text(SEED_0).language == "en"
    assert clean_text("Kurz.").language is None  # too little text to tell
