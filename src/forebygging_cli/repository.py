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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .batch import load_facts as load_stored_facts
from .batch import load_usable
from .discover import select as select_files
from .i18n import ngettext

if TYPE_CHECKING:  # loading facts never imports the model
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
    from .model import Plan

    selection = select_files(list(paths) if paths else None)
    problems = [Problem(argument, reason) for argument, reason in selection.problems]
    plans = []
    # a draft that § 15-1 rules find incomplete (FB3xx) can still be queried;
    # broken structure or references (FB0xx-FB2xx) cannot
    for found in load_usable(selection.files, use_cache=use_cache):
        if isinstance(found, Plan):
            plans.append(found)
        else:
            problems.append(problem(found))
    return plans, problems


def load_facts(paths: Sequence[str] | None = None, *, use_cache: bool = True, texts: bool = False,
               outputs: bool = False, keep: Callable[[Any], Any] | None = None) -> tuple[list[Any], list[Problem]]:
    """Like load_plans, with the facts of each plan (query.PlanFacts, from the store: see store.py) in place
    of the Plan, and `keep` of them when given (applied to each plan's facts as they are read, so that a
    command can search a plan and let it go); `texts`: with the texts --text searches; `outputs`: with each
    measure's stored output (its record and table row)."""
    import sys

    selection = select_files(list(paths) if paths else None)
    problems = [Problem(argument, reason) for argument, reason in selection.problems]
    kept = []
    for found in load_stored_facts(selection.files, use_cache=use_cache, texts=texts, outputs=outputs, keep=keep):
        # a FileReport says why a file's plan cannot be used; where none was made, findings is not even imported
        findings = sys.modules.get(f"{__package__}.findings")
        if findings is not None and isinstance(found, findings.FileReport):
            problems.append(problem(found))
        else:
            kept.append(found)
    return kept, problems


def problem(report: Any) -> Problem:
    """The one line for a file whose plan cannot be used, from its FileReport."""
    from .findings import structural

    broken = structural(report.findings)
    path = report.path  # the name as shown (discover.shown)
    if report.unreadable:
        return Problem(path, report.unreadable)
    first = broken[0] if broken else report.findings[0]
    count = len(broken) or report.errors
    return Problem(path, ngettext(
        "is not a valid plan ({count} error, at line {line}: {message}); run `forebygging validate {path}`",
        "is not a valid plan ({count} errors, the first at line {line}: {message}); run `forebygging "
        "validate {path}`", count).format(count=count, line=first.line, message=first.message, path=path))
