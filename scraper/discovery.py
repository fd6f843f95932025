"""Discovery: what a fetched page, sitemap or feed points to, and whether a page is an article.

XML (sitemaps, feeds) is parsed with lxml configured to be safe on hostile input: no entity expansion,
no DTD loading, no network, no huge trees; gzip is decompressed with a bound. HTML links come from a
forgiving lxml parse of the decoded page.
"""

from __future__ import annotations

import email.utils
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from cleaners.metadata import jsonld_types

from .errors import XmlError
from .urls import normalize_url

#: Decompressed size limit of one sitemap or feed (sitemaps.org allows 50 MB uncompressed).
MAX_XML_BYTES = 60 * 1024 * 1024
#: Paths tried for a feed when a site's seed page advertises none.
COMMON_FEED_PATHS = ("/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml")
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-gzip",
        "application/gzip",
        "application/octet-stream",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_SAFE_XML = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    recover=True,
    remove_comments=True,
    remove_pis=True,
)


@dataclass
class Entry:
    url: str
    lastmod: str | None = None  # ISO 8601
    is_sitemap: bool = False  # a child sitemap of an index


@dataclass
class XmlDocument:
    kind: str  # sitemapindex | urlset | rss | atom
    entries: list[Entry]


def gunzip_bounded(data: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Decompress gzip data, never producing more than ``limit`` bytes (raises XmlError beyond)."""
    # A gzip file may hold several members one after another (`cat a.gz b.gz`); gzip tools read them
    # all as one stream, so each member is decompressed in turn, within the same overall limit.
    parts: list[bytes] = []
    size = 0
    while data:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = decompressor.decompress(data, limit - size + 1)
        except zlib.error as exc:
            raise XmlError(f"bad gzip data: {exc}") from None
        size += len(out)
        if size > limit or decompressor.unconsumed_tail:
            raise XmlError(f"decompresses to more than {limit} bytes")
        parts.append(out)
        if not decompressor.eof:
            break  # a truncated last member: keep what it gave
        data = decompressor.unused_data.lstrip(b"\0")  # some writers pad between members
        if data[:2] != b"\x1f\x8b":
            break  # trailing bytes that are no gzip member: gzip(1) warns and ignores them
    return b"".join(parts)


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _text(element: etree._Element | None) -> str:
    """The element's text; "" if it holds an entity reference (never expanded here), so a URL cut at
    the reference is not taken for another page."""
    if element is None or any(isinstance(child, etree._Entity) for child in element):
        return ""
    return (element.text or "").strip()


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def parse_date(value: str | None) -> str | None:
    """ISO 8601 from a W3C datetime (sitemaps, Atom) or an RFC 822 date (RSS). None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value  # a day, not midnight of it
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            match = re.match(r"(\d{4}-\d{2}-\d{2})", value)
            return match.group(1) if match else None
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.isoformat()


def parse_xml(data: bytes, base_url: str) -> XmlDocument:
    """A sitemap (index or urlset, news sitemap included) or an RSS/RDF/Atom feed, gzipped or not."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data)
    data = data.lstrip()
    if not data:
        raise XmlError("empty document")
    try:
        root = etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"not XML: {exc}") from None
    if root is None:
        raise XmlError("not XML")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        # Never needed by a sitemap or feed; what they are for here is entity bombs and file or network
        # reads. They were not expanded, but a tree cut where libxml2 gave up would give wrong URLs.
        raise XmlError("declares XML entities: refused")
    kind = _local(root.tag)
    entries: list[Entry] = []
    if kind in ("sitemapindex", "urlset"):
        for item in root:
            if _local(item.tag) not in ("sitemap", "url"):
                continue
            url = normalize_url(_text(_child(item, "loc")), base_url)
            if not url:
                continue
            lastmod = _text(_child(item, "lastmod"))
            news = _child(item, "news")
            if news is not None:  # Google news sitemap: the publication date is what --since means
                lastmod = _text(_child(news, "publication_date")) or lastmod
            entries.append(Entry(url, parse_date(lastmod), is_sitemap=kind == "sitemapindex"))
        return XmlDocument(kind, entries)
    if kind in ("rss", "rdf"):
        channel = _child(root, "channel")
        items = (
            [e for e in root.iter() if _local(e.tag) == "item"]
            if channel is not None or kind == "rdf"
            else []
        )
        for item in items:
            link = _text(_child(item, "link"))
            if not link:
                guid = _child(item, "guid")
                if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                    link = _text(guid)
            if not link:
                link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
            url = normalize_url(link, base_url)
            if url:
                date = _text(_child(item, "pubdate")) or _text(_child(item, "date"))
                entries.append(Entry(url, parse_date(date)))
        return XmlDocument("rss", entries)
    if kind == "feed":
        for item in root:
            if _local(item.tag) != "entry":
                continue
            href = ""
            for link in item:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate":
                    href = link.get("href", "")
                    break
            url = normalize_url(href, base_url)
            if url:
                date = _text(_child(item, "published")) or _text(_child(item, "updated"))
                entries.append(Entry(url, parse_date(date)))
        return XmlDocument("atom", entries)
    raise XmlError(f"not a sitemap or feed (root element <{kind}>)")


# -- HTML ------------------------------------------------------------------------------------------

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "techarticle",
        "satiricalarticle",
    }
)
LISTING_TYPES = frozenset(
    {"collectionpage", "itemlist", "website", "searchresultspage", "profilepage", "aboutpage", "contactpage"}
)
_LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "section",
        "sections",
        "topic",
        "topics",
        "author",
        "authors",
        "page",
        "archive",
        "archives",
        "search",
        "label",
        "labels",
        "index",
        "latest",
        "feed",
        "rss",
    }
)
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/|$)|/(19|20)\d{2}-\d{2}-\d{2}|\d{8}")
_PAGINATION_QUERY = re.compile(r"(^|&)(page|p|pg|offset|start)=\d+", re.IGNORECASE)


@dataclass
class PageLinks:
    links: list[str] = field(default_factory=list)  # normalised, in page order, de-duplicated
    feeds: list[str] = field(default_factory=list)
    canonical: str | None = None
    og_type: str | None = None
    ld_types: set[str] = field(default_factory=set)
    link_density: float = 0.0  # share of the body's text inside links


def extract_links(html: str | lxml.html.HtmlElement, url: str) -> PageLinks:
    """Links, feed links, canonical link and article markup of an HTML page (``url`` is its address).

    ``html`` may be the page already parsed (it is only read), so a crawler parses each page once.
    """
    result = PageLinks()
    if isinstance(html, str):
        try:
            root = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            return result
    else:
        root = html
    base = url
    for element in root.iterfind(".//base[@href]"):
        base = normalize_url(element.get("href", ""), url) or url
        break
    seen: set[str] = set()
    for element in root.iter("a", "area"):
        href = element.get("href")
        if not href:
            continue
        link = normalize_url(href, base)
        if link and link not in seen:
            seen.add(link)
            result.links.append(link)
    for element in root.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        href = element.get("href")
        if not href:
            continue
        if "canonical" in rel and result.canonical is None:
            result.canonical = normalize_url(href, base)
        elif "alternate" in rel and (element.get("type") or "").lower().strip() in FEED_TYPES:
            feed = normalize_url(href, base)
            if feed and feed not in result.feeds:
                result.feeds.append(feed)
        elif "next" in rel:
            link = normalize_url(href, base)
            if link and link not in seen:
                seen.add(link)
                result.links.append(link)
    for element in root.iter("meta"):
        if (element.get("property") or element.get("name") or "").lower() == "og:type":
            result.og_type = (element.get("content") or "").strip().lower() or None
            break
    result.ld_types = jsonld_types(root)
    body = root.find("body")
    if body is not None:
        total = len(" ".join(body.itertext()).split())
        linked = sum(len(" ".join(a.itertext()).split()) for a in body.iter("a"))
        result.link_density = linked / total if total else 0.0
    return result


def url_shape(url: str) -> str:
    """``"article"``, ``"listing"`` or ``"unknown"`` judged from the URL alone."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments:
        return "listing"
    if _PAGINATION_QUERY.search(parts.query) or any(s in _LISTING_SEGMENTS for s in segments):
        return "listing"
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1])
    if _DATE_PATH.search(parts.path) or last.count("-") >= 3 or re.search(r"\d{5,}", last):
        return "article"
    if len(segments) == 1 and last.count("-") == 0:
        return "listing"  # /world, /sport
    return "unknown"


def judge_article(page: PageLinks, url: str, words: int) -> tuple[bool, str]:
    """Whether a page is an article worth archiving, and the main reason."""
    if page.ld_types & ARTICLE_TYPES or page.og_type == "article":
        if words >= 40:
            return True, "article markup"
        return False, "article markup but almost no text"
    if page.ld_types & LISTING_TYPES or page.og_type in ("website", "profile"):
        return False, "listing markup"
    shape = url_shape(url)
    if page.link_density > 0.5:
        return False, "mostly links"
    if shape == "listing":
        return (words >= 600, "long text at a listing URL" if words >= 600 else "listing URL")
    if words >= 250 or (shape == "article" and words >= 120):
        return True, "text length" if words >= 250 else "article URL and text"
    return False, "too little text"
