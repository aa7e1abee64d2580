"""The problems both YAML engines (parse.py, roundtrip.py) report, in the
planner's words: each a `PlanFileError` with a rule name, a message, and a
1-based line and column; and where a position stands in a text."""

from __future__ import annotations

import functools
import re

from .files import PlanFileError
from .i18n import _, number

from typing import Any

DataPath = tuple[Any, ...]

#: Plans nest about six levels deep.
MAX_DEPTH = 64
#: Lier's plan holds about 2,000 values; parsing stops at ten times that, so a
#: small file packed with values cannot keep the parser busy.
MAX_VALUES = 20_000


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
