"""DOM cleaning: remove boilerplate nodes by the rules, teaser-card grids and non-text elements
before extraction sees them (structure repair is ``repair``)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .classnames import class_tokens
from .prose import page_chars
from .rules import Family, TeaserGrid, load_rules
from .urls import page_host


@dataclass(frozen=True)
class _Compiled:
    any_class_id: re.Pattern[str] | None  # union of all families: a quick first test
    # (pattern, max prose chars, max share of the page's text) per family
    class_id: tuple[tuple[re.Pattern[str], float, float], ...]
    # (xpath or attribute test, max prose chars, max share of the page's text) per family
    xpaths: tuple[tuple[etree.XPath, float, float], ...]
    attributes: tuple[tuple[str, frozenset[str], float, float], ...]


@cache
def _compiled(include_comments: bool) -> _Compiled:
    families = load_rules().active(include_comments)
    patterns = [f.class_id.pattern for f in families if f.class_id is not None]
    any_class_id = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
    default_share = load_rules().guards.max_text_share

    def share(family: Family) -> float:
        return default_share if family.max_text_share is None else family.max_text_share

    class_id = tuple((f.class_id, f.max_prose_chars, share(f)) for f in families if f.class_id is not None)
    xpaths = tuple((etree.XPath(x), f.max_prose_chars, share(f)) for f in families for x in f.xpaths)
    attributes = tuple(
        (name, values, f.max_prose_chars, share(f)) for f in families for name, values in f.attributes
    )
    return _Compiled(any_class_id, class_id, xpaths, attributes)


#: Limits = (max prose chars, max share of the page's text) a matched element may hold.
_Limits = tuple[float, float]

#: What one class or id token says: it names the article itself, or it matches no rule (None),
#: or it matches rules with these limits.
_CONTENT: _Limits = (-1.0, -1.0)


def _lenient(a: _Limits | None, b: _Limits | None) -> _Limits | None:
    """When several rules match one element, the most lenient limits win."""
    if a is None or b is None:
        return a if b is None else b
    return (max(a[0], b[0]), max(a[1], b[1]))


@lru_cache(maxsize=1 << 16)
def _token_verdict(token: str, include_comments: bool) -> _Limits | None:
    """One lower-cased token against the guards and rules. Cached: themes repeat their classes."""
    guards = load_rules().guards
    compiled = _compiled(include_comments)
    if guards.ignore_tokens is not None and guards.ignore_tokens.fullmatch(token):
        return None
    if guards.content_tokens is not None and guards.content_tokens.fullmatch(token):
        return _CONTENT
    if compiled.any_class_id is None or not compiled.any_class_id.fullmatch(token):
        return None
    verdict = None
    for pattern, prose, share in compiled.class_id:
        if pattern.fullmatch(token):
            verdict = _lenient(verdict, (prose, share))
    return verdict


@lru_cache(maxsize=1 << 16)
def _value_verdict(value: str, include_comments: bool) -> _Limits | None:
    """One class or id attribute value: _CONTENT, None (no rule), or its tokens' most lenient limits.

    Cached per value as well as per token: most elements repeat a class string seen before.
    """
    limits = None
    for token in class_tokens(value):
        verdict = _token_verdict(token, include_comments)
        if verdict == _CONTENT:
            return _CONTENT
        limits = _lenient(limits, verdict)
    return limits


def _class_limits(class_value: str | None, id_value: str | None, include_comments: bool) -> _Limits | None:
    """How much prose, and what share of the page, an element with these class and id values may
    hold and still be a box. None when no rule matches, or when a token says the element is the
    article itself.
    """
    by_class = _value_verdict(class_value, include_comments) if class_value else None
    by_id = _value_verdict(id_value, include_comments) if id_value else None
    if by_id is None:  # the common case first: this runs for every element with attributes
        return None if by_class is _CONTENT else by_class
    if by_class is _CONTENT or by_id is _CONTENT:
        return None
    return _lenient(by_class, by_id)


def _prose_chars(element: HtmlElement) -> int:
    """Text outside links: what a real box (share bar, related list, ad slot) has little of."""
    link_chars = sum(len(a.text_content()) for a in element.iter("a"))
    return len(element.text_content()) - link_chars


def find_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> list[HtmlElement]:
    """The outermost elements the rules call boilerplate (guards applied), class matches first."""
    guards = load_rules().guards
    compiled = _compiled(include_comments)
    # (element, max prose chars, max share of the page's text)
    candidates: list[tuple[HtmlElement, float, float]] = []
    # a Python walk skipping elements without attributes is cheaper than an XPath selecting those
    # with a class, id or rule attribute (one ``@name`` test per attribute per element)
    for element in tree.getroottree().iter(etree.Element):
        if not element.attrib or element.tag in guards.protected_tags:
            continue
        get = element.get
        limits = _class_limits(get("class"), get("id"), include_comments)
        # every rule that matches counts, and the most lenient limits win
        for name, values, rule_limit, rule_share in compiled.attributes:
            value = get(name)
            if value is not None and value.strip().lower() in values:
                limits = _lenient(limits, (rule_limit, rule_share))
        if limits is not None:
            candidates.append((element, *limits))
    for xpath, limit, share in compiled.xpaths:
        candidates.extend((e, limit, share) for e in xpath(tree) if etree.iselement(e))
    if not candidates:
        return []

    chars = page_chars(tree)
    passing: dict[HtmlElement, float] = {}  # insertion-ordered: element -> its share of the page
    for element, limit, share in candidates:
        if element.tag in guards.protected_tags or element in passing:
            continue
        # A wrapper that holds much of the page, or much prose, is not a box: theme classes lie.
        if len(element.text_content()) > share * chars:
            continue
        if limit != float("inf") and _prose_chars(element) > limit:
            continue
        passing[element] = share
    outermost = [e for e in passing if not any(a in passing for a in e.iterancestors())]
    return _without_content_sections(outermost, passing, chars, include_comments)


#: A section of the article has at least this much prose (a teaser card's excerpt has less).
SECTION_MIN_PROSE_CHARS = 300


def _without_content_sections(
    elements: list[HtmlElement], shares: dict[HtmlElement, float], total_chars: int, include_comments: bool
) -> list[HtmlElement]:
    """Siblings that share a class token no rule knows, at least two of them headed sections of prose,
    and together hold more of the page than their rules allow one box, are the article's sections:
    every <section class="Report__Section Report__Section--Ads"> of a review is a section first
    ("Report__Section"), and "--Ads" a variant; an intro section without a heading comes along.
    Reader comments (no headings), teaser cards (a linked title) and siblings named only by a rule's
    word ("related-post") stay boxes.
    """
    guards = load_rules().guards
    groups: defaultdict[tuple[HtmlElement | None, str], list[HtmlElement]] = defaultdict(list)
    for element in elements:
        for token in set((element.get("class") or "").lower().split()):
            ignored = guards.ignore_tokens is not None and guards.ignore_tokens.fullmatch(token)
            if not ignored and _token_verdict(token, include_comments) is None:
                groups[(element.getparent(), token)].append(element)
    sections: set[HtmlElement] = set()
    for group in groups.values():
        if sum(_is_headed_section(e) for e in group) < 2:
            continue
        if sum(len(e.text_content()) for e in group) > max(shares[e] for e in group) * total_chars:
            sections.update(group)
    return [e for e in elements if e not in sections] if sections else elements


def _is_headed_section(element: HtmlElement) -> bool:
    """A heading that is not a link (a teaser card's title is), and prose enough for a section."""
    headings = [h for tag in ("h2", "h3", "h4") for h in element.iter(tag)]
    if not headings or any(2 * _folded_length(a) >= _folded_length(h) for h in headings for a in h.iter("a")):
        return False
    return _prose_chars(element) >= SECTION_MIN_PROSE_CHARS


def remove_boilerplate(tree: HtmlElement, *, include_comments: bool = False) -> int:
    """Remove boilerplate elements in place (their tail text stays). Returns how many were removed."""
    removed = find_boilerplate(tree, include_comments=include_comments)
    for element in removed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(removed)


def _folded_length(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


class _Links:
    """Where a page's links go: another page of the same site, or elsewhere (or nowhere)."""

    def __init__(self, url: str | None) -> None:
        try:
            self.path = urlsplit(url).path if url else None
        except ValueError:
            url, self.path = None, None
        self.url = url
        self.host = page_host(url)

    def other_page(self, link: HtmlElement) -> str | None:
        """The link's target when it leads to another page (not an anchor on this one), else None."""
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return None
        if self.url is None:
            return href
        try:
            target = urlsplit(urljoin(self.url, href))
        except ValueError:
            return None
        if page_host(target.geturl()) == self.host and target.path == self.path:
            return None  # "page#section": a heading's own permalink
        return target.geturl()

    def same_site(self, target: str) -> bool:
        """Relative links are the site's own; absolute ones when their host is the page's."""
        if self.url is None:
            return not target.startswith("//") and ":" not in target.split("/", 1)[0]
        return bool(self.host) and page_host(target) == self.host


def _card_title(heading: HtmlElement, links: _Links) -> tuple[HtmlElement, str] | None:
    """A heading that is a link to another page: (the outermost element of the title, the target).

    The link is inside the heading and holds most of its text, or the heading sits inside the link
    (a card that is one link).
    """
    length = _folded_length(heading)
    if not length:
        return None
    for link in heading.iter("a"):
        # the length test first: resolving the link's target (urljoin, urlsplit) costs far more
        if 2 * _folded_length(link) >= length and (target := links.other_page(link)):
            return heading, target
    for link in heading.iterancestors("a"):
        target = links.other_page(link)
        return (link, target) if target else None
    return None


def find_teaser_grids(tree: HtmlElement, url: str | None = None) -> list[HtmlElement]:
    """Teaser cards ("related", "recent", "more from" grids, whatever their classes): the outermost
    elements to remove.

    A card is an element holding exactly one title that links to another page of the same site, and
    little text besides (an excerpt, a date, a "Read more"); a grid is a parent with at least
    ``min_items`` such cards among its children, holding together a small share of the page's text.
    Headings alone (a listicle's linked titles between paragraphs), cards with prose sections, cards
    linking to other sites (products, resources) and grids that are much of the page (a hub) stay.
    """
    rules: TeaserGrid | None = load_rules().teasers
    if rules is None:
        return []
    links = _Links(url)
    titles: Counter[HtmlElement] = Counter()  # element -> card titles inside it (up to max_depth)
    children: defaultdict[HtmlElement, list[HtmlElement]] = defaultdict(list)  # parent -> those below it
    targets: dict[HtmlElement, str] = {}  # element on a title's way up -> that title's target
    headings: dict[HtmlElement, HtmlElement] = {}  # a title's outermost element -> its heading
    for heading in tree.iter(*rules.headings):
        found = _card_title(heading, links)
        if found is None:
            continue
        node, target = found
        headings[node] = heading
        for _ in range(rules.max_depth):
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            titles[node] += 1
            if titles[node] == 1:
                children[parent].append(node)
                targets[node] = target
            node = parent
    if not children:
        return []

    page_length: int | None = None
    cards: dict[HtmlElement, None] = {}  # insertion-ordered: the result's order is the page's
    for parent, kids in children.items():
        if parent.tag in TABLE_PARTS:
            continue  # rows of a data table
        grid = []
        for kid in kids:
            if titles[kid] != 1 or kid.tag in rules.headings:
                continue
            heading = headings[next(e for e in kid.iter() if e in headings)]
            excerpt = _folded_length(kid) - _folded_length(heading)
            if excerpt <= rules.max_excerpt_chars and not (excerpt == 0 and kid in headings):
                grid.append(kid)  # (a bare <a><h3>...</h3></a> is a linked heading, not a card)
        if len(grid) < rules.min_items or not all(links.same_site(targets[card]) for card in grid):
            continue
        if page_length is None:
            body = tree.find("body")
            page_length = _folded_length(body if body is not None else tree)
        if sum(_folded_length(card) for card in grid) <= rules.max_page_share * page_length:
            cards.update(dict.fromkeys(grid))
    return [card for card in cards if not any(a in cards for a in card.iterancestors())]


def remove_teaser_grids(tree: HtmlElement, url: str | None = None) -> int:
    """Remove teaser cards in place (see ``find_teaser_grids``; tails stay). Returns how many."""
    cards = find_teaser_grids(tree, url)
    for card in cards:
        card.drop_tree()
    return len(cards)


# The elements of a table (a teaser grid is never a table's rows; a layout table's become divs).
TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


# Elements no extraction keeps (trafilatura drops them on every pass, after copying the tree each
# time): removing them once, after the metadata is read, makes every later stage work on less.
_NEVER_TEXT = ("style", "svg", "link", "iframe", "noscript", "object", "embed", "canvas")
_CODE_SCRIPTS = etree.XPath("//script[not(contains(@type, 'ld+json'))]")


def drop_non_text(tree: HtmlElement) -> None:
    """Remove scripts (JSON-LD stays: extraction may fall back on articleBody) and other non-text."""
    for script in _CODE_SCRIPTS(tree):
        script.drop_tree()
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
