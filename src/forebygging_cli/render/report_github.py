"""`validate --format github`: workflow commands that GitHub Actions shows as
annotations on the changed lines (picked automatically when GITHUB_ACTIONS=true)."""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import RULES
from ..validate import FileReport, summarize


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = ()) -> str:
    lines = []
    for argument, reason in problems:
        lines.append(f"::error title=forebygging validate::{_data(f'{argument}: {reason}')}")
    for report in reports:
        if report.unreadable:
            lines.append(f"::error file={_property(report.path)},title=unreadable::{_data(report.unreadable)}")
            continue
        for f in report.findings:
            title = _property(f"{f.rule} {RULES[f.rule].name}")
            lines.append(
                f"::{f.severity} file={_property(f.file)},line={f.line},col={f.column},title={title}::{_data(f.message)}"
            )
    s = summarize(reports)
    lines.append(f"{s.checked} files checked: {s.errors} errors, {s.warnings} warnings, {s.unreadable} unreadable")
    return "\n".join(lines)
