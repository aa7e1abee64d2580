"""Markdown output: one section per plan, one table per level, the age rules
the rows use under each table, and a closing line of counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import _
from ..query import Selection
from .markup import Md, cell, inline
from .text import age_rules_line, age_text, count_line, grouped, level_heading, responsible_text, staff_only, target_words


def render(selection: Selection, plans: Any = (), **_options: Any) -> str:
    lines: list[str] = []
    for plan, levels in grouped(selection.matches):
        lines += [f"## {escape(plan.municipality)}", ""]
        for level, plan_matches in levels:
            lines += [f"### {escape(level_heading(plan, level, plan_matches))}", ""]
            lines += [row([_("Measure"), _("Target group"), _("Age"), _("Responsible"), _("Id")]),
                      "| --- | --- | --- | --- | --- |"]
            for match in plan_matches:
                target = target_words(match)
                if staff_only(match.measure):
                    target += " " + _("(for staff)")
                lines.append(row([match.measure.name, target, age_text(match, rules="full"),
                                  responsible_text(match), Md(f"`{match.measure.id}`")]))
            rules = age_rules_line(plan_matches)
            lines += ["", *([rules, ""] if rules else [])]
    lines.append(count_line(selection.matches, selection.left_out, plans=len(plans) if plans else None))
    return "\n".join(lines) + "\n"


def row(cells: Sequence[str]) -> str:
    """A table row; each cell's plan text escaped (markup.cell), Markdown the tool made (markup.Md) kept."""
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def escape(text: str) -> str:
    """Plan text safe in a Markdown heading or line (markup.inline)."""
    return inline(text)
