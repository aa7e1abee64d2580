"""`validate --format text`: findings grouped by file, one line each
(FILE:LINE:COL: SEVERITY [RULE] message), a summary per file and overall.
Returns rich Text lines; the console drops colour when not on a terminal.

The line format is fixed for editors and CI problem matchers: `error` and
`warning` stay English words there; the message and the summaries follow the
language of the run. `quiet` prints errors and the overall summary only;
`statistics` prints a count per rule instead of the lines, as ruff does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from ..findings import ERROR, FileReport, summarize
from ..i18n import _, ngettext
from ..rules import RULES
from .text import printable

STYLE = {"error": "bold red", "warning": "yellow"}


def errors_words(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def warnings_words(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = (), strict: bool = False,
           quiet: bool = False, statistics: bool = False, **_options: Any) -> list[Text]:
    lines: list[Text] = []
    if statistics:
        lines += _statistics(reports)
    else:
        for report in reports:
            if report.unreadable:
                continue  # said on stderr by the caller, where a person sees it first
            for finding in report.findings:
                if quiet and finding.severity != ERROR:
                    continue
                line = Text()
                line.append(printable(f"{finding.file}:{finding.line}:{finding.column}: "), style="bold")
                line.append(finding.severity, style=STYLE[finding.severity])
                line.append(f" [{finding.rule}] ", style="dim")
                line.append(printable(finding.message))
                lines.append(line)
            if not quiet:
                lines.append(_file_summary(report))
    lines.append(_overall(reports, strict))
    return lines


def _statistics(reports: Sequence[FileReport]) -> list[Text]:
    counts = Counter(f.rule for report in reports for f in report.findings)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = RULES[rule_id]
        line = Text(f"{count:>{width}}  ")
        line.append(rule_id, style=STYLE[rule.severity])
        line.append(f"  {rule.name:<24}  ", style="dim")
        line.append(_(rule.summary))
        lines.append(line)
    return lines


def _overall(reports: Sequence[FileReport], strict: bool) -> Text:
    summary = summarize(reports)
    overall = Text(ngettext("{count} file checked", "{count} files checked", summary.checked).format(
        count=summary.checked) + ": ")
    overall.append(errors_words(summary.errors), style=STYLE["error"] if summary.errors else "green")
    overall.append(", ")
    overall.append(warnings_words(summary.warnings), style=STYLE["warning"] if summary.warnings else "green")
    if summary.suppressed:
        overall.append(", " + _("{count} suppressed by the plan files").format(count=summary.suppressed))
    if summary.unreadable:
        overall.append("; " + ngettext("{count} file could not be read", "{count} files could not be read",
                                       summary.unreadable).format(count=summary.unreadable), style=STYLE["error"])
    if strict and summary.warnings and not summary.errors:
        overall.append(" " + _("(--strict: warnings fail)"))
    return overall


def _file_summary(report: FileReport) -> Text:
    text = Text()
    text.append(printable(f"{report.path}: "), style="bold")
    if not report.findings:
        text.append(_("ok"), style="green")
    else:
        text.append(f"{errors_words(report.errors)}, {warnings_words(report.warnings)}")
    for finding, reason in report.suppressed:
        text.append("\n  " + printable(_("suppressed by the plan: [{rule}] at line {line} ({reason})").format(
            rule=finding.rule, line=finding.line, reason=reason)), style="dim")
    return text
