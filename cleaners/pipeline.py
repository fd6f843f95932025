"""clean_html: decode -> parse -> metadata -> DOM cleaning -> extraction -> line cleaning -> normalise."""

from __future__ import annotations

from .document import Document


def clean_html(html: str | bytes, url: str | None = None, *, include_comments: bool = False) -> Document:
    """Clean one HTML page into a Document (placeholder: being built, see issue 2)."""
    import trafilatura

    result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=include_comments)
    if result is None:
        return Document(url=url)
    return Document(text=result.text or "", title=result.title, url=url)
