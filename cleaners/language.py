"""Language of a body text, for pages that declare none (no lang attribute, no og:locale).

First the stopwords of a few common languages (jusText's lists, a trafilatura dependency): a text
whose words are clearly those of one of them needs nothing more. Otherwise py3langid (trafilatura's
own optional detector; the model ships with the package, no network) classifies the first few
thousand characters; its model takes about half a second to load, so it is loaded only when the
stopwords cannot tell. An answer is given only when the text is long enough and the evidence is
clear: a wrong language is worse than none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MIN_CHARS = 200  # shorter texts (captions, a headline or two) are often misread
MAX_CHARS = 3000  # enough for a sure answer; keeps the cost at a fraction of a millisecond
MIN_PROBABILITY = 0.9

#: Languages tried by stopwords before the model, with jusText's names for their lists.
STOPWORD_LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}
MIN_STOPWORD_TOKENS = 40
#: The best language's stopwords must be at least this share of the words ...
MIN_STOPWORD_SHARE = 0.2
#: ... and this many times the runner-up's (the lists share words such as "a", "de", "in").
MIN_STOPWORD_MARGIN = 1.5
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    from justext import get_stoplist

    return {code: frozenset(get_stoplist(name)) for code, name in STOPWORD_LANGUAGES.items()}


def _by_stopwords(sample: str) -> str | None:
    tokens = _WORDS.findall(sample.lower())
    if len(tokens) < MIN_STOPWORD_TOKENS:
        return None
    hits = sorted(
        ((sum(t in words for t in tokens), code) for code, words in _stoplists().items()), reverse=True
    )
    (best, code), (second, _) = hits[0], hits[1]
    if best >= MIN_STOPWORD_SHARE * len(tokens) and best >= MIN_STOPWORD_MARGIN * second:
        return code
    return None


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
    by_stopwords = _by_stopwords(sample)
    if by_stopwords is not None:
        return by_stopwords
    try:
        identifier = _identifier()
    except ImportError:  # optional at run time: without it, undeclared pages keep language None
        return None
    code, probability = identifier.classify(sample)
    if probability < MIN_PROBABILITY or not isinstance(code, str) or len(code) != 2:
        return None
    return code.lower()


__all__ = ["detect_language"]
