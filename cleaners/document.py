"""The Document: what every cleaner produces and every writer consumes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Document:
    """A cleaned news document.

    ``text`` is the normalised body (paragraphs separated by one blank line, no final
    newline). Dates are ISO 8601 strings: ``YYYY-MM-DD`` when only the day is known,
    ``YYYY-MM-DDTHH:MM:SS+HH:MM`` when the time is known.
    """

    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    source: str | None = None
    fetched: str | None = None  # web captures only: when the page was downloaded (UTC)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def replace(self, **changes: object) -> Document:
        """A copy with some fields changed (documents are treated as values)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Document(**values)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
