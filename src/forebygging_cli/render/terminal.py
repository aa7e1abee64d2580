"""Terminal output with rich: a table per plan and level, with the plan's own
level labels, ages with the rule used, and marks for derived values."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..query import Match
from .text import age_text, count_line, grouped, level_heading, printable, responsible_text, target_words


def measures_view(matches: Sequence[Match]) -> RenderableType:
    parts: list[RenderableType] = []
    for plan, levels in grouped(matches):
        parts.append(Text(printable(plan.municipality), style="bold underline"))
        for level, plan_matches in levels:
            table = Table(
                title=Text(printable(level_heading(plan, level, plan_matches))),
                title_justify="left",
                title_style="bold",
                show_lines=False,
                expand=False,
            )
            table.add_column("Tiltak", style="bold", ratio=3)
            table.add_column("Målgruppe", ratio=3)
            table.add_column("Alder", ratio=2)
            table.add_column("Ansvarlig", ratio=3)
            for match in plan_matches:
                age = Text(printable(age_text(match)))
                if match.measure.target.span.rules and not match.age_unknown:
                    age.append("\n" + "; ".join(match.measure.target.span.rules), style="dim")
                if match.age_unknown:
                    age.stylize("yellow")
                table.add_row(
                    Text(printable(match.measure.name)),
                    Text(printable(target_words(match))),
                    age,
                    Text(printable(responsible_text(match))),
                )
            parts.append(table)
    parts.append(Text(count_line(matches)))
    return Group(*parts)


def detail_view(rows: Sequence[tuple[str, str]]) -> RenderableType:
    """`show`: label and value per line; plan text is never read as markup."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        table.add_row(Text(label), Text(printable(value)))
    return table
