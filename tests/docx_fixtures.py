"""Word documents for the import tests, written with python-docx (no binary
files in the repository): a small description of blocks becomes a .docx with
real Word structures (Title and Heading styles, list numbering styles, tables
with header rows Word repeats after a page break, merged cells)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def title(text: str) -> tuple:
    return ("title", text)


def heading(level: int, text: str) -> tuple:
    return ("heading", level, text)


def paragraph(text: str) -> tuple:
    return ("p", text)


def bullet(text: str, level: int = 0) -> tuple:
    return ("bullet", level, text)


def page_break() -> tuple:
    return ("break",)


def table(rows: list[list[Any]], *, repeat_header: bool = False, merge_down: tuple[int, int, int] | None = None,
          merges: list[tuple[int, int, int]] = ()) -> tuple:
    """`rows` of cells; a cell is a text, or a list of texts (one paragraph each). `merges`: (column, first row,
    last row) merged vertically (text only in the first row's cell)."""
    return ("table", rows, repeat_header, list(merges) + ([merge_down] if merge_down else []))


def build(path: Path, blocks: list[tuple]) -> Path:
    document = Document()
    for block in blocks:
        kind = block[0]
        if kind == "title":
            document.add_heading(block[1], level=0)
        elif kind == "heading":
            document.add_heading(block[2], level=block[1])
        elif kind == "p":
            document.add_paragraph(block[1])
        elif kind == "bullet":
            document.add_paragraph(block[2], style="List Bullet" if block[1] == 0 else f"List Bullet {block[1] + 1}")
        elif kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            _table(document, *block[1:])
    document.save(str(path))
    return path


def _table(document: Any, rows: list[list[Any]], repeat_header: bool, merges: list[tuple[int, int, int]]) -> None:
    width = max(len(row) for row in rows)
    made = document.add_table(rows=len(rows), cols=width)
    made.style = "Table Grid"
    covered = {(r, column) for column, first, last in merges for r in range(first + 1, last + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            cell = made.cell(r, c)
            texts = value if isinstance(value, list) else [value]
            cell.paragraphs[0].text = texts[0] if texts else ""
            for text in texts[1:]:
                cell.add_paragraph(text)
    for column, first, last in merges:
        made.cell(first, column).merge(made.cell(last, column))
    if repeat_header:
        properties = made.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)
