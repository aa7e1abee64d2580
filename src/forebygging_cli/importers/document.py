"""The neutral model every importer reads a document into: headings,
paragraphs, list items and tables (rows, cells, merges), each with a place a
person can find in the document. Recognition (recognise.py) reads only this
model, so a Word file and pasted text are recognised by the same rules.

Pure data; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where a block stands: a line of a text file, or a paragraph or a table
    row of a Word document (1-based). `section` is the heading above it."""

    section: str | None = None
    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None

    def reference(self) -> dict[str, object]:
        """The plan file's `source` for this place (only what is known)."""
        found = {"section": self.section, "line": self.line, "table": self.table, "row": self.row,
                 "paragraph": self.paragraph}
        return {key: value for key, value in found.items() if value}


@dataclass(frozen=True)
class Heading:
    """A heading: level 0 is the title, 1-4 the heading levels (numbered
    headings "6.3 ..." count their numbers)."""

    text: str
    level: int
    place: Place


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text; `list_level` is None for body text, 0 for a list
    item, 1 for an item under it, and so on."""

    text: str
    place: Place
    list_level: int | None = None


@dataclass(frozen=True)
class Cell:
    """One cell: its paragraphs (list items keep no bullet), the grid column it
    starts in and how many it spans. `merged` is true for a cell covered by the
    cell above it (a vertical merge: "a level written once for the rows below
    it"); its text is then the text of the cell that covers it."""

    paragraphs: tuple[str, ...]
    column: int = 0
    span: int = 1
    merged: bool = False

    @property
    def text(self) -> str:
        """The cell's paragraphs as one text, joined by a space (as a person reads a cell aloud)."""
        return " ".join(p for p in self.paragraphs if p)


@dataclass(frozen=True)
class Row:
    """A table row. `repeated_header` marks a header row Word repeats on each page."""

    cells: tuple[Cell, ...]
    place: Place
    repeated_header: bool = False

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    @property
    def empty(self) -> bool:
        return not any(cell.text.strip() for cell in self.cells if not cell.merged)


@dataclass(frozen=True)
class Table:
    """A table; `place` is its first row's place."""

    rows: tuple[Row, ...]
    place: Place


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A document read by an importer: its blocks in reading order, the file it
    came from (`source`, the name a person knows it by) and what kind it was."""

    source: str
    kind: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
