"""`diff` on the terminal: per plan, a heading, the summary line of counts,
then the changes grouped by kind; major changes bold, words removed red and
added green (colour only on a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ..diff import MAJOR, PlanDiff
from ..i18n import _
from .diff_words import Style, describe, sections, severity_line, subject_name, summary
from .text import printable

#: placeholders the word diff uses, replaced by styles below
STYLE = Style(("\x00-", "-\x00", "\x00+", "+\x00"))


def render(diffs: Sequence[PlanDiff], **_options: Any) -> RenderableType:
    parts: list[RenderableType] = []
    for index, diff in enumerate(diffs):
        if index:
            parts.append(Text(""))
        plan = diff.new or diff.old
        title = Text(printable(plan.municipality if plan else diff.new_name), style="bold underline")
        title.append(printable(f"  {diff.old_name} → {diff.new_name}"), style="dim")
        parts.append(title)
        parts.append(Text(summary(diff) + (f" ({severity_line(diff)})" if diff.changes else ""), style="bold"))
        for section, changes in sections(diff):
            parts.append(Text(""))
            parts.append(Text(section, style="bold"))
            for change in changes:
                line = Text("  ")
                line.append(printable(subject_name(change)), style="bold" if change.severity == MAJOR else "")
                line.append(": ")
                line.append_text(_styled(describe(diff, change, STYLE)))
                parts.append(line)
    if not diffs:
        parts.append(Text(_("No plan files changed.")))
    return Group(*parts)


def _styled(text: str) -> Text:
    """The word diff with removed words red and struck through, added words green."""
    out = Text()
    rest = text
    while rest:
        start = min((i for i in (rest.find("\x00-"), rest.find("\x00+")) if i >= 0), default=-1)
        if start < 0:
            out.append(printable(rest))
            break
        out.append(printable(rest[:start]))
        sign = rest[start + 1]
        end = rest.find(f"{sign}\x00", start + 2)
        if end < 0:
            out.append(printable(rest[start:]))
            break
        words = rest[start + 2:end]
        if sign == "-":
            out.append(f"[-{printable(words)}-]", style="red strike")
        else:
            out.append(f"{{+{printable(words)}+}}", style="green")
        rest = rest[end + 2:]
    return out
