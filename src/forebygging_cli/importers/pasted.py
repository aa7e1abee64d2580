"""Pasted text (`.txt`, `.tsv`, standard input) into the neutral document
model: what a table copied from Word or Excel looks like once pasted, with the
document's other lines around it.

* A line with a tab is a table row; rows with only blank lines between them
  are one table.
* A line that starts with a tab right after a row is a row of its own whose
  first cell is merged with the cell above (Os: the programmes under
  *Ulike foreldreveiledningsprogram*); after a blank line (a page break in the
  middle of a row) it continues the row above, cell by cell (Lier: *SAL
  hodebra*), joined with one space.
* `# Heading` (Markdown) and a short numbered line between blank lines
  (`6.3 Bra for alle – universelle tiltak`) are headings.
* `- item` and `• item` are list items, indented two spaces per level.
* Extraction debris is removed as docs/encoding.md defines it: HTML tags
  (`<p>`, `<li>`, `<b>`, ...; a `</p>`/`</li>` ends a paragraph of the cell),
  Markdown emphasis and link syntax, and bullet characters.

Pure: text in, Document out.
"""

from __future__ import annotations

import re

from .document import Cell, Document, Heading, Paragraph, Place, Row, Table

_TAG = re.compile(r"</?(?:p|i|b|u|em|strong|span|div|ul|ol|li|br|sup|sub)(?:\s[^>]*)?/?>", re.IGNORECASE)
_BREAKING_TAG = re.compile(r"</(?:p|li|div)>|<br\s*/?>|<li(?:\s[^>]*)?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_ESCAPE = re.compile(r"\\([()\[\]*_#.!-])")
_BULLET = re.compile(r"^\s*(?:[-•*▪◦·]|&bull;)\s+")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?:[-–]\s*)?(?P<text>\S.*)$")


def clean(text: str) -> list[str]:
    """Debris-free paragraphs of one piece of pasted text (a cell or a line):
    a closing `</p>` or `</li>` ends a paragraph, every other tag goes, and so do
    emphasis marks, link syntax and leading bullets."""
    text = _ANGLE_URL.sub(r"\1", text)
    pieces = _BREAKING_TAG.split(text)
    out = []
    for piece in pieces:
        piece = _TAG.sub(" ", piece)
        piece = _LINK.sub(r"\1", piece)
        piece = _EMPHASIS.sub(r"\2", piece)
        piece = _ESCAPE.sub(r"\1", piece)
        piece = _BULLET.sub("", piece)
        piece = " ".join(piece.split())
        if piece:
            out.append(piece)
    return out


def clean_line(text: str) -> str:
    return " ".join(clean(text))


def _cell(raw: str, column: int, merged: bool = False) -> Cell:
    return Cell(tuple(clean(raw)), column=column, merged=merged)


def read_text(text: str, source: str) -> Document:
    """The Document of a pasted text; `source` is the name it goes by."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list = []
    section: str | None = None
    rows: list[Row] = []
    blank_before = True

    def close_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(tuple(rows), rows[0].place))
            rows = []

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blank_before = True
            continue
        if "\t" in line:
            raw_cells = line.split("\t")
            starts_with_tab = line.startswith("\t")
            if starts_with_tab and rows and blank_before:
                # a page break cut the row above: its cells go on here
                rows[-1] = _continued(rows[-1], raw_cells)
            else:
                merged_first = starts_with_tab and bool(rows)
                cells = []
                for index, raw in enumerate(raw_cells):
                    if index == 0 and merged_first:
                        cells.append(Cell(rows[-1].cells[0].paragraphs, 0, merged=True))
                    else:
                        cells.append(_cell(raw, index))
                rows.append(Row(tuple(cells), Place(section=section, line=number)))
            blank_before = False
            continue
        close_table()
        stripped = line.strip()
        heading = _heading(stripped, blank_before, lines, number)
        if heading is not None:
            text_, level = heading
            blocks.append(Heading(text_, level, Place(section=section, line=number)))
            section = text_.rstrip(":").strip() or section
        else:
            indent = len(line) - len(line.lstrip(" "))
            is_item = bool(_BULLET.match(line))
            cleaned = clean_line(stripped)
            if cleaned:
                blocks.append(Paragraph(cleaned, Place(section=section, line=number),
                                        list_level=indent // 2 if is_item else None))
        blank_before = False
    close_table()
    return Document(source=source, kind="text", blocks=tuple(blocks))


def _continued(row: Row, raw_cells: list[str]) -> Row:
    """`row` with the pieces of a continuation line appended to its cells."""
    cells = list(row.cells)
    for index, raw in enumerate(raw_cells):
        pieces = clean(raw)
        if not pieces:
            continue
        if index < len(cells):
            old = cells[index]
            if old.paragraphs and pieces:
                # the row was cut mid-paragraph: the first piece goes on the same paragraph
                joined = old.paragraphs[:-1] + (old.paragraphs[-1] + " " + pieces[0],) + tuple(pieces[1:])
            else:
                joined = old.paragraphs + tuple(pieces)
            cells[index] = Cell(joined, old.column, old.span, old.merged)
        else:
            cells.append(Cell(tuple(pieces), index))
    return Row(tuple(cells), row.place, row.repeated_header)


def _heading(line: str, blank_before: bool, lines: list[str], number: int) -> tuple[str, int] | None:
    """(text, level) when the line is a heading: `# Markdown`, or a short numbered
    line standing alone between blank lines ("6.3 Bra for alle – universelle tiltak")."""
    if line.startswith("#"):
        marks = len(line) - len(line.lstrip("#"))
        text = clean_line(line.lstrip("#").strip())
        return (text, min(marks, 4)) if text else None
    match = _NUMBERED.match(line)
    after_blank = number >= len(lines) or not lines[number].strip()
    if match and blank_before and after_blank and len(line) <= 120 and not line.rstrip().endswith((".", ",", ";")):
        text = clean_line(line)
        return text, min(match.group("number").count(".") + 1, 4)
    return None


def read_file(path: str, source: str) -> Document:
    """The Document of a text file, within the bounds. Raises ImportRefused."""
    from . import MAX_TEXT_BYTES, decode
    from .errors import ImportRefused

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        from ..i18n import _

        raise ImportRefused(_("cannot read it: {reason}").format(reason=exc.strerror or exc)) from None
    return read_text(decode(raw), source)
