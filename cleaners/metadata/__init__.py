"""Metadata from a parsed HTML page: title, authors, dates, site, canonical URL, language, tags.

Called on the page as parsed, before boilerplate removal (JSON-LD scripts and meta tags still
present); the tree is only read, never changed. Word lists live in ``rules/metadata.yaml``.

- Title: an h1 that agrees with og:title / JSON-LD headline / <title> (site-name affixes stripped
  using og:site_name, JSON-LD publisher and the host); else the page's h1 when it is about the same
  thing as the meta titles (meta titles are often rewritten for search engines); else the stripped
  meta title.
- Authors: JSON-LD article author (@id references resolved), author meta tags, microdata; then,
  when none of these names a person, visible bylines (author/byline-marked elements, links to
  author pages, "By ..." lines, "Contributors:"-style labels, a name beside the headline's date,
  an author box with a photo and a "<name> is a ..." sentence). Cleaned of "By", roles, job
  titles, agencies, dates, emails and handles; split on "and", "&", ";"; scholarly "Surname,
  Given" turned round; the site/outlet is dropped when a person is named; author links, a fuller
  meta source or the byline add co-authors that structured data left out. A structured author
  shown nowhere on the page (a CMS account) gives way to the person the byline names. A personal
  site's owner (site name or copyright holder spelling the host) is the author when nothing else
  names one.
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

The package's modules, each importing only from those listed before it: ``sources`` (rules file,
compiled XPaths, meta tags, JSON-LD, page-structure helpers), ``names`` (person names in a byline
string), ``site`` (site name, title affixes), ``title``, ``authors``, ``published`` (publication and
modification dates; date strings are parsed by ``cleaners.dates``), ``language_tags``; this module
holds ``Metadata`` and the entry point ``extract_metadata``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from ..urls import page_host
from .authors import _choose_authors
from .language_tags import _language, _tags
from .names import clean_author
from .published import _choose_modified, _choose_published
from .site import (
    _FEED_TITLES,
    _brand_names,
    _copyright_holders,
    _derive_site,
    _feed_site_name,
    _plausible_site_name,
    _site_owner,
    _title_parts,
    strip_site_name,
)
from .sources import (
    _CANONICAL,
    _H1,
    _SITE_META,
    _TITLE,
    _TITLE_META,
    _URL_LIKE,
    _clean,
    _collect_jsonld,
    _collect_meta,
    _compact,
    _first_meta,
    _jsonld_str,
    _outside_article,
    _resolve,
    _text,
    jsonld_types,
)
from .title import _choose_title, _drop_pipe_tagline, _follows_prose, _heading_text, _same, _strip_decoration


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


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")


def _is_slug(title: str) -> bool:
    """ "adac-kindersitztest-herbst-2018": a CMS that fills og:title with the page's file name."""
    return _SLUG.fullmatch(title.strip()) is not None


def extract_metadata(tree: HtmlElement, url: str | None) -> Metadata:
    """Read the page's metadata from a parsed tree (not modified); url is where it came from."""
    meta = _collect_meta(tree)
    ld = _collect_jsonld(tree)

    # canonical URL: <link rel=canonical>, og:url, JSON-LD url, else the given one
    canonical = None
    for value in [*_CANONICAL(tree), *meta.get("og:url", [])]:
        value = str(value).strip()
        if value and not value.startswith("#"):
            try:
                canonical = urljoin(url, value) if url else value
                if urlsplit(canonical).scheme in ("http", "https"):
                    break
            except ValueError:
                pass  # the page's own link is malformed ("http://[oops/"): not an address
            canonical = None
    canonical = canonical or url
    host = page_host(canonical) or page_host(url)

    publisher = ld.article.get("publisher") if ld.article else None
    publisher = _resolve(publisher, ld.by_id)
    publisher_name = _jsonld_str({"p": publisher}, "p") if publisher else None
    headlines = (_jsonld_str(ld.article, "headline"), _first_meta(meta, _TITLE_META))
    meta_titles = [t for t in headlines if t and not _is_slug(t)]
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
    if not authors:
        feeds = [n for t in _FEED_TITLES(tree) if (n := _feed_site_name(_clean(t)))]
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


__all__ = ["Metadata", "clean_author", "extract_metadata", "jsonld_types", "strip_site_name"]
