"""Main-text extraction: trafilatura's passes over the prepared tree (``shields``), second opinions
where precision mode finds little or leaves gaps, and the blocks of the chosen reading
(``xmlblocks``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.baseline import _collect_json_content, _render_text
from trafilatura.core import trafilatura_sequence
from trafilatura.settings import BASIC_CLEAN_XPATH, Extractor
from trafilatura.xml import xmltotxt

from .blocks import Block
from .prose import page_text
from .shields import class_of, has_linked_heading, prepare_for_trafilatura
from .xmlblocks import xml_to_blocks

# A paragraph that ends a sentence (a closing quote or bracket may follow).
_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")
# HTML elements that make up the paragraph reading (those of trafilatura's baseline).
_PARAGRAPH_TAGS = ("p", "blockquote", "pre", "q")


# Second opinions. trafilatura's precision mode (without its readability/justext comparison) drops
# the link lists, teasers and calls to action its default mode keeps; where it finds little, the
# default mode (with that comparison) and then the recall mode get their say. Thresholds were set on
# the AEB and WCXB development corpora with `make bench-quality`; they are shares of words, not
# anything page-specific.
#: The default mode runs when the precision output holds less than this share of the page's words ...
DEFAULT_TRY_BELOW_SHARE = 0.15
#: ... or less than this share of the words in its paragraphs (unclosed tags can cut the container the
#: precision mode keeps), ...
DEFAULT_TRY_BELOW_TEXT_SHARE = 0.5
#: ... and replaces it when the precision output has less than this share of the default's words.
PRECISION_MIN_SHARE = 0.6
#: The recall mode runs when the chosen output holds less than this share of the page's words ...
RECALL_TRY_BELOW_SHARE = 0.2
#: ... or less than this share of the words in its paragraphs, ...
RECALL_TRY_BELOW_TEXT_SHARE = 0.7
#: ... and replaces it when it is this much longer and contains (by 4-grams) this share of the
#: chosen output. Nearly all of it: a recall output that lost some of the chosen text has read the
#: page differently (a teaser block, an author box for a paragraph), and its extra words are as
#: likely chrome as article; one that lost nothing is a superset, trusted from a third more words
#: (gap-filling and fill_edges put back less: nothing outside the container, no long runs).
RECALL_MIN_GROWTH = 1.3
RECALL_MIN_CONTAINED = 0.98
# Gap-filling. Precision mode drops headings made of links (listicles: "1. <a>Product</a>"), short
# paragraphs and lists inside the article; the recall mode keeps them. Blocks the recall output has
# *between* two blocks both outputs share are put back (never before the first shared block or after
# the last: that is where navigation and related links sit). The recall pass costs about half a
# precision pass, so it runs only where the page looks like it lost something: many more h2-h4
# headings on the page than in the output, and more paragraph and list text than was extracted.
#: Most words a run of recall blocks may have to be put back between two shared blocks.
GAP_MAX_WORDS = 400
#: A longer run is put back (up to this many words) when it is mostly prose: a whole section the
#: precision mode dropped between two of the article's paragraphs, not a block of links or teasers.
GAP_MAX_PROSE_WORDS = 1500
#: ... that is, at least this share of its words are in paragraphs of GAP_PROSE_MIN_WORDS words or
#: more that end a sentence (teaser grids and link lists have titles and labels, not sentences).
GAP_MIN_PROSE_SHARE = 0.5
GAP_PROSE_MIN_WORDS = 15
# Edges. Before the first and after the last shared block the recall output has navigation and
# related links, but also what precision mode drops from the article's own ends: an introduction,
# a summary list, a closing section. fill_edges takes such a run when it is prose inside the output's
# own container (see there).
#: A paragraph at an edge is prose when it has at least this many words (a sentence, not a label) ...
EDGE_MIN_PARAGRAPH_WORDS = 15
#: ... and at most this share of its characters in links (not a teaser or a "read more").
EDGE_MAX_LINK_SHARE = 0.2
#: A run is taken when prose holds at least this share of its words (headings, captions and short
#: lines between prose paragraphs come along) ...
EDGE_MIN_PROSE_SHARE = 0.6
#: ... and it has at most this many words (GAP_MAX_PROSE_WORDS: a section, not a second article).
EDGE_MAX_WORDS = GAP_MAX_PROSE_WORDS
#: After the article, paragraphs count as prose only when they have this many words together: a
#: single short one there is a call to action or a sign-off ("Ready to get noticed? Email us").
EDGE_MIN_CLOSING_WORDS = 40
#: The recall mode runs for gap-filling when the page has more h2-h4 than this multiple of the
#: output's headings plus GAP_EXTRA_HEADINGS ...
GAP_HEADING_FACTOR = 2
GAP_EXTRA_HEADINGS = 2
#: ... and its paragraph and list-item text is this much more than the output's.
GAP_MIN_TEXT_RATIO = 1.05
#: It also runs when the container of the output's paragraphs has list items of prose (at least
#: GAP_MIN_ITEM_WORDS words outside links) beyond this multiple of the output's list words plus
#: GAP_MIN_LIST_WORDS: precision mode drops lists that sit between the article's paragraphs.
GAP_MIN_ITEM_WORDS = 3
GAP_MIN_LIST_RATIO = 1.0
GAP_MIN_LIST_WORDS = 10
# Split bodies. Some templates cut the article into sibling containers of the same class (an ad or a
# newsletter box between the parts); every mode keeps the first part only. Where the page's paragraph
# text is well beyond the output, the paragraphs of the output container's same-class siblings are
# added: long ones only, few links, no linked headings (that would be a teaser grid).
#: The split-body check runs when the page's paragraph words exceed the output's by this factor.
SPLIT_MIN_TEXT_RATIO = 1.5
#: How far above the output's last paragraph the repeated container is looked for.
SPLIT_MAX_DEPTH = 6
#: A paragraph added from a sibling part has at least this many words, at most this link share ...
SPLIT_MIN_PARAGRAPH_WORDS = 12
SPLIT_MAX_LINK_SHARE = 0.5
#: ... and the parts together add at least this many words.
SPLIT_MIN_ADDED_WORDS = 80
# Paragraph reading. Some pages lose whole sections in every trafilatura mode: a tag left open
# nests the rest of the article inside an embed, or the template splits the body so that the
# modes keep one part. The page's own paragraphs (or the article body it declares in its JSON-LD)
# then hold much more of the article. That reading takes every paragraph, chrome included, so it
# is trusted only as a superset of the output: it must contain nearly all of the output's
# paragraph text and be much longer. Its extra paragraphs are merged in at their places; the
# output's headings, lists and tables stay.
#: The paragraph reading is made when the output holds less than this share of the words in the
#: page's paragraphs (otherwise there is no missing section for it to find) ...
PARAGRAPHS_TRY_BELOW_TEXT_SHARE = 0.5
#: ... and used when it has this many times the output's words ...
PARAGRAPHS_MIN_GROWTH = 2.0
#: ... and contains (by 4-grams) this share of the output's paragraphs.
PARAGRAPHS_MIN_CONTAINED = 0.9
#: Only prose is added: paragraphs of at least this many words that end a sentence (not menu
#: descriptions, calls to action or plan features), none from another <article> than the
#: output's (a teaser or another post); what is added must still make the output
#: PARAGRAPHS_MIN_GROWTH times longer.
PARAGRAPHS_MIN_ADDED_WORDS = 20
#: The article body declared in JSON-LD is used when it has more than this many characters (as
#: trafilatura's baseline does: shorter ones are summaries).
JSON_BODY_MIN_CHARS = 100


@dataclass(frozen=True)
class _Extraction:
    body: etree._Element
    commentsbody: etree._Element | None
    text: str


@lru_cache(maxsize=8)
def _options(focus: str | None, include_comments: bool) -> Extractor:
    return Extractor(
        config=_CONFIG,
        output_format="python",
        fast=focus == "precision",  # the comparison runs in the default mode, when it is needed
        precision=focus == "precision",
        recall=focus == "recall",
        comments=include_comments,
        formatting=False,
        links=False,
        images=False,
        tables=True,
        with_metadata=False,
    )


def _extract(tree: HtmlElement, url: str | None, include_comments: bool, focus: str | None) -> _Extraction:
    """One trafilatura pass over ``tree`` itself.

    trafilatura's own entry point copies the tree first; its passes only prune what every pass
    prunes, so ours share one tree (trafilatura is pinned, this internal call is tested).
    """
    body, _, comments, _ = trafilatura_sequence(tree, _options(focus, include_comments), url)
    return _Extraction(body, comments if include_comments else None, xmltotxt(body, False))


def _words(result: _Extraction | None) -> list[str]:
    return (result.text or "").split() if result is not None else []


def _shingles(words: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _contains(outer: list[str], inner: list[str], share: float = RECALL_MIN_CONTAINED) -> bool:
    if not inner:  # nothing extracted: anything contains it
        return True
    inner_set = _shingles(inner)
    return len(inner_set & _shingles(outer)) >= share * len(inner_set)


def recall_replaces(recall_words: list[str], words: list[str]) -> bool:
    """Whether the recall output (``recall_words``) replaces the chosen one: much longer and
    containing nearly all of it (see RECALL_MIN_GROWTH)."""
    return len(recall_words) >= RECALL_MIN_GROWTH * max(len(words), 1) and _contains(recall_words, words)


def _block_key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _prose_share(blocks: list[Block]) -> float:
    """Share of the words of ``blocks`` in paragraphs of prose (long enough, ending a sentence)."""
    words = sum(len(b.text.split()) for b in blocks)
    prose = sum(
        n
        for b in blocks
        if b.kind in ("p", "quote")
        and (n := len(b.text.split())) >= GAP_PROSE_MIN_WORDS
        and _SENTENCE_END.search(b.text) is not None
    )
    return prose / words if words else 0.0


def _gap_fits(gap: list[Block], max_gap_words: int) -> bool:
    words = sum(len(b.text.split()) for b in gap)
    if words <= max_gap_words:
        return True
    return words <= max(max_gap_words, GAP_MAX_PROSE_WORDS) and _prose_share(gap) >= GAP_MIN_PROSE_SHARE


def fill_gaps(chosen: list[Block], fuller: list[Block], max_gap_words: int = GAP_MAX_WORDS) -> list[Block]:
    """``chosen`` with the blocks ``fuller`` has between two consecutive blocks they share.

    Shared blocks are matched by their words, in order (difflib's matching blocks, so a
    repeated block such as "Read more" is paired with its own occurrence); a gap is filled only
    where ``chosen`` has nothing between the two shared blocks, and only up to ``max_gap_words``
    words.
    """
    # a block without words matches nothing: each gets a key of its own
    chosen_keys = [_block_key(b.text) or f"\0c{i}" for i, b in enumerate(chosen)]
    fuller_keys = [_block_key(b.text) or f"\0f{i}" for i, b in enumerate(fuller)]
    matcher = SequenceMatcher(None, chosen_keys, fuller_keys, autojunk=False)
    # (index in fuller, index in chosen), increasing in both
    anchors = [(b + k, a + k) for a, b, size in matcher.get_matching_blocks() for k in range(size)]
    inserts: dict[int, list[Block]] = {}
    for (start, at), (end, next_at) in pairwise(anchors):
        gap = fuller[start + 1 : end]
        if gap and next_at == at + 1 and _gap_fits(gap, max_gap_words):
            inserts[at] = gap
    if not inserts:
        return chosen
    filled: list[Block] = []
    for index, block in enumerate(chosen):
        filled.append(block)
        filled.extend(inserts.get(index, ()))
    return filled


def _prose_list_items(container: HtmlElement) -> Iterator[tuple[str, int]]:
    """The list items in ``container`` that are prose, with their words outside links: innermost
    items (nested ones count on their own) with at least GAP_MIN_ITEM_WORDS such words (not a
    link list or a table of contents)."""
    for item in container.iter("li"):
        if item.find(".//li") is not None:
            continue
        text = item.text_content()
        words = len(text.split()) - sum(len(a.text_content().split()) for a in item.iter("a"))
        if words >= GAP_MIN_ITEM_WORDS:
            yield text, words


def _prose_items(container: HtmlElement) -> set[str]:
    """Keys of the prose list items in ``container``."""
    return {_block_key(text) for text, _ in _prose_list_items(container)}


def _edge_texts(container: HtmlElement) -> tuple[str, dict[str, float], set[str]]:
    """What fill_edges looks up in ``container``: its folded text (its text nodes apart, as a
    ``<br>`` or a tag boundary parts words), the link share of its paragraphs and the keys of
    its innermost list items."""
    shares: dict[str, float] = {}
    for paragraph in container.iter("p"):
        text = " ".join(paragraph.itertext())
        links = sum(len(a.text_content()) for a in paragraph.iter("a"))
        shares.setdefault(_block_key(text), links / max(len(text.strip()), 1))
    items = {_block_key(" ".join(li.itertext())) for li in container.iter("li") if li.find(".//li") is None}
    return f" {_block_key(' '.join(container.itertext()))} ", shares, items


def _item_keys(block: Block) -> list[str]:
    """The keys of a rendered list's items ("- item" lines, indented when nested)."""
    return [_block_key(line.lstrip().removeprefix("- ")) for line in block.text.split("\n")]


def fill_edges(tree: HtmlElement, chosen: list[Block], fuller: list[Block]) -> list[Block]:
    """``chosen`` with the blocks ``fuller`` has right before its first or after its last shared
    block, when they are prose inside the output's own container (an introduction, a summary list
    above the article, a closing section or list of takeaways: precision mode drops them).
    fill_gaps leaves the edges alone, as navigation and related links sit there; these are neither.

    A run at an edge goes outwards while its blocks sit inside the container; it ends at its
    outermost prose (a paragraph of EDGE_MIN_PARAGRAPH_WORDS words ending a sentence with few
    links, or a list of prose items), and is taken when prose is EDGE_MIN_PROSE_SHARE of it.
    """
    chosen_keys = [_block_key(b.text) for b in chosen]
    fuller_keys = [_block_key(b.text) for b in fuller]
    shared = set(chosen_keys) & set(fuller_keys) - {""}
    if not shared:
        return chosen
    first = next(i for i, key in enumerate(fuller_keys) if key in shared)
    last = max(i for i, key in enumerate(fuller_keys) if key in shared)
    container = None
    items: set[str] = set()
    inside = ""
    shares: dict[str, float] = {}
    all_items: set[str] = set()

    def prose_words(index: int) -> int:
        """The block's words if it is prose by the rules above, else 0."""
        block, key = fuller[index], fuller_keys[index]
        words = len(block.text.split())
        if block.kind == "list":
            return words if all(line in items for line in _item_keys(block)) else 0
        if (
            block.kind in ("p", "quote")
            and words >= EDGE_MIN_PARAGRAPH_WORDS
            and _SENTENCE_END.search(block.text) is not None
            and shares.get(key, 1.0) <= EDGE_MAX_LINK_SHARE
        ):
            return words
        return 0

    def run(indexes: range, closing: bool = False) -> list[Block]:
        nonlocal container, items, inside, shares, all_items
        taken: list[int] = []
        prose: list[int] = []
        for index in indexes:
            key = fuller_keys[index]
            if not key or key in chosen_keys:
                break
            if container is None:
                container = _output_container(tree, chosen)
                if container is None:
                    return []
                items = _prose_items(container)
                inside, shares, all_items = _edge_texts(container)
            block = fuller[index]
            if block.kind == "list":
                if not all(line in all_items or line in items for line in _item_keys(block)):
                    break
            elif f" {key} " not in inside:
                break
            taken.append(index)
            prose.append(prose_words(index))
        paragraphs = [n if fuller[i].kind != "list" else 0 for i, n in zip(taken, prose, strict=True)]
        if closing and sum(paragraphs) < EDGE_MIN_CLOSING_WORDS:
            prose = [n - p for n, p in zip(prose, paragraphs, strict=True)]  # its lists only
        while prose and not prose[-1]:  # the run ends at its outermost prose
            taken.pop()
            prose.pop()
        words = sum(len(fuller[i].text.split()) for i in taken)
        if not taken or words > EDGE_MAX_WORDS or sum(prose) < EDGE_MIN_PROSE_SHARE * words:
            return []
        return [fuller[i] for i in taken]

    before = run(range(first - 1, -1, -1))[::-1]
    after = run(range(last + 1, len(fuller)), closing=True)
    if not before and not after:
        return chosen
    at_first = chosen_keys.index(fuller_keys[first])
    at_last = len(chosen_keys) - 1 - chosen_keys[::-1].index(fuller_keys[last])
    if at_last < at_first:
        return chosen  # the two outputs order their blocks differently
    return chosen[:at_first] + before + chosen[at_first : at_last + 1] + after + chosen[at_last + 1 :]


def merge_blocks(chosen: list[Block], other: list[Block]) -> list[Block]:
    """``chosen`` with the blocks of ``other`` it lacks, each put where ``other`` has it.

    The two are aligned by their blocks' words; a block of ``other`` whose words ``chosen``
    already has (split or joined differently) is not added again.
    """
    chosen_keys = [_block_key(b.text) or f"\0c{i}" for i, b in enumerate(chosen)]
    other_keys = [_block_key(b.text) or f"\0o{i}" for i, b in enumerate(other)]
    have = f" {' '.join(chosen_keys)} "
    merged: list[Block] = []
    matcher = SequenceMatcher(None, chosen_keys, other_keys, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        merged.extend(chosen[i1:i2])
        merged.extend(
            b for b, key in zip(other[j1:j2], other_keys[j1:j2], strict=True) if f" {key} " not in have
        )
    return merged


def _paragraph_reading(tree: HtmlElement) -> list[Block]:
    """The article body the page declares in JSON-LD, or else the text of all its paragraphs.

    Paragraphs inside what trafilatura's baseline drops first (asides, footers, cookie notices)
    are left out; so are paragraphs inside paragraphs or quotes (counted with their container).
    """
    bodies, _ = _collect_json_content(tree)
    texts = list(dict.fromkeys(_render_text(body) for body in bodies))
    if sum(len(text) for text in texts) > JSON_BODY_MIN_CHARS:
        lines = (" ".join(line.split()) for text in texts for line in text.split("\n"))
        return [Block("p", line) for line in lines if line]
    dropped = set(BASIC_CLEAN_XPATH(tree))
    blocks: list[Block] = []
    for element in tree.iter(_PARAGRAPH_TAGS):
        if (
            any(a.tag in _PARAGRAPH_TAGS or a in dropped for a in element.iterancestors())
            or element in dropped
        ):
            continue
        text = " ".join(element.text_content().split())
        if text:
            blocks.append(Block("quote" if element.tag in ("blockquote", "q") else "p", text))
    return blocks


def _text_words(tree: HtmlElement) -> int:
    """Words in the page's paragraphs and in its list items' own text."""
    return sum(len(p.text_content().split()) for p in tree.iter("p")) + sum(
        len((li.text or "").split()) for li in tree.iter("li")
    )


def _may_have_gaps(tree: HtmlElement, blocks: list[Block], words: list[str], text_words: int) -> bool:
    """Cheap signs that precision mode dropped headings, lists or paragraphs inside the article."""
    page_headings = sum(1 for _ in tree.iter("h2", "h3", "h4"))
    headings = sum(block.kind == "h" for block in blocks)
    if page_headings <= GAP_HEADING_FACTOR * headings + GAP_EXTRA_HEADINGS:
        return False
    return text_words > GAP_MIN_TEXT_RATIO * len(words)


def _output_container(tree: HtmlElement, blocks: list[Block]) -> HtmlElement | None:
    """The smallest element holding the first and the last of the output's paragraphs found in the
    tree; None when there is none, or when it is the whole page (<body>)."""
    keys = [key for key in (_block_key(b.text) for b in blocks if b.kind == "p") if key]
    if len(keys) < 2:
        return None
    wanted = {keys[0], keys[-1]}
    found: dict[str, HtmlElement] = {}
    for paragraph in tree.iter("p"):
        key = _block_key(paragraph.text_content())
        if key in wanted and key not in found:
            found[key] = paragraph
            if len(found) == len(wanted):
                break
    if len(found) < len(wanted):
        return None
    first, last = found[keys[0]], found[keys[-1]]
    above_last = set(last.iterancestors())
    container = next((e for e in first.iterancestors() if e in above_last), None)
    return None if container is None or container.tag in ("body", "html") else container


def _lists_missing(container: HtmlElement, blocks: list[Block]) -> bool:
    """Whether the output's own container has list items (prose, not links) the output lacks."""
    item_words = sum(words for _, words in _prose_list_items(container))
    list_words = sum(len(b.text.split()) for b in blocks if b.kind == "list")
    return item_words > GAP_MIN_LIST_RATIO * list_words + GAP_MIN_LIST_WORDS


#: A full output is given its listicle's headings back when its container has at least this many
#: linked h2-h4 headings the output lacks.
GAP_MIN_LINKED_HEADINGS = 2


def _linked_headings_missing(container: HtmlElement, blocks: list[Block]) -> bool:
    """Whether the output's own container has linked headings (a listicle's "<h3><a>Product</a>
    </h3>" in a box of its own, which precision mode reads without its title) the output lacks."""
    have = {_block_key(b.text) for b in blocks if b.kind == "h"}
    missing = 0
    for heading in container.iter("h2", "h3", "h4"):
        if heading.find(".//a") is None:
            continue
        key = _block_key(heading.text_content())
        if key and key not in have:
            missing += 1
    return missing >= GAP_MIN_LINKED_HEADINGS


def _paragraph_words(paragraph: HtmlElement) -> tuple[int, int]:
    text = paragraph.text_content()
    links = sum(len(a.text_content()) for a in paragraph.iter("a"))
    return len(text.split()), links


def _split_body_parts(tree: HtmlElement, blocks: list[Block]) -> list[Block]:
    """Paragraph blocks from the same-class siblings of the container of the output's last paragraph."""
    last = next((_block_key(b.text) for b in reversed(blocks) if b.kind == "p"), None)
    if not last:
        return []
    anchor = next((p for p in tree.iter("p") if _block_key(p.text_content()) == last), None)
    if anchor is None:
        return []
    container = anchor
    for _ in range(SPLIT_MAX_DEPTH):
        if container.tag in ("article", "main"):
            return []  # the article's own element holds all of it: what lies beyond is not a part
        container = container.getparent()
        if container is None or container.tag in ("body", "html"):
            return []
        kind = class_of(container)
        if not kind:
            continue
        siblings = [e for e in container.itersiblings() if e.tag == container.tag and class_of(e) == kind]
        if not siblings:
            continue
        added: list[Block] = []
        for sibling in siblings:
            if has_linked_heading(sibling):
                return []  # teaser cards, not article parts
            for paragraph in sibling.iter("p"):
                words, link_chars = _paragraph_words(paragraph)
                text = " ".join(paragraph.text_content().split())
                if words >= SPLIT_MIN_PARAGRAPH_WORDS and link_chars <= SPLIT_MAX_LINK_SHARE * len(text):
                    added.append(Block("p", text))
        if sum(len(b.text.split()) for b in added) < SPLIT_MIN_ADDED_WORDS:
            return []
        return added
    return []


def _articles_of_paragraphs(tree: HtmlElement) -> dict[str, HtmlElement | None]:
    """Each paragraph's text, folded, mapped to the innermost <article> that holds it."""
    owners: dict[str, HtmlElement | None] = {}
    for paragraph in tree.iter("p"):
        key = " ".join(paragraph.text_content().split())
        if key:
            owners.setdefault(key, next(paragraph.iterancestors("article"), None))
    return owners


def _with_sibling_parts(articles: set[HtmlElement | None]) -> set[HtmlElement | None]:
    """``articles`` with their sibling <article> elements of the same class that have no linked
    headings: the sections of one story laid out as tab panes, not teaser cards (whose headings
    link to their posts)."""
    parts = set(articles)
    for article in articles:
        parent = article.getparent() if article is not None else None
        if parent is None:
            continue
        kind = class_of(article)
        if not kind:
            continue  # class-less <article>s say nothing about being one story
        parts.update(
            sibling
            for sibling in parent.iterchildren("article")
            if class_of(sibling) == kind and not has_linked_heading(sibling)
        )
    return parts


def _from_same_articles(
    tree: HtmlElement,
    kept: _Extraction | None,
    other: _Extraction | None,
) -> bool:
    """Whether what ``other`` adds to ``kept`` sits in the <article> elements ``kept`` came from.

    Text from another <article> (a teaser or a whole other post nested in the page) is not the
    rest of this story; text outside any <article> counts as the same (no article markup at all).
    """
    if kept is None or other is None:
        return True
    owners = _articles_of_paragraphs(tree)
    kept_texts = {b.text for b in xml_to_blocks(kept.body)}
    kept_articles = _with_sibling_parts({owners.get(text) for text in kept_texts if text in owners})
    added = [b.text for b in xml_to_blocks(other.body) if b.text not in kept_texts]
    return all(owners.get(text) in kept_articles or owners.get(text) is None for text in added)


def _with_paragraph_reading(tree: HtmlElement, blocks: list[Block], words: list[str]) -> list[Block]:
    """``blocks`` with the prose the paragraph reading adds, if that reading is a much longer
    superset of them (see the thresholds above)."""
    reading = _paragraph_reading(tree)
    reading_words = [w for b in reading for w in b.text.split()]
    if len(reading_words) < PARAGRAPHS_MIN_GROWTH * max(len(words), 1):
        return blocks
    paragraph_words = [w for b in blocks if b.kind in ("p", "quote") for w in b.text.split()]
    if not _contains(reading_words, paragraph_words, PARAGRAPHS_MIN_CONTAINED):
        return blocks
    owners = _articles_of_paragraphs(tree)
    articles = {owners.get(b.text) for b in blocks if b.text in owners}
    ours = set(map(id, blocks))

    def added(block: Block) -> bool:
        return (
            owners.get(block.text) in articles | {None}  # not another post's text
            and len(block.text.split()) >= PARAGRAPHS_MIN_ADDED_WORDS
            and _SENTENCE_END.search(block.text) is not None
        )

    merged = [b for b in merge_blocks(blocks, reading) if id(b) in ours or added(b)]
    added_words = sum(len(b.text.split()) for b in merged if id(b) not in ours)
    if added_words < (PARAGRAPHS_MIN_GROWTH - 1) * len(words):
        return blocks
    return merged


def extract_blocks(
    tree: HtmlElement, url: str | None, *, include_comments: bool = False
) -> tuple[list[Block], list[Block]]:
    """Article blocks and (when asked for) comment blocks.

    ``tree`` may be pruned in place (trafilatura drops hidden parts and comment sections from
    the tree it is given); a second call on the same tree gives the same blocks.

    trafilatura in precision mode, with second opinions from its default and recall modes where
    the precision output is thin or looks gappy (see the thresholds above).
    """
    text = page_text(tree)
    page_words = len(text.split())
    text_words = _text_words(tree)
    prepare_for_trafilatura(tree, chars=len(text))
    result = _extract(tree, url, include_comments, "precision")
    words = _words(result)
    thin = len(words) < DEFAULT_TRY_BELOW_SHARE * page_words
    if thin or len(words) < DEFAULT_TRY_BELOW_TEXT_SHARE * text_words:
        default = _extract(tree, url, include_comments, None)
        default_words = _words(default)
        if len(words) < PRECISION_MIN_SHARE * len(default_words) and (
            thin or _from_same_articles(tree, result, default)
        ):
            result, words = default, default_words
    blocks = xml_to_blocks(result.body) if result is not None else []
    looks_cut = (
        len(words) < RECALL_TRY_BELOW_SHARE * page_words
        or len(words) < RECALL_TRY_BELOW_TEXT_SHARE * text_words
        or _may_have_gaps(tree, blocks, words, text_words)
    )
    headings_only = False
    container = None if looks_cut else _output_container(tree, blocks)
    if container is not None:
        looks_cut = _lists_missing(container, blocks)
        # a full output that only lacks a listicle's linked headings gets them back between its
        # own blocks, and nothing else: no takeover, no edges (where the related links sit)
        headings_only = not looks_cut and _linked_headings_missing(container, blocks)
    if looks_cut or headings_only:
        recall = _extract(tree, url, include_comments, "recall")
        recall_words = _words(recall)
        if recall is not None:
            recall_blocks = xml_to_blocks(recall.body)
            if headings_only:
                have = {_block_key(b.text) for b in blocks}
                blocks = fill_gaps(
                    blocks, [b for b in recall_blocks if b.kind == "h" or _block_key(b.text) in have]
                )
            elif recall_replaces(recall_words, words):
                result, blocks = recall, recall_blocks
            else:
                blocks = fill_edges(tree, fill_gaps(blocks, recall_blocks), recall_blocks)
    if result is None:
        return [], []
    # what the output holds now (a recall takeover or gap-filling has changed it since the first pass)
    words = [w for b in blocks for w in b.text.split()]
    if len(words) < PARAGRAPHS_TRY_BELOW_TEXT_SHARE * text_words:
        blocks = _with_paragraph_reading(tree, blocks, words)
    if blocks and text_words > SPLIT_MIN_TEXT_RATIO * sum(len(b.text.split()) for b in blocks):
        blocks = blocks + _split_body_parts(tree, blocks)
    comments = xml_to_blocks(result.commentsbody) if include_comments else []
    return blocks, comments


def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # Short articles (briefs, wire snippets) are still articles: don't discard them for length.
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


_CONFIG = _config()
