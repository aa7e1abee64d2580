"""The plan repository as a library: find plan files, load them and refuse the
ones whose structure is broken, so that query, show, diff and render only ever
see plans that passed the schema and the reference checks (FB0xx-FB2xx). A
draft that is not yet complete under § 15-1 (FB3xx errors) can be queried.

    >>> from forebygging_cli.repository import load_plans
    >>> plans, problems = load_plans()          # every *.yaml under plans/
    >>> from forebygging_cli.query import Filters, select
    >>> [m.measure.name for m in select(plans, Filters(ages=((13, 13),)))]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from .discover import select as select_files
from .i18n import current, ngettext
from .model import Plan
from .findings import FileReport
from .validate import validate_file

#: Reports of files already read in this process, by (path, size, mtime): a
#: notebook or test that loads the same unchanged plan twice parses it once.
_REPORTS: dict[tuple[str, int, int, str], FileReport] = {}


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why, in one line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def load_plans(paths: Sequence[str] | None = None) -> tuple[list[Plan], list[Problem]]:
    """Load every plan named by `paths` (files, directories, globs; default plans/)."""
    selection = select_files(list(paths) if paths else None)
    problems = [Problem(argument, reason) for argument, reason in selection.problems]
    plans = []
    for path in selection.files:
        report = _report(path)
        # a draft that § 15-1 rules find incomplete (FB3xx) can still be queried;
        # broken structure or references (FB0xx-FB2xx) cannot
        structural = [f for f in report.findings if f.severity == "error" and f.rule < "FB300"]
        if report.unreadable:
            problems.append(Problem(path, report.unreadable))
        elif report.plan is None or structural:
            first = structural[0] if structural else report.findings[0]
            count = len(structural) or report.errors
            problems.append(Problem(path, ngettext(
                "is not a valid plan ({count} error, at line {line}: {message}); run `forebygging validate {path}`",
                "is not a valid plan ({count} errors, the first at line {line}: {message}); run `forebygging "
                "validate {path}`", count).format(count=count, line=first.line, message=first.message, path=path)))
        else:
            plans.append(report.plan)
    return plans, problems


def _report(path: str) -> FileReport:
    try:
        info = os.stat(path)
    except OSError:
        return validate_file(path)
    key = (path, info.st_size, info.st_mtime_ns, current())  # messages are in the run's language
    if key not in _REPORTS:
        _REPORTS[key] = validate_file(path)
    return _REPORTS[key]
