"""Language of a body text, for pages that declare none (no lang attribute, no og:locale).

py3langid (trafilatura's own optional detector; the model ships with the package, no network)
classifies the first few thousand characters. An answer is given only when the text is long
enough and the model is confident: a wrong language is worse than none.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MIN_CHARS = 200  # shorter texts (captions, a headline or two) are often misread
MAX_CHARS = 3000  # enough for a sure answer; keeps the cost at a fraction of a millisecond
MIN_PROBABILITY = 0.9


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The model, loaded on first use (about a second, once per process)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """Two-letter code of the text's language when confident, else None."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return None
    try:
        identifier = _identifier()
    except ImportError:  # optional at run time: without it, undeclared pages keep language None
        return None
    code, probability = identifier.classify(sample)
    if probability < MIN_PROBABILITY or not isinstance(code, str) or len(code) != 2:
        return None
    return code.lower()


__all__ = ["detect_language"]
