"""Plan files in one canonical shape, so that a diff shows what changed and
not how an editor writes YAML.

The shape: keys in the schema's order; block style everywhere; two spaces of
indentation, list items two spaces in under their key; text plain where YAML
reads it back as the same text, otherwise in double quotes (with \\n for line
breaks); long text on one line, never re-wrapped or re-flowed; no blank lines;
UTF-8 without a byte order mark, and LF line endings (git, diff and every YAML
and JSON tool read that; a mark is an invisible difference between two files).
Every comment stays where it was: a comment on its own line stays above the
value it stood above, a comment at the end of a line (also after a block
text's header, `title: >- # VIKTIG`) stays at the end of that value's line.

Layout only: `canonical()` reads its own output back and refuses to return
anything whose data differs from the input's, or that lost a comment (the
comments found on both sides, and the count of '#' outside every text, which
sees a comment lost even where the search for comments missed it). Pure: text
in, text out; near-linear in the size of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from .parse import Positions, Span, parse_with_spans, resolve_plain
from .schemafile import schema

INDENT = 2


class FormatError(Exception):
    """The text could not be put in the canonical shape without changing it (a bug, never the planner's)."""


class Comment(NamedTuple):
    """A comment of a plan file and the value it belongs to."""

    #: the data path of the value the comment belongs to; () with end=True: after everything
    anchor: tuple[Any, ...]
    text: str
    #: True: at the end of the anchor's line; False: on its own line above it
    inline: bool = False
    end: bool = False
    #: True: inside the brackets of the anchor, an empty list written across lines (`units: [` ... `]`),
    #: where a new plan keeps its commented examples so that uncommenting them gives a valid list
    inner: bool = False


# ---------------------------------------------------------------------------
# the schema's order of keys


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = {**schema()["$defs"][node["$ref"].removeprefix("#/$defs/")], **{k: v for k, v in node.items()
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


def emit(data: Any, line_of: dict[tuple[Any, ...], int] | None = None,
         open_lists: Collection[tuple[Any, ...]] = ()) -> str:
    """The canonical text of `data`, without comments. `line_of`, when given, is filled with the line
    (1-based) where each value starts: its key's line in a mapping, the item's line in a list. An empty
    list at a path in `open_lists` is written open across two lines (`key: [` and `]`), to hold comments."""
    lines: list[str] = []
    starts: dict[tuple[Any, ...], int] = {} if line_of is None else line_of
    starts[()] = 1

    def mapping(node: dict[str, Any], path: tuple[Any, ...], indent: int) -> None:
        pad = " " * indent
        for key in ordered(node, path):
            value = node[key]
            starts[path + (key,)] = len(lines) + 1
            head = f"{pad}{scalar(key)}:"
            if isinstance(value, dict) and value:
                lines.append(head)
                mapping(value, path + (key,), indent + INDENT)
            elif isinstance(value, list) and value:
                lines.append(head)
                sequence(value, path + (key,), indent + INDENT)
            elif isinstance(value, list) and path + (key,) in open_lists:
                lines.extend((f"{head} [", f"{pad}{' ' * INDENT}]"))
            else:
                lines.append(f"{head} {_empty_or_scalar(value)}")

    def sequence(items: list[Any], path: tuple[Any, ...], indent: int) -> None:
        pad = " " * indent
        for index, item in enumerate(items):
            starts[path + (index,)] = len(lines) + 1
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


Start = tuple[int, int, tuple[Any, ...]]


def _starts(positions: Positions, key_positions: Positions) -> list[Start]:
    """(line, depth, path) where each value begins: its key's line in a mapping, the item's line in a list."""
    starts = []
    for path, (line, _column) in positions.items():
        if path and path in key_positions:
            line = key_positions[path][0]
        starts.append((line, len(path), path))
    return sorted(starts, key=lambda s: (s[0], s[1]))


def _lines(text: str) -> list[str]:
    """The lines of a text, split at line feeds only (str.splitlines also splits at NEL, U+2028 and
    other characters that YAML 1.2 reads as text)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _find_comments(text: str, positions: Positions, key_positions: Positions,
                   spans: Sequence[Span]) -> list[Comment]:
    """Every comment of a well-formed plan text, with the value it belongs to, in one pass over its
    lines: a comment on its own line belongs to the next value, a comment at the end of a line to the
    deepest value that starts on that line (or, on a line that goes on with a value from above, that
    value). Linear in the size of the text (a binary search for the next value)."""
    lines = _lines(text)
    inside = bytearray(len(lines) + 2)  # 1: the line is wholly inside a scalar that spans several lines
    last_scalar_end: dict[int, int] = {}  # line -> the column where the last scalar on it ends (1-based)
    for span in spans:
        first, first_column, last, end_column = span.first, span.first_column, span.last, span.end_column
        for number in range(first + 1, last):
            inside[number] = 1
        if span.style in ("|", ">"):  # after the header of a block text, a comment may follow: look from
            # its indicator on (the indicators that may follow it, `-`, `+` and a digit, are never a comment)
            last_scalar_end[first] = max(last_scalar_end.get(first, 0), first_column + 1)
        elif first != last:
            last_scalar_end[first] = 10**9
        else:
            last_scalar_end[first] = max(last_scalar_end.get(first, 0), end_column)
        if last != first:
            last_scalar_end[last] = max(last_scalar_end.get(last, 0), end_column)
    starts = _starts(positions, key_positions)
    start_lines = [start[0] for start in starts]
    open_lists = _open_lists(text, lines, positions)
    deepest: dict[int, tuple[Any, ...]] = {}
    for line, _depth, path in starts:  # sorted by depth within a line: the last one is the deepest
        deepest[line] = path
    found: list[Comment] = []
    for number, line in enumerate(lines, start=1):
        if inside[number] or "#" not in line:
            continue
        column = _comment_column(line, last_scalar_end.get(number, 0))
        if column is None:
            continue
        body = line[column:].rstrip()
        inner = next((path for path, (first, last) in open_lists.items() if first < number < last), None)
        if inner is not None and not line[:column].strip():  # inside an empty list's brackets: kept there
            found.append(Comment(inner, body, inner=True))
        elif not line[:column].strip():  # on its own line: belongs to the next value
            following = bisect.bisect_right(start_lines, number)
            found.append(Comment(starts[following][2], body) if following < len(starts)
                         else Comment((), body, end=True))
        elif number in deepest:  # at the end of a line: belongs to the deepest value that starts on it
            found.append(Comment(deepest[number], body, inline=True))
        else:  # the line continues a value that started above
            before = bisect.bisect_left(start_lines, number) - 1
            found.append(Comment(starts[max(before, 0)][2], body, inline=True))
    return found


def _open_lists(text: str, lines: Sequence[str], positions: Positions) -> dict[tuple[Any, ...], tuple[int, int]]:
    """The empty lists written across lines, `[` on one and `]` on a later one with only comments and
    white space between: path -> (line of `[`, line of `]`)."""
    found = {}
    for path, (line, column) in positions.items():
        if not path or line > len(lines) or lines[line - 1][column - 1:column] != "[":
            continue
        number, rest = line, lines[line - 1][column:]
        while True:
            content = re.split(r"(?:^|\s)#", rest, maxsplit=1)[0].strip()
            if content:
                if content.startswith("]") and number > line:
                    found[path] = (line, number)
                break
            number += 1
            if number > len(lines):
                break
            rest = lines[number - 1]
    return found


def comments(text: str) -> list[Comment]:
    """Every comment of a well-formed plan text, with the value it belongs to."""
    _data, positions, key_positions, spans = parse_with_spans(text)
    return _find_comments(text, positions, key_positions, spans)


def _comment_column(line: str, scalar_end: int) -> int | None:
    """Where a comment starts on a line (0-based), or None: a '#' at the start of
    the line or after whitespace, and after the last scalar that ends on it."""
    column = line.find("#", max(0, scalar_end - 1))
    while column >= 0:
        if column == 0 or line[column - 1] in " \t":
            return column
        column = line.find("#", column + 1)
    return None


def _hashes_outside_text(text: str, spans: Sequence[Span]) -> int:
    """How many '#' of a text stand outside every scalar's text: the comments' own, counted without
    telling comments apart, so that the read-back check sees a comment lost whatever `comments()` saw."""
    def inside(span: Span) -> int:
        written = text[span.start:span.end]
        if span.style in ("|", ">"):  # the header's line may hold a comment; the text starts on the next line
            written = written.partition("\n")[2]
        return written.count("#")

    return text.count("#") - sum(inside(span) for span in spans)


def _place(text: str, found: Sequence[Comment], line_of: dict[tuple[Any, ...], int]) -> str:
    """The canonical text with the comments put back beside their values (`line_of`: where emit() put
    each value)."""
    if not found:
        return text
    lines = _lines(text)
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
        if comment.inner:  # above the closing bracket, which emit() wrote on the line after the key
            line += 1
        (after if comment.inline else before).setdefault(line, []).append(comment.text)
    out = []
    for number, content in enumerate(lines, start=1):
        indent = len(content) - len(content.lstrip(" "))
        out += [" " * indent + text for text in before.get(number, [])]
        out.append(content + "".join("  " + text for text in after.get(number, [])))
    return "\n".join(out + tail) + "\n"


# ---------------------------------------------------------------------------


def _settled(found: Sequence[Comment], line_of: dict[tuple[Any, ...], int],
             on_line: dict[int, list[tuple[Any, ...]]]) -> list[tuple[str, bool, bool, bool, str]]:
    """The comments with their anchors as the canonical text can tell them
    apart: where several values start on one line (`- term: x` starts the item
    and its first key), a comment above the line belongs to the outermost, a
    comment at its end to the innermost."""
    settled = []
    for comment in found:
        anchor = comment.anchor
        if not comment.end:  # the data read back the same: every other anchor is a path of it
            line = line_of[anchor]
            if comment.inline:
                deeper = [p for p in on_line[line] if p[: len(anchor)] == anchor]
                anchor = max(deeper, key=len)
            else:
                while anchor and line_of[anchor[:-1]] == line:  # a value's parent is a value of the data too
                    anchor = anchor[:-1]
        settled.append((repr(anchor), comment.inline, comment.end, comment.inner, comment.text))
    return sorted(settled)


def write(data: Any, found: Sequence[Comment] = ()) -> str:
    """Plain data as a plan text in the canonical shape, with `found` beside
    the values they name: the writer of a plan made by a program (`import`)."""
    line_of: dict[tuple[Any, ...], int] = {}
    return _place(emit(data, line_of), found, line_of)


def canonical(text: str) -> str:
    """`text` (a well-formed plan file) in the canonical shape, comments kept.
    Raises FormatError if that would change a value or lose a comment. Near
    linear in the size of the text: three readings by the fast engine."""
    data, positions, key_positions, spans = parse_with_spans(text)
    found = _find_comments(text, positions, key_positions, spans)
    emitted: dict[tuple[Any, ...], int] = {}
    result = _place(emit(data, emitted, {c.anchor for c in found if c.inner}), found, emitted)
    again, positions, key_positions, spans_again = parse_with_spans(result)
    if again != data:
        raise FormatError("the canonical text reads back differently")
    kept = _find_comments(result, positions, key_positions, spans_again)
    if kept != found:  # the same comments, but some may sit on a line where several values start
        line_of: dict[tuple[Any, ...], int] = {}
        on_line: dict[int, list[tuple[Any, ...]]] = {}
        for line, _depth, path in _starts(positions, key_positions):
            line_of[path] = line
            on_line.setdefault(line, []).append(path)
        if _settled(kept, line_of, on_line) != _settled(found, line_of, on_line):
            raise FormatError("a comment would be lost or moved")
    if _hashes_outside_text(result, spans_again) != _hashes_outside_text(text, spans):
        raise FormatError("a comment would be lost")
    return result
