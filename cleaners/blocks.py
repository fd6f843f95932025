"""Blocks: the unit the text stages work on, one paragraph, heading, list or table each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["p", "h", "list", "quote", "table", "pre"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # for "list": one "- item" per line; for "table": one row per line


def render(blocks: list[Block]) -> str:
    """The body: blocks separated by exactly one blank line, no final newline."""
    return "\n\n".join(block.text for block in blocks if block.text)
