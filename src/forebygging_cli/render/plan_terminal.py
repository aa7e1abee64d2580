"""`render --format terminal`: the prevention pyramid (indicated at the top,
universal at the base) with the number of measures per level, then the
measures grouped by level, age band or responsible unit, each with its target,
ages and responsible units."""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..i18n import _
from .terminal import IdsWhole
from .text import DERIVED_MARK, derived_note, printable

#: the pyramid's rows, top to bottom, and how wide each is
PYRAMID = (("indicated", 9), ("selected", 19), ("universal", 29))


def pyramid(context: dict[str, Any]) -> Text:
    levels = {level["key"]: level for level in context["levels"]}
    width = PYRAMID[-1][1]
    out = Text()
    for index, (key, size) in enumerate(PYRAMID):
        level = levels[key]
        pad = " " * ((width - size) // 2)
        out.append(pad)
        out.append("▇" * size, style=("red", "yellow", "green")[index])
        out.append(pad + "  ")
        out.append(printable(level["label"]), style="bold")
        out.append(f"  {level['count']}" + (f" {DERIVED_MARK}" if level["derived"] else ""))
        out.append("\n")
    return out


def render(context: dict[str, Any], **_options: Any) -> RenderableType:
    plan = context["plan"]
    parts: list[RenderableType] = [Text(printable(plan["municipality"]), style="bold underline"),
                                   Text(printable(plan["title"]), style="bold")]
    facts = []
    if plan["adopted"] and plan["adopted"]["date"]:
        facts.append(_("Adopted by {body} on {date}.").format(body=plan["adopted"]["by"], date=plan["adopted"]["date"]))
    if plan["period"]:
        facts.append(_("Plan period: {period}.").format(period=plan["period"]))
    if facts:
        parts.append(Text(" ".join(facts), style="dim"))
    parts += [Text(""), pyramid(context)]
    for group in context["groups"]:
        parts += [Text(""), IdsWhole(partial(_group_table, group), [m["id"] for m in group["measures"]])]
    if context["has_derived"]:
        parts += [Text(""), Text(derived_note() + ".", style="dim")]
    return Group(*parts)


def _group_table(group: dict[str, Any], measure_width: int | None) -> Table:
    """One group's measures (a level, an age band or a unit), the measure column `measure_width` wide."""
    table = Table(title=Text(printable(group["title"]) + (f" {DERIVED_MARK}" if group.get("derived") else "")),
                  title_justify="left", title_style="bold", expand=False)
    table.add_column(_("Measure"), ratio=3, overflow="fold", width=measure_width)
    table.add_column(_("Target group"), ratio=3, overflow="fold")
    table.add_column(_("Age"), ratio=2, overflow="fold")
    table.add_column(_("Responsible"), ratio=3, overflow="fold")
    for m in group["measures"]:
        name = Text(printable(m["name"]), style="bold")
        name.append("\n" + m["id"], style="dim")
        target = Text(printable(m["target_text"] or m["audience"]))
        if m["staff_only"]:
            target.append(" " + _("(for staff)"), style="italic")
        age = Text(printable(m["age_label"]) + (f" {DERIVED_MARK}" if m["age_derived"] else ""))
        responsible = printable(", ".join(m["responsible"])) + (f" {DERIVED_MARK}" if m["responsible_derived"] else "")
        table.add_row(name, target, age, Text(responsible))
    return table
