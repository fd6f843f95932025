"""Text normalisation: repaired encoding, NFC, no invisible or control characters, folded spaces."""

from __future__ import annotations

import re
import unicodedata

from .blocks import Block

# Zero-width and bidi-control characters: invisible, they only break search and comparison.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# C0/C1 controls except tab and line feed; a tab becomes a space below.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every Unicode space except line feed (no-break, thin, ideographic ...) becomes a plain space.
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{2,}")


# UTF-8 read as Latin-1 or cp1252 leaves a lead byte (Â Ã â Ð Ø ...) followed by what its continuation
# bytes look like in those charsets. Text without such a pair has no mojibake for ftfy to find, and
# the check is much cheaper than importing and running ftfy on every document.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00df\u00e2-\u00ef\u00f0-\u00f4]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def might_be_mojibake(text: str) -> bool:
    return _MOJIBAKE_HINT.search(text) is not None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 (``Ã©`` -> ``é``) where ftfy is confident; cheap otherwise."""
    if not might_be_mojibake(text):
        return text
    import ftfy
    from ftfy.badness import is_bad

    return ftfy.fix_encoding(text) if is_bad(text) else text


def normalize_text(text: str, *, keep_indent: bool = False, check_mojibake: bool = True) -> str:
    """One block's text, normalised. ``keep_indent`` keeps leading spaces (code, nested lists);
    ``check_mojibake=False`` when the caller already knows the text has none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if check_mojibake:
        text = repair_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        if keep_indent:
            indent = len(line) - len(line.lstrip(" \t"))
            line = " " * indent + _SPACES.sub(" ", line.strip())
        else:
            line = _SPACES.sub(" ", line).strip()
        lines.append(line.rstrip())
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip("\n")


def normalize_blocks(blocks: list[Block]) -> list[Block]:
    # One look at the whole text: mojibake is rare, and ftfy's test costs as much as the rest.
    suspect = might_be_mojibake("\n".join(block.text for block in blocks))
    out = []
    for block in blocks:
        text = normalize_text(block.text, keep_indent=block.kind in ("pre", "list"), check_mojibake=suspect)
        if text.strip():
            out.append(Block(block.kind, text))
    return out


def same_text(a: str | None, b: str | None) -> bool:
    """Equal once case, spaces and punctuation are ignored (for title-as-first-line checks)."""

    def key(text: str | None) -> str:
        return " ".join(re.findall(r"\w+", (text or "").casefold()))

    return bool(a and b) and key(a) == key(b)
