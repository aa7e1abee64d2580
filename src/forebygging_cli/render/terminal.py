"""Terminal output with rich: a table per plan and level with the plan's own
level labels, each measure's id, ages with what the plan stated (the age rules
once under each table), marks for derived values and for measures that reach
the child only through staff; and `show`'s view of whole measures.

Plan text is never read as markup. Colour and width are the console's
business (see output.py): a pipe gets whole lines, never a table cut to 80
columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..i18n import _
from ..model import Measure, Plan
from ..query import Match, Selection
from .records import table_row
from .text import age_rules_line, count_line, grouped, level_heading, longest_word, printable


def measures_view(selection: Selection, plans: Any = (), **_options: Any) -> RenderableType:
    parts: list[RenderableType] = []
    for plan, levels in grouped(selection.matches):
        parts.append(Text(printable(plan.municipality), style="bold underline"))
        for level, plan_matches in levels:
            parts.append(MeasuresTable(plan, level, plan_matches))
            rules = age_rules_line(plan_matches)
            if rules:
                parts.append(Text(printable(rules), style="dim"))
            parts.append(Text(""))
    parts.append(Text(count_line(selection.matches, selection.left_out, plans=len(plans) if plans else None)))
    return Group(*parts)


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
        self.build, self.longest_id = build, max((len(i) for i in ids), default=0)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        table = self.build(None)
        if Measurement.get(console, options.update_width(1 << 20), table).maximum > options.max_width:
            table = self.build(min(self.longest_id, id_room(options.max_width)))
        yield table


class MeasuresTable(IdsWhole):
    """One plan's measures at one level as a table, laid out for the width it is given."""

    def __init__(self, plan: Plan, level: str, matches: Sequence[Match]) -> None:
        self.plan, self.level, self.matches = plan, level, matches
        super().__init__(self.table, [match.measure.id for match in matches])

    def table(self, measure_width: int | None) -> Table:
        table = Table(title=Text(printable(level_heading(self.plan, self.level, self.matches))), title_justify="left",
                      title_style="bold", show_lines=False, expand=False)
        table.add_column(_("Measure"), ratio=3, overflow="fold", width=measure_width or None)
        table.add_column(_("Target group"), ratio=3, overflow="fold")
        table.add_column(_("Age"), ratio=2, overflow="fold")
        table.add_column(_("Responsible"), ratio=3, overflow="fold")
        for match in self.matches:
            words, staff, years, responsible = table_row(match)
            target = Text(printable(words))
            if staff:
                target.append(" " + _("(for staff)"), style="italic")
            age = Text(printable(years))
            if match.age_unknown:
                age.stylize("yellow")
            name = Text(printable(match.measure.name), style="bold")
            name.append("\n" + match.measure.id, style="dim")
            table.add_row(name, target, age, Text(printable(responsible)))
        return table


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


class WholeWords:
    """A table laid out so that no word is broken where it can be helped. `layouts` build the same table
    in ways from the roomiest to the most compact, each column at least as wide as its longest word: the
    first that fits the width it is given is shown, and only where none fits is it folded as rich folds
    (never cut off at the screen's edge)."""

    def __init__(self, *layouts: Any, fold: Any) -> None:
        self.layouts, self.fold = layouts, fold

    def __rich_console__(self, console: Any, options: Any) -> Any:
        for layout in self.layouts:
            table = layout()
            if self.fits(table, console, options):
                yield table
                return
        yield self.fold()

    @staticmethod
    def fits(table: Table, console: Any, options: Any) -> bool:
        """Whether rich lays the table out within the width with every column at its minimum or wider
        (rich's own column widths: where they are too many, it would crop or break words)."""
        if Measurement.get(console, options.update_width(1 << 20), table).minimum > options.max_width:
            return False
        widths = table._calculate_column_widths(console, options)  # rich's layout, as it will draw it
        return (sum(widths) + table._extra_width <= options.max_width
                and all(width >= (column.min_width or 0) for width, column in zip(widths, table.columns)))


def simple_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 dim_columns: Sequence[int] = (), keep: Sequence[int] = (), numbers: Sequence[int] = (),
                 merge: tuple[Sequence[int], str] | None = None) -> WholeWords:
    """A plain table of text cells (plans, units, counts), wrapped between words when narrow, never cut;
    columns in `dim_columns` are dim; `numbers` are right-aligned. `merge` (columns, header): where the
    table is too wide, those columns become one, their cells joined by " · " (the counts per level)."""
    from rich import box

    def build(whole: bool, frame: Any, merged: bool) -> Table:
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

        for index in shown:
            texts = [c.plain if isinstance(c, Text) else c for c in (cell(r, index) for r in rows)]
            table.add_column(header(index), style="dim" if index in dim_columns else None, overflow="fold",
                             justify="right" if index in numbers else "left",
                             min_width=(longest_word([header(index), *texts]) or None) if whole else None)
        for row in rows:
            table.add_row(*(c if isinstance(c, Text) else Text(printable(str(c)))
                            for c in (cell(row, index) for index in shown)))
        return table

    layouts = [lambda: build(True, box.HEAVY_HEAD, False), lambda: build(True, None, False)]
    if merge:
        layouts += [lambda: build(True, box.HEAVY_HEAD, True), lambda: build(True, None, True)]
    return WholeWords(*layouts, fold=lambda: build(False, box.HEAVY_HEAD, bool(merge)))
