"""Word documents (`.docx`) into the neutral document model.

A .docx is a zip archive of XML parts. Before python-docx opens it, the archive
is checked here against bounds (`check_archive`): a file that is not a zip, an
archive with too many entries, parts that unpack to more than the bounds or at
a ratio no Word document has (a zip bomb), XML that declares a DOCTYPE or an
ENTITY (no entity is ever expanded or fetched), XML that is not UTF-8. Each
refusal is an `ImportRefused` with one line to show. python-docx then parses
with its own lxml parser (entities not resolved, no network, libxml2's default
limits on depth and text size), and this module walks the body's XML once:
paragraphs with their style (Title, Heading 1-4, list items), tables with their
rows, cells, column spans, vertical merges and repeated header rows. The
high-level cell API of python-docx recomputes the grid for every cell; one
walk keeps a 100-page document well inside a second.

python-docx is imported only here, and only when a .docx is imported.
"""

from __future__ import annotations

import os
import re
import zipfile
from typing import Any

from ..i18n import _, number
from .document import Cell, Document, Heading, Paragraph, Place, Row, Table
from .errors import ImportRefused

#: a Word document with its pictures is rarely over a few megabytes; 100 pages of tables are about 150 KB zipped
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2_000
#: what the whole archive may unpack to, and one part of it
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
#: XML compresses about 5-20 times; a zip bomb thousands of times. Checked for parts over RATIO_FROM bytes.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024
#: what recognition reads at most: blocks (paragraphs and tables) and table rows
MAX_BLOCKS = 200_000
MAX_ROWS = 50_000

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_archive(path: str) -> None:
    """Refuse, before any XML parser sees it, a file that is not a Word
    document within the bounds. Raises ImportRefused."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportRefused(_("cannot read it: {reason}").format(reason=exc.strerror or exc)) from None
    if size > MAX_FILE_BYTES:
        raise ImportRefused(_("the file is {size} bytes; a Word document to import is at most {limit}").format(
            size=number(size), limit=number(MAX_FILE_BYTES)))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(_("this is an old Word document (.doc) or an encrypted one; open it in Word and save "
                              "it as .docx (without a password)"))
    if head.startswith(b"%PDF"):
        raise ImportRefused(_("this is a PDF; import reads the Word document the PDF was made from (.docx), or "
                              "the text copied from it (.txt)"))
    if not head.startswith(b"PK"):
        raise ImportRefused(_("this is not a Word document (.docx): a .docx is a zip archive, and this file is not "
                              "one"))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_("this is not a Word document (.docx): the zip archive is damaged ({reason})").format(
            reason=exc)) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportRefused(_("the archive has {count} entries; a Word document has at most {limit}").format(
                count=number(len(entries)), limit=number(MAX_ENTRIES)))
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise ImportRefused(_("this zip archive is not a Word document: it has no word/document.xml"))
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNPACKED_BYTES:
            raise ImportRefused(_("the archive unpacks to {size} bytes; a Word document to import unpacks to at "
                                  "most {limit}").format(size=number(total), limit=number(MAX_UNPACKED_BYTES)))
        for entry in entries:
            _check_entry(archive, entry)


def _check_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    if entry.flag_bits & 0x1:
        raise ImportRefused(_("the part {part} is encrypted; save the document without a password").format(
            part=entry.filename))
    if entry.file_size > MAX_PART_BYTES:
        raise ImportRefused(_("the part {part} unpacks to {size} bytes; at most {limit}").format(
            part=entry.filename, size=number(entry.file_size), limit=number(MAX_PART_BYTES)))
    if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise ImportRefused(_("the part {part} unpacks {ratio} times larger than it is packed; no Word document "
                              "does that (a zip bomb?)").format(part=entry.filename,
                                                                ratio=number(entry.file_size // max(entry.compress_size, 1))))
    if not entry.filename.lower().endswith((".xml", ".rels")):
        return  # pictures and other media are not parsed
    # the sizes in the archive's directory may lie: unpack in pieces and count
    seen = 0
    tail = b""
    first = True
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(256 * 1024):
                if first:
                    first = False
                    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b'encoding="UTF-16' in chunk[:100].upper():
                        raise ImportRefused(_("the part {part} is not UTF-8 XML, as Word writes it").format(
                            part=entry.filename))
                seen += len(chunk)
                if seen > max(entry.file_size, 0) or seen > MAX_PART_BYTES:
                    raise ImportRefused(_("the part {part} unpacks to more than the archive says ({size} bytes); "
                                          "the file is damaged or made to harm").format(
                                              part=entry.filename, size=number(entry.file_size)))
                if _DECLARATION.search(tail + chunk):
                    raise ImportRefused(_("the part {part} declares a DOCTYPE or an ENTITY; Word never writes one, "
                                          "and import does not read XML that does").format(part=entry.filename))
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise ImportRefused(_("the part {part} cannot be unpacked ({reason})").format(part=entry.filename,
                                                                                     reason=exc)) from None


def read_docx(path: str, source: str) -> Document:
    """The Document of a .docx file. Raises ImportRefused."""
    check_archive(path)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a dependency of the package
        raise ImportRefused(_("python-docx is not installed; install forebygging again")) from None
    try:
        document = docx.Document(path)
    except PackageNotFoundError:
        raise ImportRefused(_("this zip archive is not a Word document")) from None
    except Exception as exc:  # noqa: BLE001 - lxml's and python-docx's errors on a damaged part
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportRefused(_("this Word document cannot be read: {reason}").format(reason=message)) from None
    styles = _style_names(document)
    return Document(source=source, kind="docx", blocks=tuple(_Walker(styles).walk(document.element.body)))


def _style_names(document: Any) -> dict[str, str]:
    names = {}
    for style in document.styles.element.iterchildren(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        name = style.find(f"{_W}name")
        if style_id and name is not None:
            names[style_id] = name.get(f"{_W}val") or style_id
    return names


_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^(?:list bullet|list number|listepunkt|listenummer)\s*(\d)?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+\S")


class _Walker:
    """One pass over the body: blocks in reading order, each with its place."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.section: str | None = None
        self.paragraphs = 0
        self.tables = 0
        self.rows = 0
        self.blocks = 0

    def walk(self, body: Any) -> list[Any]:
        out: list[Any] = []
        for element in self._children(body):
            self.blocks += 1
            if self.blocks > MAX_BLOCKS:
                raise ImportRefused(_("the document has more than {limit} paragraphs and tables; that is not a "
                                      "plan").format(limit=number(MAX_BLOCKS)))
            if element.tag == f"{_W}p":
                block = self._paragraph(element)
                if block is not None:
                    out.append(block)
            elif element.tag == f"{_W}tbl":
                out.append(self._table(element))
        return out

    def _children(self, parent: Any) -> Any:
        for element in parent.iterchildren():
            if element.tag == f"{_W}sdt":  # a content control: its content is part of the body
                content = element.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._children(content)
            elif element.tag in (f"{_W}p", f"{_W}tbl"):
                yield element

    def _style(self, paragraph: Any) -> str:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val") if style is not None else None
        return self.styles.get(style_id, style_id or "") if style_id else ""

    def _paragraph(self, element: Any) -> Heading | Paragraph | None:
        text = " ".join(_text(element).split())
        if not text:
            return None
        self.paragraphs += 1
        style = self._style(element)
        place = Place(section=self.section, paragraph=self.paragraphs)
        level = _heading_level(element, style)
        if level is None and _NUMBERED.match(text) and len(text) <= 120 and _all_bold(element) \
                and not text.endswith((".", ",", ";")):
            level = min(text.split()[0].rstrip(".").count(".") + 1, 4)  # a numbered heading written by hand
        if level is not None:
            self.section = text.rstrip(":").strip()
            return Heading(text, level, place)
        return Paragraph(text, place, list_level=_list_level(element, style))

    def _table(self, element: Any) -> Table:
        self.tables += 1
        rows: list[Row] = []
        above: dict[int, tuple[str, ...]] = {}  # grid column -> paragraphs of the cell that covers it
        for index, tr in enumerate(element.iterchildren(f"{_W}tr"), start=1):
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise ImportRefused(_("the document has more than {limit} table rows; that is not a plan").format(
                    limit=number(MAX_ROWS)))
            properties = tr.find(f"{_W}trPr")
            header = properties is not None and properties.find(f"{_W}tblHeader") is not None \
                and properties.find(f"{_W}tblHeader").get(f"{_W}val", "true") not in ("0", "false")
            before = properties.find(f"{_W}gridBefore") if properties is not None else None
            column = int(before.get(f"{_W}val", "0")) if before is not None else 0
            cells = []
            for tc in tr.iterchildren(f"{_W}tc"):
                cell_properties = tc.find(f"{_W}tcPr")
                span = 1
                merged = False
                if cell_properties is not None:
                    grid_span = cell_properties.find(f"{_W}gridSpan")
                    if grid_span is not None:
                        span = max(1, min(int(grid_span.get(f"{_W}val", "1") or 1), 64))
                    v_merge = cell_properties.find(f"{_W}vMerge")
                    merged = v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue"
                if merged:
                    paragraphs = above.get(column, ())
                else:
                    paragraphs = tuple(p for p in (" ".join(_text(p).split()) for p in tc.iter(f"{_W}p")) if p)
                    above[column] = paragraphs
                cells.append(Cell(paragraphs, column=column, span=span, merged=merged))
                column += span
            rows.append(Row(tuple(cells), Place(section=self.section, table=self.tables, row=index),
                            repeated_header=header))
        return Table(tuple(rows), Place(section=self.section, table=self.tables))


def _text(paragraph: Any) -> str:
    """A paragraph's visible text: its runs, tabs and breaks (deleted text and field codes are not text)."""
    pieces = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = node.tag
        if tag == f"{_W}t":
            pieces.append(node.text or "")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}tab":
            if node.getparent() is not None and node.getparent().tag == f"{_W}r":
                pieces.append(" ")
        else:
            pieces.append(" ")
    return "".join(pieces)


def _heading_level(paragraph: Any, style: str) -> int | None:
    if style.lower() in ("title", "tittel"):
        return 0
    match = _HEADING_STYLE.match(style)
    if match:
        return min(int(match.group(1)), 4)
    outline = paragraph.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None:
        value = int(outline.get(f"{_W}val", "9") or 9)
        if value < 9:
            return min(value + 1, 4)
    return None


def _list_level(paragraph: Any, style: str) -> int | None:
    numbering = paragraph.find(f"{_W}pPr/{_W}numPr")
    if numbering is not None:
        level = numbering.find(f"{_W}ilvl")
        return int(level.get(f"{_W}val", "0") or 0) if level is not None else 0
    match = _LIST_STYLE.match(style)
    if match:
        return int(match.group(1)) - 1 if match.group(1) else 0
    if style.lower() in ("list paragraph", "listeavsnitt"):
        return 0
    return None


def _all_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.iter(f"{_W}r") if run.find(f"{_W}t") is not None]
    return bool(runs) and all(run.find(f"{_W}rPr/{_W}b") is not None for run in runs)
