"""Language and tags as the page declares them: the lowercase primary language subtag from
<html lang>, meta tags or JSON-LD, and the deduplicated tags of article:tag, news_keywords and
JSON-LD keywords.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from .sources import _HTML_LANG, _TAG_META, _clean, _JsonLd, _jsonld_str

# an identifier with an underscore and no space: people write tags with spaces or hyphens
_MACHINE_KEY = re.compile(r"^\S*_\S*$")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")


def _language(tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd) -> str | None:
    values = [
        *_HTML_LANG(tree),
        *meta.get("og:locale", []),
        *meta.get("content-language", []),
        *meta.get("language", []),
        *meta.get("dc.language", []),
        *[v for v in (_jsonld_str(ld.article, "inLanguage"), _jsonld_str(ld.page, "inLanguage")) if v],
    ]
    for value in values:
        value = str(value).strip().split(",")[0].strip()
        m = _LANG.match(value)
        if m and m[1].lower() not in ("und", "xx"):
            return m[1].lower()
    return None


def _split_tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for v in value for t in _split_tags(v)]
    if isinstance(value, dict):
        return _split_tags(value.get("name"))
    if not isinstance(value, str):
        return []
    return [_clean(t) for t in value.split(",") if _clean(t)]


def _tags(meta: dict[str, list[str]], ld: _JsonLd) -> list[str]:
    tags: list[str] = []
    for key in _TAG_META:
        for value in meta.get(key, []):
            tags.extend(_split_tags(value) if key != "article:tag" else [value])
    if ld.article and "keywords" in ld.article:
        tags.extend(_split_tags(ld.article["keywords"]))
    seen: set[str] = set()
    out = []
    for tag in tags:
        key = tag.lower()
        if _MACHINE_KEY.match(tag):
            continue  # "channel_other", "type_news": a CMS's internal label, not a subject
        if key not in seen and len(tag) <= 80:
            seen.add(key)
            out.append(tag)
    return out
