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

from collections.abc import Sequence
from dataclasses import dataclass

from .batch import load_usable
from .discover import select as select_files
from .i18n import ngettext
from .model import Plan


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why, in one line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def load_plans(paths: Sequence[str] | None = None, *, use_cache: bool = True) -> tuple[list[Plan], list[Problem]]:
    """Load every plan named by `paths` (files, directories, globs; default plans/).
    An unchanged file comes from the cache of checked plans (cache.py) unless use_cache is False."""
    selection = select_files(list(paths) if paths else None)
    problems = [Problem(argument, reason) for argument, reason in selection.problems]
    plans = []
    # a draft that § 15-1 rules find incomplete (FB3xx) can still be queried;
    # broken structure or references (FB0xx-FB2xx) cannot
    for path, found in zip(selection.files, load_usable(selection.files, use_cache=use_cache)):
        if isinstance(found, Plan):
            plans.append(found)
            continue
        from .findings import structural  # only for a file that fails: a query of good plans never needs it

        report = found
        broken = structural(report.findings)
        path = report.path  # the name as shown (discover.shown)
        if report.unreadable:
            problems.append(Problem(path, report.unreadable))
        else:
            first = broken[0] if broken else report.findings[0]
            count = len(broken) or report.errors
            problems.append(Problem(path, ngettext(
                "is not a valid plan ({count} error, at line {line}: {message}); run `forebygging validate {path}`",
                "is not a valid plan ({count} errors, the first at line {line}: {message}); run `forebygging "
                "validate {path}`", count).format(count=count, line=first.line, message=first.message, path=path)))
    return plans, problems

