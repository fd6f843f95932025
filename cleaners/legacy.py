"""clean_text: text saved by older scrapers (one paragraph a line, cruft at the end).

The head of such a text holds a date line and the headline, in either order; the rest is
paragraphs and sub-headings with the page's cruft (subscribe links, comment-form labels,
captcha notices, "More Articles") mixed in. The same line rules as for HTML remove it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .blocks import Block, render
from .dates import find_date_in_line
from .document import Document
from .language import detect_language
from .lines import clean_blocks, is_cruft_line
from .normalize import normalize_blocks, normalize_text, same_text

_BULLET = re.compile(r"^[\s•·*›»▪■◦‣–—-]+")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
#: How many leading lines may hold the date and headline.
HEAD_LINES = 4
MAX_TITLE_CHARS = 250


def _paragraph_lines(text: str) -> list[str]:
    """Non-empty lines; a line that continues a hard-wrapped sentence joins the previous one."""
    lines: list[str] = []
    previous_blank = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        wrapped = not previous_blank and lines and not _SENTENCE_END.search(lines[-1]) and line[:1].islower()
        if wrapped:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        previous_blank = False
    return lines


def _looks_like_title(line: str) -> bool:
    return len(line) <= MAX_TITLE_CHARS and not line.endswith((".", "!", ";")) and len(line.split()) >= 2


def split_head(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(title, published, body lines): the date line and headline taken from the first lines."""
    title = published = None
    head_end = 0
    for index, line in enumerate(lines[:HEAD_LINES]):
        date = find_date_in_line(line) if published is None else None
        if date is not None:
            published, head_end = date, index + 1
            continue
        if is_cruft_line(line):
            head_end = index + 1
            continue
        candidate = _BULLET.sub("", line).strip()
        if title is None and _looks_like_title(candidate):
            title, head_end = candidate, index + 1
            continue
        break
    return title, published, lines[head_end:]


def clean_text(text: str, url: str | None = None) -> Document:
    """Clean text saved by an older scraper into a Document (title and date from its head)."""
    text = normalize_text(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), keep_indent=True)
    title, published, body = split_head(_paragraph_lines(text))
    blocks = normalize_blocks(clean_blocks([Block("p", line) for line in body]))
    if blocks and same_text(blocks[0].text, title):
        blocks = blocks[1:]
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed address ("http://[oops/")
        host = None
    body = render(blocks)
    return Document(
        text=body,
        language=detect_language(body),
        title=title,
        published=published,
        url=url,
        site=host.removeprefix("www.") if host else None,
    )
