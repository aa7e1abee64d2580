"""`diff --format markdown`: for a pull-request comment and for the case
document (saksfremlegg). A summary sentence, then one table per kind of change
for the measures (name, level, ages, responsible), and what changed in each
measure and in the rest of the plan in plain words. Removed words are struck
through (~~ ~~), added words bold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diff import PlanDiff
from ..i18n import _
from .diff_words import age_label, describe, level_name, measure_row, sections, severity_line, subject_name, summary, unit_list
from .markdown import escape, row

_MARKS = ("~~", "~~", "**", "**")


def render(diffs: Sequence[PlanDiff], **_options: Any) -> str:
    lines: list[str] = []
    for diff in diffs:
        plan = diff.new or diff.old
        lines += [f"## {escape(plan.municipality if plan else diff.new_name)}", "",
                  _("Compared: `{old}` → `{new}`").format(old=diff.old_name, new=diff.new_name), ""]
        lines += [f"**{escape(summary(diff))}**" + (f" ({severity_line(diff)})" if diff.changes else ""), ""]
        for title, changes in sections(diff):
            lines += [f"### {escape(title)}", ""]
            kind = changes[0].kind
            if kind in ("measure-added", "measure-removed"):
                side = "new" if kind == "measure-added" else "old"
                lines += [row([_("Measure"), _("Level"), _("Age"), _("Responsible")]), "| --- | --- | --- | --- |"]
                lines += [row(measure_row(diff, c, side)) for c in changes]
            elif kind == "measure-level":
                lines += [row([_("Measure"), _("Before"), _("After")]), "| --- | --- | --- |"]
                lines += [row([c.name or "", level_name(diff.old, c.old), level_name(diff.new, c.new)]) for c in changes]
            elif kind == "measure-responsible":
                lines += [row([_("Measure"), _("Before"), _("After")]), "| --- | --- | --- |"]
                lines += [row([c.name or "", unit_list(diff.old, c.old), unit_list(diff.new, c.new)]) for c in changes]
            elif kind == "measure-ages":
                lines += [row([_("Measure"), _("Before"), _("After")]), "| --- | --- | --- |"]
                lines += [row([c.name or "", age_label(c.old), age_label(c.new)]) for c in changes]
            else:
                lines += [f"- **{escape(subject_name(diff, c))}**: {escape_words(describe(diff, c, _MARKS))}"
                          for c in changes]
            lines.append("")
    if not diffs:
        lines += [_("No plan files changed."), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def escape_words(text: str) -> str:
    """A description that carries Markdown marks of its own: escape only what breaks a list line."""
    return text.replace("\n", " ").replace("|", "\\|")
