"""The archive file format: a YAML metadata header between ``---`` lines, a blank line, the body.

``loads(dumps(doc)) == doc`` for every document. The derived keys (``words``, ``sha256``,
``extractor``) are written for readers' convenience and recomputed, not stored, on load.
"""

from __future__ import annotations

import hashlib

import yaml

from .document import Document
from .errors import FormatError
from .version import EXTRACTOR

try:  # libyaml is much faster; both produce the same output for the plain scalars we write
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Header keys in their fixed order (see README, "File format").
HEADER_KEYS = (
    "title",
    "authors",
    "published",
    "modified",
    "site",
    "url",
    "language",
    "description",
    "tags",
    "source",
    "fetched",
    "words",
    "sha256",
    "extractor",
)
_DERIVED = {"words", "sha256", "extractor"}
_LIST_KEYS = {"authors", "tags"}
_OPTIONAL = {"fetched"}  # written only when set: offline cleaning has no fetch time

DELIMITER = "---"


class _HeaderDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Keeps every header value on one line: multi-line strings become double-quoted with escapes."""


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in "\n\r\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_HeaderDumper.add_representer(str, _represent_str)


def body_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def header(doc: Document) -> dict[str, object]:
    """The header mapping of ``doc``, keys in file order."""
    values = doc.to_dict()
    out: dict[str, object] = {}
    for key in HEADER_KEYS:
        if key == "words":
            out[key] = doc.words
        elif key == "sha256":
            out[key] = body_sha256(doc.text)
        elif key == "extractor":
            out[key] = EXTRACTOR
        elif key in _OPTIONAL and values[key] is None:
            continue
        else:
            value = values[key]
            out[key] = list(value) if key in _LIST_KEYS else value
    return out


def dumps(doc: Document) -> str:
    """Serialise ``doc``: header, blank line, body, exactly one final newline."""
    head = yaml.dump(
        header(doc),
        Dumper=_HeaderDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1 << 30,
    )
    return f"{DELIMITER}\n{head}{DELIMITER}\n\n{doc.text}\n"


def loads(data: str) -> Document:
    """Parse a file written by ``dumps``. Raises ``FormatError`` on anything else."""
    if not data.startswith(DELIMITER + "\n"):
        raise FormatError("missing '---' header line")
    end = data.find(f"\n{DELIMITER}\n", len(DELIMITER))
    if end < 0:
        raise FormatError("unterminated header")
    raw_header = data[len(DELIMITER) + 1 : end + 1]
    rest = data[end + len(DELIMITER) + 2 :]
    if not rest.startswith("\n") or not rest.endswith("\n"):
        raise FormatError("body must follow one blank line and end with a newline")
    try:
        meta = yaml.load(raw_header, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise FormatError(f"invalid YAML header: {exc}") from None
    if not isinstance(meta, dict):
        raise FormatError("header is not a mapping")
    values = {k: v for k, v in meta.items() if k in HEADER_KEYS and k not in _DERIVED}
    for key in _LIST_KEYS:
        values[key] = list(values.get(key) or [])
    return Document(text=rest[1:-1], **values)
