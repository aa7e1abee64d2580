"""YAML text -> plain data (dicts, lists, str, int, float, bool, None) and the
1-based line and column of every key and value.

Two engines, which give the same data, positions and findings on every file
the test suite reads (conftest.py compares them on each):

* `fast` (the default for reading): libyaml's C parser through PyYAML, one
  event at a time, and a small builder here that records each event's mark.
  About twenty times faster than the round-trip parser, and linear in the size
  of the input, so no file the tool accepts keeps it busy for long.
* `roundtrip`: ruamel.yaml's round-trip loader (pure Python), which places a
  syntax error the fast engine meets as the planner's editor shows it.

Both read the YAML 1.2 core schema (`no` is text, `0301` is 301, `0o17` is
15: resolve_plain), and read NEL, U+2028 and U+2029 as text, not as line
breaks. Both refuse what plan files never need, at its position, with the
same finding (yamlerrors.py; docs/yaml.md lists them): aliases and anchors,
explicit tags, merge keys, duplicate keys, keys that are not text, more than
one document, directives, tabs, a byte order mark inside the text, the flow
forms YAML readers read differently, lines of only spaces in a block text,
nesting deeper than MAX_DEPTH and more than MAX_VALUES values. Problems raise
`PlanFileError` with a kind (a rule name in the rule catalogue), a message, a
line and column, and for a refusal on purpose its `restriction`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .files import PlanFileError
from .i18n import _
from .roundtrip import load_roundtrip, roundtrip_yaml  # noqa: F401 - re-exported (fmt, tests)
from .roundtrip import parse_roundtrip as _parse_roundtrip
from .yamlerrors import (MAX_DEPTH, MAX_VALUES, EventChecks, alias_error, check_anchor, check_text, clamp,
                         control_character_error, duplicate_key, key_not_text, merge_error, more_than_one_document,
                         no_document, null_document, put_back, stand_ins, syntax_error, tag_error, too_deep,
                         too_many_values)

DataPath = tuple[Any, ...]
Positions = dict[DataPath, tuple[int, int]]



#: A syntax error the fast engine meets within this many values and characters (Lier's plan holds about
#: 2,000 values in 90,000 characters) is placed by the round-trip engine, so that both engines report
#: every plan file alike; past it, the pure-Python round-trip parser would need seconds to reach the
#: problem (about 0.1 ms a value, 1.5 ms a thousand characters), and the fast engine's own finding
#: stands: the same rule, libyaml's position and words.
ROUNDTRIP_PLACES_WITHIN = (5_000, 256 * 1024)


def parse(text: str, engine: str = "fast") -> tuple[Any, Positions, Positions]:
    """(data, positions, key_positions) of a YAML text. Raises PlanFileError.

    The fast engine reads every file. A problem it meets is placed by the
    round-trip engine, which refuses the same forms (docs/yaml.md) and, as its
    scanner looks further ahead, may meet a syntax error first: so both engines
    give the same findings (unless the problem lies past
    ROUNDTRIP_PLACES_WITHIN, where the fast engine's finding stands). Where the
    round-trip engine reads a text the fast one refuses, the refusal stands, so
    every command gives one verdict on a text."""
    if engine != "fast":
        return _parse_roundtrip(text)
    try:
        return _parse_events(text)
    except PlanFileError as fast:
        values, index = fast.progress
        if values > ROUNDTRIP_PLACES_WITHIN[0] or index > ROUNDTRIP_PLACES_WITHIN[1]:
            raise  # the round-trip parser would take seconds to come as far
        try:
            _parse_roundtrip(text)
        except PlanFileError as reference:
            if (reference.kind, reference.line, reference.column) == (fast.kind, fast.line, fast.column):
                reference.path = reference.path or fast.path  # ruamel does not say where a duplicate key is
            raise reference from None
        raise


# ---------------------------------------------------------------------------
# the fast engine: libyaml events


#: The YAML 1.2 core schema (yaml.org/spec/1.2.2, 10.3.2): how a plain (unquoted) scalar is read. Both
#: engines read every plain scalar through resolve_plain, so they read every value alike.
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INFINITY = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = frozenset((".nan", ".NaN", ".NAN"))
#: where a plain scalar may be a number: it starts with one of these
_NUMBER_START = frozenset("0123456789-+.")


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar as the YAML 1.2 core schema reads it. Dates
    stay text, so the schema checks their form and 2024-02-30 is a finding, not
    a crash. Raises ValueError for an integer of more than 4,300 digits (Python's limit)."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] not in _NUMBER_START:
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _OCTAL.fullmatch(value):
        return int(value[2:], 8)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    infinity = _INFINITY.fullmatch(value)
    if infinity:
        return float("-inf") if infinity.group(1) == "-" else float("inf")
    if value in _NAN:
        return float("nan")
    return value


@functools.cache
def _yaml_api() -> tuple[Callable[[str], Any], Any]:
    """libyaml's event parser (PyYAML's C extension), or PyYAML's own Python
    parser where the C extension is missing: the same events and marks."""
    import yaml

    try:
        from yaml._yaml import CParser as make_parser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        make_parser = yaml.SafeLoader
    return make_parser, yaml


class _Frame:
    __slots__ = ("container", "path", "key", "key_mark")

    def __init__(self, container: Any, path: DataPath) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (1, 1)


_NO_KEY = object()


def _pending_path(stack: list[_Frame]) -> DataPath:
    """The data path of the value the builder is about to attach."""
    if not stack:
        return ()
    frame = stack[-1]
    if type(frame.container) is list:
        return frame.path + (len(frame.container),)
    return frame.path + ((frame.key,) if frame.key is not _NO_KEY else ())


class Span(NamedTuple):
    """Where a scalar's text stands: 1-based lines and columns (end exclusive), 0-based character
    offsets (end exclusive), and its style: "" plain, "'" or '"' quoted, "|" or ">" a block text.
    A block text starts at its header (`|`, `>-`, `>2-`), which may have a comment after it."""

    first: int
    first_column: int
    last: int
    end_column: int
    style: str
    start: int
    end: int


def parse_with_spans(text: str) -> tuple[Any, Positions, Positions, list[Span]]:
    """parse(text) and where every scalar (key or value) stands, so that a
    comment can be told from a '#' inside a text (fmt uses this): one reading."""
    spans: list[Span] = []
    data, positions, key_positions = _parse_events(text, spans)
    return data, positions, key_positions, spans


def scalar_spans(text: str) -> list[Span]:
    """Where every scalar (key or value) of a well-formed YAML text stands."""
    return parse_with_spans(text)[3]


def _after(error: PlanFileError, values: int, index: int) -> PlanFileError:
    """`error`, with how far the fast engine had come: values read, and characters before the problem."""
    error.progress = (values, index)
    return error


def _parse_events(text: str, spans: list[Span] | None = None) -> tuple[Any, Positions, Positions]:
    check_text(text)
    make_parser, yaml = _yaml_api()
    source, back = stand_ins(text)
    positions: Positions = {}
    key_positions: Positions = {}
    parser = make_parser(source)
    checks = EventChecks(text)
    stack: list[_Frame] = []
    root: Any = _NO_KEY
    documents = 0
    values = 0
    event = None
    duplicate: PlanFileError | None = None
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is scalar or kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                where = (mark.line + 1, mark.column + 1)
                if event.tag is not None:
                    raise tag_error(*where, _pending_path(stack))
                if event.anchor is not None:
                    check_anchor(text, event.anchor, mark.index, *where)
                values += 1
                if values > MAX_VALUES:
                    raise too_many_values(*where)
                if kind is scalar:
                    end = event.end_mark
                    checks.scalar(event.value, event.style, (mark.index, mark.line, mark.column),
                                  (end.index, end.line, end.column))
                    if spans is not None:
                        spans.append(Span(where[0], where[1], end.line + 1, end.column + 1, event.style or "",
                                          mark.index, end.index))
                    value = event.value
                    if back and not value.isascii():
                        value = put_back(value, back)
                    if not event.style:  # plain: None (Python parser) or "" (libyaml)
                        if value == "<<":
                            raise merge_error(*where, _pending_path(stack))
                        try:
                            value = resolve_plain(value)
                        except ValueError as exc:
                            raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(
                                problem=exc), *where) from None
                else:
                    checks.start(mark.index, mark.line, mark.column, bool(event.flow_style))
                    value = {} if kind is mapping_start else []
                # attach to the parent
                if not stack:
                    root = value
                    path: DataPath = ()
                    positions[()] = where
                else:
                    frame = stack[-1]
                    parent = frame.container
                    if type(parent) is list:
                        path = frame.path + (len(parent),)
                        positions[path] = where
                        parent.append(value)
                    elif frame.key is _NO_KEY:  # this is a key
                        if type(value) is not str:
                            raise key_not_text(value, *where, frame.path)
                        if value in parent and duplicate is None:
                            # reported once the whole text is read: as ruamel.yaml finds a duplicate key
                            # only when it builds the tree, a YAML error or a refusal further on comes first
                            duplicate = _after(duplicate_key(value, *where, frame.path + (value,)), values,
                                               mark.index)
                        frame.key, frame.key_mark = value, where
                        continue
                    else:
                        path = frame.path + (frame.key,)
                        key_positions[path] = frame.key_mark
                        # an empty value (`derived:` and nothing after) stands at its key: libyaml
                        # and ruamel would each place the nothing somewhere else
                        empty = kind is scalar and value is None and event.value == "" and not event.style
                        positions[path] = frame.key_mark if empty else where
                        parent[frame.key] = value
                        frame.key = _NO_KEY
                if kind is not scalar:
                    if len(stack) >= MAX_DEPTH:
                        raise too_deep(*where)
                    stack.append(_Frame(value, path))
            elif kind in ends:
                stack.pop()
                mark, end = event.start_mark, event.end_mark
                checks.end(mark.index, mark.line, mark.column, end.index)
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                raise alias_error(mark.line + 1, mark.column + 1, _pending_path(stack))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise more_than_one_document(mark.line + 1, mark.column + 1)
            elif kind is yaml.StreamEndEvent:
                break
    except PlanFileError as exc:
        raise _after(exc, values, event.start_mark.index if event is not None else 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        index = mark.index if mark else 0
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000 levels)
            deep = too_deep(line, column)
            deep.restriction = None  # met while libyaml looked ahead, past MAX_DEPTH: the round-trip engine places it
            raise _after(deep, values, index) from None
        opened = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
        raise _after(syntax_error(exc.problem or "invalid YAML", exc.context, line, column, text, opened),
                     values, index) from None
    except yaml.reader.ReaderError:
        raise _after(control_character_error(text), values, 0) from None
    except yaml.YAMLError as exc:  # pragma: no cover - any other complaint of the parser
        raise _after(PlanFileError("yaml-syntax", _("YAML syntax error: {problem}{where}").format(problem=exc,
                                                                                                 where="")), values, 0)
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    if duplicate is not None:
        raise duplicate
    if root is _NO_KEY:
        raise no_document()
    if root is None:
        raise null_document(*positions[()])
    return root, positions, key_positions
