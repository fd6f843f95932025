"""The article's authors: JSON-LD, author meta tags and microdata first; the visible byline
(author-marked elements, links to author pages, "By ..." lines, a name beside the headline's date,
an author box) only when no structured source names a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from ..dates import find_date_in_line
from .names import _COLLECTIVE, _looks_like_person, clean_author
from .site import _is_site_part, _org_words
from .sources import (
    _AUTHOR_META,
    _CREDENTIAL,
    _ITEMPROP_AUTHOR,
    _ITEMPROP_NAME,
    _SKIP_TEXT_TAGS,
    _SPACES,
    _URL_LIKE,
    _YEARISH,
    _author_links,
    _compact,
    _first_meta,
    _in_other_content,
    _JsonLd,
    _jsonld_names,
    _outside_article,
    _spaced_text,
    _text,
    _tokens,
)

# "jane_doe", "jdoe", "KatieS" (a login with a capital inside): accounts, not names
_USERNAME = re.compile(r"^[\w-]+[._][\w.-]+$|^[a-z0-9_-]+$|^[A-Z]?[a-z]+[A-Z][A-Za-z]*$")


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
    links = [el for el in _author_links(tree) if not _outside_article(el)]
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
    # iter(etree.Element) skips comments and processing instructions in C; the three attribute
    # values are tested one by one, not joined (no marker word can span two of them)
    for el in tree.iter(etree.Element):
        tag = el.tag
        if tag in _NOT_BYLINE_TAGS:
            continue
        for value in (el.get("class"), el.get("id"), el.get("rel")):
            if value:
                value = value.lower()
                if "author" in value or "byline" in value or "writer" in value:
                    marks_found.classed.append(el)
                    break
        text = el.text
        if text and tag != "a" and len(text) < 200:
            if _BY_START.match(text):
                marks_found.by_lines.append(el)
            if len(text) < 30 and len(el) == 0 and _BYLINE_LABEL.fullmatch(text.strip()):
                marks_found.labels.append(el)
    return marks_found


_DATA_LABEL_TAGS = {"th", "td", "dt", "dd", "label", "option"}


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
    just after it in the same small box, a sentence that starts with the same name and "is a".
    Only when the page has one such box: several are the people an article profiles."""
    found: list[str] = []
    for el in tree.iter(*_BIO_TAGS):
        text = el.text
        if not text or len(text) < 20:
            continue
        m = _BIO_SENTENCE.match(text)
        if not m or not _looks_like_person(m.group(1)) or _in_other_content(el):
            continue
        if any(w.lower().strip(".,") in _org_words() for w in m.group(1).split()):
            continue
        if _named_before(el, m.group(1)):
            found.append(m.group(1))
    names = _dedupe(found)
    return names if len(names) == 1 else []


def _named_before(sentence: HtmlElement, name: str) -> bool:
    """Whether a box of up to three levels around ``sentence``, holding a photo, shows ``name`` on
    its own before it (the heading or caption of an author box)."""
    box = sentence
    for _ in range(3):
        box = box.getparent()
        if box is None:
            return False
        if box.find(".//img") is None:
            continue  # an author box has the author's photo; a product or glossary box need not
        for node in box.iter():
            if node is sentence:
                break
            if isinstance(node.tag, str) and any(
                _SPACES.sub(" ", t).strip() == name for t in (node.text, node.tail) if t
            ):
                return True
    return False


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
        if _in_other_content(el) or el.tag in _DATA_LABEL_TAGS:
            continue  # "<th>Author</th><td>Jane Austen</td>": a field of the thing reviewed
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


# the headline's levels (a blog may set the site's name in h1 and the post's title in h3); a name
# beside the date may be set as a small heading (<h4>Jane Doe</h4>) unless it is classed a title
_HEADLINE_TAGS = {"h1", "h2", "h3"}
_SMALL_HEADINGS = {"h4", "h5", "h6"}
_TITLE_CLASS = re.compile(r"title|headline", re.IGNORECASE)


def _is_headline(el: HtmlElement) -> bool:
    return el.tag in _HEADLINE_TAGS or (
        el.tag in _SMALL_HEADINGS and bool(_TITLE_CLASS.search(el.get("class") or ""))
    )


def _in_headline(node: HtmlElement, container: HtmlElement) -> bool:
    """Whether a headline between ``node`` and ``container`` (excluded) holds ``node``."""
    if node is container:
        return False
    for ancestor in node.iterancestors():
        if ancestor is container:
            return False
        if _is_headline(ancestor):
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
            # the headline beside the date is never the author's name
            if _in_headline(node, container):
                continue
            skip_text = _is_taxonomy(node) or _is_headline(node)
            texts = [node.tail] if skip_text else [node.text, node.tail]
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


_BODY = etree.XPath("//body")


def _base(name: str) -> str:
    """A name without its credential, compacted: "Jane Doe, MD" and "jane doe" are one person."""
    return _compact(name.split(",")[0])


def _enriched(names: list[str], visible: list[str], known: set[str], is_site: Any) -> list[str]:
    """The byline names the structured author too: it may add the credential it prints ("Shelby
    Loos, DVM") and co-authors that structured data left out, when they are plainly people."""
    credentials = {
        _base(v): v
        for v in visible
        if "," in v
        and v.split(",")[0].strip() in names
        and all(_CREDENTIAL.match(p.strip().rstrip("®™ ")) for p in v.split(",")[1:])
    }
    out = [credentials.get(_base(n), n) if "," not in n else n for n in names]
    extra = [v for v in visible if _base(v) not in known]
    if not extra or not known <= {_base(v) for v in visible}:
        return out
    for name in extra:
        base = name.split(",")[0]
        if len(base.split()) < 2 or not _looks_like_person(base) or _COLLECTIVE.match(base) or is_site(name):
            return out
        if any(w.lower().strip(".,") in _org_words() for w in base.split()):
            return out
        if any(k in _base(name) for k in known):
            return out  # "FAND Dylan Bailey": a piece of the same byline, not another person
    return [*out, *extra]


def _byline_over_account(tree: HtmlElement, names: list[str], is_site: Any) -> list[str]:
    """A CMS account that posted a guest's piece: the structured author is a name shown nowhere on
    the page while the article's byline shows someone else. Readers see the byline; it wins."""
    visible = _visible_bylines(tree, is_site)
    if not visible:
        return names
    shown_names = {_base(n) for n in visible}
    known = {_base(n) for n in names}
    if shown_names & known:
        return _enriched(names, visible, known, is_site)
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


# Scholarly meta tags write one author per tag, surname first ("Tishby, Naftali"); Dublin Core's
# creator does not keep to it ("Jane Doe, Reuters"), so only citation_author is turned round
_LAST_FIRST_META = ("citation_author",)
_LAST_FIRST = re.compile(r"^\s*([^\W\d][\w'’ .-]*?),\s*([^\W\d][\w'’ .-]*?)\s*$")


def _first_last(value: str) -> str:
    """ "Tishby, Naftali" -> "Naftali Tishby"; anything else unchanged ("Jane Doe, MD" has a
    credential, not a given name, after its comma)."""
    m = _LAST_FIRST.match(value)
    if not m or _CREDENTIAL.match(m[2].strip()) or len(m[1].split()) > 2 or len(m[2].split()) > 3:
        return value
    if clean_author(m[2]) != [m[2].strip()] or not _looks_like_person(m[2]):
        return value  # "Doe, Staff Writer", "Doe, Reuters": a role or credit after the name
    return f"{m[2]} {m[1]}"


def _without_outlet(names: list[str], is_site: Callable[[str], bool]) -> list[str]:
    """The outlet is no author when a person is named: "Eric Bradner, CNN" has a credit line after
    the comma, though its capitals read like a credential ("Jane Doe, MD") that stays with the
    name; "Chris Cillizza" and "CNN" side by side are a person and the outlet, not co-authors."""
    out = []
    for name in names:
        parts = [p.strip() for p in name.split(",")]
        kept = [parts[0], *(p for p in parts[1:] if not is_site(p))]
        out.append(", ".join(kept))
    out = _dedupe(out)
    persons = [name for name in out if not is_site(name)]
    return persons if persons else out


def _choose_authors(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, sites: list[str], host: str | None
) -> list[str]:
    def is_site(name: str) -> bool:
        return _is_site_part(name, sites, host)

    return _without_outlet(_pick_authors(tree, meta, ld, is_site), is_site)


def _pick_authors(
    tree: HtmlElement, meta: dict[str, list[str]], ld: _JsonLd, is_site: Callable[[str], bool]
) -> list[str]:
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
        values = meta.get(key, [])
        if key in _LAST_FIRST_META:
            values = [_first_last(v) for v in values]
        names = [n for value in values if not _URL_LIKE.match(value) for n in clean_author(value)]
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
    structured = len(candidates)  # microdata comes next: it also marks the authors of comments
    if micro:
        candidates.append((_dedupe(micro), not any(is_site(n) for n in micro)))
    persons_lists = [_dedupe(names) for names, persons in candidates if persons]
    if persons_lists:
        first = persons_lists[0]
        # another JSON-LD or meta source may list the co-authors the first one leaves out
        fuller = [
            n
            for n in (_dedupe(names) for names, persons in candidates[:structured] if persons)
            if {_base(a) for a in first} < {_base(a) for a in n}
        ]
        names = max(fuller, key=len) if fuller else first
        return _byline_over_account(tree, _with_coauthors(tree, names), is_site)
    # 4. visible bylines, when no structured source names a person
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
