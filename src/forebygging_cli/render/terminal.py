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
from .text import age_rules_line, age_text, count_line, grouped, level_heading, printable, responsible_text, staff_only, target_words


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


class MeasuresTable:
    """One plan's measures at one level as a table, laid out for the width it is given."""

    def __init__(self, plan: Plan, level: str, matches: Sequence[Match]) -> None:
        self.plan, self.level, self.matches = plan, level, matches

    def __rich_console__(self, console: Any, options: Any) -> Any:
        # the id, under the name, is what `show` takes. When the table must wrap, its column is fixed at
        # the longest id (up to two fifths of the room) so that an id is copied whole; the other columns
        # fold into the rest (a fixed column is never widened past the width, as a minimum one would be)
        table = self.table(None)
        if Measurement.get(console, options.update_width(1 << 20), table).maximum > options.max_width:
            longest_id = max((len(match.measure.id) for match in self.matches), default=0)
            table = self.table(min(longest_id, id_room(options.max_width)))
        yield table

    def table(self, measure_width: int | None) -> Table:
        table = Table(title=Text(printable(level_heading(self.plan, self.level, self.matches))), title_justify="left",
                      title_style="bold", show_lines=False, expand=False)
        table.add_column(_("Measure"), ratio=3, overflow="fold", width=measure_width or None)
        table.add_column(_("Target group"), ratio=3, overflow="fold")
        table.add_column(_("Age"), ratio=2, overflow="fold")
        table.add_column(_("Responsible"), ratio=3, overflow="fold")
        for match in self.matches:
            target = Text(printable(target_words(match)))
            if staff_only(match.measure):
                target.append(" " + _("(for staff)"), style="italic")
            age = Text(printable(age_text(match, rules="short")))
            if match.age_unknown:
                age.stylize("yellow")
            name = Text(printable(match.measure.name), style="bold")
            name.append("\n" + match.measure.id, style="dim")
            table.add_row(name, target, age, Text(printable(responsible_text(match))))
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


def simple_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 dim_columns: Sequence[int] = (), keep: Sequence[int] = (), numbers: Sequence[int] = ()) -> Table:
    """A plain table of text cells (plans, units, counts), folded when narrow,
    never cut; columns in `keep` (ids, paths) are dim; `numbers` keep their
    width and are right-aligned."""
    table = Table(title=Text(printable(title)) if title else None, title_justify="left", title_style="bold")
    for index, header in enumerate(headers):
        table.add_column(header, style="dim" if index in dim_columns else None,
                         overflow="fold",
                         justify="right" if index in numbers else "left",
                         min_width=max([0] + [len(str(r[index])) for r in rows]) if index in numbers else None)
    for cells in rows:
        table.add_row(*(cell if isinstance(cell, Text) else Text(printable(str(cell))) for cell in cells))
    return table
