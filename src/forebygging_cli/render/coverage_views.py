"""`coverage` in every format: the matrix of levels by age band (or services
by level) per plan, the empty cells marked as gaps, and, with several plans,
the empty cells where another plan has measures (◆). Records keep English
keys; the terminal, Markdown and CSV speak the language of the run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..ages import BANDS
from ..coverage import ALL_LEVELS, NO_AGE, Matrix, contrasts
from ..i18n import _
from ..vocab import LEVEL_DEFAULT_LABELS, LEVELS, service_label
from .csvout import table as csv_table
from .jsondump import dump
from .markdown import escape, row
from .text import DERIVED_MARK, derived_note, longest_word

CONTRAST_MARK = "◆"


def row_label(found: Sequence[Matrix], key: str) -> str:
    if key == ALL_LEVELS:
        return _("All levels")
    if key in LEVELS:  # one plan: its own label ("Bra for alle"); several: the reform's name
        if len(found) == 1:
            return found[0].plan.level_label(key) + (f" {DERIVED_MARK}" if level_derived(found[0], key) else "")
        return _(LEVEL_DEFAULT_LABELS[key])
    return service_label(key)


def level_derived(matrix: Matrix, level: str) -> bool:
    """Whether the plan does not itself put its measures on `level` (Os sorts no measure into levels)."""
    return level in matrix.derived_levels


def plan_label(matrix: Matrix, key: str) -> str:
    """The plan's name in a row of several plans, marked † where its level is derived."""
    return matrix.plan.stem + (f" {DERIVED_MARK}" if key in LEVELS and level_derived(matrix, key) else "")


def column_label(key: str) -> str:
    if key == NO_AGE:
        return _("no stated age")
    if key == ALL_LEVELS:
        return _("All levels")
    if key in LEVELS:
        return _(LEVEL_DEFAULT_LABELS[key])
    band = next((b for b in BANDS if b.name == key), None)
    return band.label() if band else key


def _title(found: Sequence[Matrix]) -> str:
    if found and found[0].by == "service":
        return _("Measures per service and prevention level")
    return _("Measures per prevention level and age band")


def _legend(found: Sequence[Matrix]) -> list[str]:
    lines = [_("0 = no measure in the cell.")]
    if found and found[0].by == "age" and any(level_derived(m, level) for m in found for level in LEVELS):
        lines.append(derived_note() + ".")
    if len(found) > 1:
        lines.append(_("{mark} = another plan has measures in this cell.").format(mark=CONTRAST_MARK))
    if found and found[0].by == "age":
        lines.append(_("A measure counts in every band its ages overlap; the bands are those of INSUM, the national "
                       "measures catalogue, and the same as validate's rule FB312."))
        for matrix in found:
            gaps = matrix.gaps()
            if gaps:
                lines.append(_("Gaps in {municipality} (no measure on any level): {bands}.").format(
                    municipality=matrix.plan.municipality, bands=", ".join(column_label(g) for g in gaps)))
    return lines


def _cell(matrix: Matrix, row_key: str, column: str, marked: set[tuple[str, str, str]]) -> str:
    count = matrix.count(row_key, column)
    return f"{count} {CONTRAST_MARK}" if (matrix.plan.path, row_key, column) in marked else str(count)


def _rows(found: Sequence[Matrix]) -> list[tuple[str, Matrix, str]]:
    """(row label, matrix, row key) in display order: each row, then each plan."""
    return [(row_label(found, key), matrix, key) for key in found[0].rows for matrix in found] if found else []


def render_text(found: Sequence[Matrix], **_options: Any) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .terminal import PlainGroup, Shaped, WholeWords

    marked = contrasts(found)
    several = len(found) > 1
    rows = _rows(found)
    first = _("Level") if found and found[0].by == "age" else _("Service")
    columns = list(found[0].columns) if found else []
    texts, previous = [], None
    for label, matrix, key in rows:
        texts.append((label if label != previous else "", *([plan_label(matrix, key)] if several else ()),
                      *(_cell(matrix, key, column, marked) for column in matrix.columns)))
        previous = label
    sections = frozenset(number for number, (_label, matrix, _key) in enumerate(rows)
                         if several and matrix is found[-1])
    shown = 2 if several else 1  # the columns before the counts

    def build(whole: bool, frame: Any) -> Shaped:
        def width(header: str, data: Any) -> int | None:
            return (longest_word([header, *data]) or None) if whole else None

        table = Table(title=Text(_title(found)), title_justify="left", title_style="bold", box=frame,
                      pad_edge=frame is not None, header_style="bold" if frame else "bold underline")
        table.add_column(first, overflow="fold", min_width=width(first, [label for label, _m, _k in rows]))
        if several:
            table.add_column(_("Plan"), style="dim", overflow="fold", min_width=width(_("Plan"), [t[1] for t in texts]))
        for column in columns:
            table.add_column(column_label(column), justify="right", overflow="fold",
                             min_width=width(column_label(column), []))

        def fill(table: Table) -> None:
            for number, ((_label, matrix, key), text) in enumerate(zip(rows, texts)):
                cells = []
                for column, plain in zip(matrix.columns, text[shown:]):
                    cell = Text(plain)
                    if matrix.count(key, column) == 0 and column != NO_AGE:  # an empty "no stated age" column is no gap
                        cell.stylize("bold yellow" if (matrix.plan.path, key, column) in marked else "red")
                    cells.append(cell)
                labels = [Text(text[0], style="bold" if key == ALL_LEVELS else "")]
                if several:
                    labels.append(Text(text[1]))
                table.add_row(*labels, *cells, end_section=number in sections)

        return Shaped(table, texts, fill, sections)

    layouts = WholeWords(lambda: build(True, box.HEAVY_HEAD), lambda: build(True, None),
                         fold=lambda: build(False, box.HEAVY_HEAD))
    return PlainGroup(layouts, *(Text(line, style="dim") for line in _legend(found)))


def render_markdown(found: Sequence[Matrix], **_options: Any) -> str:
    marked = contrasts(found)
    several = len(found) > 1
    first = [_("Level") if found and found[0].by == "age" else _("Service")] + ([_("Plan")] if several else [])
    headers = first + [column_label(c) for c in (found[0].columns if found else ())]
    lines = [f"**{escape(_title(found))}**", "", row(headers), "| " + " | ".join("---" for _h in headers) + " |"]
    for label, matrix, key in _rows(found):
        cells = [f"**{_cell(matrix, key, c, marked)}**" if (matrix.plan.path, key, c) in marked
                 else _cell(matrix, key, c, marked) for c in matrix.columns]
        lines.append(row([label] + ([plan_label(matrix, key)] if several else []) + cells))
    return "\n".join(lines + [""] + [escape(line) for line in _legend(found)]) + "\n"


def render_csv(found: Sequence[Matrix], delimiter: str = ",", **_options: Any) -> str:
    headers = [_("plan"), _("level") if found and found[0].by == "age" else _("service")]
    headers += [column_label(c) for c in (found[0].columns if found else ())]
    rows = [[plan_label(matrix, key), label, *(matrix.count(key, c) for c in matrix.columns)]
            for label, matrix, key in _rows(found)]
    return csv_table(headers, rows, delimiter)


def records(found: Sequence[Matrix]) -> dict[str, Any]:
    marked = contrasts(found)
    return {
        "by": found[0].by if found else "age",
        "rows": list(found[0].rows) if found else [],
        "columns": list(found[0].columns) if found else [],
        "plans": [{
            "plan": m.plan.stem,
            "path": m.plan.path,
            "municipality": m.plan.municipality,
            "cells": {r: {c: m.count(r, c) for c in m.columns} for r in m.rows},
            "gaps": m.gaps(),
        } for m in found],
        "contrasts": [{"path": path, "row": r, "column": c} for path, r, c in sorted(marked)],
    }


def render_json(found: Sequence[Matrix], **_options: Any) -> str:
    return dump(records(found))
