"""`validate --format github`: workflow commands that GitHub Actions shows as
annotations on the changed lines (picked automatically when GITHUB_ACTIONS=true)."""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import RULES
from ..validate import FileReport, summarize
from .text import printable


def _data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


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
        for f, reason in report.suppressed:
            title = _property(f"{f.rule} suppressed by the plan")
            lines.append(f"::notice file={_property(f.file)},line={f.line},col={f.column},title={title}::"
                         f"{_data(f.message)} (suppressed: {_data(reason)})")
    s = summarize(reports)
    lines.append(f"files checked: {s.checked}; errors: {s.errors}; warnings: {s.warnings}; "
                 f"suppressed: {s.suppressed}; unreadable: {s.unreadable}")
    return "\n".join(lines)
