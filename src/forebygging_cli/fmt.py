"""Plan files in one canonical shape, so that a diff shows what changed and
not how an editor writes YAML.

The shape: keys in the schema's order; block style everywhere; two spaces of
indentation, list items two spaces in under their key; text plain where YAML
reads it back as the same text, otherwise in double quotes (with \\n for line
breaks); long text on one line, never re-wrapped or re-flowed; no blank lines.
Every comment stays where it was: a comment on its own line stays above the
value it stood above, a comment at the end of a line stays at the end of that
value's line.

Layout only: `canonical()` reads its own output back and refuses to return
anything whose data differs from the input's, or that lost a comment. Pure:
text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .parse import Positions, parse, resolve_plain, scalar_spans
from .schemafile import schema

INDENT = 2


class FormatError(Exception):
    """The text could not be put in the canonical shape without changing it (a bug, never the planner's)."""


@dataclass(frozen=True)
class Comment:
    """A comment of a plan file and the value it belongs to."""

    #: the data path of the value the comment belongs to; () with end=True: after everything
    anchor: tuple[Any, ...]
    text: str
    #: True: at the end of the anchor's line; False: on its own line above it
    inline: bool = False
    end: bool = False


# ---------------------------------------------------------------------------
# the schema's order of keys


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {**schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items()
                                                                          if k != "$ref"}}
    return node


def key_order(path: Sequence[Any]) -> list[str]:
    """The keys of the mapping at `path` in the schema's order."""
    node: dict[str, Any] = schema()
    for part in path:
        node = _resolve(node)
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
    return list(_resolve(node).get("properties", {}))


def ordered(mapping: dict[str, Any], path: Sequence[Any]) -> list[str]:
    order = key_order(path)
    known = [k for k in order if k in mapping]
    return known + [k for k in mapping if k not in order]  # keys the schema does not know, as they came


# ---------------------------------------------------------------------------
# scalars

_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_YAML11_WORDS = {"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~"}
_TIMESTAMP = re.compile(r"\d{4}-\d\d?-\d\d?([Tt ].*)?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def can_be_plain(text: str) -> bool:
    """Whether `text` written without quotes reads back as the same text in
    every YAML reader (1.1 and 1.2): conservative, so a text that is not
    certainly safe gets double quotes."""
    if not text or text != text.strip() or _CONTROL.search(text):
        return False
    if not _PLAIN_SAFE.fullmatch(text) or ": " in text or " #" in text or text.endswith(":"):
        return False
    if text.lower() in _YAML11_WORDS or _TIMESTAMP.fullmatch(text):
        return False
    try:
        return resolve_plain(text) == text
    except Exception:  # noqa: BLE001 - a number form the round-trip engine reads: quote it
        return False


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _CONTROL.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    text = str(value)
    return text if can_be_plain(text) else double_quoted(text)


# ---------------------------------------------------------------------------
# the canonical text without comments


def emit(data: Any) -> str:
    lines: list[str] = []

    def mapping(node: dict[str, Any], path: tuple[Any, ...], indent: int) -> None:
        pad = " " * indent
        for key in ordered(node, path):
            value = node[key]
            head = f"{pad}{scalar(key)}:"
            if isinstance(value, dict) and value:
                lines.append(head)
                mapping(value, path + (key,), indent + INDENT)
            elif isinstance(value, list) and value:
                lines.append(head)
                sequence(value, path + (key,), indent + INDENT)
            else:
                lines.append(f"{head} {_empty_or_scalar(value)}")

    def sequence(items: list[Any], path: tuple[Any, ...], indent: int) -> None:
        pad = " " * indent
        for index, item in enumerate(items):
            if isinstance(item, (dict, list)) and item:
                start = len(lines)
                if isinstance(item, dict):
                    mapping(item, path + (index,), indent + INDENT)
                else:
                    sequence(item, path + (index,), indent + INDENT)
                lines[start] = pad + "- " + lines[start][indent + INDENT:]
            else:
                lines.append(f"{pad}- {_empty_or_scalar(item)}")

    if isinstance(data, dict):
        mapping(data, (), 0)
    else:
        raise FormatError("a plan file is a mapping")
    return "\n".join(lines) + "\n"


def _empty_or_scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


# ---------------------------------------------------------------------------
# comments


def _starts(positions: Positions, key_positions: Positions) -> list[tuple[int, int, tuple[Any, ...]]]:
    """(line, depth, path) where each value begins: its key's line in a mapping, the item's line in a list."""
    starts = []
    for path, (line, _column) in positions.items():
        if path and path in key_positions:
            line = key_positions[path][0]
        starts.append((line, len(path), path))
    return sorted(starts, key=lambda s: (s[0], s[1]))


def comments(text: str) -> list[Comment]:
    """Every comment of a well-formed plan text, with the value it belongs to."""
    _data, positions, key_positions = parse(text)
    spans = scalar_spans(text)
    inside: set[int] = set()  # lines wholly inside a multi-line scalar
    last_scalar_end: dict[int, int] = {}  # line -> the column where the last scalar on it ends
    for first, first_column, last, end_column in spans:
        inside.update(range(first + 1, last))
        for line in range(first, last + 1):
            column = end_column if line == last else 10**9
            last_scalar_end[line] = max(last_scalar_end.get(line, 0), column)
        if first != last:
            last_scalar_end[first] = 10**9
    starts = _starts(positions, key_positions)
    found: list[Comment] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number in inside:
            continue
        column = _comment_column(line, last_scalar_end.get(number, 0))
        if column is None:
            continue
        body = line[column:].rstrip()
        if not line[:column].strip():  # on its own line: belongs to the next value
            after = [s for s in starts if s[0] > number]
            found.append(Comment(after[0][2], body) if after else Comment((), body, end=True))
        else:  # at the end of a line: belongs to the deepest value that starts on it
            here = [s for s in starts if s[0] == number]
            if not here:  # the line continues a value that started above
                here = [max((s for s in starts if s[0] < number), key=lambda s: (s[0], s[1]))]
            found.append(Comment(max(here, key=lambda s: s[1])[2], body, inline=True))
    return found


def _comment_column(line: str, scalar_end: int) -> int | None:
    """Where a comment starts on a line (0-based), or None: a '#' at the start of
    the line or after whitespace, and after the last scalar that ends on it."""
    start = max(0, scalar_end - 1)
    for match in re.finditer("#", line):
        column = match.start()
        if column < start and scalar_end:
            continue
        if column == 0 or line[column - 1] in " \t":
            return column
    return None


def _place(text: str, found: Sequence[Comment]) -> str:
    """The canonical text with the comments put back beside their values."""
    if not found:
        return text
    _data, positions, key_positions = parse(text)
    line_of = {path: line for line, _depth, path in _starts(positions, key_positions)}
    lines = text.splitlines()
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    tail: list[str] = []
    for comment in found:
        if comment.end:
            tail.append(comment.text)
            continue
        line = line_of.get(comment.anchor)
        if line is None:  # a path that is gone cannot be: the data is the same
            raise FormatError(f"no place for the comment {comment.text!r}")
        (after if comment.inline else before).setdefault(line, []).append(comment.text)
    out = []
    for number, content in enumerate(lines, start=1):
        indent = len(content) - len(content.lstrip(" "))
        out += [" " * indent + text for text in before.get(number, [])]
        out.append(content + "".join("  " + text for text in after.get(number, [])))
    return "\n".join(out + tail) + "\n"


# ---------------------------------------------------------------------------


def _settled(found: Sequence[Comment], line_of: dict[tuple[Any, ...], int]) -> list[tuple[str, bool, bool, str]]:
    """The comments with their anchors as the canonical text can tell them
    apart: where several values start on one line (`- term: x` starts the item
    and its first key), a comment above the line belongs to the outermost, a
    comment at its end to the innermost."""
    settled = []
    for comment in found:
        anchor = comment.anchor
        if anchor in line_of and not comment.end:
            line = line_of[anchor]
            if comment.inline:
                deeper = [p for p, n in line_of.items() if n == line and p[: len(anchor)] == anchor]
                anchor = max(deeper, key=len)
            else:
                while anchor and anchor[:-1] in line_of and line_of[anchor[:-1]] == line:
                    anchor = anchor[:-1]
        settled.append((repr(anchor), comment.inline, comment.end, comment.text))
    return sorted(settled)


def write(data: Any, found: Sequence[Comment] = ()) -> str:
    """Plain data as a plan text in the canonical shape, with `found` beside
    the values they name: the writer of a plan made by a program (`import`)."""
    return _place(emit(data), found)


def canonical(text: str) -> str:
    """`text` (a well-formed plan file) in the canonical shape, comments kept.
    Raises FormatError if that would change a value or lose a comment."""
    data, _positions, _keys = parse(text)
    found = comments(text)
    result = _place(emit(data), found)
    again, positions, key_positions = parse(result)
    if again != data:
        raise FormatError("the canonical text reads back differently")
    line_of = {path: line for line, _depth, path in _starts(positions, key_positions)}
    if _settled(comments(result), line_of) != _settled(found, line_of):
        raise FormatError("a comment would be lost or moved")
    return result
