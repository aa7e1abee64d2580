"""`diff --format markdown`: for a pull-request comment and for the case
document (saksfremlegg). A summary sentence, then one table per kind of change
for the measures (name, level, ages, responsible; before and after), and what
changed in each measure and in the rest of the plan in plain words. Removed
words are struck through (~~ ~~), added words bold. Every piece of plan text
goes through `markdown.escape` (in a table, through `markdown.row`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..diff import Change, PlanDiff
from ..i18n import N_, _
from .diff_words import (
    Style,
    age_label,
    describe,
    level_name,
    measure_row,
    sections,
    severity_line,
    subject_name,
    summary,
    unit_list,
)
from .markdown import escape, row

STYLE = Style(("~~", "~~", "**", "**"), escape)

_MEASURE = (N_("Measure"), N_("Level"), N_("Age"), N_("Responsible"))
_BEFORE_AFTER = (N_("Measure"), N_("Before"), N_("After"))

#: the change kinds shown as a table of measures: their column headings, and a change's row (plan text, escaped
#: by `row`); an added measure as the new plan has it, a removed one as the old plan had it
TABLES: dict[str, tuple[tuple[str, ...], Callable[[PlanDiff, Change], list[str]]]] = {
    "measure-added": (_MEASURE, lambda diff, c: measure_row(diff, c, "new")),
    "measure-removed": (_MEASURE, lambda diff, c: measure_row(diff, c, "old")),
    "measure-level": (_BEFORE_AFTER,
                      lambda diff, c: [c.name or "", level_name(diff.old, c.old), level_name(diff.new, c.new)]),
    "measure-responsible": (_BEFORE_AFTER,
                            lambda diff, c: [c.name or "", unit_list(diff.old, c.old), unit_list(diff.new, c.new)]),
    "measure-ages": (_BEFORE_AFTER, lambda diff, c: [c.name or "", age_label(c.old), age_label(c.new)]),
}


def render(diffs: Sequence[PlanDiff], **_options: Any) -> str:
    lines: list[str] = []
    for diff in diffs:
        plan = diff.new or diff.old
        lines += [f"## {escape(plan.municipality if plan else diff.new_name)}", "",
                  _("Compared: {old} → {new}").format(old=escape(diff.old_name), new=escape(diff.new_name)), ""]
        lines += [f"**{escape(summary(diff))}**" + (f" ({severity_line(diff)})" if diff.changes else ""), ""]
        for title, changes in sections(diff):
            lines += [f"### {escape(title)}", ""]
            table = TABLES.get(changes[0].kind)
            if table is not None:
                headings, cells = table
                lines += [row([_(heading) for heading in headings]), "|" + " --- |" * len(headings)]
                lines += [row(cells(diff, change)) for change in changes]
            else:
                lines += [f"- **{escape(subject_name(diff, c))}**: {describe(diff, c, STYLE)}" for c in changes]
            lines.append("")
    if not diffs:
        lines += [_("No plan files changed."), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
