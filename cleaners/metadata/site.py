"""The site's name and the title affixes that carry it: ``strip_site_name`` for "Headline | Site",
the site name when og:site_name gives none (JSON-LD publisher, application-name, the <title> affix,
the header's brand, the host), and the owner of a personal site named after its author.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from .names import _looks_like_person, _not_names
from .sources import _SITE_META, _URL_LIKE, _clean, _compact, _first_meta, _JsonLd, _rules, _text, _types

_GENERIC_SITE_WORDS = {
    "blog",
    "news",
    "home",
    "online",
    "shop",
    "store",
    "info",
    "media",
    "group",
    "learn",
    "guide",
    "best",
    "what",
    "with",
    "your",
    "from",
    "that",
    "this",
    "about",
    "health",
    "review",
    "reviews",
    "services",
    "service",
    "world",
    "daily",
    "post",
    "time",
    "times",
}


@lru_cache(maxsize=1)
def _section_words() -> frozenset[str]:
    return frozenset(_compact(str(w)) for w in _rules()["title_section_labels"])


def _is_site_part(part: str, sites: list[str], host: str | None, host_words: bool = False) -> bool:
    """Whether a title part / name is the site's name. host_words: also a short part naming a
    distinctive word of the host (for title affixes only: a blogger's name matches their host)."""
    p = _compact(part)
    if not p or len(part.split()) > 8:
        return False
    for site in sites:
        s = _compact(site)
        # "Example Times" / "Example Times Online" / "Example": variants of one name, not a headline
        # that merely starts with the site's name ("Corti introduces GIM")
        if s and (
            p == s
            or (len(s) >= 4 and p.startswith(s) and len(p) - len(s) <= 8)
            or (len(p) >= 4 and s.startswith(p))
        ):
            return True
    words = _TITLE_WORD.findall(part.lower())
    if p in _section_words() or (len(words) <= 3 and all(w in _section_words() for w in words)):
        return True  # "Blog: ...", "... | Opinion", "Local News :: ...": a section label, not the headline
    if host_words and host and len(part.split()) <= 4:
        # "Rust Blog" on blog.rust-lang.org: a short part naming the host's distinctive word
        compact_host = _compact(host)
        for word in _TITLE_WORD.findall(part.lower()):
            if len(word) >= 4 and word not in _GENERIC_SITE_WORDS and word in compact_host:
                return True
    if host:
        labels = [lab for lab in host.split(".") if lab not in ("www", "com", "org", "net", "co", "uk")]
        name = _compact("".join(labels[:-1]) if len(labels) > 1 else "".join(labels))
        compact_host = _compact(host)
        if len(p) >= 3 and (
            p in (name, compact_host)
            or p in (_compact(lab) for lab in labels)
            or (len(p) >= 5 and p in compact_host)
        ):
            return True
    return False


def strip_site_name(title: str, sites: list[str], host: str | None) -> str:
    """Remove "Site | ", " - Site", "Site: " affixes when the affix is the site's name."""
    if host:
        # "davidbau.com Vibe Coding": the bare host name set before the headline with no separator
        # (a trailing one is left alone: "... по версии Wday.ru" is part of the sentence)
        words = title.split()
        if len(words) > 2 and words[0].lower() == host.removeprefix("www."):
            title = " ".join(words[1:])
    changed = True
    while changed:
        changed = False
        for sep in _rules()["title_separators"]:
            if sep not in title:
                continue
            spaced = sep != sep.strip()
            parts = title.split(sep)
            if len(parts) < 2:
                continue
            suffix_ok = (spaced or len(parts[-1]) < 30) and sep != ": "
            if suffix_ok and _is_site_part(parts[-1], sites, host, True):
                rest = sep.join(parts[:-1]).strip()
                if len(rest) >= 3:
                    title, changed = rest, True
                    break
            # a prefix must be the site's own name: "Plumbing Tips: ..." on a plumber's site is a headline
            if _is_site_part(parts[0], sites, host, False):
                rest = sep.join(parts[1:]).strip()
                if len(rest) >= 3:
                    title, changed = rest, True
                    break
    return title


_TITLE_WORD = re.compile(r"\w+")


def _title_parts(title: str) -> list[str]:
    parts: list[str] = []
    for sep in _rules()["title_separators"]:
        if sep != sep.strip() and sep in title:
            parts.extend(p.strip() for p in title.split(sep))
    return parts


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    """Words that make a name an organisation's, not a person's ("Projector Reviews")."""
    return frozenset(str(w).lower() for w in _rules()["organisation_words"]) | _GENERIC_SITE_WORDS


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _site_owner(names: list[str], host: str | None) -> str | None:
    """A personal site named after its author ("Toby Hede" on tobyhede.com): the site name is the
    author when nothing else names one. Only a person-shaped name that spells the host qualifies."""
    if not host:
        return None
    label = _compact(host.split(".")[0] if not host.startswith("blog.") else host.split(".")[1])
    for name in names:
        words = name.split()
        if not 2 <= len(words) <= 3 or not _looks_like_person(name) or _YEAR.search(name):
            continue  # "ADAC Kindersitz-Test 2018": a page's name, not a person's
        if words[0].lower() == "the" or any(w.lower().strip(".,") in _org_words() for w in words):
            continue
        c = _compact(name)
        spellings = (c, _compact(words[0]), _compact(words[-1]), _compact(words[0] + words[-1]))
        if len(label) >= 4 and label in spellings:
            return name
    return None


_GENERIC_HOST_LABELS = {
    "www", "com", "org", "net", "co", "uk", "news", "blog", "blogspot", "wordpress", "substack", "medium",
    "example", "html", "m", "amp", "edu", "gov", "info", "io",
}  # fmt: skip


_FEED_TITLES = etree.XPath(
    "//head/link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@title"
)
_FEED_SUFFIX = re.compile(r"\s*\b(?:rss|atom)?\s*(?:feeds?|rss|atom)\s*$", re.IGNORECASE)
_FEED_SEPARATOR = re.compile(r"\s+[»|:–—-]\s+")


def _feed_site_name(title: str) -> str | None:
    """The site's name in a feed link's title: "MajkasWelt » Feed", "Example RSS Feed" -> the name;
    a feed of comments ("MajkasWelt » Kommentar-Feed") names the site in its first part too."""
    name = _FEED_SUFFIX.sub("", _FEED_SEPARATOR.split(title.strip())[0]).strip()
    return name or None


_COPYRIGHT_TEXTS = etree.XPath("//body//text()[contains(., '©') or contains(., 'Copyright')]")
_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\bCopyright\b)(?:\s*(?:©|\(c\)))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?[\s,]*"
    r"([A-Z][^.|,©\n]{2,40})"
)


def _copyright_holders(tree: HtmlElement) -> list[str]:
    """Names in the page's copyright lines ("© 2025 Jane Doe. All rights reserved.")."""
    holders = []
    for text in _COPYRIGHT_TEXTS(tree)[:5]:
        for m in _COPYRIGHT_HOLDER.finditer(str(text)):
            holder = re.sub(r"\s+all rights reserved.*$", "", m.group(1), flags=re.IGNORECASE)
            holder = holder.strip(" -–—·•:;")
            if holder and not any(ch.isdigit() for ch in holder):
                holders.append(holder)
    return holders


_HOME_LINKS = etree.XPath(
    "//a[@rel='home' or @href='/' or @href=$root or @href=$root_slash][position() <= 6]"
)


def _host_labels(host: str | None) -> list[str]:
    """The distinctive labels of a host ("news.kestrelbaycourier.co.uk" -> ["kestrelbaycourier"])."""
    if not host:
        return []
    labels = [lab for lab in host.lower().split(".") if lab not in _GENERIC_HOST_LABELS]
    return [_compact(lab) for lab in labels if len(_compact(lab)) >= 3]


def _names_host(name: str, labels: list[str]) -> bool:
    """Whether a name spells the host ("Kestrel Bay Courier" ~ kestrelbaycourier, "The Valley
    Courier" ~ valleycourier, "Millbrook Historical Notes" ~ millbrookhistory, initials "KBC" ~ kbc)."""
    c = _compact(name)
    if len(c) < 3:
        return False
    bare = c[3:] if c.startswith("the") and len(c) > 6 else c
    initials = "".join(w[0] for w in _TITLE_WORD.findall(name.lower()) if w not in ("the", "of", "and"))
    for lab in labels:
        if lab in (c, bare) or (len(lab) >= 3 and initials == lab):
            return True
        close = min(len(lab), len(bare)) >= 5 and abs(len(bare) - len(lab)) <= 8
        if close and (bare.startswith(lab) or lab.startswith(bare)):
            return True  # "Example Times Online" ~ exampletimes
        common = 0
        while common < min(len(bare), len(lab)) and bare[common] == lab[common]:
            common += 1
        if common >= 6 and common >= 0.8 * len(lab):
            return True
    return False


def _plausible_site_name(name: str | None) -> bool:
    if not name or len(name) > 60 or len(name.split()) > 7 or not any(ch.isalpha() for ch in name):
        return False
    words = _TITLE_WORD.findall(name.lower())
    if not words or all(w in _section_words() for w in words):
        return False  # "Local News", "Home": a section, not the site
    return name.lower() not in _not_names() and not _URL_LIKE.search(name)


def _title_affixes(html_title: str, headlines: list[str]) -> list[str]:
    """The parts of a separated <title> that are not the headline, outermost first:
    "Headline | Site" -> [Site]; "Site :: Section :: Headline" -> [Site, Section]."""
    known = [_compact(h) for h in headlines if h and len(_compact(h)) >= 8]
    for sep in _rules()["title_separators"]:
        if sep == sep.strip() or sep not in html_title:
            continue
        parts = [p.strip() for p in html_title.split(sep)]
        if len(parts) < 2 or not all(parts):
            continue
        cparts = [_compact(p) for p in parts]
        idx = next((i for i, c in enumerate(cparts) if any(k.startswith(c) for k in known)), None)
        if idx is None:
            idx = max(range(len(parts)), key=lambda i: len(parts[i]))  # the headline is the longest part
        if idx == 0:
            return parts[:0:-1]
        if idx == len(parts) - 1:
            return parts[:-1]
        return [parts[0], parts[-1]]
    return []


def _brand_names(tree: HtmlElement, host: str | None) -> list[str]:
    """The site's name as its header prints it: logo alt text or text of a link to the home page."""
    root = f"https://{host}" if host else "/"
    out: list[str] = []
    for link in _HOME_LINKS(tree, root=root, root_slash=root + "/"):
        for img in link.iter("img"):
            alt = _clean(img.get("alt") or "")
            if alt:
                out.append(alt)
        text = _text(link)
        if text and len(text) <= 60:
            out.append(text)
    # "The Valley Courier — Serving the Quinebaug Valley since 1874": the name before a tagline
    return [_title_parts(n)[0] if _title_parts(n) else n for n in out]


def _derive_site(
    tree: HtmlElement,
    meta: dict[str, list[str]],
    ld: _JsonLd,
    publisher_name: str | None,
    host: str | None,
    html_title: str | None,
    headlines: list[str],
) -> str | None:
    """The site name when og:site_name gives none: structured names (JSON-LD publisher/WebSite,
    application-name...), the <title>'s affix, the header's logo/brand; one that spells the host
    first; only when nothing fits, the host itself."""
    structured = [publisher_name]
    structured += [
        _clean(o["name"]) for o in ld.objects if _types(o) & {"WebSite"} and isinstance(o.get("name"), str)
    ]
    structured += [_first_meta(meta, (key,)) for key in _SITE_META[1:]]
    structured_names = [n for n in structured if n and not _URL_LIKE.match(n)]
    affixes = [a for a in _title_affixes(html_title or "", headlines) if _plausible_site_name(a)]
    labels = _host_labels(host)
    # any part of the <title> that spells the host is the site's name, whichever part is the headline
    for name in [*structured_names, *affixes, *_title_parts(html_title or "")]:
        if _plausible_site_name(name) and _names_host(name, labels):
            return name
    brands = [b for b in _brand_names(tree, host) if _plausible_site_name(b)]
    for name in brands:
        if _names_host(name, labels):
            return name
    if structured_names:
        return structured_names[0]
    # an affix the header's brand confirms, else a lone affix ("Headline - Site")
    compact_brands = {_compact(b) for b in brands}
    for name in affixes:
        if _compact(name) in compact_brands:
            return name
    if len(affixes) == 1:
        return affixes[0]
    return host
