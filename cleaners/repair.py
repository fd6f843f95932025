"""Structure repair: undo markup habits that hide the article's paragraphs from the extractor
(layout tables, numbered code, unclosed paragraphs, collapsed panels, pull-quote figures, asides
and prose divs among the paragraphs, loose text between line breaks, streamed parts left at the end
of a saved page), and drop heading anchors and links that only show an address. In place."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from .dom import TABLE_PARTS
from .prose import holds_prose

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


# Presentational wrappers with no meaning of their own.
_PRESENTATIONAL = ("font", "center")
# A <p> holding blocks is a parse of unclosed <p> tags (common in old markup), not one paragraph.
_P_WITH_BLOCKS = etree.XPath("//p[p or div or ul or ol or table or h1 or h2 or h3 or h4 or blockquote]")


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
        for element in table.iter(*TABLE_PARTS):
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
