"""Where metadata is read from: the rules file, compiled XPaths and meta-tag keys, the page's
meta tags and JSON-LD objects, small text helpers, and the page-structure tests (page chrome,
sidebars, related posts) that decide whether a date or byline on the page is the article's.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from ..rules import read_yaml


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


# elements with a machine-readable date attribute: few, so the class test runs in Python on them
# (an XPath testing every element's class tokens cost 1.3 ms a page)
_WITH_MACHINE_DATE = etree.XPath("//*[@title or @datetime][@class]")


def _class_with_machine_date(*tokens: str) -> Callable[[HtmlElement], list[HtmlElement]]:
    wanted = frozenset(tokens)

    def find(tree: HtmlElement) -> list[HtmlElement]:
        return [el for el in _WITH_MACHINE_DATE(tree) if wanted.intersection(el.get("class", "").split())]

    return find


# microformats: hAtom's <abbr class="published" title="2016-12-23T05:11:00-05:00"> (Blogger, older
# WordPress themes) and microformats2's dt-published; only with the machine-readable attribute
_MICROFORMAT_PUBLISHED = _class_with_machine_date("published", "dt-published")
_MICROFORMAT_MODIFIED = _class_with_machine_date("updated", "dt-updated")
# the author of the nearest item: a photo's creator (an ImageObject in the caption) or a reader
# comment's author is not the article's
_NOT_ARTICLE_ITEMS = ("ImageObject", "VideoObject", "AudioObject", "MediaObject", "Photograph", "Comment")
_ITEMPROP_AUTHOR = etree.XPath(
    "//*[@itemprop='author' or @itemprop='creator'][not(ancestor::*[@itemscope][1]["
    + " or ".join(f"contains(@itemtype, '{t}')" for t in _NOT_ARTICLE_ITEMS)
    + "])]"
)
_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
_REL_AUTHOR = etree.XPath("//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]")
# links to an author's page ("/author/", "/staff/", ...)
_AUTHOR_PATH_PART = re.compile(r"/(?:authors?|writers|people|staff|contributors?|profile|team|by)/")


def _author_links(tree: HtmlElement) -> list[HtmlElement]:
    """The page's links to author pages, in document order. A Python loop over the <a> elements:
    several times cheaper than the XPath with one contains() per path."""
    return [
        a for a in tree.getroottree().iter("a") if (href := a.get("href")) and _AUTHOR_PATH_PART.search(href)
    ]


# Containers whose dates, names and headings are not the article's: site headers print today's
# date, sidebars and related-post lists print other articles' dates and authors.
_PAGE_CHROME_TAGS = {"header", "nav", "footer", "aside"}
# class/id tokens, matched per token so that "entry-header" is not "header"
_PAGE_CHROME_TOKEN = re.compile(
    r"(?:^|[-_])(?:site-?header|header|top-?bar|topbar|navbar|nav|navigation|menu|masthead|footer"
    r"|today|current-?date|date-?today|clock|weather|breaking|ticker)(?:$|[-_])",
    re.IGNORECASE,
)
# blocks about other content (related posts, comments), where any byline or date is another article's
_OTHER_CONTENT_WORDS = r"related|recommended|comments?|popular|trending|more-?stories|read-?next|also-?read"
# ...those and sidebars are foreign even inside an <article>
_FOREIGN_TOKEN = re.compile(
    rf"(?:^|[-_])(?:sidebar|{_OTHER_CONTENT_WORDS}|widget-?area)(?:$|[-_])", re.IGNORECASE
)
# an author box in a sidebar is still this article's author: bylines exclude only other content
_OTHER_CONTENT_TOKEN = re.compile(rf"(?:^|[-_])(?:{_OTHER_CONTENT_WORDS})(?:$|[-_])", re.IGNORECASE)
_ARTICLE_TOKEN = re.compile(r"article|post|entry|story|content|title|hero|headline|single|blog", re.I)


# Tailwind v3 "mr-[--x]" and v4 "mr-(--x)"
_UTILITY_VALUE = re.compile(r"[\[(]")


# a taxonomy class WordPress's post_class() puts on the article ("tag-popular-posts", "category-news")
# names what the post is filed under, not what the block is; the post's own classes say it is one
_POST_CLASS_TOKEN = re.compile(r"^(?:hentry|type-[\w-]+|status-[\w-]+|post-\d+)$", re.I)
_TAXONOMY_TOKEN = re.compile(r"^(?:tag|category|categories|topic|topics|post-format|format|series)[-_]", re.I)


def _tokens(node: HtmlElement) -> list[str]:
    # a utility class with an arbitrary value ("lg:mr-[--sidebar-width]", Tailwind) names a CSS
    # length or variable, not what the block is
    # tokens as written: camelCase names are not split here ("ArticleHeaderComment" is an opinion
    # column's header on horizont.net, and "comment" would make its date another article's)
    tokens = [
        t
        for t in ((node.get("class") or "") + " " + (node.get("id") or "")).split()
        if not _UTILITY_VALUE.search(t)
    ]
    if any(_POST_CLASS_TOKEN.match(t) for t in tokens):
        tokens = [t for t in tokens if not _TAXONOMY_TOKEN.match(t)]
    return tokens


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
            if _foreign(_tokens(node)):
                return True
            node = node.getparent()
            continue
        if tag in ("article", "main") or node.get("itemprop") == "articleBody":
            in_article = True
        tokens = _tokens(node)
        if _foreign(tokens):
            return True
        if not in_article and not chrome and (tag in _PAGE_CHROME_TAGS or _is_chrome(tokens)):
            chrome = not _holds_headline(node) and not (
                _header_token_only(tag, tokens) and _beside_headline(node)
            )
        if tag == "aside" and not in_main:
            return True
        node = node.getparent()
    return chrome and not in_article


# a block naming itself the page's main content: "sidebar" beside such a name is the layout's
# ("site-content content-area sidebar": the content column of a page with a sidebar)
# (compound names only: Twenty Ten's sidebar is <div id="primary" class="widget-area">)
_MAIN_CONTENT_TOKEN = re.compile(r"^(?:site-content|content-area|main-content|site-main)$", re.IGNORECASE)


# a state, not a role: "has-comments" on the <article>, "no-sidebar" on a wrapper
_STATE_TOKEN = re.compile(r"^(?:has|no|is|with|without|show|hide)[-_]", re.IGNORECASE)


def _foreign(tokens: list[str]) -> bool:
    """A sidebar, widget area or block of other content, unless it names itself the main content."""
    # the foreign test first: it fails on nearly every block, and the others then need not run
    if not any(
        _FOREIGN_TOKEN.search(t)
        and (_OTHER_CONTENT_TOKEN.search(t) or not _ARTICLE_TOKEN.search(t))
        and not _STATE_TOKEN.match(t)
        for t in tokens
    ):
        return False
    return not any(_MAIN_CONTENT_TOKEN.match(t) for t in tokens)


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


_HEADER_TOKEN = re.compile(r"(?:^|[-_])header(?:$|[-_])", re.IGNORECASE)
_SITE_HEADER_TOKEN = re.compile(r"site-?header|masthead|page-header|global-header", re.IGNORECASE)
#: A block holding the headline and at most this many words is the article's header (a hero), not
#: a wrapper of the page.
ARTICLE_HEADER_MAX_WORDS = 150


def _header_token_only(tag: str, tokens: list[str]) -> bool:
    """Chrome only by a "header" word in its class ("category-header"): not a <header> element, nor
    a site header, nor a clock, menu or "today" block."""
    if tag in _PAGE_CHROME_TAGS or any(_SITE_HEADER_TOKEN.search(t) for t in tokens):
        return False
    chrome = [t for t in tokens if _PAGE_CHROME_TOKEN.search(t) and not _ARTICLE_TOKEN.search(t)]
    return bool(chrome) and all(_HEADER_TOKEN.search(t) for t in chrome)


def _beside_headline(node: HtmlElement) -> bool:
    """A header-classed block next to the article's headline, in a small block that holds both
    (a hero's "category-header" line with the date), is part of the article's header."""
    parent = node.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return False
    return _holds_headline(parent) and len(parent.text_content().split()) <= ARTICLE_HEADER_MAX_WORDS


def _compact(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


def _spaced_text(el: HtmlElement) -> str:
    """Text of el with its pieces space-separated ("Luke Kim" + "Dec 17" must not fuse)."""
    return _SPACES.sub(" ", " ".join(t for t in el.itertext() if t and t.strip())).strip()


_YEARISH = re.compile(r"(?:19|20)\d\d")
_SKIP_TEXT_TAGS = {"script", "style", "noscript", "template", "option", "select", "textarea", "title", "head"}
