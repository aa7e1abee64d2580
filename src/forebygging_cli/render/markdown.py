"""Markdown output: one section per plan, one table per level."""

from __future__ import annotations

from collections.abc import Sequence

from ..query import Match
from .text import age_text, count_line, grouped, level_heading, responsible_text, target_words


def render(matches: Sequence[Match]) -> str:
    lines: list[str] = []
    for plan, levels in grouped(matches):
        lines += [f"## {plan.municipality}", ""]
        for level, plan_matches in levels:
            lines += [f"### {level_heading(plan, level, plan_matches)}", ""]
            lines += ["| Tiltak | Målgruppe | Alder | Ansvarlig |", "| --- | --- | --- | --- |"]
            for match in plan_matches:
                cells = [match.measure.name, target_words(match), age_text(match, rules=True), responsible_text(match)]
                lines.append("| " + " | ".join(_escape(c) for c in cells) + " |")
            lines.append("")
    lines.append(count_line(matches))
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")
