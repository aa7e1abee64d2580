"""YAML text -> plain data (dicts, lists, str, int, float, bool, None) and the
1-based line and column of every key and value.

Two engines, which give the same data, positions and findings on every file
the test suite reads (conftest.py compares them on each):

* `fast` (the default for reading): libyaml's C parser through PyYAML, one
  event at a time, and a small builder here that records each event's mark.
  About twenty times faster than the round-trip parser, and linear in the size
  of the input, so no file the tool accepts keeps it busy for long.
* `roundtrip`: ruamel.yaml's round-trip loader, the one that keeps comments
  and layout; `fmt` edits through it. The fast engine hands a file to it when
  a plain scalar has an unusual number form (`0o17`, `1_000`, `1e3`) so that
  both read every value alike (YAML 1.2: `no` is text, `0301` is 301), and
  when the text holds a character libyaml counts as a line break and editors
  do not (NEL, U+2028, U+2029).

Both refuse what plan files never need, at its position: aliases (`*name`),
explicit tags (`!!int`), merge keys (`<<`), duplicate keys, keys that are not
text, more than one document, nesting deeper than MAX_DEPTH and more than
MAX_VALUES values. Problems raise `PlanFileError` with a kind (a rule name in
the rule catalogue), a message, and a line and column.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from .files import PlanFileError
from .i18n import _
from .roundtrip import load_roundtrip, roundtrip_yaml  # noqa: F401 - re-exported (fmt, tests)
from .roundtrip import parse_roundtrip as _parse_roundtrip
from .yamlerrors import (MAX_DEPTH, MAX_VALUES, alias_error, clamp, control_character_error, duplicate_key,
                         key_not_text, merge_error, more_than_one_document, no_document, null_document, syntax_error,
                         tag_error, too_deep, too_many_values)

DataPath = tuple[Any, ...]
Positions = dict[DataPath, tuple[int, int]]



#: line breaks to libyaml but not to editors or the round-trip engine (NEL, LINE and PARAGRAPH
#: SEPARATOR, which text pasted from a PDF may hold): every line after one would be misplaced
_OTHER_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


#: A problem the fast engine meets within this many values and characters (Lier's plan holds about
#: 2,000 values in 90,000 characters) is placed by the round-trip engine, so that both engines report
#: every plan file alike; past it, the pure-Python round-trip parser would need seconds to reach the
#: problem (about 0.1 ms a value, 1.5 ms a thousand characters), and the fast engine's own finding
#: stands: the same rule, libyaml's position and words.
ROUNDTRIP_PLACES_WITHIN = (5_000, 256 * 1024)


class _Unusual(Exception):
    """A scalar the fast engine leaves to the round-trip engine."""


def parse(text: str, engine: str = "fast") -> tuple[Any, Positions, Positions]:
    """(data, positions, key_positions) of a YAML text. Raises PlanFileError.

    The fast engine reads every well-formed file; a file it cannot read (a
    YAML error, or a value it leaves to the other) goes to the round-trip
    engine, which then decides: a problem is reported as the round-trip engine
    places it, so both engines give the same findings (unless the problem lies
    past ROUNDTRIP_PLACES_WITHIN, where the fast engine's finding stands)."""
    if engine == "fast" and not _OTHER_LINE_BREAKS.search(text):
        try:
            return _parse_events(text)
        except _Unusual:
            pass
        except PlanFileError as fast:
            values, index = fast.progress
            if values > ROUNDTRIP_PLACES_WITHIN[0] or index > ROUNDTRIP_PLACES_WITHIN[1]:
                raise  # the round-trip parser would take seconds to come as far: the fast finding stands
            try:
                return _parse_roundtrip(text)
            except PlanFileError as reference:
                if (reference.kind, reference.line, reference.column) == (fast.kind, fast.line, fast.column):
                    reference.path = reference.path or fast.path  # ruamel does not say where a duplicate key is
                raise reference from None
    return _parse_roundtrip(text)


# ---------------------------------------------------------------------------
# the fast engine: libyaml events


#: YAML 1.2 core schema, as ruamel.yaml reads it. Forms the fast engine reads
#: itself; any other number form goes to the round-trip engine.
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
#: ruamel.yaml's int, float and value patterns for YAML 1.2 (resolver.py)
_OTHER_NUMBER = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|="
)


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2 reads it. Dates stay text, so the
    schema checks their form and 2024-02-30 is a finding, not a crash."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _PLAIN_INT.fullmatch(value):
        return int(value)
    if _PLAIN_FLOAT.fullmatch(value):
        return float(value)
    if _OTHER_NUMBER.fullmatch(value):
        raise _Unusual(value)
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


#: where a scalar's text stands: (first line, first column, last line, end column), 1-based, end exclusive
Span = tuple[int, int, int, int]


def scalar_spans(text: str) -> list[Span]:
    """Where every scalar (key or value) of a well-formed YAML text stands, so
    that a comment can be told from a '#' inside a text (fmt uses this)."""
    spans: list[Span] = []
    _parse_events(text, spans)
    return spans


def _after(error: PlanFileError, values: int, index: int) -> PlanFileError:
    """`error`, with how far the fast engine had come: values read, and characters before the problem."""
    error.progress = (values, index)
    return error


def _parse_events(text: str, spans: list[Span] | None = None) -> tuple[Any, Positions, Positions]:
    make_parser, yaml = _yaml_api()
    positions: Positions = {}
    key_positions: Positions = {}
    parser = make_parser(text)
    stack: list[_Frame] = []
    root: Any = _NO_KEY
    documents = 0
    values = 0
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
                values += 1
                if values > MAX_VALUES:
                    raise too_many_values(*where)
                if kind is scalar:
                    if spans is not None:
                        end = event.end_mark
                        spans.append((where[0], where[1], end.line + 1, end.column + 1))
                    if not event.style:  # plain: None (Python parser) or "" (libyaml)
                        if event.value == "<<":
                            raise merge_error(*where, _pending_path(stack))
                        value = resolve_plain(event.value)
                    else:
                        value = event.value
                else:
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
                        if value in parent:
                            raise duplicate_key(value, *where, frame.path + (value,))
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
        raise _after(exc, values, event.start_mark.index)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        index = mark.index if mark else 0
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000 levels)
            raise _after(too_deep(line, column), values, index) from None
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
    if root is _NO_KEY:
        raise no_document()
    if root is None:
        raise null_document(*positions[()])
    return root, positions, key_positions
