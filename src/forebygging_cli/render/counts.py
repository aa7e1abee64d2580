"""`query --count`: how many measures match, per plan and level, without rows."""

from __future__ import annotations

from typing import Any

from ..i18n import N_, _
from ..query import Selection, count_by_level
from ..vocab import LEVELS, level_counts
from .csvout import table as csv_table
from .jsondump import dump
from .markdown import escape, row
from .text import DERIVED_MARK, count_line

HEADERS = (N_("Plan"), N_("Municipality"), N_("Universal"), N_("Selected"), N_("Indicated"), N_("Total"))


def records(selection: Selection, plans: Any = ()) -> list[dict[str, Any]]:
    """One record per plan searched (a plan with no match counts 0)."""
    counted = {plan.path: by_level for plan, by_level in count_by_level(selection.matches)}
    out = []
    for plan in plans or [p for p, _counts in count_by_level(selection.matches)]:
        by_level = counted.get(plan.path, level_counts(()))
        out.append({"plan": plan.stem, "path": plan.path, "municipality": plan.municipality, **by_level,
                    "total": sum(by_level.values()),
                    "levels_derived": any(m.is_derived("level") for m in plan.measures)})
    return out


def _cells(record: dict[str, Any], marks: bool = True) -> list[str]:
    mark = f" {DERIVED_MARK}" if marks and record["levels_derived"] else ""
    return [record["plan"], record["municipality"], *(f"{record[level]}{mark}" for level in LEVELS),
            str(record["total"])]


def render_text(selection: Selection, plans: Any = (), **_options: Any) -> Any:
    from rich.text import Text

    from .terminal import PlainGroup, simple_table

    table = simple_table("", [_(h) for h in HEADERS], [_cells(r) for r in records(selection, plans)],
                         numbers=(2, 3, 4, 5))
    return PlainGroup(table, Text(count_line(selection.matches, selection.left_out, plans=len(plans) or None)))


def render_json(selection: Selection, plans: Any = (), **_options: Any) -> str:
    return dump(records(selection, plans))


def render_csv(selection: Selection, plans: Any = (), delimiter: str = ",", **_options: Any) -> str:
    return csv_table(HEADERS, [_cells(r, marks=False) for r in records(selection, plans)], delimiter)


def render_markdown(selection: Selection, plans: Any = (), **_options: Any) -> str:
    lines = [row([_(h) for h in HEADERS]), "| " + " | ".join("---" for _h in HEADERS) + " |"]
    lines += [row(_cells(r)) for r in records(selection, plans)]
    lines += ["", escape(count_line(selection.matches, selection.left_out, plans=len(plans) or None))]
    return "\n".join(lines) + "\n"
