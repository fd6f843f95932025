"""Class and id names as the DOM boilerplate rules spell them: lower-case kebab-case tokens."""

from __future__ import annotations

import re
from functools import lru_cache

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# a class generated from a component's stylesheet: CSS Modules' "ReadMoreAnswer_answerTextWrapper__9j8v_",
# styled-components' "HeaderStyles__StyledCommunityCTA-sc-2183282b-2"; the local name says what the
# element is (the component's name says what holds it)
_MODULE_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9]*__?([A-Za-z][A-Za-z0-9]*)(?:__[\w-]+|-sc-[\w-]+)")


def _reads_as_words(name: str) -> bool:
    """Whether a camelCase name splits into words ("pnlByline", "adBox"), not into the letters of a
    generated hash ("bTqAd", "AdGhkL", "iNavQp": styled-components' per-style class names): every
    piece two characters or more, one of three or more."""
    parts = _CAMEL_HUMP.split(name)
    return all(len(part) >= 2 for part in parts) and max(len(part) for part in parts) >= 3


@lru_cache(maxsize=1 << 14)
def class_tokens(value: str) -> tuple[str, ...]:
    """The lower-cased tokens of a class or id value, and for a camelCase token its kebab-case form,
    the spelling the rules use ("popupMessage": "popup-message"; of a generated class, its local
    name's: "RelatedContent_relatedContent__ieyX5": "related-content"). Hash-like tokens are taken
    as they are."""
    tokens = []
    for token in value.split():
        lower = token.lower()
        tokens.append(lower)
        if lower == token:  # no capital: no camelCase to read (most tokens)
            continue
        module = _MODULE_CLASS.fullmatch(token)
        name = module[1] if module else token
        if not module and not _reads_as_words(name):
            continue
        kebab = _CAMEL_HUMP.sub("-", name).lower()
        if kebab != tokens[-1]:
            tokens.append(kebab)
    return tuple(tokens)
