"""clean_text: text saved by older scrapers (placeholder: being built, see issue 2)."""

from __future__ import annotations

from .document import Document


def clean_text(text: str, url: str | None = None) -> Document:
    return Document(text=text.strip(), url=url)
