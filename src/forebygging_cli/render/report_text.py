"""`validate --format text`: findings grouped by file, one line each
(FILE:LINE:COL: SEVERITY [RULE] message), a summary per file and overall.
Returns rich Text lines; the console drops colour when not on a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..validate import FileReport, summarize
from .text import printable

STYLE = {"error": "bold red", "warning": "yellow"}


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def render(reports: Sequence[FileReport], strict: bool = False) -> list[Text]:
    lines: list[Text] = []
    for report in reports:
        if report.unreadable:
            continue  # said on stderr by the caller, where a person sees it first
        for finding in report.findings:
            line = Text()
            line.append(printable(f"{finding.file}:{finding.line}:{finding.column}: "), style="bold")
            line.append(finding.severity, style=STYLE[finding.severity])
            line.append(f" [{finding.rule}] ", style="dim")
            line.append(printable(finding.message))
            lines.append(line)
        lines.append(_file_summary(report))
    summary = summarize(reports)
    overall = Text(f"{plural(summary.checked, 'file')} checked: ")
    overall.append(plural(summary.errors, "error"), style=STYLE["error"] if summary.errors else "green")
    overall.append(", ")
    overall.append(plural(summary.warnings, "warning"), style=STYLE["warning"] if summary.warnings else "green")
    if summary.suppressed:
        overall.append(f", {summary.suppressed} suppressed by the plan files")
    if summary.unreadable:
        overall.append(f"; {plural(summary.unreadable, 'file')} could not be read", style=STYLE["error"])
    if strict and summary.warnings and not summary.errors:
        overall.append(" (--strict: warnings fail)")
    lines.append(overall)
    return lines


def _file_summary(report: FileReport) -> Text:
    text = Text()
    text.append(printable(f"{report.path}: "), style="bold")
    if not report.findings:
        text.append("ok", style="green")
    else:
        text.append(f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}")
    for finding, reason in report.suppressed:
        text.append(printable(f"\n  suppressed by the plan: [{finding.rule}] at line {finding.line} ({reason})"), style="dim")
    return text
