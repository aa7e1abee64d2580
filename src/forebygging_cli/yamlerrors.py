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
                                         "full instead"), line, column, path, restriction="alias")


def tag_error(line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("an explicit YAML tag (such as !!int or !foo) is not used in plan files; "
                                          "write the plain value"), line, column, path, restriction="tag")


def merge_error(line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("a merge key (<<) is not used in plan files; write the fields out in full"),
                         line, column, path, restriction="merge")


def too_many_values(line: int, column: int) -> PlanFileError:
    return PlanFileError("file-too-large", _("the file holds more than {limit} values (a plan holds about {plan}); "
                                             "is this the right file?").format(limit=number(MAX_VALUES),
                                                                               plan=number(2000)), line, column,
                         restriction="values")


def too_deep(line: int, column: int) -> PlanFileError:
    return PlanFileError("nesting-too-deep", _("the YAML nests more than {limit} levels deep; plans nest about "
                                               "six").format(limit=MAX_DEPTH), line, column, restriction="depth")


def duplicate_key(key: str, line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("duplicate-key", _("the key `{key}` appears twice in the same mapping; keep one").format(
        key=key), line, column, path, restriction="duplicate")


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
        what=what), line, column, path, restriction="key")


def more_than_one_document(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("the file holds more than one YAML document (a second `---`); a plan file "
                                          "is one document"), line, column, restriction="documents")


def no_document() -> PlanFileError:
    return PlanFileError("empty-file", _("the file holds no YAML document (only blank lines or comments)"),
                         restriction="empty")


def null_document(line: int, column: int) -> PlanFileError:
    return PlanFileError("empty-file", _("the file holds only an empty value (null), not a plan; a plan file starts "
                                         "with `schema_version: 1`"), line, column, restriction="empty")


def anchor_error(name: str, line: int, column: int, path: DataPath = ()) -> PlanFileError:
    return PlanFileError("yaml-alias", _("the anchor name `&{name}` is read differently by YAML readers, and plan "
                                         "files need no anchors: remove `&{name}`").format(name=name), line, column,
                         path, restriction="anchor")


def tab_error(text: str, index: int) -> PlanFileError:
    """A tab character: plan files use spaces only, so that every YAML reader reads them alike."""
    line, column = line_column(text, index)
    start = text.rfind("\n", 0, index) + 1
    if not text[start:index].strip(" \t"):
        message = _("a tab character is used for indentation; YAML indents with spaces only")
    else:
        message = _("a tab character; plan files use spaces only: replace it with a space (in a text in double "
                    "quotes, \\t stands for a tab)")
    return PlanFileError("yaml-syntax", message, line, column, restriction="tab")


def directive_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("a YAML directive (a line that starts with %, such as `%YAML 1.2`) is not "
                                          "used in plan files; remove line {line}").format(line=line), line, column,
                         restriction="directive")


def flow_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("the flow collection ([...] or {{...}}) that opens on line {line}, column "
                                          "{column}, holds a form YAML readers read differently (a `:` at the start "
                                          "of a line or right after a key or a quote, a key over several lines, a "
                                          "text that starts with `:` or `?`); write the key and `: ` on one line, or "
                                          "write the value in block style (one `key: value` a line)").format(
                                              line=line, column=column), line, column, restriction="flow")


def block_spaces_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("line {line} holds only spaces, inside a block text (| or >) where YAML "
                                          "readers read such a line differently; remove the spaces").format(line=line),
                         line, column, restriction="block-spaces")


def block_document_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("the file is one block text (| or >), not a plan; a plan file starts with "
                                          "`schema_version: 1`"), line, column, restriction="block-document")


def comment_space_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("a comment needs a space before its `#`; write ` #`"), line, column)


def indentation_error(line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("line {line} continues a value but is not indented further than the key it "
                                          "belongs to; indent it (spaces only)").format(line=line), line, column)


def cannot_start_error(character: str, line: int, column: int) -> PlanFileError:
    return PlanFileError("yaml-syntax", _("a value cannot start with `{character}`; put the value in quotes").format(
        character=character), line, column)


#: line breaks to libyaml and (NEL) to ruamel.yaml, as in YAML 1.1, but text to YAML 1.2, editors and
#: the rest of the tool (NEL, LINE and PARAGRAPH SEPARATOR, which text pasted from a PDF may hold): both
#: engines read the text with a stand-in for each (stand_ins), so that they are text and every line after
#: one stays where it is, without a second reading
_OTHER_LINE_BREAKS = "\x85\u2028\u2029"


def stand_ins(text: str) -> tuple[str, dict[str, str]]:
    """`text` with NEL, U+2028 and U+2029 replaced by characters of the Private Use Area that it does
    not hold (not even as an escape), one for one so that every column stays, and the table back
    (stand-in -> character; put_back). str.replace, so a megabyte takes milliseconds."""
    back: dict[str, str] = {}
    if not any(char in text for char in _OTHER_LINE_BREAKS):
        return text, back
    escapes = text.lower() if "\\" in text else ""
    candidate = 0xE000
    for char in _OTHER_LINE_BREAKS:
        if char not in text:
            continue
        while chr(candidate) in text or (escapes and f"{candidate:04x}" in escapes):
            candidate += 1
        back[chr(candidate)] = char
        text = text.replace(char, chr(candidate))
        candidate += 1
    return text, back


def put_back(value: str, back: dict[str, str]) -> str:
    """A value read from a text with stand-ins (stand_ins), with the characters they stood for."""
    for stand_in, char in back.items():
        if stand_in in value:
            value = value.replace(stand_in, char)
    return value


def check_anchor(text: str, name: str, index: int, line: int, column: int) -> None:
    """An anchor (`&name`) is harmless without an alias (which is refused where it stands), but YAML
    1.2 lets its name hold characters (`&an:chor`, `&😁`) where libyaml and ruamel.yaml end it or stop:
    a name of other characters than letters, digits, `-` and `_` is refused, read from the text so
    that both engines refuse the same."""
    if text[index : index + 1] != "&":
        return
    written = _ANCHOR_NAME.match(text, index + 1).group()
    if not _PLAIN_ANCHOR.fullmatch(written):
        raise anchor_error(written, line, column)


_ANCHOR_NAME = re.compile(r"[^\s,\[\]{}]*")
_PLAIN_ANCHOR = re.compile(r"[A-Za-z0-9_-]+")


_DIRECTIVE_LINE = re.compile(r"^%", re.MULTILINE)


def check_text(text: str) -> None:
    """What plan files refuse in any YAML engine before it reads a character: a tab, a byte order
    mark inside the text, a directive. Each is one search of the text (C speed). Raises PlanFileError."""
    tab = text.find("\t")
    if tab >= 0:
        raise tab_error(text, tab)
    bom = text.find("\ufeff", 1)
    if bom >= 0:
        line, column = line_column(text, bom)
        raise PlanFileError("yaml-syntax", _("an invisible byte order mark (U+FEFF) stands inside the text; remove "
                                             "it"), line, column, restriction="bom")
    if "%" in text:
        for found in _DIRECTIVE_LINE.finditer(text):
            if _starts_a_document(text, found.start()):
                raise directive_error(*line_column(text, found.start()))


def _starts_a_document(text: str, index: int) -> bool:
    """Whether the line at `index` stands where a directive can: before a document's first
    content, after only blank lines, comments, other directives or a `...` line."""
    while index > 0:
        start = text.rfind("\n", 0, index - 1) + 1
        line = text[start:index - 1].strip()
        if line.startswith("...") and (len(line) == 3 or line[3] in " #"):
            return True
        if line and not line.startswith(("#", "%")):
            return False
        index = start
    return True


def first_content(text: str) -> tuple[int, int] | None:
    """Where the first value of a document stands: the first character that is
    not white space, a comment, a directive or a document marker."""
    for line_number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped in ("---", "..."):
            continue
        if stripped.startswith(("--- #", "... #")):
            continue
        column = len(line) - len(line.lstrip())
        if stripped.startswith("--- "):
            column += 4 + len(stripped[4:]) - len(stripped[4:].lstrip())
        return line_number, column + 1
    return None


def bracket_closes(text: str, index: int) -> bool:
    """Whether the [ or { at `index` is closed later in the text (outside quotes and comments)."""
    depth = 0
    quote = ""
    position = index
    while position < len(text):
        char = text[position]
        if quote:
            if char == quote:
                if quote == "'" and text[position + 1 : position + 2] == "'":
                    position += 1
                else:
                    quote = ""
            elif char == "\\" and quote == '"':
                position += 1
        elif char in "'\"" and text[position - 1] in " \t\n[{,:":
            quote = char
        elif char == "#" and text[position - 1] in " \t\n":
            newline = text.find("\n", position)
            position = len(text) if newline < 0 else newline
            continue
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        position += 1
    return False


class EventChecks:
    """What plan files refuse, or what is not valid YAML though libyaml and ruamel.yaml both read it,
    found from the parser's events, the same way for both engines (each feeds its own events in):
    a `:` or `?` glued to a text in a flow collection (both read `[?x]` and `[:x]` other than YAML
    1.2 does), a plain `-` in a flow collection, a comment with no space before its `#`, a flow
    collection or a quoted text that goes on at the indentation of its key, and lines of only
    spaces in a block text (| or >) that the two read differently. Positions are 0-based marks
    (index, line, column) of `text`; each check looks at a few characters, so all stay linear."""

    __slots__ = ("text", "flow", "blocks", "flow_start")

    def __init__(self, text: str) -> None:
        self.text = text
        self.flow = 0  # how deep in flow collections
        self.blocks: list[int] = []  # the indentation of each enclosing block collection
        self.flow_start = (0, 0, 0)

    def start(self, index: int, line: int, column: int, flow: bool) -> None:
        """A mapping or sequence starts at the mark."""
        if not self.text:
            return
        self.node(index, line, column)
        if flow:
            if not self.flow:
                self.flow_start = (index, line, column)
            self.flow += 1
        else:
            self.blocks.append(column)

    def end(self, index: int, line: int, column: int, end_index: int) -> None:
        """A mapping or sequence ends; `end_index` is just after it."""
        if not self.text:
            return
        if self.flow:
            self.node(index, line, column)
            self.flow -= 1
            self._comment_after(end_index)
        elif self.blocks:
            self.blocks.pop()

    def node(self, index: int, line: int, column: int) -> None:
        if not self.flow or line == self.flow_start[1]:
            return
        indent = self._indent(index - column)
        if self.blocks and indent <= self.blocks[-1]:
            raise indentation_error(line + 1, column + 1)

    def scalar(self, value: str, style: str | None, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
        text = self.text
        if not text:
            return
        index, line, column = start
        self.node(index, line, column)
        if self.flow and (value or style):  # (an empty node stands where each parser likes)
            glued = bool(index) and text[index - 1] in ":?"
            indicator = not style and (value[:1] in (":", "?") or value[-1:] == ":")
            empty_value = text[end[0] : end[0] + 1] == ":" and text[end[0] + 1 : end[0] + 2] in (",", "]", "}")
            if glued or indicator or empty_value:
                # `"key":value`, `[:x]`, `[?x]`, `{key:, ...}`: read otherwise by libyaml or ruamel.yaml
                # than by YAML 1.2
                raise flow_error(self.flow_start[1] + 1, self.flow_start[2] + 1)
            if not style and value[:1] == "-" and (len(value) == 1 or value[1] == " "):
                raise cannot_start_error("-", line + 1, column + 1)
        if style in ("|", ">"):
            self._block(start, end)
            return
        if self.flow or style in ("'", '"'):
            self._comment_after(end[0])
            if end[1] > line and self.blocks and not self.flow:
                self._continuation_lines(index, end[0])

    def _indent(self, line_start: int) -> int:
        text = self.text
        position = line_start
        while position < len(text) and text[position] == " ":
            position += 1
        return position - line_start

    def _comment_after(self, index: int) -> None:
        text = self.text
        if text[index : index + 1] == "," and self.flow:
            index += 1
        if text[index : index + 1] == "#":
            raise comment_space_error(*line_column(text, index))

    def _continuation_lines(self, index: int, end: int) -> None:
        text = self.text
        newline = text.find("\n", index, end)
        while newline >= 0:
            if self._indent(newline + 1) <= self.blocks[-1] and text[newline + 1 : newline + 2] not in ("\n", ""):
                raise indentation_error(*line_column(text, newline + 1))
            newline = text.find("\n", newline + 1, end)

    def _block(self, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
        text = self.text
        header = re.match(r"[|>]([1-9]?[+-]?|[+-]?[1-9]?)(#)?", text[start[0] : start[0] + 4])
        if header and header.group(2):
            raise comment_space_error(start[1] + 1, start[2] + 1 + header.start(2))
        if not self.blocks and not self.flow:
            raise block_document_error(start[1] + 1, start[2] + 1)
        # lines of only spaces before the first line of text, each longer than the one before (ruamel.yaml
        # refuses them), and such a line at the very end of a file that does not end in a line break (libyaml
        # drops it)
        newline = text.find("\n", start[0])
        stop = end[0]
        leading = 0
        while 0 <= newline < stop:
            line_start = newline + 1
            newline = text.find("\n", line_start)
            content = text[line_start:] if newline < 0 else text[line_start:newline]
            if content.strip(" "):
                break
            if leading and len(content) > leading:
                raise block_spaces_error(*line_column(text, line_start))
            leading = len(content)
        if not text.endswith("\n"):
            last = text.rfind("\n") + 1
            if start[0] < last <= stop and text[last:] and not text[last:].strip(" "):
                raise block_spaces_error(*line_column(text, last))


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

    found = _refused_on_purpose(problem, context, line, column, text, lines, opened)
    if found is not None:
        return found
    leading = len(here) - len(here.lstrip(" \t"))
    if "\t" in here[:leading]:
        return error(_("a tab character is used for indentation; YAML indents with spaces only"))
    if 0 < column <= len(here) and here[column - 1] == "\t":
        return error(_("a tab character stands where YAML does not allow one; replace it with spaces"))
    if "end of stream" in problem and "quoted" in context and opened:
        return error(_("the quote that opens on line {line}, column {column}, is never closed; close it, or remove "
                       "it").format(line=opened[0], column=opened[1]))
    bracket = _unclosed_bracket(text, line, column) if context.startswith("while parsing a flow") else None
    if bracket and bracket_closes(text, _offset(text, *bracket)):
        return flow_error(*bracket)  # closed after all: a form the parser cannot read
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
        # the parser notices on the line after; the key without its colon stands where the scan began
        key_line, key_column = opened or (line, column)
        return PlanFileError("yaml-syntax", _("line {line} has no `:` after its key; write `key: value`, or, if the "
                                              "line goes on with the text above it, indent it further than the key "
                                              "above").format(line=key_line), key_line, key_column)
    if problem.startswith("found unknown escape character"):
        return error(_("a backslash in a double-quoted text starts an escape such as \\n; write \\\\ for a "
                       "backslash, or use single quotes"))
    if problem.startswith("found character that cannot start any token") and 0 < column <= len(here):
        return error(_("a value cannot start with `{character}`; put the value in quotes").format(
            character=here[column - 1]))
    where = f" ({context})" if context else ""
    return error(_("YAML syntax error: {problem}{where}").format(problem=problem, where=where))


def _refused_on_purpose(problem: str, context: str, line: int, column: int, text: str, lines: list[str],
                        opened: tuple[int, int] | None) -> PlanFileError | None:
    """The refusal on purpose (docs/yaml.md) that a parser's syntax error stands for, or None: the
    parsers stop at some of the forms plan files refuse before they can be refused at their place."""
    if "another document" in problem:
        return more_than_one_document(line, column)
    content = first_content(text)
    if content is None:
        return no_document()
    if context.startswith("while scanning a tag"):
        return tag_error(*(opened or (line, column)))
    if opened and context.startswith(("while scanning an anchor", "while scanning an alias")):
        where = lines[opened[0] - 1][opened[1] - 1 :] if opened[0] <= len(lines) else ""
        if context.startswith("while scanning an alias"):
            return alias_error(*opened)
        return anchor_error(re.split(r"[\s,\[\]{}]", where[1:] + " ", maxsplit=1)[0], *opened)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    stripped = here.lstrip(" -")
    if problem.startswith(("did not find expected key", "did not find expected <document start>",
                           "expected <block end>")):
        if stripped[:1] == ":" and stripped[1:2] in ("", " "):  # `: value` with no key
            return key_not_text(None, line, len(here) - len(stripped) + 1)
    block_document = re.match(r"(?:---\s+)?[|>]", lines[content[0] - 1].lstrip())
    if problem.startswith("did not find expected <document start>"):
        if any(row.startswith("...") for row in lines[: line - 1]):
            return more_than_one_document(line, column)
        if block_document:
            return block_document_error(*content)
    if problem.startswith("more indented follow up line than first in a block scalar"):
        if block_document:
            return block_document_error(*content)
        # ruamel.yaml's words for what EventChecks refuses in libyaml's reading: placed where EventChecks places it
        top = line - 1
        while top > 1 and not lines[top - 2].strip(" "):
            top -= 1
        previous = 0
        for number in range(top, line):
            if previous and len(lines[number - 1]) > previous:
                return block_spaces_error(number, 1)
            previous = len(lines[number - 1])
        return block_spaces_error(line, column)
    if problem.startswith("found unexpected ':'") or "while parsing a flow" in context:
        bracket = _unclosed_bracket(text, line, column)
        if bracket and bracket_closes(text, _offset(text, *bracket)):
            return flow_error(*bracket)
    return None


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    offset = 0
    for _number in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset + column - 1


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
    for above in range(line - 1, 0, -1):
        stripped = lines[above - 1].strip()
        if stripped and not stripped.startswith("#"):
            return above
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
