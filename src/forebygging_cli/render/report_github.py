"""`validate --format github`: workflow commands that GitHub Actions shows as
annotations on the changed lines (picked automatically when GITHUB_ACTIONS=true)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import _

from ..catalogue import RULES
from ..findings import FileReport, summarize
from .text import printable


def _data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = (), quiet: bool = False,
           **_options: Any) -> str:
    """Annotations; with `quiet`, errors only (no warnings, no notices of suppressed findings)."""
    lines = []
    for argument, reason in problems:
        lines.append(f"::error title=forebygging validate::{_data(f'{argument}: {reason}')}")
    for report in reports:
        if report.unreadable:
            lines.append(f"::error file={_property(report.path)},title=unreadable::{_data(report.unreadable)}")
            continue
        for f in report.findings:
            if quiet and f.severity != "error":
                continue
            title = _property(f"{f.rule} {RULES[f.rule].name}")
            lines.append(
                f"::{f.severity} file={_property(f.file)},line={f.line},col={f.column},title={title}::{_data(f.message)}"
            )
        for f, reason in () if quiet else report.suppressed:
            title = _property(_("{rule} suppressed by the plan").format(rule=f.rule))
            lines.append(f"::notice file={_property(f.file)},line={f.line},col={f.column},title={title}::"
                         + _data(_("{message} (suppressed: {reason})").format(message=f.message, reason=reason)))
    s = summarize(reports)
    lines.append(_("files checked: {checked}; errors: {errors}; warnings: {warnings}; suppressed: {suppressed}; "
                   "unreadable: {unreadable}").format(checked=s.checked, errors=s.errors, warnings=s.warnings,
                                                      suppressed=s.suppressed, unreadable=s.unreadable))
    return "\n".join(lines) + "\n"
