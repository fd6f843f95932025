"""The tree made ready for trafilatura: what its pruning would take from the article is renamed or
moved first (class words that collide with its boilerplate list, comment-like names, a page inside
its <header>, styles that draw no border, prose tails of empty elements). Each step works in place
and returns how many elements it changed."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import CUT_EMPTY_ELEMS
from trafilatura.xpaths import (
    _COMMENTS_CLASS,
    _COMMENTS_ID,
    _MISC_CLASS_TOKENS,
    _OVERALL_DISCARD_BOTH_TOKENS,
    _OVERALL_DISCARD_CLASS_TOKENS,
    _OVERALL_DISCARD_ID_TOKENS,
    _UI_META_CLASS_TOKENS,
    _alt,
)

from .prose import holds_prose
from .rules import load_rules

# Class collisions. trafilatura drops every block whose class or id *contains* one of its boilerplate
# words, wherever it sits: a listicle's "listicle-slides", a "page1-footer" holding a restaurant list,
# an accordion whose class says "icon-style-arrow", an embed wrapper ("w-embed") holding an article
# section. The project's own rules have already removed boxes by whole class tokens, with prose
# guards; a block that survived them and holds much prose and few links loses the words that
# collide, so trafilatura judges it by its text like any other block.
_DISCARD_CLASS = re.compile(_alt(_OVERALL_DISCARD_BOTH_TOKENS + _OVERALL_DISCARD_CLASS_TOKENS))
_DISCARD_ID = re.compile(_alt(_OVERALL_DISCARD_BOTH_TOKENS + _OVERALL_DISCARD_ID_TOKENS))
# Of those words, these name a layout device, not a kind of box: any prose block may carry them.
# ("widget" is not one: page builders put it on every block, but themes on their sidebar boxes.)
_LAYOUT_WORDS = re.compile(_alt((*_UI_META_CLASS_TOKENS, *_MISC_CLASS_TOKENS, "embed")))
# the elements trafilatura's class pruning looks at (li, ul and ol are its item and list)
_PRUNED_TAGS = ("div", "section", "span", "p", "li", "ul", "ol")
#: A block named by a layout word is shielded when it has at least this many words outside links
#: (a paragraph or two: a slide, an accordion pane) ...
SHIELD_MIN_PROSE_WORDS = 50
#: ... and at most this share of its words in links (link lists and teaser grids stay prunable).
SHIELD_MAX_LINK_SHARE = 0.3
#: A block named as a box (footer, sidebar, author, cookie, menu, related, ...) needs an article's
#: worth of prose, and fewer links: author bios, cookie notices and footers hold a paragraph or two.
SHIELD_MIN_NAMED_PROSE_WORDS = 200
#: A <p> named by a layout word is shielded with a sentence's worth of words.
SHIELD_MIN_PARAGRAPH_WORDS = 20
SHIELD_MAX_NAMED_LINK_SHARE = 0.2
#: trafilatura prunes nothing when its matches hold all but this share of the text (page builders
#: put "widget" on every block); shielding some of them would unlock pruning of the others.
TRAFILATURA_PRUNE_KEEPS_SHARE = 1 / 7


@lru_cache(maxsize=1 << 14)
def _word_in(value: str, of_id: bool) -> str | None:
    """The first of trafilatura's boilerplate words in a class or id value. Cached: themes repeat
    their classes, and the search is the cost of the whole step."""
    found = (_DISCARD_ID if of_id else _DISCARD_CLASS).search(value)
    return found.group(0) if found else None


def _collision(element: HtmlElement) -> str | None:
    """The first of trafilatura's boilerplate words in the element's class or id, if any."""
    classes, ident = element.get("class"), element.get("id")
    return (_word_in(classes, False) if classes else None) or (_word_in(ident, True) if ident else None)


#: Where a shielded block keeps its original class attribute.
ORIGINAL_CLASS = "data-newsarchive-class"


def class_of(element: HtmlElement) -> str | None:
    """The element's class as the page wrote it (before shielding)."""
    return element.get(ORIGINAL_CLASS) or element.get("class")


def has_linked_heading(element: HtmlElement) -> bool:
    """Teaser cards link their headings to their posts (<h3><a>..</a></h3> or <a><h3>..</h3></a>)."""
    return any(
        h.find(".//a") is not None or next(h.iterancestors("a"), None) is not None
        for h in element.iter("h2", "h3", "h4")
    )


def shield_prose_blocks(tree: HtmlElement, *, chars: int) -> int:
    """Remove from prose-rich blocks the class words and ids trafilatura prunes blocks by (in
    place; see the thresholds above; ``chars`` is the page's text length, ``prose.page_chars``).
    Returns how many blocks were changed."""
    matched = dict.fromkeys(e for e in tree.iter(_PRUNED_TAGS) if _collision(e) is not None)  # ordered set
    if not matched:
        return 0
    outer = [e for e in matched if not any(a in matched for a in e.iterancestors())]
    if chars - sum(len(e.text_content()) for e in outer) <= TRAFILATURA_PRUNE_KEEPS_SHARE * chars:
        return 0
    content_tokens = load_rules().guards.content_tokens
    shielded = 0
    for element in matched:
        classes, ident = element.get("class") or "", element.get("id") or ""
        # every colliding class token (anchored words such as '^shar' match a token alone, others
        # inside it), and the id; the laxer thresholds only when all of them are layout words
        colliding: list[str] = []
        words_found: list[str] = []
        for token in classes.split():
            word = _word_in(token, False) or _word_in(f" {token} ", False)
            if word:
                colliding.append(token)
                words_found.append(word)
        id_word = _word_in(ident, True) if ident else None
        if id_word:
            words_found.append(id_word)
        layout = all(_LAYOUT_WORDS.search(w) for w in words_found)
        min_words = SHIELD_MIN_PROSE_WORDS if layout else SHIELD_MIN_NAMED_PROSE_WORDS
        max_share = SHIELD_MAX_LINK_SHARE if layout else SHIELD_MAX_NAMED_LINK_SHARE
        if content_tokens is not None and any(content_tokens.fullmatch(t) for t in classes.lower().split()):
            # the guards say it is the story's own (its body, an embedded post it quotes): a tweet
            # in "social-media-embed" is a sentence or two, with its links
            min_words, max_share = 1, 1.0
        if element.tag == "p" and layout:
            # a paragraph named by a layout device ("c-block-quote-embed") is text; one named as a
            # box ("sidebar-blurb") keeps the higher threshold
            min_words = SHIELD_MIN_PARAGRAPH_WORDS
        if not holds_prose(element, min_words, max_share):
            continue
        if colliding:
            element.set(ORIGINAL_CLASS, classes)  # same-class sibling tests compare the page's own
            element.set("class", " ".join(t for t in classes.split() if t not in colliding))
        if id_word:
            del element.attrib["id"]
        shielded += 1
    return shielded


# Articles named as comments. trafilatura takes every div or section whose class or id *starts with*
# "comment" for the comment section, and prunes it (or reads it as the comments) whatever it holds:
# a post inside "<div class="commentOnSelection">" (a widget to comment on a selected passage) was
# lost whole. Real comment threads were removed earlier by the project's own rules, by whole tokens.
_COMMENTS_CLASS_START = re.compile(_COMMENTS_CLASS)
_COMMENTS_ID_START = re.compile(f"^(?:{_COMMENTS_ID})")
#: A block so named is the article's when it holds at least this share of the page's text ...
COMMENT_NAMED_MIN_PAGE_SHARE = 0.5


def shield_article_named_as_comments(tree: HtmlElement, *, chars: int) -> int:
    """Take the comment-like class tokens and id off blocks that hold most of the page's text
    (``chars`` characters), as prose (in place; the prose thresholds are those of a block named as
    a box). Returns how many."""
    shielded = 0
    for element in tree.iter("div", "section", "details"):
        classes, ident = element.get("class") or "", element.get("id") or ""
        by_class = bool(classes) and _COMMENTS_CLASS_START.search(classes) is not None
        by_id = bool(ident) and _COMMENTS_ID_START.search(ident) is not None
        if not (by_class or by_id):
            continue
        text = element.text_content()
        if len(text) < COMMENT_NAMED_MIN_PAGE_SHARE * chars:
            continue
        if not holds_prose(element, SHIELD_MIN_NAMED_PROSE_WORDS, SHIELD_MAX_NAMED_LINK_SHARE):
            continue
        if by_class:
            element.set(ORIGINAL_CLASS, classes)
            element.set("class", " ".join(t for t in classes.split() if not _COMMENTS_CLASS_START.search(t)))
        if by_id:
            del element.attrib["id"]
        shielded += 1
    return shielded


#: A <header> is the page's body when it holds at least this share of the page's text (as prose,
#: with the thresholds of a block named as a box).
HEADER_MIN_PAGE_SHARE = 0.5


def shield_page_inside_header(tree: HtmlElement, *, chars: int) -> int:
    """A <header> that holds most of the page's text (``chars`` characters), as prose, is a page
    laid out inside its header (a theme that never closes it, a wrapper so named): it becomes a
    <div>. In precision mode trafilatura drops every <header> whole, and with it the article.
    Returns how many."""
    shielded = 0
    for header in list(tree.iter("header")):
        if len(header.text_content()) < HEADER_MIN_PAGE_SHARE * chars:
            continue
        if holds_prose(header, SHIELD_MIN_NAMED_PROSE_WORDS, SHIELD_MAX_NAMED_LINK_SHARE):
            header.tag = "div"
            shielded += 1
    return shielded


# Borders that are none. In precision mode trafilatura drops every block whose style mentions
# "border" (a boxed aside), and the word also appears in declarations that draw no border:
# "border: none", "box-sizing: border-box", a CSS variable. Those are taken out of the style. A
# rounded or coloured box ("border-radius", "border-color") stays one: such boxes are mostly calls
# to action, and trafilatura is right to drop them.
_NO_BORDER = re.compile(r"(?:none|hidden|0(?:px|em|rem)?)(?:\s|!|$)", re.IGNORECASE)
_BORDER_STYLED = etree.XPath(
    "//*[self::div or self::p or self::section or self::span][contains(@style, 'border')]"
)


def _draws_no_border(declaration: str) -> bool:
    prop, _, value = (part.strip().lower() for part in declaration.partition(":"))
    if prop.startswith("--") or prop == "box-sizing":
        return True
    return prop.startswith("border") and _NO_BORDER.match(value) is not None


def drop_borderless_styles(tree: HtmlElement) -> int:
    """Remove the declarations that mention "border" without drawing one from styles (in place).
    Returns how many styles were changed."""
    changed = 0
    for element in _BORDER_STYLED(tree):
        declarations = [d.strip() for d in (element.get("style") or "").split(";") if d.strip()]
        kept = [d for d in declarations if not _draws_no_border(d)]
        if len(kept) < len(declarations):
            element.set("style", "; ".join(kept))
            changed += 1
    return changed


# Tails of empty elements. In precision mode trafilatura deletes the elements its cleaning left
# empty *with their tail text* (the other modes keep it): a paragraph that opens with an image in a
# <span> (``<p><span><img></span>Most tours ...</p>``) loses its words up to the first inline
# element, or all of them. The image wrappers are empty only once trafilatura has stripped the
# images, so the tails are moved before such elements beforehand: the reading order is the same.
# Short tails (an icon's "Share", a "5 min read") stay where precision mode drops them.
#: A tail is moved when it has at least this many words (a clause, not a label).
PROSE_TAIL_MIN_WORDS = 5
_EMPTY_CUT_TAGS = tuple(sorted(CUT_EMPTY_ELEMS))


def _is_empty(element: HtmlElement) -> bool:
    return element.text is None and not any(text.strip() for text in element.itertext())


def keep_prose_tails(tree: HtmlElement) -> int:
    """Move prose tails of elements without text to before them (in place); returns how many."""
    moved = 0
    for element in tree.iter(_EMPTY_CUT_TAGS):
        tail = element.tail
        if not tail or len(tail.split()) < PROSE_TAIL_MIN_WORDS:
            continue
        if not _is_empty(element):
            continue  # trafilatura keeps an element with text, even white space
        parent = element.getparent()
        if parent is None:
            continue
        previous = element.getprevious()
        # past other empty wrappers (a row of image spans): precision mode drops their tails too
        while previous is not None and previous.tag in _EMPTY_CUT_TAGS and _is_empty(previous):
            previous = previous.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        element.tail = None
        moved += 1
    return moved


def prepare_for_trafilatura(tree: HtmlElement, *, chars: int) -> None:
    """Every step above, in order, on a page of ``chars`` characters of text (no step changes it:
    they rename elements, edit attributes and move tails within their parents)."""
    shield_prose_blocks(tree, chars=chars)
    shield_article_named_as_comments(tree, chars=chars)
    shield_page_inside_header(tree, chars=chars)
    drop_borderless_styles(tree)
    keep_prose_tails(tree)
