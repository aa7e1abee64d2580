"""Terminal output with rich: a table per plan and level with the plan's own
level labels, each measure's id, ages with what the plan stated (the age rules
once under each table), marks for derived values and for measures that reach
the child only through staff; and `show`'s view of whole measures.

Plan text is never read as markup. Colour and width are the console's
business (see output.py): a pipe gets whole lines, never a table cut to 80
columns."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..i18n import _, current
from ..query import Match, Selection
from . import tables
from .records import table_row
from .text import Tally, age_rules_line, grouped, level_heading, longest_word, printable, tally_line

if TYPE_CHECKING:  # only named in annotations: a query the store answers never imports the model
    from ..model import Measure, Plan


def measures_view(selection: Selection, plans: Any = (), **_options: Any) -> RenderableType:
    matches = selection.matches
    return joined_view([PlainGroup(*plan_parts(plan, levels)) for plan, levels in grouped(matches)],
                       Tally.of(matches), selection.left_out,
                       len(plans) if plans else len({m.plan.path for m in matches}))


def plan_parts(plan: Any, levels: Sequence[tuple[str, Sequence[Match]]]) -> list[RenderableType]:
    """One plan's part of measures_view: its name, a table per level with the age rules under it."""
    parts: list[RenderableType] = [Text(printable(plan.municipality), style="bold underline")]
    for level, plan_matches in levels:
        parts.append(MeasuresTable(plan, level, plan_matches))
        rules = age_rules_line(plan_matches)
        if rules:
            parts.append(Text(printable(rules), style="dim"))
        parts.append(Text(""))
    return parts


def plan_piece(matches: Sequence[Match], console: Any) -> Any:
    """One plan's matches as measures_view shows them, for a query that shows each plan as it is searched
    and lets its matches go: the lines already made where `console` prints no colour (Made), else the parts
    for rich to print. joined_view puts the pieces together."""
    group = PlainGroup(*(part for plan, levels in grouped(matches) for part in plan_parts(plan, levels)))
    lines = group.plain_lines(console, console.options)
    return group if lines is None else Made(lines)


def joined_view(pieces: Sequence[Any], tally: Tally, left_out: int, plan_count: int) -> RenderableType:
    """The plans' pieces one after another, and the count line under them."""
    return PlainGroup(*pieces, Text(tally_line(tally, left_out, plan_count)))


class Made:
    """Lines made as text already (PlainGroup.plain_lines): printed as they are."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def plain_lines(self, console: Any, options: Any) -> list[str]:
        return self.lines

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        for line in self.lines:
            yield Segment(line)
            yield Segment.line()


class PlainGroup(Group):
    """Renderables one after another, as Group: rich prints them, or where the console prints no colour,
    `plain_lines` makes their text directly (a national query is thousands of tables, `units` a table a plan,
    `coverage` and `plans` a table of thousands of rows)."""

    def plain_lines(self, console: Any, options: Any) -> list[str] | None:
        """The lines a console without colour prints for this, made as text (render/tables.py, Layout.text);
        None where it has colour or anything here is not of a shape made so (then rich prints it)."""
        if console.color_system is not None or not tables.ENABLED:
            return None
        lines: list[str] = []
        for part in self.renderables:
            made = getattr(part, "plain_lines", None)
            if made is not None:
                drawn = made(console, options)
                if drawn is None:
                    return None
                lines += drawn
            elif (isinstance(part, Text) and not (part.justify or part.overflow or part.no_wrap is not None)
                  and part.end == "\n" and "\t" not in part.plain):
                lines += tables.fold(part.plain, options.max_width, pad=False)
            else:
                return None
        return lines


def id_room(width: int) -> int:
    """The widest id the measures table keeps on one line at this terminal width: two fifths of
    what the four columns have (the width less 5 borders and 8 spaces of padding)."""
    return max(0, (width - 13) * 2 // 5)


class IdsWhole:
    """A measures table whose first column holds each measure's id under its name: the id is what `show`
    takes, so it is never broken. When the table must wrap, that column is fixed at the longest id (up to
    two fifths of the room); the other columns fold into the rest (a fixed column is never widened past
    the width, as a minimum one would be). `build(width)` makes the table with that column's width."""

    def __init__(self, build: Any, ids: Sequence[str]) -> None:
        self._build, self.longest_id = build, max((len(i) for i in ids), default=0)

    def build(self, width: int | None) -> Table:
        return self._build(width)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        table = self.build(None)
        if tables.ENABLED:  # the same lines, made without rich's layout (render/tables.py)
            segments = self.fast(table, console, options)
            if segments is not None:
                yield from segments
                return
        if Measurement.get(console, options.update_width(1 << 20), table).maximum > options.max_width:
            table = self.build(min(self.longest_id, id_room(options.max_width)))
        yield table

    def fast(self, table: Any, console: Any, options: Any) -> list[Any] | None:
        """What rich draws for this (`table` is build(None)), drawn by render/tables.py; None where it does not."""
        layout = self._fitted(tables.Layout.of(table, console), options)
        return layout.draw(console, options) if layout is not None else None

    def text(self, frame: Table, rows: list[tuple[str, ...]], console: Any, options: Any,
             title: Text | None = None) -> list[str] | None:
        """The text of the lines `fast` draws, without their styles: `frame` is the table's title and columns
        (any rows it has are not read), `rows` its cells as text, `title` in place of the frame's (frames are
        shared). None where render/tables.py does not draw it."""
        layout = self._fitted(tables.Layout.of_text(frame, rows, console, title=title), options)
        return layout.text(console, options) if layout is not None else None

    def _fitted(self, layout: Any, options: Any) -> Any:
        """`layout` (of build(None)) as __rich_console__ lays the table out: where it is wider than the room,
        its first column fixed as build(width) fixes it; None where render/tables.py does not draw it."""
        most = layout.natural() if layout is not None else None
        if layout is None or most is None:
            return None
        if most > options.max_width:
            return layout.with_first_width(self.first_width(min(self.longest_id, id_room(options.max_width))))
        return layout

    def first_width(self, width: int) -> int | None:
        """The first column's width in build(width)."""
        return self.build(width).columns[0].width


class MeasuresTable(IdsWhole):
    """One plan's measures at one level as a table, laid out for the width it is given."""

    def __init__(self, plan: Plan, level: str, matches: Sequence[Match]) -> None:
        self.plan, self.level, self.matches = plan, level, matches
        # build is a method here, not the bound method kept as IdsWhole's `build`: that would make each table a
        # reference cycle, which outlives its plan while a national query loads with the collector paused
        super().__init__(None, [match.measure.id for match in matches])

    def frame(self, measure_width: int | None) -> Table:
        """The table with its title and columns, and no rows yet."""
        return _measures_frame(self.title(), measure_width)

    def title(self) -> Text:
        return Text(printable(level_heading(self.plan, self.level, self.matches)))

    def first_width(self, width: int) -> int | None:
        return width or None  # frame(width) fixes its first column at `width` (and 0 at none)

    def cells(self) -> list[tuple[str, str, str, bool, str, bool, str]]:
        """Each row's cells as text, before they are styled: the measure's name and id, the target group and
        whether it is for staff only, the age and whether the plan states none, who is responsible."""
        rows = []
        for match in self.matches:
            words, staff, years, responsible = table_row(match)
            rows.append((printable(match.measure.name), match.measure.id, printable(words), staff, printable(years),
                         match.age_unknown, printable(responsible)))
        return rows

    def build(self, measure_width: int | None) -> Table:
        table = self.frame(measure_width)
        for name_text, ident, words, staff, years, age_unknown, responsible in self.cells():
            target = Text(words)
            if staff:
                target.append(" " + _("(for staff)"), style="italic")
            age = Text(years)
            if age_unknown:
                age.stylize("yellow")
            name = Text(name_text, style="bold")
            name.append("\n" + ident, style="dim")
            table.add_row(name, target, age, Text(responsible))
        return table

    def plain_lines(self, console: Any, options: Any) -> list[str] | None:
        """The text of the lines IdsWhole draws for this table (without its styles), made from the same cells;
        None where render/tables.py does not draw it."""
        staff_words = " " + _("(for staff)")
        rows = [(f"{name}\n{ident}", words + staff_words if staff else words, years, responsible)
                for name, ident, words, staff, years, _unknown, responsible in self.cells()]
        return self.text(_measures_columns(current()), rows, console, options, title=self.title())


def _measures_frame(title: Text | None, measure_width: int | None) -> Table:
    """A measures table with its title and columns, and no rows yet."""
    table = Table(title=title, title_justify="left", title_style="bold", show_lines=False, expand=False)
    table.add_column(_("Measure"), ratio=3, overflow="fold", width=measure_width or None)
    table.add_column(_("Target group"), ratio=3, overflow="fold")
    table.add_column(_("Age"), ratio=2, overflow="fold")
    table.add_column(_("Responsible"), ratio=3, overflow="fold")
    return table


@lru_cache(maxsize=8)
def _measures_columns(language: str) -> Table:
    """The columns of the measures tables in `language` (the one spoken now: the cache's key), no title and no
    rows: one frame for all the tables of a run made as text, each with its own title (a national query
    makes a thousand)."""
    return _measures_frame(None, None)


def details_view(records: Sequence[tuple[Plan, Measure, list[tuple[str, str]]]], **_options: Any) -> RenderableType:
    """`show`: one block per measure, label and value per line, a rule between measures."""
    parts: list[RenderableType] = []
    for index, (plan, measure, rows) in enumerate(records):
        if index:
            parts.append(Text(""))
        title = printable(f"{measure.name} ({plan.stem}:{measure.id})")
        heading = Text("── ", style="dim")
        heading.append(title, style="bold")
        heading.append(" " + "─" * max(3, 76 - len(title)), style="dim")  # a rule of its own width, never 100,000
        parts.append(heading)
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for label, value in rows:
            table.add_row(Text(label), Text(printable(value)))
        parts.append(table)
    return Group(*parts)


class Shaped:
    """A table as what both its drawings start from: its columns (`frame`, a Table with no rows yet), its
    cells as text (`rows`), and the rows a line follows (`sections`, counted from 0). `table()` is the whole
    table, its styled cells added by `fill(frame)` the first time it is asked for."""

    def __init__(self, frame: Table, rows: list[tuple[str, ...]], fill: Any,
                 sections: frozenset[int] = frozenset()) -> None:
        self.frame, self.rows, self.sections, self._fill = frame, rows, sections, fill

    def table(self) -> Table:
        if self._fill is not None:
            self._fill(self.frame)
            self._fill = None
        return self.frame


class WholeWords:
    """A table laid out so that no word is broken where it can be helped. `layouts` build the same table
    (each a Shaped) in ways from the roomiest to the most compact, each column at least as wide as its
    longest word: the first that fits the width it is given is shown, and only where none fits is it folded
    as rich folds (never cut off at the screen's edge)."""

    def __init__(self, *layouts: Any, fold: Any) -> None:
        self.layouts, self.fold = layouts, fold

    def __rich_console__(self, console: Any, options: Any) -> Any:
        for layout in self.layouts:
            table = layout().table()
            if len(table.rows) >= BIG_TABLE:  # rich would measure thousands of cells, twice: see plain_table
                fit, lines = plain_table(table, console, options)
                if fit is True:
                    yield from lines
                    return
                if fit is False:
                    continue
            if self.fits(table, console, options):
                yield table
                return
        yield self.fold().table()

    def plain_lines(self, console: Any, options: Any) -> list[str] | None:
        """The text of what __rich_console__ draws, where the console prints no colour, made from the cells'
        text by render/tables.py (the same choice of layout: Layout.fits is `fits`); None where it does not."""
        if console.color_system is not None or not tables.ENABLED:
            return None
        for layout in (*self.layouts, self.fold):
            shaped = layout()
            drawn = tables.Layout.of_text(shaped.frame, shaped.rows, console, shaped.sections)
            fits = True if layout is self.fold else (drawn.fits(options.max_width) if drawn else None)
            if drawn is None or fits is None:
                return None
            if fits:
                return drawn.text(console, options)
        return None  # pragma: no cover - the fold layout is always taken

    @staticmethod
    def fits(table: Table, console: Any, options: Any) -> bool:
        """Whether rich lays the table out within the width with every column at its minimum or wider
        (rich's own column widths: where they are too many, it would crop or break words)."""
        if Measurement.get(console, options.update_width(1 << 20), table).minimum > options.max_width:
            return False
        widths = table._calculate_column_widths(console, options)  # rich's layout, as it will draw it
        return (sum(widths) + table._extra_width <= options.max_width
                and all(width >= (column.min_width or 0) for width, column in zip(widths, table.columns)))


#: a table of this many rows or more is written by plain_table where every cell fits its column unwrapped
BIG_TABLE = 60


def plain_table(table: Table, console: Any, options: Any) -> tuple[bool | None, list[Any]]:
    """The lines rich draws for `table`, made without rich's layout where that is simple, because rich measures
    every cell of a big table two or three times before it draws it (87 % of a warm `coverage` of 1,000 plans):
    (True, the segments) where every cell is one line of text and the table fits the width with each column as
    wide as its widest cell (then rich draws each cell as it is, padded: what this does, segment for segment);
    (False, []) where the table cannot fit even with every column at its narrowest (rich's `fits` says no too);
    (None, []) for anything else (cells to wrap, a table option this does not draw): rich lays it out."""
    from rich.cells import cell_len
    from rich.segment import Segment
    from rich.style import Style

    if (table.show_footer or table.show_lines or table.leading or table.row_styles or table.collapse_padding
            or tuple(table.padding) != (0, 1, 0, 1) or table.width is not None or table.expand or table.caption
            or not table.show_header or (table.box and not table.show_edge) or table.min_width
            or console.get_style(table.style or "") or console.get_style(table.border_style or "")):
        return None, []
    last = len(table.columns) - 1
    columns = []  # (header text, cell texts, justify, left pad, right pad, natural width, narrowest width)
    for index, column in enumerate(table.columns):
        if column.justify not in ("left", "right") or column.width is not None or column.max_width is not None:
            return None, []
        header = column.header
        header = console.render_str(header, highlight=False) if isinstance(header, str) else header
        cells = [header, *column._cells]
        widest = narrowest = 0
        for cell in cells:
            if not isinstance(cell, Text) or cell.justify or cell.overflow or cell.no_wrap:
                return None, []
            plain = cell.plain
            if "\n" in plain or "\t" in plain or plain != plain.strip():
                return None, []
            widest = max(widest, cell_len(plain))
            narrowest = max(narrowest, max((cell_len(word) for word in plain.split()), default=0))
        left = 0 if (index == 0 and not table.pad_edge) else 1
        right = 0 if (index == last and not table.pad_edge) else 1
        least = (column.min_width or 0)
        columns.append((cells, column, left, right, max(widest, least) + left + right,
                        max(narrowest, least) + left + right))
    extra = table._extra_width
    if sum(c[5] for c in columns) + extra > options.max_width:
        return False, []
    if sum(c[4] for c in columns) + extra > options.max_width:
        return None, []
    widths = [c[4] for c in columns]
    table_width = sum(widths) + extra
    segments: list[Any] = []
    if table.title:
        title = table.title if isinstance(table.title, Text) else console.render_str(
            table.title, style=Style.pick_first(table.title_style, "table.title"), highlight=False)
        if cell_len(title.plain) > table_width or "\n" in title.plain:
            return None, []
        segments += console.render(title, options.update(width=table_width, justify=table.title_justify,
                                                         highlight=table.highlight, height=None))
    frame = table.box.substitute(options, safe=table.safe_box if table.safe_box is not None else console.safe_box) \
        if table.box else None
    new_line = Segment.line()
    if frame:
        segments += [Segment(frame.get_top(widths)), new_line]
    header_style = console.get_style(table.header_style or "")
    styles = [(header_style + console.get_style(c[1].header_style), console.get_style(c[1].style or ""))
              for c in columns]
    count = len(table.rows) + 1
    for number in range(count):
        row = table.rows[number - 1] if number else None
        if frame:
            left_edge, right_edge, divider = (
                (frame.head_left, frame.head_right, frame.head_vertical) if number == 0 else
                (frame.foot_left, frame.foot_right, frame.foot_vertical) if number == count - 1 else
                (frame.mid_left, frame.mid_right, frame.mid_vertical))
            segments.append(Segment(left_edge))
        for index, ((cells, column, left, right, width, _least), (head, body)) in enumerate(zip(columns, styles)):
            base = head if number == 0 else body
            text = cells[number]
            room = width - left - right - cell_len(text.plain)
            fill = Segment(" " * room, base + console.get_style(text.style or "")) if room else None
            if left:
                segments.append(Segment(" " * left, base))
            if fill and column.justify == "right":
                segments.append(fill)
            if text.spans:
                segments += Segment.apply_style(text.render(console, end=""), base)
            elif text.plain:  # Text.render leaves a text's own style to the caller where it has no spans
                segments.append(Segment(text.plain, base + console.get_style(text.style or "")))
            if fill and column.justify == "left":
                segments.append(fill)
            if right:
                segments.append(Segment(" " * right, base))
            if frame and index < last:
                segments.append(Segment(divider))
        if frame:
            segments.append(Segment(right_edge))
        segments.append(new_line)
        if frame and number == 0:
            segments += [Segment(frame.get_row(widths, "head", edge=True)), new_line]
        elif frame and row is not None and row.end_section and number < count - 1:
            segments += [Segment(frame.get_row(widths, "row", edge=True)), new_line]
    if frame:
        segments += [Segment(frame.get_bottom(widths)), new_line]
    return True, segments


def simple_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 dim_columns: Sequence[int] = (), numbers: Sequence[int] = (),
                 merge: tuple[Sequence[int], str] | None = None) -> WholeWords:
    """A plain table of text cells (plans, units, counts), wrapped between words when narrow, never cut;
    columns in `dim_columns` are dim; `numbers` are right-aligned. `merge` (columns, header): where the
    table is too wide, those columns become one, their cells joined by " · " (the counts per level)."""
    from rich import box

    def build(whole: bool, frame: Any, merged: bool) -> Shaped:
        table = Table(title=Text(printable(title)) if title else None, title_justify="left", title_style="bold",
                      box=frame, pad_edge=frame is not None, header_style="bold" if frame else "bold underline")
        columns = list(range(len(headers)))
        joined = merge[0] if merged and merge else ()
        shown = [c for c in columns if c not in joined[1:]]
        def header(index: int) -> str:
            return merge[1] if joined and index == joined[0] else headers[index]

        def cell(row: Sequence[Any], index: int) -> Any:
            if joined and index == joined[0]:
                return " · ".join(str(row[i].plain if isinstance(row[i], Text) else row[i]) for i in joined)
            return row[index]

        cells = [[cell(row, index) for index in shown] for row in rows]
        texts = [tuple(c.plain if isinstance(c, Text) else printable(str(c)) for c in row) for row in cells]
        for at, index in enumerate(shown):
            table.add_column(header(index), style="dim" if index in dim_columns else None, overflow="fold",
                             justify="right" if index in numbers else "left",
                             min_width=(longest_word([header(index), *(row[at] for row in texts)]) or None)
                             if whole else None)

        def fill(table: Table) -> None:
            for row, text in zip(cells, texts):
                table.add_row(*(c if isinstance(c, Text) else Text(plain) for c, plain in zip(row, text)))

        return Shaped(table, texts, fill)

    layouts = [lambda: build(True, box.HEAVY_HEAD, False), lambda: build(True, None, False)]
    if merge:
        layouts += [lambda: build(True, box.HEAVY_HEAD, True), lambda: build(True, None, True)]
    return WholeWords(*layouts, fold=lambda: build(False, box.HEAVY_HEAD, bool(merge)))
