"""clean_html: parse -> metadata -> DOM cleaning -> extraction -> line cleaning -> normalisation.

Each stage is its own module; this one only wires them in order. Data flows one way: the
metadata is read from the untouched tree, then boilerplate is removed from it, then the text is
extracted from what is left.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from .blocks import Block, render
from .document import Document
from .dom import drop_non_text, remove_boilerplate, remove_teaser_grids
from .errors import InputError
from .extract import extract_blocks
from .language import detect_language
from .lines import clean_blocks
from .metadata import extract_metadata
from .normalize import normalize_blocks, normalize_text, same_text
from .parse import parse_html
from .repair import place_streamed_parts, repair_structure

#: How far into the body a repeat of the title is looked for (a kicker or a date may come first).
TITLE_SEARCH_BLOCKS = 3


def _drop_repeated_title(blocks: list[Block], title: str | None) -> list[Block]:
    """The title lives in the header; a block near the top that repeats it is not body text."""
    for index, block in enumerate(blocks[:TITLE_SEARCH_BLOCKS]):
        if block.kind in ("h", "p") and same_text(block.text, title):
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _optional(text: str | None) -> str | None:
    text = normalize_text(text) if text else None
    return " ".join(text.split()) if text else None


def clean_html(
    html: str | bytes,
    url: str | None = None,
    *,
    include_comments: bool = False,
    encoding: str | None = None,
    strict: bool = False,
) -> Document:
    """Clean one HTML page into a Document.

    ``html`` may be bytes (decoded by BOM, the page's charset declaration, then detection;
    ``encoding`` is a charset from HTTP headers, if any). Reader comments are left out unless
    ``include_comments``. Never raises on bad input: a page that is not usable (empty, binary,
    absurdly large or deep) gives an empty Document, or, with ``strict=True``, an ``InputError``
    saying why (what batch tools report).
    """
    try:
        return clean_tree(parse_html(html, encoding), url, include_comments=include_comments)
    except InputError:
        if strict:
            raise
        return Document(url=url)


def clean_tree(tree: HtmlElement, url: str | None = None, *, include_comments: bool = False) -> Document:
    """Clean a page already parsed by ``parse_html`` (for callers that read the tree first, such
    as a crawler taking its links). The tree is consumed: boilerplate is removed from it in place.
    Raises ``InputError`` for markup too deep to process.
    """
    # lxml makes a new Python proxy, through the HTML class lookup, each time a pass reaches an
    # element no Python object holds; the stages below walk the tree a dozen times, so holding one
    # proxy per element for the duration is measurably cheaper (a few % of the page's CPU)
    elements = list(tree.iter())
    try:
        place_streamed_parts(tree)
        meta = extract_metadata(tree, url)
        drop_non_text(tree)
        remove_boilerplate(tree, include_comments=include_comments)
        remove_teaser_grids(tree, url or meta.url)
        repair_structure(tree)
        blocks, comment_blocks = extract_blocks(tree, url, include_comments=include_comments)
    except RecursionError:
        raise InputError("markup too deeply nested to process") from None
    finally:
        del elements
    blocks = normalize_blocks(clean_blocks(blocks, include_comments=include_comments))
    title = _optional(meta.title)
    blocks = _drop_repeated_title(blocks, title)
    # an undeclared language is detected on the article alone: comments may be in another one
    language = meta.language or detect_language(render(blocks))
    if comment_blocks:
        blocks += normalize_blocks(clean_blocks(comment_blocks, include_comments=True))
    return Document(
        text=render(blocks),
        title=title,
        authors=[a for a in (_optional(a) for a in meta.authors) if a],
        published=meta.published,
        modified=meta.modified,
        site=_optional(meta.site),
        url=meta.url or url,
        language=language,
        description=_optional(meta.description),
        tags=[t for t in (_optional(t) for t in meta.tags) if t],
    )
