"""Metadata from a parsed HTML page: title, authors, dates, site, canonical URL, language, tags.

Called on the page as parsed, before boilerplate removal (JSON-LD scripts and meta tags still
present); the tree is only read, never changed. Word lists live in ``rules/metadata.yaml``.

- Title: an h1 that agrees with og:title / JSON-LD headline / <title> (site-name affixes stripped
  using og:site_name, JSON-LD publisher and the host); else the page's h1 when it is about the same
  thing as the meta titles (meta titles are often rewritten for search engines); else the stripped
  meta title.
- Authors: JSON-LD article author (@id references resolved), author meta tags, microdata; then,
  when none of these names a person, visible bylines (author/byline-marked elements, links to
  author pages, "By ..." lines, a name beside the headline's date). Cleaned of "By", roles,
  agencies, dates, emails and handles; split on "and", "&", ";"; the site/outlet is dropped when a
  person is named; author links add co-authors that structured data left out.
- Published: JSON-LD, meta (article:published_time, parsely, sailthru, Dublin Core...), itemprop,
  <time> in the article, the URL (/2024/03/05/), a date printed in the article, htmldate's quick
  search. Dates in page chrome (headers, top bars, nav, sidebars) are never used: site headers
  print today's date, nor a date introduced by "Today is". When the chosen source gives the day
  only (URL, printed date), the time and offset of the same day are taken from <time>/itemprop.
  A page that prints only an "Updated" date gets it as published: the earliest date a reader
  can see is the best estimate (on WCXB, preferring dateModified over a hidden datePublished
  helps as often as it hurts, so published stays datePublished when both exist).
  Modified: JSON-LD, meta, itemprop.
- Site: og:site_name (unless it is the page title); else the JSON-LD publisher/WebSite name,
  application-name, the <title> affix or the header's logo/brand text, preferring one that
  spells the host; the host only when nothing fits.
- Language is normalised to a lowercase primary subtag ("en", "pt"): region variants are rarely
  reliable in markup and the archive groups by language, not by locale.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .dates import _search, find_date_in_line, parse_date
from .rules import read_yaml


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    site: str | None = None
    url: str | None = None  # canonical URL
    language: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = resources.files("cleaners").joinpath("rules/metadata.yaml").read_text(encoding="utf-8")
    return read_yaml(text)


# --- compiled XPath (module level: compiled once) ---------------------------------------------
_META = etree.XPath("//meta")
_JSONLD = etree.XPath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]")
_H1 = etree.XPath("//h1")
_TITLE = etree.XPath("//title")
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href")
_HTML_LANG = etree.XPath(
    "/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}
)
_TIME = etree.XPath("//time[@datetime] | //*[@pubdate][@datetime]")
_ITEMPROP_PUBLISHED = etree.XPath("//*[@itemprop='datePublished' or @itemprop='dateCreated']")
_ITEMPROP_MODIFIED = etree.XPath("//*[@itemprop='dateModified']")
_ITEMPROP_AUTHOR = etree.XPath("//*[@itemprop='author' or @itemprop='creator']")
_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
_REL_AUTHOR = etree.XPath("//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]")
# links to an author's page
_AUTHOR_LINKS = etree.XPath(
    "//a[contains(@href, '/author/') or contains(@href, '/authors/') or contains(@href, '/writers/')"
    " or contains(@href, '/people/') or contains(@href, '/staff/') or contains(@href, '/contributors/')"
    " or contains(@href, '/profile/') or contains(@href, '/team/') or contains(@href, '/by/')"
    " or contains(@href, '/contributor/')]"
)

# Containers whose dates, names and headings are not the article's: site headers print today's
# date, sidebars and related-post lists print other articles' dates and authors.
_PAGE_CHROME_TAGS = {"header", "nav", "footer", "aside"}
# class/id tokens, matched per token so that "entry-header" is not "header"
_PAGE_CHROME_TOKEN = re.compile(
    r"(?:^|[-_])(?:site-?header|header|top-?bar|topbar|navbar|nav|navigation|menu|masthead|footer"
    r"|today|current-?date|date-?today|clock|weather|breaking|ticker)(?:$|[-_])",
    re.IGNORECASE,
)
# ...and those that are foreign even inside an <article>
_FOREIGN_TOKEN = re.compile(
    r"(?:^|[-_])(?:sidebar|related|recommended|comments?|popular|trending|more-?stories|read-?next"
    r"|also-?read|widget-?area)(?:$|[-_])",
    re.IGNORECASE,
)
# blocks about other content, where any byline is another article's: an author box in a sidebar is
# still this article's author, so these exclude fewer blocks than _FOREIGN_TOKEN
_OTHER_CONTENT_TOKEN = re.compile(
    r"(?:^|[-_])(?:related|recommended|comments?|popular|trending|more-?stories|read-?next|also-?read)(?:$|[-_])",
    re.IGNORECASE,
)
_ARTICLE_TOKEN = re.compile(r"article|post|entry|story|content|title|hero|headline|single|blog", re.I)


def _tokens(node: HtmlElement) -> list[str]:
    return ((node.get("class") or "") + " " + (node.get("id") or "")).split()


_SPACES = re.compile(r"\s+")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")
_URL_LIKE = re.compile(r"^(?:https?:|www\.|/)|\.(?:com|org|net|html?)\b", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
# "Jane Doe on March 5": a lower-case "on" ends the name ("Audiophile On" is a name)
_UPDATED = re.compile(r"\b(?:(?i:updated|published|posted|modified|last updated)\b|on(?:\s+\S|\s*$)).*$")
# what follows a name after a comma without being another person: "MD", "Ph.D.", "E-RYT 200", "Jr."
_CREDENTIAL = re.compile(
    r"^(?:[A-Z][A-Za-z]?\.?){1,4}$|^[A-Z]{2,6}$|^[A-Z]+[-\w]*\s*\d+$|^Ph\.?\s?D\.?$|^Jr\.?$|^Sr\.?$|^I{2,3}$"
)

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "published_time",
    "article:published", "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "dc.date.created", "date", "pubdate",
    "publishdate", "publish-date", "publish_date", "publication_date", "article.published",
    "article_date_original", "original-publish-date", "citation_publication_date", "citation_date",
    "cxenseparse:recs:publishtime", "og:pubdate", "release_date", "created", "dc.created", "published",
    "published_date", "published-date", "date_published", "publication-date",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:modified", "og:article:modified_time",
    "datemodified", "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "modified",
    "updated_time", "article.updated", "parsely-updated", "sailthru.updated",
)  # fmt: skip
_AUTHOR_META = (
    "author", "article:author", "og:article:author", "parsely-author", "sailthru.author", "dc.creator",
    "dcterms.creator", "byl", "citation_author", "article:author_name", "cxenseparse:author",
    "dc.contributor", "creator",
)  # fmt: skip
_TITLE_META = (
    "og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "title", "headline",
)  # fmt: skip
_SITE_META = ("og:site_name", "application-name", "twitter:app:name:iphone", "publisher", "dc.publisher")
_TAG_META = ("article:tag", "news_keywords", "parsely-tags", "sailthru.tags")


def _text(el: HtmlElement) -> str:
    try:
        return _SPACES.sub(" ", el.text_content()).strip()
    except ValueError:
        return ""


def _clean(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", _unescape(value)).strip()


def _unescape(s: str) -> str:
    if "&" in s:
        s = html.unescape(s)
        if "&#" in s or "&amp;" in s:  # double-escaped ("&amp;#x26;") in some CMSs
            s = html.unescape(s)
    if "<" in s and ">" in s:
        s = re.sub(r"<[^>]{0,200}>", " ", s)
    return s


# --- meta tags --------------------------------------------------------------------------------
def _collect_meta(tree: HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for el in _META(tree):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if not key or content is None:
            continue
        content = _clean(content)
        if content:
            found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first_meta(meta: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key][0]
    return None


# --- JSON-LD ----------------------------------------------------------------------------------
def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.replace("//<![CDATA[", "").replace("//]]>", "").strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except RecursionError:
        return None  # absurdly nested: not worth a page
    except ValueError:
        # trailing commas are a common hand-written slip
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
        except (ValueError, RecursionError):
            return None


def _walk(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Collect the objects of a JSON-LD document: lists, @graph, mainEntity (bounded depth)."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        graph = node.get("@graph")
        if graph is not None:
            _walk(graph, out, depth + 1)
        for key in ("mainEntity", "itemReviewed"):
            if isinstance(node.get(key), dict | list):
                _walk(node[key], out, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.split("/")[-1]}
    if isinstance(t, list):
        return {x.split("/")[-1] for x in t if isinstance(x, str)}
    return set()


def jsonld_types(tree: HtmlElement) -> set[str]:
    """Lower-cased ``@type`` names of every JSON-LD object on the page (lists, @graph, mainEntity):
    what a crawler reads to tell an article from a listing."""
    objects: list[dict[str, Any]] = []
    for script in _JSONLD(tree):
        if script.text and (data := _load_json(script.text)) is not None:
            _walk(data, objects)
    return {name.lower() for obj in objects for name in _types(obj)}


@dataclass
class _JsonLd:
    article: dict[str, Any] | None
    page: dict[str, Any] | None
    by_id: dict[str, dict[str, Any]]
    objects: list[dict[str, Any]]


def _collect_jsonld(tree: HtmlElement) -> _JsonLd:
    objects: list[dict[str, Any]] = []
    for script in _JSONLD(tree):
        if script.text:
            data = _load_json(script.text)
            if data is not None:
                _walk(data, objects)
    rules = _rules()
    article_types, page_types = set(rules["article_types"]), set(rules["page_types"])
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    article = page = None
    for obj in objects:
        types = _types(obj)
        if article is None and types & article_types:
            article = obj
        elif page is None and types & page_types:
            page = obj
    return _JsonLd(article, page, by_id, objects)


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _jsonld_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[tuple[str, bool]]:
    """(name, is_person) pairs of an author/creator value: string, object, list, @id reference."""
    out: list[tuple[str, bool]] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        item = _resolve(item, by_id)
        if isinstance(item, str):
            out.append((_clean(item), True))
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if not isinstance(name, str):
                given, family = item.get("givenName"), item.get("familyName")
                name = " ".join(x for x in (given, family) if isinstance(x, str)) or None
            if isinstance(name, str):
                is_org = bool(_types(item) & {"Organization", "NewsMediaOrganization", "Corporation"})
                out.append((_clean(name), not is_org))
    return [(n, p) for n, p in out if n]


def _jsonld_str(obj: dict[str, Any] | None, *keys: str) -> str | None:
    if not obj:
        return None
    for key in keys:
        value = obj.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("name") or value.get("@value")
        if isinstance(value, str) and value.strip():
            return _clean(value)
    return None


# --- helpers on visible markup ----------------------------------------------------------------
def _is_chrome(tokens: list[str]) -> bool:
    return any(_PAGE_CHROME_TOKEN.search(t) and not _ARTICLE_TOKEN.search(t) for t in tokens)


def _outside_article(el: HtmlElement, chrome_counts: bool = True) -> bool:
    """True when el sits in page chrome (header, nav, footer, top bar) outside any <article>/<main>,
    or in a sidebar, comment or related-posts block anywhere. With chrome_counts=False only the
    latter, plus nav and footer, count (a headline often sits in a hero "header" block)."""
    chrome = False
    in_article = False
    in_main = False  # one <main> per page: an <aside> or <nav> around it is broken markup, not chrome
    node = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):
            break  # their classes describe the whole page ("has-sidebar")
        in_main = in_main or tag == "main"
        if not chrome_counts:
            if tag in ("nav", "footer", "aside") and not in_main:
                return True
            if any(_FOREIGN_TOKEN.search(t) and not _ARTICLE_TOKEN.search(t) for t in _tokens(node)):
                return True
            node = node.getparent()
            continue
        if tag in ("article", "main") or node.get("itemprop") == "articleBody":
            in_article = True
        tokens = _tokens(node)
        for token in tokens:
            if _FOREIGN_TOKEN.search(token) and not _ARTICLE_TOKEN.search(token):
                return True
        if not in_article and not chrome and (tag in _PAGE_CHROME_TAGS or _is_chrome(tokens)):
            chrome = not _holds_headline(node)
        if tag == "aside" and not in_main:
            return True
        node = node.getparent()
    return chrome and not in_article


def _in_other_content(el: HtmlElement) -> bool:
    """True when el sits in navigation, the page footer, or a block of related posts or comments."""
    for node in el.iterancestors():
        if node.tag in ("nav", "footer"):
            return True
        # "related-posts" is other content; "has-comments" on the article's own wrapper is not
        if any(_OTHER_CONTENT_TOKEN.search(t) and not t.startswith(("has-", "no-")) for t in _tokens(node)):
            return True
    return False


_H1_IN = etree.XPath(".//h1[not(ancestor::a)][not(a)]")


def _holds_headline(node: HtmlElement) -> bool:
    """A <header> (or header-classed block) around the article's headline is the article's own
    header, which carries its byline and date; a site header's h1 is a linked logo or a short name."""
    if node.tag in ("nav", "footer", "aside"):
        return False
    return any(len(_text(h1).split()) >= 4 for h1 in _H1_IN(node))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _compact(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


# --- title ------------------------------------------------------------------------------------
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


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and _compact(a) == _compact(b)  # type: ignore[arg-type]


_TITLE_WORD = re.compile(r"\w+")


def _overlap(a: str, b: str) -> float:
    """Share of a's words found in b."""
    wa = set(_TITLE_WORD.findall(a.lower()))
    wb = set(_TITLE_WORD.findall(b.lower()))
    return len(wa & wb) / len(wa) if wa else 0.0


_HEADLINE_CLUTTER = re.compile(r"(?:19|20)\d\d|\b(?:posted|published|updated|by|written)\b", re.IGNORECASE)


def _affix_parts(title: str, headlines: list[str]) -> set[str]:
    """Compact forms of the parts of a separated title that are not the headline: where the
    site name sits. Without a known headline among the parts, the non-first parts."""
    known = {_compact(h) for h in headlines}
    parts: set[str] = set()
    for sep in _rules()["title_separators"]:
        if sep.strip() and sep != sep.strip() and sep in title:
            pieces = [_compact(p) for p in title.split(sep)]
            if any(p in known for p in pieces):
                parts.update(p for p in pieces if p not in known)
            else:
                parts.update(pieces[1:])
    return parts


_PROSE_TAGS = {"p", "ul", "ol", "blockquote"}


def _follows_prose(heading: HtmlElement, words: int = 40) -> bool:
    """An h1 with paragraphs of text before it, at its own level, heads a section of the post (blogs
    that style every heading as h1), not the page."""
    seen = 0
    for sib in heading.itersiblings(preceding=True):
        if sib.tag in _PROSE_TAGS:
            seen += len(sib.text_content().split())
            if seen >= words:
                return True
    return False


def _choose_title(
    meta_titles: list[str], html_title: str | None, h1s: list[str], sites: list[str], host: str | None
) -> str | None:
    stripped_meta = [strip_site_name(t, sites, host) for t in meta_titles]
    stripped_html = strip_site_name(html_title, sites, host) if html_title else None
    others = [*stripped_meta, *([stripped_html] if stripped_html else [])]
    raw_others = [*meta_titles, *([html_title] if html_title else [])]
    # An h1 that agrees with a meta or <title> headline is the article title.
    for h1 in h1s:
        if any(_same(h1, o) for o in others):
            return h1
    # An h1 found inside the <title> / og:title is the headline without the site affix...
    affixes = {a for t in raw_others for a in _affix_parts(t, meta_titles)}
    for h1 in h1s:
        c = _compact(h1)
        if c in affixes or _is_site_part(h1, sites, host):
            continue  # ...unless it is the site name that the <title> carries as an affix
        if len(c) >= 10 and any(c in _compact(o) for o in raw_others):
            return h1
    # An h1 that wraps a meta headline with clutter ("Dec 18 2025 <headline>", "<headline> Posted on")
    for h1 in h1s:
        for o in others:
            co = _compact(o)
            if len(co) >= 15 and co in _compact(h1):
                rest = h1.lower().replace(o.lower(), " ") if o.lower() in h1.lower() else h1
                if _HEADLINE_CLUTTER.search(rest):
                    return o
                return h1
    # Otherwise the visible headline (meta titles are often rewritten for search engines), provided
    # it is about the same thing as the meta titles: a blog's name in an h1 is not.
    for h1 in h1s:
        if len(h1.split()) < 2 or _is_site_part(h1, sites, host) or _compact(h1) in affixes:
            continue
        if others and len(h1.split()) > max(20, 2 * max(len(o.split()) for o in others)):
            continue  # a sentence set as a heading (the page's summary), not a headline
        if not others or any(_overlap(h1, o) >= 0.3 or _overlap(o, h1) >= 0.3 for o in others):
            return h1
    for t in stripped_meta:
        if t:
            return t
    if stripped_html:
        return stripped_html
    return h1s[0] if h1s else None


def _drop_pipe_tagline(title: str | None) -> str | None:
    """ "Best Movers in NYC 2025 | Top 19 Companies": a short part after a pipe is a tagline or a
    section, not headline (a pipe is no punctuation of English prose)."""
    while title and " | " in title:
        head, tail = title.rsplit(" | ", 1)
        if len(tail.split()) > 4 or len(head) < 10:
            break
        title = head.strip()
    return title


def _heading_text(el: HtmlElement) -> str:
    """Text of a heading, with <br> and block children read as spaces."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("script", "style", "noscript", "svg", "button"):
                pass
            else:
                block = tag in ("br", "div", "p")
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(el)
    # plain text: a literal "<br>" in a headline about HTML is words, not markup
    return _SPACES.sub(" ", html.unescape("".join(parts))).strip()


# --- authors ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _author_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    rules = _rules()
    prefixes = sorted(rules["author_prefixes"], key=len, reverse=True)
    prefix = re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")\b\s*[:\-–—]?\s*", re.I)
    # a news agency after a name is a credit line like a role ("Jane Doe, Associated Press")
    roles = sorted([*rules["author_roles"], *rules["news_agencies"]], key=len, reverse=True)
    role = re.compile(
        r"(?:^|[,|\-–—/(]\s*|\s)(?:(?:senior|chief|assistant|deputy|associate|special|contributing|guest)\s+)?"
        r"(?:" + "|".join(re.escape(r) for r in roles) + r")s?\b\.?\)?\s*$",
        re.I,
    )
    return prefix, role


_COLLECTIVE = re.compile(
    r"^(?:the\s+)?[\w.&' -]{2,40}\s(?:team|staff|editors|editorial team|contributors?)$", re.IGNORECASE
)
# "jane_doe", "jdoe", "KatieS" (a login with a capital inside): accounts, not names
_USERNAME = re.compile(r"^[\w-]+[._][\w.-]+$|^[a-z0-9_-]+$|^[A-Z]?[a-z]+[A-Z][A-Za-z]*$")
_READ_TIME = re.compile(r"\b(?:min|mins|minutes?)\s+read\b|\bread(?:ing)? time\b")
_ON_BEHALF = re.compile(r"\s+on behalf of\b.*$", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame)\.?\s+(?=[A-Z])")
# "A and B", "A & B", "A; B", "A | B"; the lower-case conjunctions of other languages only as whole
# lower-case words, so that the initial in "Sarah E. Needleman" does not split a name
_SPLIT_AUTHORS = re.compile(r"\s*(?:;|\||&|/|\n|\b(?i:and)\b|\s(?:und|et|y|e)\s)\s*")


# within one author: "Jane Doe, MD" (credential follows) or "Finian Cunningham. Sputnik" (a full stop
# after a word, not an initial, then a capital)
_SPLIT_PARTS = re.compile(r",|(?<=[a-z]{3})\.\s+(?=[A-Z])")


def clean_author(raw: str) -> list[str]:
    """Split and clean one author string into person names ("By A and B, Staff" -> [A, B])."""
    prefix_re, role_re = _author_patterns()
    s = _clean(raw)
    if not s or (_URL_LIKE.search(s) and " " not in s.strip()):
        return []
    s = _EMAIL.sub(" ", s)
    s = re.sub(r"https?://\S+", " ", s)
    s = _HANDLE.sub(" ", s)
    # a date and what follows it ("Jane Doe, March 5, 2024 · 5 min read") is not part of a name; a
    # date leading the line ("Dec 19, 2025 · Jane Doe") is dropped with its separator
    found = _search(s)
    while found is not None and not s[: found[1].start()].strip(" ,.:;-–—·•|"):
        s = s[found[1].end() :].lstrip(" ,.:;-–—·•|")
        found = _search(s)
    if found is not None:
        s = s[: found[1].start()]
    s = _UPDATED.sub("", s)
    s = _ON_BEHALF.sub("", s)
    s = prefix_re.sub("", s)
    out: list[str] = []
    for chunk in _SPLIT_AUTHORS.split(s):
        parts = [p.strip() for p in _SPLIT_PARTS.split(chunk)]
        names: list[str] = []
        for part in parts:
            part = _HONORIFIC.sub("", prefix_re.sub("", part)).strip(" .:-–—·•|")
            if not part:
                continue
            if names and part.lower() in _agencies():
                continue  # "Jane Doe, Reuters": the agency is a credit line, not a co-author
            if names and role_re.search(" " + part):
                continue  # "Jane Doe, Courier Staff Writer": whatever precedes the role, the part is a role
            if names and _CREDENTIAL.match(part):
                names[-1] = f"{names[-1]}, {part}"  # "Jane Doe, MD" stays one person
                continue
            names.append(part)
        for name in names:
            if _COLLECTIVE.search(name):
                out.append(name)  # "The Currency editors", "Everfit Team": a collective byline
                continue
            prev = None
            while prev != name:
                prev = name
                stripped = role_re.sub("", name).strip(" ,.:-–—·•|()")
                if stripped.lower() in ("", "the", "our", "a", "an"):
                    break
                name = stripped
            name = prefix_re.sub("", name).strip(" ,.:-–—·•|()")
            if _valid_name(name):
                out.append(name)
    return out


# unfilled templates: "page.head.extra.author", "{{ author }}", "%author%"
_PLACEHOLDER = re.compile(r"^[a-z_.]+\.(?:author|name|byline)$|[{}%$]")


def _valid_name(name: str) -> bool:
    if not name or len(name) > 60 or len(name) < 2:
        return False
    if _URL_LIKE.search(name) or "@" in name:
        return False
    words = name.split()
    if len(words) > 6:
        return False
    base = name.split(",")[0]
    if sum(ch.isdigit() for ch in base) > 0:
        return False
    if not any(ch.isalpha() for ch in base):
        return False
    lowered = base.lower().strip()
    if _READ_TIME.search(lowered) or _PLACEHOLDER.search(lowered):
        return False
    if any(w in ("admin", "administrator", "webmaster") for w in lowered.split()):
        return False  # "NOC Admin", "Site Administrator": an account, not a byline
    _prefix_re, role_re = _author_patterns()
    if lowered in _agencies():
        return True  # "Associated Press" alone is the byline
    return not (role_re.fullmatch(" " + lowered) or lowered in _not_names())


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(str(n).lower() for n in _rules()["news_agencies"])


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(str(n).lower() for n in _rules()["not_author_names"])


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        key = _compact(name)
        if key in seen:
            continue
        # "Jane Doe" and "Jane Doe, MD": keep the longer, in the first one's place
        base = _compact(name.split(",")[0])
        dup = next((i for i, o in enumerate(out) if _compact(o.split(",")[0]) == base), None)
        if dup is not None:
            if len(name) > len(out[dup]):
                out[dup] = name
            continue
        seen[key] = len(out)
        out.append(name)
    return out


_BYLINE_SKIP = re.compile(
    r"avatar|image|img|photo|pic|social|share|follow|description|desc|bio(?:graphy)?$|more|list|widget|comment"
    r"|link-?list|posts|articles",
    re.IGNORECASE,
)
_BYLINE_TEXT = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|words|story|text|article)\s+by|by|author\s*:)\s*:?\s*\S",
    re.IGNORECASE,
)
_NAME_PARTICLES = {"van", "der", "de", "la", "le", "von", "bin", "al", "da", "di", "du", "del", "dos", "ter",
                   "y", "e", "st", "mc"}  # fmt: skip


@lru_cache(maxsize=1)
def _topic_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _rules()["topic_words"])


def _looks_like_person(name: str, any_case: bool = False) -> bool:
    """A visible string that reads as a name: 1-5 words, capitalised (unless any_case: an element
    marked as the author's may print "jane doe" all in lower case), no sentence words."""
    base = name.split(",")[0]
    words = base.split()
    if not 1 <= len(words) <= 5:
        return False
    if (any_case and base == base.lower()) or _COLLECTIVE.match(base):
        return True  # "jane doe" in an author element; "the Lavazza Team"
    if words[0].lower() in ("the", "a", "an", "this", "that", "our", "my", "your"):
        return False  # "by the Nigerian Senate" is a phrase, not a byline
    if any(w.lower().strip(".,") in _topic_words() for w in words):
        return False  # "Restaurant Tips", "Personal finance": a category label beside the date
    if len(words) == 1 and base.isupper() and len(base) <= 3:
        return False  # "NB": an avatar's initials
    for word in words:
        w = word.strip(".'’()")
        if not w:
            continue
        if w.lower() in _NAME_PARTICLES:
            continue
        if not (w[0].isupper() or not w[0].isalpha()):
            return False
    return True


def _spaced_text(el: HtmlElement) -> str:
    """Text of el with its pieces space-separated ("Luke Kim" + "Dec 17" must not fuse)."""
    return _SPACES.sub(" ", " ".join(t for t in el.itertext() if t and t.strip())).strip()


_LEADING_BY = re.compile(
    r"^(?:(?:[\w’']+\s+){1,2}by\s+(?=[A-Z])|.{0,40}?\b(?:written|posted|authored|reported)\s+by\s+)",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(
    r"^(?:about\s+(?:the\s+)?authors?|(?:the\s+)?authors?(?:\s+\w+)?|written\s+by)\W*$", re.IGNORECASE
)


def _byline_names(text: str, any_case: bool = False) -> list[str]:
    text = _LEADING_BY.sub("", text)
    return [n for n in clean_author(text) if _looks_like_person(n, any_case)]


def _linked_authors(tree: HtmlElement) -> list[str]:
    """Names of the first group of links to author pages in the article: co-authors are linked
    side by side, so the group is the links inside the first link's small byline container."""
    links = [el for el in _AUTHOR_LINKS(tree) if not _outside_article(el)]
    if not links:
        return []
    container = links[0].getparent()
    for _ in range(3):
        parent = container.getparent() if container is not None else None
        if parent is None or len(_spaced_text(parent)) > 300:
            break
        container = parent
    group = [el for el in links if el is links[0] or (container is not None and _is_inside(el, container))]
    return _dedupe([_full_name(n, el) for el in group for n in _byline_names(_spaced_text(el))])


def _full_name(name: str, link: HtmlElement) -> str:
    """ "Articles by Juliette" linking to /authors/juliette-carreiro: the page's slug spells the
    full name that the link text shortens to a first name."""
    if " " in name:
        return name
    slug = (link.get("href") or "").split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_.]+", slug) if w]
    if 2 <= len(words) <= 4 and words[0].lower() == name.lower() and all(w.isalpha() for w in words):
        return " ".join([name, *(w.capitalize() for w in words[1:])])
    return name


def _is_inside(el: HtmlElement, container: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


_BY_START = re.compile(r"\s*(?:by|written|posted|authored|author)\b", re.IGNORECASE)
_NOT_BYLINE_TAGS = {"script", "style", "meta", "link", "body", "html", "head", "noscript", "template"}


# a label standing alone in its element, the names following it: "<strong>Contributors:</strong> Jane
# Doe", "<h6>Author(s)</h6><ul><li>…", "<h2>Article by</h2><div>Jane Doe</div>"
_BYLINE_LABEL = re.compile(
    r"(?:(?:written|posted|article|words|story|text|reported)\s+by|authors?(?:\(s\))?|contributors?|writers?)"
    r"\s*:?",
    re.IGNORECASE,
)


@dataclass
class _BylineMarks:
    classed: list[HtmlElement] = field(default_factory=list)  # class/id/rel say author or byline
    by_lines: list[HtmlElement] = field(default_factory=list)  # own text starts "By"/"Written by"
    labels: list[HtmlElement] = field(default_factory=list)  # own text is only a byline label


def _byline_scan(tree: HtmlElement) -> _BylineMarks:
    """One pass over the tree (far cheaper than several XPath scans with translate()) for the
    elements a visible byline can start from."""
    marks_found = _BylineMarks()
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_BYLINE_TAGS:
            continue
        marks = " ".join(v for v in (el.get("class"), el.get("id"), el.get("rel")) if v)
        if marks:
            marks = marks.lower()
            if "author" in marks or "byline" in marks or "writer" in marks:
                marks_found.classed.append(el)
        text = el.text
        if text and tag != "a" and len(text) < 200:
            if _BY_START.match(text):
                marks_found.by_lines.append(el)
            if len(text) < 30 and len(el) == 0 and _BYLINE_LABEL.fullmatch(text.strip()):
                marks_found.labels.append(el)
    return marks_found


def _names_after_label(label: HtmlElement) -> list[str]:
    """The names printed after a byline label: its tail, else the next element (a list or a group of
    links is read item by item, so that "Jane Doe" and "John Roe" do not fuse)."""
    tail = (label.tail or "").strip(" \t\n:|·•-–—")
    if tail:
        return _byline_names(tail) if len(tail) < 100 else []
    nxt = label.getnext()
    if nxt is None or not isinstance(nxt.tag, str):
        return []
    items = nxt.findall(".//li") or nxt.findall(".//a")
    pieces = [_spaced_text(i) for i in items] if len(items) > 1 else [_spaced_text(nxt)]
    if not pieces or sum(len(p) for p in pieces) > 200:
        return []
    return _dedupe([n for p in pieces for n in _byline_names(p)])


# the first sentence of an author box: "Jane Doe is a freelance writer…" under a "Jane Doe" heading
_BIO_SENTENCE = re.compile(r"^\s*([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s+is\s+(?:a|an|the)\s")
_BIO_TAGS = ("p", "div", "span")


def _bio_box_author(tree: HtmlElement) -> list[str]:
    """An author box with no author markup: a name on its own (heading, bold line, caption) and,
    just after it in the same small box, a sentence that starts with the same name and "is a"."""
    for el in tree.iter(*_BIO_TAGS):
        text = el.text
        if not text or len(text) < 20:
            continue
        m = _BIO_SENTENCE.match(text)
        if not m or not _looks_like_person(m.group(1)) or _in_other_content(el):
            continue
        if any(w.lower().strip(".,") in _org_words() for w in m.group(1).split()):
            continue
        name = m.group(1)
        box = el
        for _ in range(3):
            parent = box.getparent()
            if parent is None:
                break
            box = parent
            if box.find(".//img") is None:
                continue  # an author box has the author's photo; a product or glossary box need not
            for node in box.iter():
                if node is el:
                    break
                if isinstance(node.tag, str) and any(
                    _SPACES.sub(" ", t).strip() == name for t in (node.text, node.tail) if t
                ):
                    return [name]
    return []


def _visible_bylines(tree: HtmlElement, is_site: Any = None) -> list[str]:
    """Names from the page's visible byline: the first author/byline element in the article, then
    links to author pages, then the first "By ..." line. An author list that starts with the
    outlet ("Corti", then "Joakim Edin") is read on to its first person (is_site tells which)."""
    found = _byline_scan(tree)
    classed, by_lines = found.classed, found.by_lines
    outlet: list[str] = []
    outlet_box: HtmlElement | None = None  # the author list the outlet was named in
    for el in classed:
        if outlet_box is not None and not _is_inside(el, outlet_box):
            break
        tokens = _tokens(el)
        if any(_BYLINE_SKIP.search(t) for t in tokens) or _outside_article(el):
            continue
        text = _spaced_text(el)
        if not text:
            continue
        if len(text) > 100:
            # an author box: the name is its first short piece of text after any label, the bio follows
            pieces = [t.strip() for t in el.itertext() if t and t.strip()][:4]
            names = []
            for piece in pieces:
                if len(piece) > 60:
                    break  # the bio has begun
                if not _AUTHOR_LABEL.match(piece):
                    names = _byline_names(piece, any_case=True)
                    if names:
                        break
        else:
            names = _byline_names(text, any_case=True)
        if names and is_site is not None and all(is_site(n) for n in names):
            if outlet_box is None:
                outlet, outlet_box = names, el
                for _ in range(3):
                    parent = outlet_box.getparent()
                    if parent is None or len(_spaced_text(parent)) > 200:
                        break
                    outlet_box = parent
            continue
        if names:
            return _dedupe(names)
    if outlet:
        return _dedupe(outlet)
    names = _linked_authors(tree)
    if names:
        return names
    for el in by_lines:
        text = _spaced_text(el)
        if len(text) > 100 or not _BYLINE_TEXT.match(text) or _outside_article(el):
            continue
        links = _links_after_by(el)
        names = _dedupe([n for a in links for n in _byline_names(_spaced_text(a))]) if links else []
        if names:
            return names
        names = _byline_names(text)
        if names:
            return _dedupe(names)
    for el in found.labels:
        if _in_other_content(el):
            continue
        names = _names_after_label(el)
        if names:
            return names
    return _names_beside_date(tree)


_BARE_BY = re.compile(r"^\s*(?:(?:written|posted|authored|reported)\s+)?by\s*:?\s*$", re.IGNORECASE)


def _links_after_by(el: HtmlElement) -> list[HtmlElement]:
    """ "By <a>Jane Doe</a> and <a>John Roe</a> | View in print": the links that follow a bare
    "By" are the names, whatever else the line holds."""
    if not el.text or not _BARE_BY.match(el.text) or len(el) == 0 or el[0].tag != "a":
        return []
    links = [el[0]]
    for child in el[1:]:
        joiner = (links[-1].tail or "").strip().lower()
        if child.tag != "a" or joiner not in ("", ",", "and", "&"):
            break
        links.append(child)
    return links


_META_WORDS = re.compile(
    r"\b(?:min(?:ute)?s?|read|updated|published|posted|share|comments?|views?|reviewed|edited|home|blog"
    r"|news|print|email|menu|search|subscribe|sign|log|follow|listen|reading|time)\b",
    re.IGNORECASE,
)


_AUTHOR_PATH = re.compile(r"/(?:authors?|writers?|people|staff|profile|team|by|users?|contributors?)/")
_TAXONOMY = re.compile(r"categor|(?:^|[-_/])(?:tags?|topics?|sections?|labels?|cat)(?:$|[-_/])", re.I)


def _is_taxonomy(node: HtmlElement) -> bool:
    """A category/tag label or link: "Restaurant Tips" beside a date is not a person."""
    for el in (node, node.getparent()):
        if el is None:
            continue
        href = el.get("href") or ""
        if (href and _TAXONOMY.search(href)) or any(_TAXONOMY.search(t) for t in _tokens(el)):
            return True
        if href and el.tag == "a" and not _AUTHOR_PATH.search(href):
            # <a href="/blog/restaurant-tips">Restaurant Tips</a>: a section named by its own slug
            slug = href.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            if slug and _compact(slug) == _compact(_text(el)):
                return True
    return False


_TRAILING_IN = re.compile(r"\s+in$")  # "Mahua Das in <a>Section</a>"


def _names_beside_date(tree: HtmlElement) -> list[str]:
    """A headline's meta line often reads "Jane Doe · March 5, 2024" with no markup naming the
    author: take a name-shaped piece of text sharing a small container with the first date after h1."""
    seen_h1 = False
    checked = 0
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        if tag == "h1":
            seen_h1 = True
            continue
        if not seen_h1:
            continue
        checked += 1
        if checked > 400:
            break
        text = el.text
        if not text or not _YEARISH.search(text) or len(text) > 80 or find_date_in_line(text) is None:
            continue
        container = el
        for _ in range(3):
            parent = container.getparent()
            if parent is None or len(_spaced_text(parent)) > 150:
                break
            container = parent
        for node in container.iter():
            if not isinstance(node.tag, str):
                continue
            # the text after an avatar <img> is a node's tail: "<img class=avatar> Mahua Das in ..."
            texts = [node.tail] if _is_taxonomy(node) else [node.text, node.tail]
            for text in texts:
                piece = _TRAILING_IN.sub("", (text or "").strip(" \t\n·•|,-–—"))
                if not piece or _YEARISH.search(piece) or _META_WORDS.search(piece) or len(piece) > 40:
                    continue
                names = [n for n in clean_author(piece) if _looks_like_person(n) and len(n.split()) >= 2]
                if names:
                    return names
        return []
    return []


def _with_coauthors(tree: HtmlElement, names: list[str]) -> list[str]:
    """Structured data often names only the first author; the byline's author links list all."""
    linked = _linked_authors(tree)
    if len(linked) > len(names) and {_compact(n) for n in names} <= {_compact(n) for n in linked}:
        return linked
    return names


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


def _site_owner(names: list[str], host: str | None) -> str | None:
    """A personal site named after its author ("Toby Hede" on tobyhede.com): the site name is the
    author when nothing else names one. Only a person-shaped name that spells the host qualifies."""
    if not host:
        return None
    label = _compact(host.split(".")[0] if not host.startswith("blog.") else host.split(".")[1])
    for name in names:
        words = name.split()
        if not 2 <= len(words) <= 3 or not _looks_like_person(name):
            continue
        if words[0].lower() == "the" or any(w.lower().strip(".,") in _org_words() for w in words):
            continue
        c = _compact(name)
        spellings = (c, _compact(words[0]), _compact(words[-1]), _compact(words[0] + words[-1]))
        if len(label) >= 4 and label in spellings:
            return name
    return None


_BODY = etree.XPath("//body")


def _byline_over_account(tree: HtmlElement, names: list[str], is_site: Any) -> list[str]:
    """A CMS account that posted a guest's piece: the structured author is a name shown nowhere on
    the page while the article's byline shows someone else. Readers see the byline; it wins."""
    visible = _visible_bylines(tree, is_site)
    if not visible or {_compact(n) for n in visible} & {_compact(n) for n in names}:
        return names
    for name in visible:
        words = name.split(",")[0].split()
        if len(words) < 2 or _COLLECTIVE.match(name) or is_site(name):
            return names  # a person's full name overrides an account, not a team or the outlet
        if any(w.lower().strip(".,") in _org_words() for w in words):
            return names
    body = _BODY(tree)
    shown = _compact(body[0].text_content()) if body else ""
    if any(_compact(n.split(",")[0]) in shown for n in names):
        return names
    return visible


def _choose_authors(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, sites: list[str], host: str | None
) -> list[str]:
    def is_site(name: str) -> bool:
        return _is_site_part(name, sites, host)

    def not_person(name: str) -> bool:
        return is_site(name) or bool(_USERNAME.match(name))

    candidates: list[tuple[list[str], bool]] = []  # (names, all are persons)
    # 1. JSON-LD article author
    for obj in (ld.article, ld.page):
        if obj:
            for key in ("author", "creator"):
                if key in obj:
                    pairs = _jsonld_names(obj[key], ld.by_id)
                    names = [n for raw, _p in pairs for n in clean_author(raw)]
                    persons = all(p for _n, p in pairs) and not any(not_person(n) for n in names)
                    if names:
                        candidates.append((names, persons))
                    break
    # 2. meta tags: all values of one key together (one <meta name="author"> per co-author)
    for key in _AUTHOR_META:
        names = [n for value in meta.get(key, []) if not _URL_LIKE.match(value) for n in clean_author(value)]
        if names:
            candidates.append((_dedupe(names), not any(not_person(n) for n in names)))
    # Yoast and others print "Written by" / name as twitter:label1 / twitter:data1
    for i in "12345":
        label = _first_meta(meta, (f"twitter:label{i}",))
        if label and re.search(r"written by|author", label, re.IGNORECASE):
            names = clean_author(_first_meta(meta, (f"twitter:data{i}",)) or "")
            if names:
                candidates.append((names, not any(not_person(n) for n in names)))
    # 3. microdata
    micro: list[str] = []
    for el in _ITEMPROP_AUTHOR(tree):
        names_el = _ITEMPROP_NAME(el)
        raw = names_el[0].get("content") or _text(names_el[0]) if names_el else el.get("content") or _text(el)
        if raw and len(raw) < 120:
            micro.extend(clean_author(raw))
    if micro:
        candidates.append((_dedupe(micro), not any(is_site(n) for n in micro)))
    for names, persons in candidates:
        if persons:
            return _byline_over_account(tree, _with_coauthors(tree, _dedupe(names)), is_site)
    # 4. visible bylines (only searched when no structured source names a person: costlier)
    visible = _visible_bylines(tree, is_site) or _bio_box_author(tree)
    shown = {_compact(n) for n in visible}
    for names, _persons in candidates:
        if shown and all(_compact(n) in shown for n in names):
            return _dedupe(names)  # a personal site named after its author: the byline confirms it
    if visible:
        visible = _with_coauthors(tree, visible)
        candidates.append((visible, not any(is_site(n) for n in visible)))
    if not candidates:
        return []
    for names, persons in candidates:
        if persons:
            return _dedupe(names)
    return _dedupe(candidates[0][0])


# --- dates ------------------------------------------------------------------------------------
def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    return parse_date(f"{m[1]}-{m[2]}-{m[3]}")


def _element_date(el: HtmlElement) -> str | None:
    for attr in ("datetime", "content", "data-datetime", "data-date", "title"):
        value = el.get(attr)
        if value:
            iso = parse_date(value)
            if iso:
                return iso
    # <span itemprop="datePublished"><time datetime="...T18:20:11-05:00">May 22, 2023</time></span>:
    # the machine-readable child carries the time the printed text leaves out
    for child in el.iter("time"):
        iso = parse_date(child.get("datetime") or "")
        if iso:
            return iso
    text = _text(el)
    return parse_date(text) if text and len(text) < 80 else None


_YEARISH = re.compile(r"(?:19|20)\d\d")
_TODAY = re.compile(r"\btoday\b|\bcurrent date\b", re.IGNORECASE)
_SKIP_TEXT_TAGS = {"script", "style", "noscript", "template", "option", "select", "textarea", "title", "head"}


def _first_visible_date(tree: HtmlElement) -> str | None:
    """The first date printed in the page's article area.

    Only short texts that are essentially a date (with a label like "Updated" at most) count, so a
    sentence mentioning a date is ignored; dates in headers (today's date), navigation, sidebars,
    comments and related-post lists are not the article's.
    """
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        for text, is_tail in ((el.text, False), (el.tail, True)):
            if not text or len(text) > 120 or not _YEARISH.search(text):
                continue
            iso = find_date_in_line(text)
            if iso is None or _TODAY.search(text):
                continue  # "Today is Tuesday, October 17, 2006": a header's clock, not the article's date
            # A tail belongs to the parent's flow ("<b>By X</b> March 5, 2024" sits in the parent).
            owner = el.getparent() if is_tail and el.getparent() is not None else el
            if not _outside_article(owner):
                return iso
    return None


def _chrome_dates(tree: HtmlElement) -> set[str]:
    """Days printed in the page chrome above the headline (a site header's "today"): never the
    article's date. Chrome below the first h1 is not searched: an article's own header block,
    which holds its date, often looks like chrome."""
    days: set[str] = set()
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        if tag == "h1":
            break
        for text, is_tail in ((el.text, False), (el.tail, True)):
            if not text or len(text) > 120 or not _YEARISH.search(text):
                continue
            owner = el.getparent() if is_tail and el.getparent() is not None else el
            iso = find_date_in_line(text)
            if iso and (_outside_article(owner) or _TODAY.search(text)):
                days.add(iso[:10])
    return days


_TIME_PUBLISHED = re.compile(r"publish|posted|entry-date|created|pubdate", re.IGNORECASE)
_TIME_UPDATED = re.compile(r"updated|modified", re.IGNORECASE)


def _time_rank(el: HtmlElement) -> int:
    """<time> elements marked as the publication time first, those marked as updates last."""
    marks = (el.get("class") or "") + " " + (el.get("itemprop") or "") + " " + " ".join(el.keys())
    if _TIME_PUBLISHED.search(marks):
        return 0
    return 2 if _TIME_UPDATED.search(marks) else 1


_OFFSET = re.compile(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


_UPDATE_LABEL = re.compile(r"updated|modified|revised|\bupdates?\b", re.IGNORECASE)
_HEADLINE_DATE_WORDS = 80  # how far below the headline its date line may sit (words of text)


def _headline_date(tree: HtmlElement) -> str | None:
    """The date printed just below the article's headline (the first date line within a few dozen
    words after the first h1), unless it is labelled as an update ("Last updated: ...")."""
    h1 = next((h for h in _H1(tree) if not _outside_article(h, chrome_counts=False)), None)
    if h1 is None:
        return None
    words = 0
    for el in _following(h1):
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT_TAGS:
            continue
        for is_tail, text in ((False, el.text), (True, el.tail)):
            if not text or text.isspace():
                continue
            if len(text) <= 120 and _YEARISH.search(text):
                iso = find_date_in_line(text)
                if iso is not None and not _TODAY.search(text):
                    owner = el.getparent() if is_tail and el.getparent() is not None else el
                    if _outside_article(owner):
                        return None
                    if _UPDATE_LABEL.search(_date_label(owner, text)):
                        return None
                    if owner.tag == "time":  # <time datetime="..."> says what its text abbreviates
                        iso = _element_date(owner) or iso
                    return iso
            words += len(text.split())
            if words > _HEADLINE_DATE_WORDS:
                return None
    return None


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after el in document order (its own descendants excluded), without walking
    the part of the page before it."""
    node: HtmlElement | None = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _date_label(owner: HtmlElement, text: str) -> str:
    """The words that may label a printed date: its own line, the words just before it in the two
    blocks above (<span>Last Updated:</span> <span>date</span>) and those blocks' leading text
    (<li>Updates<ul><li>date ...</li></ul></li>); a "Published ... Updated <date>" row labels only
    the second date."""
    label = [text]
    line = text.strip()
    node = owner
    for _ in range(2):
        node = node.getparent()
        if node is None:
            break
        whole = _spaced_text(node)
        at = whole.find(line)
        label.append(whole[max(0, at - 40) : at] if at >= 0 else "")
        label.append(node.text or "")
    return " ".join(label)


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 0


def _choose_published(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, url: str | None, modified: str | None
) -> str | None:
    """The publication date; when the chosen source gives the day only (a URL, a printed date),
    the time and zone of the same day are taken from the page's <time> or printed date.

    A date printed under the headline that is neither the structured published nor modified day
    wins: the structured dates are then a CMS migration or re-publication stamp, and the reader's
    date is the printed one. Within a day of the structured date it is a time-zone shift: kept."""
    found = _published_source(tree, meta, ld, url)
    printed = _headline_date(tree)
    if (
        printed
        and found
        and printed[:10] not in (found[:10], (modified or "")[:10])
        and _days_apart(printed, found) > 1
        # "09.10.2024" read month-first where the structured date reads it day-first: the same day
        and printed[:10] != f"{found[:4]}-{found[8:10]}-{found[5:7]}"
    ):
        found = printed
    if found is None or "T" in found:
        return found
    for el in _ITEMPROP_PUBLISHED(tree):
        if el.tag != "meta" and not _outside_article(el):
            iso = _element_date(el)
            if iso and iso[:10] == found and _OFFSET.search(iso):
                return iso
    for el in _TIME(tree):
        if _time_rank(el) < 2 and not _outside_article(el):
            iso = _element_date(el)
            if iso and iso[:10] == found and _OFFSET.search(iso):
                return iso
    iso = _first_visible_date(tree)
    if iso and iso[:10] == found and _OFFSET.search(iso):
        return iso
    return found


def _published_source(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, url: str | None
) -> str | None:
    for obj in (ld.article, ld.page):
        value = _jsonld_str(obj, "datePublished", "dateCreated", "uploadDate")
        iso = parse_date(value) if value else None
        if iso:
            return iso
    for key in _PUBLISHED_META:
        for value in meta.get(key, []):
            iso = parse_date(value)
            if iso:
                return iso
    for el in _ITEMPROP_PUBLISHED(tree):
        if el.tag == "meta" or not _outside_article(el):
            iso = _element_date(el)
            if iso:
                return iso
    times = sorted((el for el in _TIME(tree) if not _outside_article(el)), key=_time_rank)
    for el in times:
        iso = _element_date(el)
        if iso:
            return iso
    from_url = _url_date(url)
    if from_url:
        return from_url
    # a date printed on its own line in the article (page chrome excluded), else htmldate's guess
    # unless that guess is a date the page chrome prints (the "today" of a site header)
    found = _first_visible_date(tree)
    if found:
        return found
    found = _htmldate(tree, url)
    if found and found[:10] in _chrome_dates(tree):
        return None
    return found


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """Last resort: htmldate's quick search (extensive search is too slow for every page)."""
    try:
        from htmldate import find_date
    except ImportError:  # optional: the cleaners work without it
        return None
    try:
        # fixed bounds: htmldate's default upper bound is today, which would make output depend on the clock
        found = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            url=url,
            min_date="1990-01-01",
            max_date="2100-12-31",
        )
    except Exception:  # htmldate on odd markup must not break cleaning
        return None
    return parse_date(found) if found else None


def _choose_modified(tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd) -> str | None:
    for obj in (ld.article, ld.page):
        value = _jsonld_str(obj, "dateModified")
        iso = parse_date(value) if value else None
        if iso:
            return iso
    for key in _MODIFIED_META:
        for value in meta.get(key, []):
            iso = parse_date(value)
            if iso:
                return iso
    for el in _ITEMPROP_MODIFIED(tree):
        iso = _element_date(el)
        if iso:
            return iso
    return None


# --- language, tags ---------------------------------------------------------------------------
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
        if key not in seen and len(tag) <= 80:
            seen.add(key)
            out.append(tag)
    return out


# --- site name --------------------------------------------------------------------------------
_GENERIC_HOST_LABELS = {
    "www", "com", "org", "net", "co", "uk", "news", "blog", "blogspot", "wordpress", "substack", "medium",
    "example", "html", "m", "amp", "edu", "gov", "info", "io",
}  # fmt: skip
# a leading bullet or ornament printed before a headline ("• Headline", "» Headline")
_DECORATION = re.compile(r"^[\s•·►▸▶»■□●○◆◇★☆✓✔→>|]+")
_FEED_TITLES = etree.XPath(
    "//head/link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@title"
)
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


def _strip_decoration(text: str) -> str:
    return _DECORATION.sub("", text).strip() or text


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


# --- entry point ------------------------------------------------------------------------------
def extract_metadata(tree: HtmlElement, url: str | None) -> Metadata:
    """Read the page's metadata from a parsed tree (not modified); url is where it came from."""
    meta = _collect_meta(tree)
    ld = _collect_jsonld(tree)

    # canonical URL: <link rel=canonical>, og:url, JSON-LD url, else the given one
    canonical = None
    for value in [*_CANONICAL(tree), *meta.get("og:url", [])]:
        value = str(value).strip()
        if value and not value.startswith("#"):
            canonical = urljoin(url, value) if url else value
            if urlsplit(canonical).scheme in ("http", "https"):
                break
            canonical = None
    canonical = canonical or url
    host = _host(canonical) or _host(url)

    publisher = ld.article.get("publisher") if ld.article else None
    publisher = _resolve(publisher, ld.by_id)
    publisher_name = _jsonld_str({"p": publisher}, "p") if publisher else None
    meta_titles = [t for t in (_jsonld_str(ld.article, "headline"), _first_meta(meta, _TITLE_META)) if t]
    # JSON-LD headlines are often cut at 110 characters: the full og:title then comes first
    if len(meta_titles) == 2 and _compact(meta_titles[1]).startswith(_compact(meta_titles[0])):
        meta_titles.reverse()
    title_els = _TITLE(tree)
    html_title = _text(title_els[0]) if title_els else None
    h1_texts = [
        _strip_decoration(t)
        for t in (
            _heading_text(h)
            for h in _H1(tree)[:8]
            if not _outside_article(h, chrome_counts=False) and not _follows_prose(h)
        )
        if t and len(t) < 300
    ]

    site = og_site = _first_meta(meta, ("og:site_name",))
    if site and _URL_LIKE.match(site) and host:
        site = host  # og:site_name="https://www.example.com"
    if site and (not _plausible_site_name(site) or any(_same(site, t) for t in [*meta_titles, html_title])):
        site = og_site = None  # a CMS that fills og:site_name with the page's title
    site = site or _derive_site(tree, meta, ld, publisher_name, host, html_title, [*h1_texts, *meta_titles])
    sites = [s for s in (site, og_site, publisher_name, _first_meta(meta, _SITE_META[1:2])) if s]

    h1s = [strip_site_name(t, sites, host) for t in h1_texts]
    title = _drop_pipe_tagline(_choose_title(meta_titles, html_title or None, h1s, sites, host))
    title = _strip_decoration(title) if title else None

    description = _first_meta(meta, ("og:description", "description", "twitter:description")) or _jsonld_str(
        ld.article, "description"
    )

    authors = _choose_authors(tree, meta, ld, sites, host)
    persons = [a for a in authors if not _is_site_part(a, sites, host)]
    if persons and len(persons) < len(authors):
        authors = persons  # "Chris Cillizza, CNN": the outlet is not a co-author
    if not authors:
        feeds = [_clean(t) for t in _FEED_TITLES(tree)]
        brands = _brand_names(tree, host)
        # a personal site's copyright line names its owner, who writes its posts
        holders = _copyright_holders(tree)
        owner = _site_owner([*sites, *_title_parts(html_title or ""), *feeds, *brands, *holders], host)
        authors = [owner] if owner else []

    modified = _choose_modified(tree, meta, ld)
    return Metadata(
        title=title or None,
        authors=authors,
        published=_choose_published(tree, meta, ld, url, modified),
        modified=modified,
        site=site,
        url=canonical,
        language=_language(tree, meta, ld),
        description=description,
        tags=_tags(meta, ld),
    )


__all__ = ["Metadata", "clean_author", "extract_metadata", "strip_site_name"]
