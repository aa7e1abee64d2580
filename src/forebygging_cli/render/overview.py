"""What is there: the plans (`forebygging plans`) and their units
(`forebygging units`), in every format query has. Records keep English keys;
the terminal, Markdown and CSV speak the language of the run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, _, date_text, ngettext
from ..model import Plan
from ..vocab import LEVELS, level_counts, service_label
from .csvout import table as csv_table
from .jsondump import dump
from .markdown import escape, row
from .text import DERIVED_MARK, derived_note


@dataclass(frozen=True)
class Listed:
    """A plan as `plans` and `units` list it: its head (`plan`: name, path, period, adoption, units) and what
    they count of its measures, so that a national listing holds no measure."""

    plan: Any
    levels: dict[str, int]
    levels_derived: bool
    #: how many measures each unit (by id) is responsible for
    responsible: dict[str, int]

    @property
    def total(self) -> int:
        """How many measures the plan has: each is on one level."""
        return sum(self.levels.values())


def listed(plan: Plan, head: Any = None) -> Listed:
    """What the listings read of `plan` (a Plan or its facts); `head` is what is kept of the plan itself."""
    responsible: dict[str, int] = {}
    for measure in plan.measures:
        for unit_id in measure.responsible:
            responsible[unit_id] = responsible.get(unit_id, 0) + 1
    return Listed(head or plan, level_counts(m.level for m in plan.measures),
                  any(m.is_derived("level") for m in plan.measures), responsible)


# -- plans ------------------------------------------------------------------------------


def plan_record(item: Listed) -> dict[str, Any]:
    plan, adopted = item.plan, item.plan.adopted
    return {
        "plan": plan.stem,
        "path": plan.path,
        "municipality": plan.municipality,
        "title": plan.title,
        "period": list(plan.period) if plan.period else None,
        "adopted": {"by": adopted.by, "date": adopted.date, "case_number": adopted.case_number} if adopted else None,
        "measures": {**item.levels, "total": item.total},
        "levels_derived": item.levels_derived,
        "units": len(plan.units),
    }


PLAN_HEADERS = (N_("File"), N_("Municipality"), N_("Period"), N_("Adopted"), N_("Universal"),
                N_("Selected"), N_("Indicated"), N_("Total"))


def _plan_cells(item: Listed, marks: bool = True) -> list[str]:
    """Period and adoption in short ("2023–2028", "2024-06-12"); "–" where the plan does not say.
    Counts of derived levels carry † (not in a spreadsheet, where a count must be a number)."""
    plan = item.plan
    mark = f" {DERIVED_MARK}" if item.levels_derived and marks else ""
    period = f"{plan.period[0]}–{plan.period[1]}" if plan.period else "–"
    if plan.adopted is None:
        adopted = "–"
    elif plan.adopted.by == "kommunestyret":
        adopted = date_text(plan.adopted.date) if plan.adopted.date else "–"
    else:
        adopted = f"{plan.adopted.by} {date_text(plan.adopted.date) if plan.adopted.date else ''}".strip()
    counts = [f"{item.levels[level]}{mark}" for level in LEVELS]
    return [plan.path, plan.municipality, period, adopted, *counts, str(item.total)]


def _plans_footer(plans: Sequence[Listed]) -> str:
    line = ngettext("{count} plan.", "{count} plans.", len(plans)).format(count=len(plans))
    line += " " + _("Adopted: the date of the municipal council's decision; – = not stated in the plan.")
    if any(item.levels_derived for item in plans):
        line += " " + _("Counts marked {mark} are of derived levels: that plan does not sort its measures into "
                        "levels.").format(mark=DERIVED_MARK)
    return line


def plans_view(plans: Sequence[Listed], **_options: Any) -> Any:
    from rich.text import Text

    from .terminal import PlainGroup, simple_table

    table = simple_table("", [_(h) for h in PLAN_HEADERS], [_plan_cells(p) for p in plans], dim_columns=(0,),
                         numbers=(4, 5, 6, 7),
                         merge=((4, 5, 6), " · ".join(_(h) for h in PLAN_HEADERS[4:7])))
    return PlainGroup(table, Text(_plans_footer(plans)))


def plans_json(plans: Sequence[Listed], **_options: Any) -> str:
    return dump([plan_record(p) for p in plans])


def plans_csv(plans: Sequence[Listed], delimiter: str = ",", **_options: Any) -> str:
    return csv_table((*PLAN_HEADERS, N_("levels derived")),
                     [[*_plan_cells(p, marks=False), p.levels_derived] for p in plans], delimiter)


def plans_markdown(plans: Sequence[Listed], **_options: Any) -> str:
    lines = [row([_(h) for h in PLAN_HEADERS]), "| " + " | ".join("---" for _h in PLAN_HEADERS) + " |"]
    lines += [row(_plan_cells(p)) for p in plans]
    return "\n".join([*lines, "", escape(_plans_footer(plans))]) + "\n"


# -- units ------------------------------------------------------------------------------


def unit_records(item: Listed) -> list[dict[str, Any]]:
    plan = item.plan
    return [{
        "plan": plan.stem,
        "path": plan.path,
        "id": unit.id,
        "name": unit.name,
        "aliases": list(unit.aliases),
        "service": unit.service,
        "service_label": service_label(unit.service),
        "part_of": unit.part_of,
        "external": unit.external,
        "measures": item.responsible.get(unit.id, 0),
        "derived": sorted(unit.derived),
    } for unit in plan.units]


UNIT_HEADERS = (N_("Id"), N_("Name"), N_("Other names"), N_("Service"), N_("Part of"), N_("Measures"))


def _unit_cells(record: dict[str, Any]) -> list[str]:
    aliases = ", ".join(record["aliases"])
    if aliases and "aliases" in record["derived"]:
        aliases += f" {DERIVED_MARK}"
    service = record["service_label"] + (" " + _("(outside the municipality)") if record["external"] else "")
    return [record["id"], record["name"], aliases, service, record["part_of"] or "", str(record["measures"])]


def _units_footer(plans: Sequence[Listed]) -> str:
    count = sum(len(p.plan.units) for p in plans)
    line = ngettext("{count} unit", "{count} units", count).format(count=count) + " " + \
        ngettext("in {count} plan.", "in {count} plans.", len(plans)).format(count=len(plans))
    if any(u.derived for p in plans for u in p.plan.units):
        line += " " + derived_note() + "."
    return line


def units_view(plans: Sequence[Listed], **_options: Any) -> Any:
    from rich.text import Text

    from .terminal import PlainGroup, simple_table

    parts: list[Any] = []
    for item in plans:
        parts.append(simple_table(f"{item.plan.municipality} ({item.plan.path})", [_(h) for h in UNIT_HEADERS],
                                  [_unit_cells(r) for r in unit_records(item)], dim_columns=(0,),
                                  numbers=(5,)))
    parts.append(Text(_units_footer(plans)))
    return PlainGroup(*parts)


def units_json(plans: Sequence[Listed], **_options: Any) -> str:
    return dump([r for plan in plans for r in unit_records(plan)])


def units_csv(plans: Sequence[Listed], delimiter: str = ",", **_options: Any) -> str:
    headers = (N_("plan"), *UNIT_HEADERS)
    return csv_table(headers, [[item.plan.stem, *_unit_cells(r)] for item in plans for r in unit_records(item)],
                     delimiter)


def units_markdown(plans: Sequence[Listed], **_options: Any) -> str:
    lines: list[str] = []
    for item in plans:
        lines += [f"## {escape(item.plan.municipality)}", "", row([_(h) for h in UNIT_HEADERS]),
                  "| " + " | ".join("---" for _h in UNIT_HEADERS) + " |"]
        lines += [row(_unit_cells(r)) for r in unit_records(item)] + [""]
    return "\n".join([*lines, escape(_units_footer(plans))]) + "\n"
