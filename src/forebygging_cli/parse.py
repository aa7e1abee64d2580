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

from .controls import CONTROL_CHARACTER, printable  # noqa: F401 - re-exported
from .files import PlanFileError
from .i18n import _, number

DataPath = tuple[Any, ...]
Positions = dict[DataPath, tuple[int, int]]

#: Plans nest about six levels deep.
MAX_DEPTH = 64
#: Lier's plan holds about 2,000 values; parsing stops at ten times that, so a
#: small file packed with values cannot keep the parser busy.
MAX_VALUES = 20_000


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
# messages shared by both engines


def alias_error(line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-alias", _("an alias (*name) repeats another part of the file; write the value out in "
                                         "full instead"), line, column, path)


def tag_error(line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("an explicit YAML tag (such as !!int or !foo) is not used in plan files; "
                                          "write the plain value"), line, column, path)


def merge_error(line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("a merge key (<<) is not used in plan files; write the fields out in full"),
                         line, column, path)


def too_many_values(line: int, column: int) -> PlanFileError:
    return PlanFileError("file-too-large", _("the file holds more than {limit} values (a plan holds about {plan}); "
                                             "is this the right file?").format(limit=number(MAX_VALUES),
                                                                               plan=number(2000)), line, column)


def too_deep(line: int, column: int) -> PlanFileError:
    return PlanFileError("nesting-too-deep", _("the YAML nests more than {limit} levels deep; plans nest about "
                                               "six").format(limit=MAX_DEPTH), line, column)


def duplicate_key(key: str, line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("duplicate-key", _("the key `{key}` appears twice in the same mapping; keep one").format(
        key=key), line, column, path)


def key_not_text(key: Any, line: int, column: int, path: DataPath = ()) -> PlanFileError:
    if key is None:
        what = _("an empty key (null)")
    elif isinstance(key, bool):
        what = _("the key {key} (true or false)").format(key=str(key).lower())
    elif isinstance(key, (int, float)):
        what = _("the key {key} (a number)").format(key=key)
    elif isinstance(key, (dict, list, tuple)) or hasattr(key, "items"):
        what = _("a key that is a mapping or a list")
    else:
        what = _("the key {key}").format(key=repr(key))
    return PlanFileError("yaml-syntax", _("{what} is not text; keys in a plan file are words such as `name`").format(
        what=what), line, column, path)


def more_than_one_document(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("the file holds more than one YAML document (a second `---`); a plan file "
                                          "is one document"), line, column)


def no_document() -> PlanFileError:
    return PlanFileError("empty-file", _("the file holds no YAML document (only blank lines or comments)"))


def null_document(line: int, column: int) -> PlanFileError:
    return PlanFileError("empty-file", _("the file holds only an empty value (null), not a plan; a plan file starts "
                                         "with `schema_version: 1`"), line, column)


@functools.cache
def _not_printable() -> re.Pattern[str]:
    """Characters YAML does not allow in a text (the "printable" set of YAML 1.2,
    §5.1). Compiled when first needed: the character class takes 9 ms to compile."""
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_character_error(text: str) -> PlanFileError:
    found = _not_printable().search(text)
    if found is None:
        return PlanFileError("yaml-syntax", _("a character that YAML does not allow in text; remove it"))
    line, column = line_column(text, found.start())
    return PlanFileError("yaml-syntax", _("the control character U+{code} is not allowed in YAML text; remove "
                                          "it").format(code=f"{ord(found.group()):04X}"), line, column)


def syntax_error(problem: str, context: str | None, line: int, column: int, text: str,
                 opened: tuple[int, int] | None = None) -> PlanFileError:
    """A YAML syntax error in a planner's words: what most likely went wrong and
    how to fix it; the parser's own words where no better ones are known.
    `opened` is where the construct the parser was reading began."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = problem.strip()
    context = (context or "").strip()

    def error(message: str) -> PlanFileError:
        return PlanFileError("yaml-syntax", message, line, column)

    leading = len(here) - len(here.lstrip(" \t"))
    if "\t" in here[:leading]:
        return error(_("a tab character is used for indentation; YAML indents with spaces only"))
    if 0 < column <= len(here) and here[column - 1] == "\t":
        return error(_("a tab character stands where YAML does not allow one; replace it with spaces"))
    if "end of stream" in problem and "quoted" in context and opened:
        return error(_("the quote that opens on line {line}, column {column}, is never closed; close it, or remove "
                       "it").format(line=opened[0], column=opened[1]))
    bracket = _unclosed_bracket(text, line, column) if context.startswith("while parsing a flow") else None
    if bracket:
        return error(_("the bracket that opens on line {line}, column {column}, is never closed; close it with the "
                       "matching ] or }}").format(line=bracket[0], column=bracket[1]))
    key = re.match(r"\s*(?:- +)*[^\s#:][^:#]*:\s", here)
    if problem.startswith("mapping values are not allowed") and key and column > key.end():
        return error(_("a colon followed by a space (`: `) inside a value; put the whole value in quotes, for "
                       "example `description: \"Åpent: mandag-torsdag\"`"))
    above = _line_above(lines, line)
    if problem in _INDENTATION_PROBLEMS and above is not None and _indent(here) != _indent(lines[above - 1]):
        return error(_("most likely an indentation slip: line {line} does not line up with line {above} above it; "
                       "YAML reads the structure from the indentation, so indent line {line} like the lines it "
                       "belongs with (spaces only)").format(line=line, above=above))
    if problem.startswith("mapping values are not allowed"):
        return error(_("a colon followed by a space (`: `) inside a value; put the whole value in quotes, for "
                       "example `description: \"Åpent: mandag-torsdag\"`"))
    if problem.startswith("could not find expected ':'"):
        return error(_("line {line} has no `:` after its key; write `key: value`, or, if the line goes on with the "
                       "text above it, indent it further than the key above").format(line=opened[0] if opened else line))
    if problem.startswith("found unknown escape character"):
        return error(_("a backslash in a double-quoted text starts an escape such as \\n; write \\\\ for a "
                       "backslash, or use single quotes"))
    if problem.startswith("found character that cannot start any token") and 0 < column <= len(here):
        return error(_("a value cannot start with `{character}`; put the value in quotes").format(
            character=here[column - 1]))
    where = f" ({context})" if context else ""
    return error(_("YAML syntax error: {problem}{where}").format(problem=problem, where=where))


#: libyaml's words for a line that does not fit the structure around it
_INDENTATION_PROBLEMS = frozenset((
    "did not find expected key", "did not find expected '-' indicator", "mapping values are not allowed in this "
    "context", "block sequence entries are not allowed in this context",
    "expected <block end>, but found '<block mapping start>'", "expected <block end>, but found '?'",
    "mapping values are not allowed here",
))


def _unclosed_bracket(text: str, line: int, column: int) -> tuple[int, int] | None:
    """Where the innermost [ or { still open at (line, column) opens, outside
    quotes and comments; None when there is none."""
    end = sum(len(part) + 1 for part in text.split("\n")[: line - 1]) + column - 1
    stack: list[int] = []
    quote = ""
    index = 0
    while index < min(end, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                if quote == "'" and text[index + 1 : index + 2] == "'":
                    index += 1  # '' inside single quotes
                else:
                    quote = ""
            elif char == "\\" and quote == '"':
                index += 1
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t\n[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        elif char in "[{":
            stack.append(index)
        elif char in "]}" and stack:
            stack.pop()
        index += 1
    return line_column(text, stack[-1]) if stack else None


def _line_above(lines: list[str], line: int) -> int | None:
    """The number of the nearest line above `line` that holds YAML (not blank, not a comment)."""
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _indent(line: str) -> int:
    """Where a line's content starts, counting list dashes as indentation ("  - id: x" -> 4)."""
    position = len(line) - len(line.lstrip(" "))
    while line.startswith("- ", position) or line[position:] == "-":
        position += 1
        position += len(line[position:]) - len(line[position:].lstrip(" "))
    return position


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def clamp(text: str, line: int, column: int) -> tuple[int, int]:
    """A position inside the text: a parser that reports "end of stream" one line
    past a file that does not end in a newline is moved back to its last line."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    last = max(1, len(lines))
    if line > last:
        return last, len(lines[-1]) + 1 if lines else 1
    return line, column


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


# ---------------------------------------------------------------------------
# the round-trip engine: ruamel.yaml


def roundtrip_yaml() -> Any:
    """A ruamel.yaml round-trip loader that refuses, at their position, what
    plan files never need (aliases, tags, merge keys, duplicate keys) and keeps
    dates as text."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _plan_composer()
    yaml.Constructor = _plan_constructor()
    yaml.allow_duplicate_keys = False
    # the composer counts nesting as the fast engine does (containers; see _plan_composer); ruamel's own
    # limit, which also counts keys, only stands guard against recursion
    yaml.max_depth = 2 * MAX_DEPTH + 2
    return yaml


def load_roundtrip(text: str) -> Any:
    """The ruamel.yaml round-trip tree of a text (comments and layout kept).
    Raises PlanFileError."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return roundtrip_yaml().load(text)
    except DuplicateKeyError as exc:
        problem = exc.problem or ""
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        mark = exc.problem_mark
        raise duplicate_key(key, mark.line + 1, mark.column + 1) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        special = {"yaml-alias": alias_error, "yaml-tag": tag_error, "yaml-merge": merge_error,
                   "too-many-values": too_many_values, "nesting-too-deep": too_deep}.get((exc.problem or "").strip())
        if special is not None:
            raise special(line, column) from None
        if type(exc).__name__ == "MaxDepthExceededError":
            raise too_deep(line, column) from None
        opened = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
        raise syntax_error(exc.problem or exc.context or "invalid YAML", exc.context if exc.problem else None,
                           line, column, text, opened) from None
    except YAMLError:  # reader errors: control characters and the like
        raise control_character_error(text) from None
    except RecursionError:
        raise too_deep(1, 1) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # a value ruamel cannot construct (`_` read as a number); plain plan files never get here
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(problem=message)) from None


def _parse_roundtrip(text: str) -> tuple[Any, Positions, Positions]:
    root = load_roundtrip(text)
    if root is None:
        content = _first_content(text)
        if content is not None:
            raise null_document(*content)
        raise no_document()
    positions: Positions = {}
    key_positions: Positions = {}
    data = _plain(root, (), positions, key_positions, text.splitlines())
    # ruamel keeps no position for a scalar; a document that is one scalar starts at its first content
    positions.setdefault((), _start(root) if hasattr(root, "lc") else (_first_content(text) or (1, 1)))
    return data, positions, key_positions


def _first_content(text: str) -> tuple[int, int] | None:
    """Where the first value of a document stands: the first character that is
    not white space, a comment, a directive or a document marker."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped in ("---", "..."):
            continue
        column = len(line) - len(line.lstrip())
        if stripped.startswith("--- "):
            column += 4 + len(stripped[4:]) - len(stripped[4:].lstrip())
        return number, column + 1
    return None


@functools.cache
def _plan_composer() -> Any:
    """A ruamel Composer that refuses aliases, explicit tags and merge keys at
    their position, and stops after MAX_VALUES values. Refusing aliases while
    composing means an alias bomb ("billion laughs") is never expanded."""
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent

    class PlanComposer(Composer):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                raise ComposerError(None, None, "yaml-alias", self.parser.peek_event().start_mark)
            event = self.parser.peek_event()
            if getattr(event, "tag", None) is not None:
                raise ComposerError(None, None, "yaml-tag", event.start_mark)
            if isinstance(event, ScalarEvent) and event.value == "<<" and event.style is None:
                raise ComposerError(None, None, "yaml-merge", event.start_mark)
            self.values = getattr(self, "values", 0) + 1
            if self.values > MAX_VALUES:
                raise ComposerError(None, None, "too-many-values", event.start_mark)
            if not isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                return super().compose_node(parent, index)
            self.containers = getattr(self, "containers", 0) + 1  # mappings and lists, as the fast engine counts
            if self.containers > MAX_DEPTH:
                raise ComposerError(None, None, "nesting-too-deep", event.start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self.containers -= 1

    return PlanComposer


@functools.cache
def _plan_constructor() -> Any:
    """Dates stay text (2024-06-12 -> "2024-06-12"), so that the schema checks
    their form and an impossible date such as 2024-02-30 is a finding, not a crash."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class PlanConstructor(RoundTripConstructor):  # type: ignore[misc]
        pass

    PlanConstructor.add_constructor("tag:yaml.org,2002:timestamp", PlanConstructor.construct_yaml_str)
    return PlanConstructor


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)


_NULL_WORD = re.compile(r"(?:null|Null|NULL|~)(?![\w-])")


def _plain(node: Any, path: DataPath, positions: Positions, key_positions: Positions, lines: list[str]) -> Any:
    """ruamel's round-trip objects -> plain dicts/lists/str, recording positions."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            line, col = node.lc.key(key)
            if not isinstance(key, str):
                raise key_not_text(key, line + 1, col + 1)
            child = path + (key,)
            vl, vc = node.lc.value(key)
            key_positions[child] = (line + 1, col + 1)
            positions[child] = (vl + 1, vc + 1)
            if node[key] is None and not (vl < len(lines) and _NULL_WORD.match(lines[vl], vc)):
                positions[child] = (line + 1, col + 1)  # an empty value stands at its key (as in _parse_events)
            result[key] = _plain(node[key], child, positions, key_positions, lines)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            child = path + (index,)
            il, ic = node.lc.item(index)
            positions[child] = (il + 1, ic + 1)
            items.append(_plain(item, child, positions, key_positions, lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)
