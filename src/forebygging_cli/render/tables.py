"""The measures tables (terminal.MeasuresTable) drawn without rich's layout, segment for segment as rich draws
them: rich measures every cell of a table two or three times and renders each through four layers (Padding,
render_lines, Text, split_and_crop_lines), 95 % of a warm `query` of 357 plans. Here each cell is measured
once, rich's column widths are worked out from those measures (Table._calculate_column_widths, its
_collapse_widths and ratio_reduce, Measurement's clamps) and each cell's lines are made as rich makes them
(Text.wrap where a line must wrap; where every line fits, the lines themselves, padded as Text.wrap pads them).

Only the measures tables' shape is drawn: a boxed table with a header, padding (0, 1), text cells, no styles
of rows, no footer, caption, lines or sections. `Layout.of` returns None for anything else, and `draw` for
widths it does not handle (a column narrower than 3 cells); then rich draws the table (tests/test_fast_tables.py
holds the two to the same output).

Where the console prints no colour, `Layout.text` makes the lines as text only, from the cells' text
(`Layout.of_text`): for the measures tables, and for terminal.simple_table's plain tables and coverage's
(no box and no padding at the edges, or boxed with lines between sections; right-aligned columns; columns
with a minimum width), choosing among their layouts as terminal.WholeWords asks rich (`Layout.fits`)."""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

try:  # rich's own private helpers, so that the widths and the wrapping are rich's; without them rich draws
    from rich._ratio import ratio_reduce
    from rich._wrap import divide_line
except ImportError:  # pragma: no cover - a rich that moved them
    ratio_reduce = divide_line = None

try:  # the characters rich counts one cell wide without looking them up (rich.cells), and the line break
    from rich.cells import _SINGLE_CELLS
    _ONE_CELL = frozenset(_SINGLE_CELLS | {"\n"}).issuperset
except ImportError:  # pragma: no cover - another rich: every length is rich's cell_len
    _ONE_CELL = frozenset().issuperset

#: off only in tests (tests/test_fast_tables.py), to compare with rich's own drawing, and with a rich that
#: lacks the private helpers used here (rich>=13.7 is all pyproject.toml asks): then rich draws every table
ENABLED = divide_line is not None and hasattr(Table, "_collapse_widths")


class Layout:
    """A table's cells, each measured once: per column the widest word and the widest line."""

    def __init__(self, table: Table, headers: list[Text], words: list[int], lines: list[int],
                 fixed: list[int | None], rows: list[tuple[str, ...]] | None = None,
                 sections: frozenset[int] = frozenset(), title: Text | None = None) -> None:
        self.table, self.headers, self.words, self.lines, self.fixed = table, headers, words, lines, fixed
        self.rows = rows or []  # the cells as text, for `text` (of_text)
        self.sections = sections  # the rows (counted from 0) after which a boxed table draws a line
        self.title = title if title is not None else table.title  # of_text's, else the table's own
        last = len(table.columns) - 1
        #: each column's padding left and right (Table._get_padding_width: none at a table's edge without pad_edge)
        self.pads = [(0 if index == 0 and not table.pad_edge else 1, 0 if index == last and not table.pad_edge else 1)
                     for index in range(last + 1)]
        self.least = [column.min_width for column in table.columns]

    @classmethod
    def of(cls, table: Table, console: Any) -> Layout | None:
        if not _drawn_here(table):
            return None
        headers, words, lines, fixed = [], [], [], []
        for column in table.columns:
            header = console.render_str(column.header, highlight=column.highlight, markup=None)
            widest_word = widest_line = 0
            for cell in (header, *column._cells):
                if not isinstance(cell, Text) or cell.justify or cell.overflow or cell.no_wrap is not None \
                        or cell.end != "\n" or "\t" in cell.plain or getattr(cell, "vertical", None):
                    return None
                word, line = _measure(cell.plain)
                widest_word, widest_line = max(widest_word, word), max(widest_line, line)
            headers.append(header)
            words.append(widest_word)
            lines.append(widest_line)
            fixed.append(column.width)
        return cls(table, headers, words, lines, fixed)

    @classmethod
    def of_text(cls, table: Table, rows: list[tuple[str, ...]], console: Any,
                sections: frozenset[int] = frozenset(), title: Text | None = None) -> Layout | None:
        """The layout of `table` (its columns, no rows) with `rows` of unstyled text as its cells, for `text`;
        `sections` are the rows a line follows (rich's end_section); `title` in place of the table's own (so
        that tables with the same columns can share one `table`: what is worked out of its columns is kept,
        _frame). Besides the shape `draw` draws, this takes the plain tables of terminal.simple_table: no box
        (and no padding at the edges), right-aligned columns, columns with a minimum width, styles of columns
        (text has none)."""
        frame = _frame(table, console)
        if frame is None or not rows or any(len(row) != len(table.columns) for row in rows):
            return None
        headers, measured_headers, fixed = frame
        words, lines = [], []
        for (widest_word, widest_line), column in zip(measured_headers, zip(*rows)):
            for cell in column:
                if "\t" in cell:
                    return None
                word, line = _measure(cell)
                if word > widest_word:
                    widest_word = word
                if line > widest_line:
                    widest_line = line
            words.append(widest_word)
            lines.append(widest_line)
        return cls(table, headers, words, lines, list(fixed), rows, sections, title)

    def with_first_width(self, width: int | None) -> Layout:
        """This layout with its first column's fixed width `width` (None: as wide as its cells), all that
        IdsWhole's build(width) changes; the cells and their measures are the same."""
        return Layout(self.table, self.headers, self.words, self.lines, [width, *self.fixed[1:]], self.rows,
                      self.sections, self.title)

    def _measure(self, index: int, room: int) -> tuple[int, int] | None:
        """Table._measure_column (None where the room is not wider than the column's padding, which this leaves
        to rich): a fixed column is its width; else the widest word and line of its cells, padded, at most
        `room`, and at least the column's minimum width, padded (which may be wider than the room)."""
        left, right = self.pads[index]
        pad = left + right
        if room - pad < 1:
            return None
        if self.fixed[index] is not None:
            width = min(self.fixed[index] + pad, room)
            return width, width
        least, most = min(self.words[index] + pad, room), min(self.lines[index] + pad, room)
        if self.least[index] is not None:
            floor = self.least[index] + pad
            least, most = max(least, floor), max(most, floor)
        return least, most

    def widths(self, room: int) -> list[int] | None:
        """Table._calculate_column_widths for a table that does not expand and has no minimum width."""
        measured = [self._measure(index, room) for index in range(len(self.lines))]
        if None in measured:
            return None
        widths = [most or 1 for _least, most in measured]  # type: ignore[misc]
        if sum(widths) > room:
            widths = Table._collapse_widths(widths, [fixed is None for fixed in self.fixed], room)
            if sum(widths) > room:
                widths = ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
            measured = [self._measure(index, width) for index, width in enumerate(widths)]
            if None in measured:
                return None
            widths = [most or 0 for _least, most in measured]  # type: ignore[misc]
        return widths

    def measure(self, room: int) -> tuple[int, int] | None:
        """Measurement.get(console, options at `room`, table): Table.__rich_measure__, normalised and held to
        the room as Measurement.get holds it."""
        extra = self.table._extra_width
        widths = self.widths(room - extra)
        if widths is None:
            return None
        measured = [self._measure(index, sum(widths)) for index in range(len(self.lines))]
        if None in measured:
            return None
        least = sum(m[0] for m in measured) + extra  # type: ignore[index]
        most = sum(m[1] for m in measured) + extra  # type: ignore[index]
        least, most = _normalized(least, most)
        least, most = min(least, room), min(most, room)
        return (0, 0) if most < 1 else _normalized(least, most)

    def natural(self) -> int | None:
        """Measurement.get(table).maximum at a room that takes every column at its widest: those widths, and
        the table's edges (at such a room the widths do not collapse, and measuring the columns again at their
        sum gives the same)."""
        measured = [self._measure(index, 1 << 20) for index in range(len(self.lines))]
        if None in measured:
            return None
        return sum(most for _least, most in measured) + self.table._extra_width  # type: ignore[misc]

    def fits(self, room: int) -> bool | None:
        """terminal.WholeWords.fits: whether rich lays the table out within `room` with every column at its
        minimum width or wider (which _measure's clamp always makes them); None where this cannot tell."""
        measured = self.measure(1 << 20)
        if measured is None:
            return None
        if measured[0] > room:
            return False
        widths = self.widths(room)  # as WholeWords.fits asks rich: at the whole room, its edges not taken off
        if widths is None:
            return None
        return sum(widths) + self.table._extra_width <= room

    def _framed(self, console: Any, options: Any) -> tuple[list[int], Any, Any, list[tuple[str, str, str]]] | None:
        """What `draw` and `text` both start from: the column widths at the options' width, the options the
        table renders with, its box as the console draws it, and the (left, right, divider) characters of the
        header's, the body's and the last row's lines (no box, no edges: None and []); None where this does not
        draw the table: a column with no room inside its padding, or a table wider than the console (which
        Console.print would crop)."""
        table = self.table
        extra = table._extra_width
        widths = self.widths(options.max_width - extra)
        if (widths is None or any(width - left - right < 1 for width, (left, right) in zip(widths, self.pads))
                or sum(widths) + extra > options.max_width):
            return None
        render_options = options.update(width=sum(widths) + extra, highlight=table.highlight, height=None)
        if not table.box:
            return widths, render_options, None, []
        frame = table.box.substitute(render_options, safe=table.safe_box if table.safe_box is not None
                                     else console.safe_box)
        edges = [(frame.head_left, frame.head_right, frame.head_vertical),
                 (frame.mid_left, frame.mid_right, frame.mid_vertical),
                 (frame.foot_left, frame.foot_right, frame.foot_vertical)]
        if any(not divider.strip() for _left, _right, divider in edges):
            return None
        return widths, render_options, frame, edges

    def draw(self, console: Any, options: Any) -> list[Segment] | None:
        """The segments rich's Table.__rich_console__ yields, or None where this does not draw it."""
        table = self.table
        framed = self._framed(console, options)
        if framed is None:
            return None
        widths, render_options, frame, edge_characters = framed
        get_style = console.get_style
        border = get_style(table.style or "") + get_style(table.border_style or "")
        edges = [tuple(Segment(character, border) for character in row) for row in edge_characters]
        segments: list[Segment] = []
        if table.title:
            title = table.title if isinstance(table.title, Text) else console.render_str(
                table.title, style=Style.pick_first(table.title_style, "table.title"), highlight=False)
            segments += console.render(title, render_options.update(justify=table.title_justify))
        new_line = Segment.line()
        segments += [Segment(frame.get_top(widths), border), new_line]
        cells = Cells(console)
        null = Style.null()
        header_style = get_style(table.header_style or "")
        heads = [header_style + get_style(column.header_style) + null for column in table.columns]
        bodies = [get_style(column.style or "") + null for column in table.columns]
        blanks = [[[Segment(" " * width, style)] for width, style in zip(widths, row_styles)]
                  for row_styles in (heads, bodies)]
        count = len(table.rows) + 1
        last_column = len(widths) - 1
        for number in range(count):
            styles = heads if number == 0 else bodies
            drawn = []
            for index, width in enumerate(widths):
                lines = cells.lines(self.headers[index] if number == 0 else table.columns[index]._cells[number - 1],
                                    width, styles[index])
                if lines is None:
                    return None
                drawn.append(lines)
            drawn = _evened(drawn, blanks[0 if number == 0 else 1], header=number == 0)
            left, right, divider = edges[_edge(number, count)]
            for line_number in range(len(drawn[0])):
                segments.append(left)
                for index, lines in enumerate(drawn):
                    segments += lines[line_number]
                    if index < last_column:
                        segments.append(divider)
                segments += [right, new_line]
            if number == 0:
                segments += [Segment(frame.get_row(widths, "head", edge=True), border), new_line]
        segments += [Segment(frame.get_bottom(widths), border), new_line]
        return segments

    def text(self, console: Any, options: Any) -> list[str] | None:
        """The lines `draw` draws (or rich draws, for the plain tables of_text takes), as text only (what a
        console without colour prints of its segments), for a layout made by of_text: made as strings, without
        a segment or a Text per cell line."""
        table = self.table
        framed = self._framed(console, options)
        if framed is None:
            return None
        widths, render_options, frame, edges = framed
        title = self.title
        if title is not None and (not isinstance(title, Text) or title.justify or title.overflow
                                  or title.no_wrap is not None or title.end != "\n" or "\t" in title.plain):
            return None
        out = fold(title.plain, render_options.max_width, pad=True) if title else []
        if frame:
            out.append(frame.get_top(widths))
        columns = [(width - left - right, column.justify == "right", left, right)
                   for width, (left, right), column in zip(widths, self.pads, table.columns)]
        blanks = [" " * width for width in widths]
        count = len(self.rows) + 1
        for number, row in enumerate([tuple(header.plain for header in self.headers), *self.rows]):
            cells = _evened([_padded(cell, *column) for cell, column in zip(row, columns)], blanks,
                            header=number == 0)
            if frame:
                left, right, divider = edges[_edge(number, count)]
                out += [left + divider.join(line) + right for line in zip(*cells)]
            else:
                out += ["".join(line) for line in zip(*cells)]
            if frame and number == 0:
                out.append(frame.get_row(widths, "head", edge=True))
            elif frame and number - 1 in self.sections and number < count - 1:
                out.append(frame.get_row(widths, "row", edge=True))
        if frame:
            out.append(frame.get_bottom(widths))
        return out


class Cells:
    """A cell's lines as rich's Table draws them: Padding(Text, (0, 1)) rendered by Console.render_lines
    at the column's width with justify "left" and overflow "fold", under the cell's style."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.pad_style = console.get_style("none")  # Padding's own style
        self.edge = Segment(" ", self.pad_style)
        self.styles: dict[Any, Style] = {}
        self.combined: dict[tuple[Any, ...], Style] = {}

    def style(self, name: Any) -> Style:
        found = self.styles.get(name)
        if found is None:
            found = self.styles[name] = self.console.get_style(name, default=Style.null())
        return found

    def wrap(self, text: Text, room: int) -> list[tuple[str, Any, list[tuple[int, int, Any]], int]]:
        """Text.wrap(room, justify="left", overflow="fold"): each line of the text divided where rich's
        divide_line divides it, its trailing spaces past the room cut (rstrip_end), then cut or padded with
        spaces to the room (truncate); each line with the spans over it."""
        out = []
        offset = 0
        plain = text.plain
        width = len if _ONE_CELL(plain) else cell_len
        for piece in plain.split("\n"):
            end = offset + len(piece)
            spans = _clip(text._spans, offset, end) if len(piece) < len(plain) else list(text._spans)
            divided, parts = _cut(piece, room, width)
            for start, stop, kept in parts:
                line, line_spans = piece[start:kept], (_clip(spans, start, stop) if divided else spans)
                if kept < stop:
                    line_spans = _trim(line_spans, kept - start)
                length = width(line)
                if length > room:
                    cropped = set_cell_size(line, room)
                    if len(cropped) < len(line):
                        line_spans = _trim(line_spans, len(cropped))
                    line = cropped
                elif length < room:
                    line += " " * (room - length)
                out.append((line, text.style, line_spans, width(line)))
            offset = end + 1
        return out

    def combine(self, key: tuple[Any, ...]) -> Style:
        """The style Text.render gives a stretch of a line: the joined text's own (none), the line's style,
        then the styles of the spans over it, in their order."""
        combined = self.combined.get(key)
        if combined is None:
            style = key[0]
            active = [self.style("")] + ([self.style(style)] if style else []) + [self.style(s) for s in key[1:]]
            combined = self.combined[key] = Style.combine(active)
        return combined

    def lines(self, text: Text, width: int, cell_style: Style) -> list[list[Segment]] | None:
        room = width - 2
        wrapped = self.wrap(text, room)
        joined_spans = any(style or spans for _plain, style, spans, _length in wrapped)
        drawn = []
        for line, style, spans, length in wrapped:
            if length > room:
                return None
            if not joined_spans:  # Text.render of text without spans: one segment, unstyled
                pieces_ = [Segment(line)] if line else []
            elif not spans:
                pieces_ = [Segment(line, self.combine((style,)))] if line else []
            else:
                cuts = {0, len(line)}
                for start, stop, _style in spans:
                    if not 0 <= start < stop <= len(line):
                        return None
                    cuts.add(start)
                    cuts.add(stop)
                points = sorted(cuts)
                pieces_ = [Segment(line[start:stop], self.combine(
                               (style, *(span_style for first, last, span_style in spans if first <= start < last))))
                           for start, stop in zip(points, points[1:])]
            if length < room:
                pieces_.append(Segment(" " * (room - length), self.pad_style))
            row = [self.edge, *pieces_, self.edge]
            if cell_style:
                row = [Segment(segment.text, cell_style + segment.style) for segment in row]
            drawn.append(row)
        return drawn


_TRAILING = re.compile(r"\s+$")


def _clip(spans: Any, start: int, end: int) -> list[tuple[int, int, Any]]:
    """The spans over [start, end), moved to start there (as Text.divide keeps them)."""
    kept = []
    for first, last, style in spans:
        low, high = max(0, first - start), min(last, end) - start
        if high > low:
            kept.append((low, high, style))
    return kept


def _trim(spans: list[tuple[int, int, Any]], length: int) -> list[tuple[int, int, Any]]:
    """The spans of a text cut to `length` characters (Text.right_crop, Text._trim_spans)."""
    return [(first, min(last, length), style) for first, last, style in spans if first < length]


def _evened(cells: list[list[Any]], blanks: list[Any], header: bool) -> list[list[Any]]:
    """A row's cells, each a list of lines, made as tall as the tallest with its blank line: above a header
    cell (rich aligns headers to the bottom), below a body cell."""
    height = max(map(len, cells))
    return [lines if len(lines) == height else
            ([blank] * (height - len(lines)) + [*lines] if header else [*lines] + [blank] * (height - len(lines)))
            for lines, blank in zip(cells, blanks)]


def _normalized(least: int, most: int) -> tuple[int, int]:
    """Measurement.normalize."""
    least = min(max(0, least), most)
    return max(0, least), max(0, least, most)


def _edge(number: int, count: int) -> int:
    """Which of the header's, the body's and the last row's edges the row `number` of `count` takes."""
    return 0 if number == 0 else (2 if number == count - 1 else 1)


def _drawn_here(table: Table) -> bool:
    """Whether the table has the one shape this draws (the module's docstring): of the shapes Layout.text
    makes (_text_shape), the boxed one with every column aligned left and no minimum width, and rows with no
    style of their own and no section lines."""
    return (_text_shape(table) and bool(table.box) and not table.row_styles
            and not any(row.style is not None or row.end_section for row in table.rows)
            and all(column.justify == "left" and column.min_width is None for column in table.columns))


def _text_shape(table: Table) -> bool:
    """Whether Layout.text makes this table's text: the shape `draw` draws (_drawn_here, rows aside: of_text
    gets them as text), or a plain one of terminal.simple_table's (no box, then no padding at its edges;
    columns aligned right, with a minimum width or a style). A boxed table pads its edges and draws them."""
    return not (table.show_footer or table.show_lines or table.leading or table.collapse_padding
                or tuple(table.padding) != (0, 1, 0, 1) or table.pad_edge != bool(table.box)
                or table.width is not None or table.expand or table.caption or not table.show_header
                or (table.box and not table.show_edge) or table.min_width is not None or not table.columns
                or any(column.justify not in ("left", "right") or column.overflow != "fold" or column.no_wrap
                       or column.max_width is not None or column.vertical != "top" or column.highlight
                       or not isinstance(column.header, str) or "[" in column.header
                       for column in table.columns))


#: _frame's answers, per table and console, held weakly: an answer goes with its table or its console (and the
#: console with the output it wrote: a strong cache kept a long-lived process's consoles and outputs alive)
_FRAMES: weakref.WeakKeyDictionary[Table, weakref.WeakKeyDictionary[Any, Any]] = weakref.WeakKeyDictionary()


def _frame(table: Table, console: Any) -> tuple[list[Text], list[tuple[int, int]], tuple[int | None, ...]] | None:
    """What of_text reads of `table`'s columns: the headers as rich renders them, their measures and the
    columns' fixed widths; None where Layout.text does not make this table's text (_text_shape, or a tab in a
    header). Worked out once per table and console, for the many tables that share their columns
    (MeasuresTable): a table's columns do not change once it has them."""
    known = _FRAMES.get(table)
    if known is None:  # (setdefault would make a dictionary for every table asked, to throw most away)
        known = _FRAMES[table] = weakref.WeakKeyDictionary()
    if console not in known:
        known[console] = _frame_of(table, console)
    return known[console]


def _frame_of(table: Table, console: Any) -> tuple[list[Text], list[tuple[int, int]], tuple[int | None, ...]] | None:
    if not _text_shape(table):
        return None
    headers = [console.render_str(column.header, highlight=column.highlight, markup=None)
               for column in table.columns]
    if any("\t" in header.plain for header in headers):
        return None
    return headers, [_measure(header.plain) for header in headers], tuple(column.width for column in table.columns)


@lru_cache(maxsize=1 << 14)  # cells repeat: a column's words in each of WholeWords' layouts, a unit in many rows
def _measure(plain: str) -> tuple[int, int]:
    """A cell's widest word and widest line, as Text.__rich_measure__ measures them."""
    width = len if _ONE_CELL(plain) else cell_len
    most = max(map(width, plain.splitlines()), default=0)
    least = max(map(width, plain.split()), default=most)
    return min(least, most), most


def fold(plain: str, room: int, pad: bool, right: bool = False) -> list[str]:
    """Text(plain).wrap(room, overflow="fold") as text: justify "left" (each line padded to the room) where
    `pad`, else "default"; "right" (each line without its trailing spaces, spaces before it to the room)
    where `right`. Cells.wrap, without the spans."""
    return list(_folded(plain, room, pad, right))


@lru_cache(maxsize=1 << 14)  # a national table's cells repeat: ages, target groups, a plan's units
def _folded(plain: str, room: int, pad: bool, right: bool) -> tuple[str, ...]:
    """fold, kept."""
    one_cell = _ONE_CELL(plain)
    if one_cell and len(plain) <= room and "\n" not in plain and not (right and plain[-1:].isspace()):
        if right:  # one line that fits: the common case
            return (" " * (room - len(plain)) + plain,)
        return (plain + " " * (room - len(plain)) if pad else plain,)
    out = []
    width = len if one_cell else cell_len
    for piece in plain.split("\n"):
        for start, _stop, kept in _cut(piece, room, width)[1]:
            line = piece[start:kept].rstrip() if right else piece[start:kept]
            length = width(line)
            if length > room:
                line = set_cell_size(line, room)
                length = width(line)
            if right:
                line = " " * (room - length) + line
            elif pad and length < room:
                line += " " * (room - length)
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=1 << 15)  # a national table's cells repeat
def _padded(plain: str, room: int, right: bool, left_pad: int, right_pad: int) -> tuple[str, ...]:
    """A cell's lines in a column `room` wide inside its padding (`left_pad` and `right_pad` spaces), as
    Layout.text draws them: folded, justified left (padded to the room) or right."""
    before, after = " " * left_pad, " " * right_pad
    return tuple(before + line + after for line in _folded(plain, room, True, right))


def _cut(piece: str, room: int, width: Any) -> tuple[bool, list[tuple[int, int, int]]]:
    """Where Text.wrap(room, overflow="fold") cuts one line of text (`width` measures it): whether it divides it,
    and each part's start, end, and end without the spaces past the room (rstrip_end)."""
    if len(piece) <= room and width(piece) <= room:
        return False, [(0, len(piece), len(piece))]
    breaks = _breaks(piece, room) if width is len else divide_line(piece, room, fold=True)
    bounds = [0, *breaks, len(piece)]
    parts = []
    for start, stop in zip(bounds, bounds[1:]):
        kept = stop
        if stop - start > room:
            trailing = _TRAILING.search(piece[start:stop])
            if trailing is not None:
                kept = stop - min(len(trailing.group(0)), stop - start - room)
        parts.append((start, stop, kept))
    return bool(breaks), parts


_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap's word: a word and the spaces after it


def _breaks(text: str, room: int) -> list[int]:
    """rich's divide_line(text, room, fold=True) for a text whose every character is one cell wide (then a
    word's width is its length, and a word too long for a line is cut every `room` characters)."""
    breaks: list[int] = []
    offset = 0
    for word in _WORD.finditer(text):
        start, end = word.span()
        length = len(word.group().rstrip())
        if room - offset >= length:
            offset += end - start
        elif length > room:  # folded across lines
            cuts = range(start, end, room)
            breaks += [cut for cut in cuts if cut]
            offset = end - cuts[-1]
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks
