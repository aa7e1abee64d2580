"""`diff --format markdown`: for a pull-request comment and for the case
document (saksfremlegg). A summary sentence, then one table per kind of change
for the measures (name, level, ages, responsible; before and after), and what
changed in each measure and in the rest of the plan in plain words. Removed
words are struck through (~~ ~~), added words bold. Every piece of plan text
goes through `markdown.escape` (in a table, through `markdown.row`)."""

from __future__ import annotations

from collections.abc import Sequence
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


def table_headings(kind: str) -> tuple[str, ...] | None:
    """The column headings of the kinds of change shown as a table of measures; None for the others."""
    if kind in ("measure-added", "measure-removed"):
        return _MEASURE
    if kind in ("measure-level", "measure-responsible", "measure-ages"):
        return _BEFORE_AFTER
    return None


def table_row(diff: PlanDiff, change: Change) -> list[str]:
    """A change as a row of its table (plan text, escaped by `row`): an added measure as the new plan has
    it, a removed one as the old plan had it; otherwise the measure, before and after."""
    if change.kind == "measure-added":
        return measure_row(diff.new, change)
    if change.kind == "measure-removed":
        return measure_row(diff.old, change)
    if change.kind == "measure-level":
        before, after = level_name(diff.old, change.old), level_name(diff.new, change.new)
    elif change.kind == "measure-responsible":
        before, after = unit_list(diff.old, change.old), unit_list(diff.new, change.new)
    else:
        before, after = age_label(change.old), age_label(change.new)
    return [str(change.name), before, after]


def render(diffs: Sequence[PlanDiff], **_options: Any) -> str:
    if not diffs:
        return _("No plan files changed.") + "\n"
    return "\n\n".join(block for diff in diffs for block in _blocks(diff)) + "\n"


def _blocks(diff: PlanDiff) -> list[str]:
    """A plan's part of the document, in blocks that a blank line separates."""
    plan = diff.new or diff.old  # a diff has a plan on one side at least
    blocks = [f"## {escape(plan.municipality)}",
              _("Compared: {old} → {new}").format(old=escape(diff.old_name), new=escape(diff.new_name)),
              f"**{escape(summary(diff))}**" + (f" ({severity_line(diff)})" if diff.changes else "")]
    for title, changes in sections(diff):
        blocks.append(f"### {escape(title)}")
        headings = table_headings(changes[0].kind)
        if headings is not None:
            lines = [row([_(heading) for heading in headings]), "|" + " --- |" * len(headings)]
            lines += [row(table_row(diff, change)) for change in changes]
        else:
            lines = [f"- **{escape(subject_name(c))}**: {describe(diff, c, STYLE)}" for c in changes]
        blocks.append("\n".join(lines))
    return blocks
