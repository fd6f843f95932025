"""DOM cleaning: remove boilerplate nodes by the rules before extraction sees them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .classnames import class_tokens
from .prose import holds_prose, page_chars
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
        if parent.tag in _TABLE_PARTS:
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


# Tables used for page layout (pre-CSS sites, e-mail-style templates) hold whole articles in a cell;
# extracted as data tables, every paragraph would run together. A data table holds no blocks, or
# short paragraphs in its cells (table editors wrap each cell's text, or each of its lines, in a
# <p>): that alone is no layout.
_LAYOUT_TABLES = etree.XPath(
    "//table[@role='presentation' or .//table or .//td//div[.//p] or .//td//ul or .//td//ol"
    " or .//td//h1 or .//td//h2 or .//td//h3]"
)
_TABLES_WITH_PARAGRAPHS = etree.XPath("//table[.//td//p]")
#: A table is laid out with paragraphs when one of its cells holds a paragraph this long (an
#: article in a cell, not a cell's caption or value) ...
LAYOUT_CELL_PARAGRAPH_CHARS = 400
#: ... or paragraphs, two or more, of this many characters together: prose, not a value written
#: on two lines ("<p>Small</p><p>(1-99 employees)</p>" in a comparison table's cell). A layout
#: table whose text cell holds only a short brief stays a table (its cells read as one row).
LAYOUT_CELL_MIN_PARAGRAPHS_TOTAL_CHARS = 150


def _layout_tables(tree: HtmlElement) -> list[HtmlElement]:
    tables = dict.fromkeys(_LAYOUT_TABLES(tree))
    for table in _TABLES_WITH_PARAGRAPHS(tree):
        if table in tables:
            continue
        for cell in table.iter("td"):
            lengths = [n for n in (len(p.text_content().strip()) for p in cell.iter("p")) if n]
            if (len(lengths) > 1 and sum(lengths) > LAYOUT_CELL_MIN_PARAGRAPHS_TOTAL_CHARS) or any(
                n > LAYOUT_CELL_PARAGRAPH_CHARS for n in lengths
            ):
                tables[table] = None
                break
    return list(tables)


# Numbered code. Highlighters print line numbers in a table column of their own (Hugo's Chroma
# "lntable", Pygments' "highlighttable"): the code is the <pre> in the other cell. Extractors read
# the table as data and drop it, code and all.
_CODE_TABLES = etree.XPath("//table[.//pre]")
_LINE_NUMBERS = re.compile(r"\s*\d[\d\s]*")


def _numbered_code(table: HtmlElement) -> HtmlElement | None:
    """The <pre> of a table that is one row: a <pre> of line numbers beside a cell that holds only a
    <pre> of code."""
    rows = list(table.iter("tr"))
    if len(rows) != 1:
        return None
    cells = [cell for cell in rows[0] if isinstance(cell.tag, str)]
    if len(cells) != 2 or any(cell.tag != "td" for cell in cells):
        return None
    numbers, code = cells[0].find(".//pre"), cells[1].find(".//pre")
    if numbers is None or code is None or not _LINE_NUMBERS.fullmatch(cells[0].text_content()):
        return None
    code_text = code.text_content().strip()
    return code if code_text and cells[1].text_content().strip() == code_text else None


def _unnumber_code(tree: HtmlElement) -> None:
    for table in _CODE_TABLES(tree):
        code = _numbered_code(table)
        if code is not None and table.getparent() is not None:
            code.tail = table.tail
            table.getparent().replace(table, code)


_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
# Presentational wrappers with no meaning of their own.
_PRESENTATIONAL = ("font", "center")
# A <p> holding blocks is a parse of unclosed <p> tags (common in old markup), not one paragraph.
_P_WITH_BLOCKS = etree.XPath("//p[p or div or ul or ol or table or h1 or h2 or h3 or h4 or blockquote]")


# Elements no extraction keeps (trafilatura drops them on every pass, after copying the tree each
# time): removing them once, after the metadata is read, makes every later stage work on less.
_NEVER_TEXT = ("style", "svg", "link", "iframe", "noscript", "object", "embed", "canvas")
_CODE_SCRIPTS = etree.XPath("//script[not(contains(@type, 'ld+json'))]")


def drop_non_text(tree: HtmlElement) -> None:
    """Remove scripts (JSON-LD stays: extraction may fall back on articleBody) and other non-text."""
    for script in _CODE_SCRIPTS(tree):
        script.drop_tree()
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)


# Streamed parts. React's streaming server rendering sends the slow parts of a page last, at the end
# of the body, each in a <div hidden id="S:n">, and a script moves each to its place: a
# <template id="B:n"> followed by a loading placeholder ("Loading paragraph...", a spinner) that the
# part replaces, or a bare <template id="P:n">. Without the script (a saved page) the parts stay at
# the end, outside the article's container, and the extractor leaves them out.
_LOADING = re.compile(
    r"^\W*(?:loading|chargement|cargando|carregando|caricamento|wird geladen|laden"
    r"|загрузка|読み込み中|加载中)\b",
    re.IGNORECASE,
)
#: A loading message has at most this many words.
LOADING_MAX_WORDS = 5


_MEDIA = etree.XPath("descendant-or-self::*[self::img or self::picture or self::video or self::iframe]")
# what a boundary's fallback never is: the article's own blocks
_NOT_FALLBACK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "table", "ul", "ol"})


def _is_loading(text: str) -> bool:
    """A loading message ("Loading paragraph...")."""
    return len(text.split()) <= LOADING_MAX_WORDS and _LOADING.match(text) is not None


def _is_fallback(element: HtmlElement) -> bool:
    """A loading placeholder: a loading message, or a spinner (a block without words or media)."""
    if element.tag in _HEADINGS or element.tag == "template":
        return False
    text = element.text_content()
    if text.split():
        return _is_loading(text)
    return element.tag not in _NOT_FALLBACK_TAGS and not _MEDIA(element)


def _fallback_after(template: HtmlElement) -> HtmlElement | None:
    """The element after a boundary's template, unless the boundary's end marker comes first (in a
    tree parsed with its comments, "<template id='B:0'></template><!--/$-->" has no fallback)."""
    node = template.getnext()
    while node is not None and not isinstance(node.tag, str):
        if (node.text or "").strip() == "/$":
            return None
        node = node.getnext()
    return node


def place_streamed_parts(tree: HtmlElement) -> int:
    """Move each streamed part to its place, as the page's script would (in place); a part whose
    place is missing is shown where it is. Returns how many parts were moved."""
    parts = {
        element.get("id", "")[2:]: element
        for element in tree.iter("div")
        if element.get("hidden") is not None and element.get("id", "").startswith("S:")
    }
    if not parts:
        return 0
    moved = 0
    for template in list(tree.iter("template")):
        template_id = template.get("id", "")
        part = parts.get(template_id[2:]) if template_id[:2] in ("B:", "P:") else None
        if part is None or template.getparent() is None or part in template.iterancestors():
            continue
        del parts[template_id[2:]]
        if template_id.startswith("B:"):  # the boundary's fallback goes
            if template.tail and template.tail.strip():
                if _is_loading(template.tail):
                    template.tail = None
            else:
                fallback = _fallback_after(template)
                if fallback is not None and _is_fallback(fallback):
                    fallback.drop_tree()
        part.drop_tree()  # its tail stays where it was ...
        part.tail = None  # ... and does not come along
        del part.attrib["hidden"]
        template.addprevious(part)
        template.drop_tree()
        moved += 1
    for part in parts.values():  # no place for it: shown where it is
        part.attrib.pop("hidden", None)
    return moved


# Collapsed panels. Accordions and tabs hide their sections (style="display:none", hidden, a "hidden"
# class) until a button whose aria-controls names the panel, or one marked aria-expanded="false" just
# above it, is clicked; extractors drop hidden elements, and with them the article's sections. A
# controlled panel that holds prose is shown again, with the wrappers between it and its button
# (Chakra hides a wrapper, not the panel). Menus, drawers and dialogs are controlled panels too,
# but they hold links, not prose.
_TOGGLES = etree.XPath("//*[@aria-controls or @aria-expanded='false']")
_WITH_ID = etree.XPath("//*[@id]")
#: A panel is shown when it has at least this many words outside links ...
PANEL_MIN_PROSE_WORDS = 20
#: ... and at most this share of its words in links.
PANEL_MAX_LINK_SHARE = 0.3
#: A button without aria-controls controls the hidden block after it, or after one of its first
#: few ancestors (<h3><button>Weight</button></h3><div hidden>…).
PANEL_MAX_TOGGLE_DEPTH = 3
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|hidden", re.IGNORECASE)
_HIDING_CLASS = re.compile(r"(?:^|[-_])(?:hidden|hide|collapsed)(?:$|[-_])", re.IGNORECASE)


def _is_hidden(element: HtmlElement) -> bool:
    attributes = element.attrib
    return (
        "hidden" in attributes
        or attributes.get("aria-hidden") == "true"
        or _HIDING_STYLE.search(attributes.get("style", "")) is not None
        or any(_HIDING_CLASS.search(token) for token in attributes.get("class", "").split())
    )


def _unhide(element: HtmlElement) -> None:
    attributes = element.attrib
    if _HIDING_STYLE.search(attributes.get("style", "")):
        del attributes["style"]
    for name in ("hidden", "aria-hidden"):
        attributes.pop(name, None)
    classes = attributes.get("class")
    if classes and any(_HIDING_CLASS.search(token) for token in classes.split()):
        attributes["class"] = " ".join(t for t in classes.split() if not _HIDING_CLASS.search(t))


def _panel_after(toggle: HtmlElement) -> HtmlElement | None:
    """The hidden block right after the toggle or one of its first ancestors."""
    node: HtmlElement | None = toggle
    for _ in range(PANEL_MAX_TOGGLE_DEPTH):
        if node is None:
            return None
        following = node.getnext()
        if following is not None:
            return following if isinstance(following.tag, str) and _is_hidden(following) else None
        node = node.getparent()
    return None


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _labels_a_section(toggle: HtmlElement) -> bool:
    """Whether a panel's button carries its section's heading or question ("<h3><button>Weight
    </button></h3>", "<button><h3>Is it better to use a CPA?</h3></button>"), not a control's
    label ("Expand", "Read more") or a word inside a paragraph."""
    parent = toggle.getparent()
    if toggle.tag != "button" or parent is None or parent.tag == "p":
        return False
    if any(a.tag in _HEADINGS for a in toggle.iterancestors()):
        return True
    if next(toggle.iterdescendants(*_HEADINGS), None) is not None:
        return True
    return toggle.text_content().strip().endswith("?")


def reveal_collapsed_panels(tree: HtmlElement) -> int:
    """Show the hidden panels of accordions and tabs that hold prose (in place). Returns how many."""
    toggles = _TOGGLES(tree)
    if not toggles:
        return 0
    # ids repeat where a component does (every FAQ block's first panel is "content-1"): each counts
    by_id: defaultdict[str, list[HtmlElement]] = defaultdict(list)
    for element in _WITH_ID(tree):
        by_id[element.get("id")].append(element)
    panels: dict[HtmlElement, HtmlElement] = {}  # panel -> its toggle
    naming: defaultdict[str, list[HtmlElement]] = defaultdict(list)  # id -> the toggles naming it
    for toggle in toggles:
        ids = toggle.get("aria-controls", "").split()
        for i in ids:
            naming[i].append(toggle)
        if not any(i in by_id for i in ids) and toggle.get("aria-expanded") == "false":
            after = _panel_after(toggle)
            if after is not None:
                panels.setdefault(after, toggle)
    for i, named_by in naming.items():
        # a repeated component's n toggles and n panels pair up in document order
        for index, panel in enumerate(by_id.get(i, ())):
            panels.setdefault(panel, named_by[min(index, len(named_by) - 1)])
    shown = 0
    labels: dict[HtmlElement, None] = {}
    for panel, toggle in panels.items():
        if not holds_prose(panel, PANEL_MIN_PROSE_WORDS, PANEL_MAX_LINK_SHARE):
            continue
        for element in panel.iter():
            _unhide(element)
        above_toggle = set(toggle.iterancestors())
        for wrapper in panel.iterancestors():
            if wrapper in above_toggle:
                break
            _unhide(wrapper)
        shown += 1
        if _labels_a_section(toggle):
            labels[toggle] = None
    for toggle in labels:  # after the loop: a button may control several panels
        if toggle.getparent() is not None:
            toggle.drop_tag()  # extractors drop buttons, and with them the question
    return shown


# Pull quotes. HTML marks a quotation with its attribution up as <figure><blockquote>...<figcaption>;
# extractors drop <figure> whole (it usually holds an image), and the quote with it.
_QUOTE_FIGURES = etree.XPath("//figure[.//blockquote]")


# phrasing content: a div holding only these (and text) is a paragraph
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd"}
    | {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
)
_SENTENCE_IN = re.compile(r"\w[.!?][\"'”’)]?(?:\s|$)")
# what a short line of text under a picture or at the foot of a page is, not a paragraph
_NOT_PROSE_DIV = re.compile(
    r"(?:^|[-_\s])(?:caption|credits?|byline|footer|copyright|meta|date|label|button|nav|menu)(?:$|[-_\s])",
    re.IGNORECASE,
)
PROSE_DIV_MIN_WORDS = 10
PROSE_DIV_MIN_PAGE_P_CHARS = 2000


def _is_prose(text: str) -> bool:
    """Words enough for a paragraph, and a sentence among them."""
    return len(text.split()) >= PROSE_DIV_MIN_WORDS and _SENTENCE_IN.search(text) is not None


def _reads_paragraphs(tree: HtmlElement) -> bool:
    """Whether the page has enough <p> text for the extractor to read paragraphs only. On a page with
    little (CNN's div.zn-body__paragraph, Times of India's loose text) it reads divs and loose text
    itself, and turning some of them into <p> would end that and lose the others."""
    return sum(len(p.text_content()) for p in tree.iter("p")) >= PROSE_DIV_MIN_PAGE_P_CHARS


#: How deep below a block among the paragraphs a prose div may sit (an FAQ accordion's answer:
#: block > item > answer; a review card: block > card > body > verdict) and still be read as one of the
#: article's paragraphs.
NESTED_PROSE_DIV_MAX_DEPTH = 4
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:d-none|hidden)(?:$|\s)")


def _is_prose_div(div: HtmlElement, *, picture_ok: bool = True) -> bool:
    """Only text and inline markup, sentences, few links, and not named as a caption, credit or
    footer line."""
    if _NOT_PROSE_DIV.search((div.get("class") or "") + " " + (div.get("id") or "")):
        return False
    for element in div.iterdescendants():
        if isinstance(element.tag, str) and (
            element.tag not in _INLINE_TAGS or (element.tag == "img" and not picture_ok)
        ):
            return False
    text = " ".join(div.text_content().split())
    if not _is_prose(text):
        return False
    link_chars = sum(len(a.text_content()) for a in div.iter("a"))
    return link_chars * 2 <= len(text)


def _divs_below(block: HtmlElement, depth: int) -> Iterator[HtmlElement]:
    """The <div>s at most ``depth`` levels below block, in document order."""
    for child in block.iterchildren(etree.Element):
        if child.tag == "div":
            yield child
        if depth > 1:
            yield from _divs_below(child, depth - 1)


# hidden for sure (not "overflow: hidden", which accordion items carry while shown)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _in_a_card_or_widget(div: HtmlElement, block: HtmlElement) -> bool:
    """Whether a div nested in ``block`` is a teaser card's excerpt (a linked title comes before it,
    at its level or an outer one), hidden, or part of a custom element's widget (<media-video>)."""
    node: HtmlElement | None = div
    while node is not None:
        if _HIDDEN_CLASS.search(node.get("class") or "") or _HIDDEN_STYLE.search(node.get("style") or ""):
            return True
        if "-" in node.tag:
            return True
        if node is block:
            return False
        # the title right before it (only the nearest: a long list of siblings is not rescanned)
        sibling = node.getprevious()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious()
        if sibling is not None:
            text = sibling.text_content().strip()
            if text and sum(len(a.text_content().strip()) for a in sibling.iter("a")) * 2 >= len(text):
                return True
        node = node.getparent()
    return False


def _prose_divs(tree: HtmlElement) -> list[HtmlElement]:
    """<div>s that are paragraphs (see _is_prose_div) among the article's paragraphs: set among <p>
    siblings ("<div><strong>Update:</strong> Version 3.14, released ...</div>" between two
    paragraphs), or nested a few levels down in a block among them (an FAQ accordion's answers, a
    tip box, a reviewer's verdict). The extractor keeps a div's text only on pages with little <p>
    text, so these would be lost in a long article. Captions, credits and footer lines stay divs,
    and so do nested divs under a picture, in a teaser card, hidden, or in a widget."""
    paragraphs = list(tree.iter("p"))
    found: dict[HtmlElement, None] = {}
    for parent in dict.fromkeys(p.getparent() for p in paragraphs if p.getparent() is not None):
        previous = None
        for div in parent:
            before, previous = previous, div
            if div.tag != "div":
                continue
            if before is not None and before.tag in ("img", "figure", "picture"):
                continue  # the line under a picture is its caption
            if _is_prose_div(div):
                found[div] = None
        for block in parent.iterchildren("div"):
            if block in found:
                continue
            for div in _divs_below(block, NESTED_PROSE_DIV_MAX_DEPTH):
                if _is_prose_div(div, picture_ok=False) and not _in_a_card_or_widget(div, block):
                    found[div] = None
    return list(found)


# block-level elements whose tail a browser shows as a paragraph of its own
_BLOCK_WITH_TAIL = ("div", "figure", "table", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")


def _breaks_line(element: HtmlElement) -> bool:
    """A <br>, a block, or an empty inline element other than a picture (<span class="br">: a line
    break drawn by CSS)."""
    if not isinstance(element.tag, str):
        return False
    if element.tag == "br" or element.tag not in _INLINE_TAGS:
        return True
    return element.tag != "img" and not element.text_content().strip()


def _wrap_prose_after_blocks(tree: HtmlElement) -> None:
    """Text that follows a block, outside any element, up to the next <br> or block ("<div>caption
    </div>Hyatt Hotels announced the opening of <b>Nam Nghi</b> recently…<br>"), becomes a <p>.
    Browsers show it as a paragraph; the extractor reads it as the block's tail and drops it with a
    caption or a picture's box. Only prose is wrapped (and only where the page reads paragraphs)."""
    for block in list(tree.iter(*_BLOCK_WITH_TAIL)):
        if not (block.tail and block.tail.strip()) or block.getparent() is None:
            continue
        run = []
        for sibling in block.itersiblings():
            if not isinstance(sibling.tag, str) or _breaks_line(sibling):
                break
            run.append(sibling)
        text = " ".join((block.tail + "".join(s.text_content() + (s.tail or "") for s in run)).split())
        if not _is_prose(text):
            continue
        paragraph = block.makeelement("p", {})
        paragraph.text, block.tail = block.tail, None
        for sibling in run:
            paragraph.append(sibling)  # moves it, with its tail
        block.addnext(paragraph)


# elements whose loose text a browser shows as paragraphs
_LOOSE_TEXT_HOLDERS = ("div", "article", "section", "main", "td", "body")


_WORD_MARKUP = _INLINE_TAGS - {"br", "img"}


def _flattens(element: HtmlElement) -> bool:
    """Inline markup around words only: no line break, no block, no picture inside."""
    return all(isinstance(e.tag, str) and e.tag in _WORD_MARKUP for e in element.iter())


# markup that only styles its words (a link spanning paragraphs is left alone: it reads as a link list)
_STYLE_MARKUP = _WORD_MARKUP - {"a", "code", "q", "time"}
# what lifted markup is renamed to, so that one strip_tags call removes it all (dropping each
# element by itself looks up its place among its siblings every time: quadratic in a long run)
_LIFTED = "newsarchive-lifted"


def _mark_line_breaks_for_lifting(parent: HtmlElement) -> bool:
    """Mark the styling markup in ``parent`` that holds a line break, nested ones too (see
    _lift_line_breaks); True when any was marked. Hidden markup is left as it is."""
    marked = False
    for child in parent:
        if (
            isinstance(child.tag, str)
            and child.tag in _STYLE_MARKUP
            and not _is_hidden(child)
            and child.find(".//br") is not None
        ):
            _mark_line_breaks_for_lifting(child)
            child.tag = _LIFTED
            marked = True
    return marked


def _lift_line_breaks(parent: HtmlElement) -> None:
    """Styling markup that holds a line break ("<i>a quoted paragraph<br><br>the next</i>", as
    Slashdot quotes its sources) goes, and its words and breaks become the parent's own, so that
    each paragraph is a run of loose prose of its own."""
    if _mark_line_breaks_for_lifting(parent):
        etree.strip_tags(parent, _LIFTED)


def _is_prose_run(text: str | None) -> bool:
    return bool(text) and _is_prose(text)  # type: ignore[arg-type]


def _break_before_the_lead(parent: HtmlElement) -> None:
    """The extractor reads the text after each <br> of a div as a line, but the text before the first
    one is the div's own, which it drops unless the div is the frame it reads from ("<div class="p">
    First paragraph<br><br>Second…</div>"). Where that lead and a line after it are both prose, a
    break goes before the lead, so it is read as the others are. A div of one paragraph that ends
    in breaks is left alone: the extractor reads it as a whole. So is a div with text after it: the
    extractor drops the tail of a div that opens with a break."""
    if not len(parent) or parent[0].tag != "br" or not _is_prose_run(parent.text):
        return
    if parent.tail and parent.tail.strip():
        return
    if any(child.tag == "br" and _is_prose_run(child.tail) for child in parent):
        lead = parent.makeelement("br", {})
        lead.tail, parent.text = parent.text, None
        parent.insert(0, lead)


def _flatten_loose_prose(tree: HtmlElement) -> None:
    """On a page without <p> text the extractor reads loose text itself, and makes each piece between
    two inline elements a line of its own ("remain the" / "backbone of the economy" / "in different
    countries"). In each run of loose prose between two line breaks (a block or a <br>), the inline
    markup goes and its words stay: one text, one line. Wrapping the run in an element instead would
    change which elements the extractor reads (a <p> ends its reading of divs, see _reads_paragraphs;
    a <div> is read only while a container has little <p> text). Runs with many links are left as
    they are: they read as link lists. Styling markup around line breaks goes first, and the text
    before a div's first break gets a break of its own (see _break_before_the_lead)."""
    for parent in list(tree.iter(*_LOOSE_TEXT_HOLDERS)):
        _lift_line_breaks(parent)
        if not any(_breaks_line(child) for child in parent):
            continue
        runs: list[tuple[str | None, list[HtmlElement]]] = []
        head, run = parent.text, []
        for child in parent:
            if _breaks_line(child):
                runs.append((head, run))
                head, run = child.tail, []
            else:
                run.append(child)
        runs.append((head, run))
        flattened = False
        for head, run in runs:
            if not run or not all(_flattens(e) for e in run):
                continue
            if any(_is_hidden(e) for element in run for e in element.iter()):
                continue  # unwrapped, hidden words would show
            text = " ".join(((head or "") + "".join(e.text_content() + (e.tail or "") for e in run)).split())
            link_chars = sum(len(a.text_content()) for e in run for a in e.iter("a"))
            if not _is_prose(text) or link_chars * 2 > len(text):
                continue
            for element in run:
                etree.strip_tags(element, "*")
                element.tag = _LIFTED
            flattened = True
        if flattened:
            etree.strip_tags(parent, _LIFTED)
        _break_before_the_lead(parent)


#: An <aside> among the article's paragraphs is part of the text when it has at least this many words
#: outside links ...
ASIDE_MIN_PROSE_WORDS = 60
#: ... and at most this share of its words in links.
ASIDE_MAX_LINK_SHARE = 0.2


def _asides_in_the_text(tree: HtmlElement) -> list[HtmlElement]:
    """<aside>s set among the article's paragraphs (their parent holds two <p>s or more) that are
    prose: a side note with its own heading ("A note on other devices"), a box explaining a term.
    The extractor drops every <aside>, as a sidebar; sidebars hold links, or sit outside the text,
    and boxes the rules name (related, newsletter, author) were removed before this step."""
    found = []
    for aside in tree.iter("aside"):
        parent = aside.getparent()
        if parent is None or sum(1 for child in parent if child.tag == "p") < 2:
            continue
        if holds_prose(aside, ASIDE_MIN_PROSE_WORDS, ASIDE_MAX_LINK_SHARE):
            found.append(aside)
    return found


def _drop_heading_anchors(tree: HtmlElement) -> None:
    """The empty permalink a docs or blog theme sets in each heading ('<h2>Question?<a
    class="heading-link" href="#question"></a></h2>') makes the extractor take the heading for a
    link and drop it. A link without text in a heading says nothing: it goes (its tail stays)."""
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        for link in list(heading.iter("a")):
            if not link.text_content().strip():
                link.drop_tree()


# a link that shows its own address: "http://www.openpetition.de/…", "www.example.org", "tips@example.org"
_SHOWN_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def _unlink_addresses_in_prose(tree: HtmlElement) -> None:
    """A paragraph that is only a link printing its own address, after a paragraph of the article
    ("please sign this petition:" / "http://www.openpetition.de/…"), is something the author wrote
    out for the reader; the extractor drops it as a link list. Its text stays, the link goes."""
    for paragraph in tree.iter("p"):
        if len(paragraph) != 1 or (paragraph.text or "").strip() or (paragraph[0].tail or "").strip():
            continue
        link = paragraph[0]
        if link.tag != "a" or len(link) or not _SHOWN_ADDRESS.fullmatch((link.text or "").strip()):
            continue
        previous = paragraph.getprevious()
        if previous is not None and previous.tag == "p" and len(previous.text_content().split()) >= 8:
            link.drop_tag()


def repair_structure(tree: HtmlElement) -> None:
    """Undo markup habits that hide paragraph structure from the extractor (in place)."""
    reveal_collapsed_panels(tree)
    _unnumber_code(tree)
    for figure in _QUOTE_FIGURES(tree):
        figure.tag = "div"
    for table in _layout_tables(tree):
        for element in table.iter(*_TABLE_PARTS):
            element.tag = "div"
    etree.strip_tags(tree, *_PRESENTATIONAL)
    for paragraph in reversed(_P_WITH_BLOCKS(tree)):
        paragraph.tag = "div"
    for aside in _asides_in_the_text(tree):
        aside.tag = "div"
    if _reads_paragraphs(tree):
        for div in _prose_divs(tree):
            div.tag = "p"
        _wrap_prose_after_blocks(tree)
    else:
        _flatten_loose_prose(tree)
    _drop_heading_anchors(tree)
    _unlink_addresses_in_prose(tree)
