"""`validate --format text`: findings grouped by file, one line each
(FILE:LINE:COL: SEVERITY [RULE] message), a summary per file and overall.
Returns styled lines (styled.py): colour only on a terminal.

The line format is fixed for editors and CI problem matchers: `error` and
`warning` stay English words there; the message and the summaries follow the
language of the run. `quiet` prints errors and the overall summary only;
`statistics` prints a count per rule instead of the lines, as ruff does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..findings import ERROR, FileReport, summarize
from ..i18n import _, ngettext
from ..catalogue import RULES
from .styled import Line, Segment
from .text import printable

STYLE = {"error": "bold red", "warning": "yellow"}


def errors_words(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def warnings_words(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = (), strict: bool = False,
           quiet: bool = False, statistics: bool = False, **_options: Any) -> list[Line]:
    lines: list[Line] = []
    if statistics:
        lines += _statistics(reports)
    else:
        for report in reports:
            if report.unreadable:
                continue  # said on stderr by the caller, where a person sees it first
            for finding in report.findings:
                if quiet and finding.severity != ERROR:
                    continue
                lines.append(((printable(f"{finding.file}:{finding.line}:{finding.column}: "), "bold"),
                              (finding.severity, STYLE[finding.severity]), (f" [{finding.rule}] ", "dim"),
                              (printable(finding.message), "")))
            if not quiet:
                lines.append(_file_summary(report))
    lines.append(_overall(reports, strict))
    return lines


def _statistics(reports: Sequence[FileReport]) -> list[Line]:
    counts = Counter(f.rule for report in reports for f in report.findings)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = RULES[rule_id]
        lines.append(((f"{count:>{width}}  ", ""), (rule_id, STYLE[rule.severity]), (f"  {rule.name:<24}  ", "dim"),
                      (_(rule.summary), "")))
    return lines


def _overall(reports: Sequence[FileReport], strict: bool) -> Line:
    summary = summarize(reports)
    overall: list[Segment] = [(ngettext("{count} file checked", "{count} files checked", summary.checked).format(
        count=summary.checked) + ": ", "")]
    overall.append((errors_words(summary.errors), STYLE["error"] if summary.errors else "green"))
    overall.append((", ", ""))
    overall.append((warnings_words(summary.warnings), STYLE["warning"] if summary.warnings else "green"))
    if summary.suppressed:
        overall.append((", " + _("{count} suppressed by the plan files").format(count=summary.suppressed), ""))
    if summary.unreadable:
        overall.append(("; " + ngettext("{count} file could not be read", "{count} files could not be read",
                                        summary.unreadable).format(count=summary.unreadable), STYLE["error"]))
    if strict and summary.warnings and not summary.errors:
        overall.append((" " + _("(--strict: warnings fail)"), ""))
    return tuple(overall)


def _file_summary(report: FileReport) -> Line:
    text: list[Segment] = [(printable(f"{report.path}: "), "bold")]
    if not report.findings:
        text.append((_("ok"), "green"))
    else:
        text.append((f"{errors_words(report.errors)}, {warnings_words(report.warnings)}", ""))
    for finding, reason in report.suppressed:
        text.append(("\n  " + printable(_("suppressed by the plan: [{rule}] at line {line} ({reason})").format(
            rule=finding.rule, line=finding.line, reason=reason)), "dim"))
    return tuple(text)
