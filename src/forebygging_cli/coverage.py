"""Where a municipality has measures and where it has none: a matrix of
prevention levels by age band (or services by level), counting measures per
cell. Pure functions over Plans.

The bands and the rule that puts a measure in a band are `ages.BANDS` and
`ages.band_covers`, the same ones validate's age-gap rule (FB312) uses, so
the two can never disagree: a band with no measure on any level is a gap in
both. A measure counts in every band its ages overlap; a measure whose plan
states no age counts in the column of its own.

Several plans side by side: `contrasts` are the cells where one plan has
measures and another has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .ages import BANDS, AgeSpan, band_covers
from .vocab import LEVELS, SERVICES

if TYPE_CHECKING:  # only named in annotations: coverage over the store's facts never imports the model
    from .model import Measure, Plan

#: the column of measures whose plan states no age
NO_AGE = "no-age"
#: the row (age mode) or column (service mode) of all levels together
ALL_LEVELS = "all"
BY = ("age", "service")


@dataclass(frozen=True)
class Matrix:
    """One plan's counts. In age mode rows are levels (and ALL_LEVELS) and
    columns are bands (and NO_AGE); in service mode rows are services and
    columns are levels (and ALL_LEVELS). `plan` is the plan's head (its name, path,
    language, level labels: query.PlanFacts.head()) or the whole plan; a matrix keeps
    no measure, so a national coverage holds a few numbers per plan."""

    plan: Plan
    by: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: dict[tuple[str, str], int] = field(repr=False)
    #: the levels the plan does not itself put its measures on (Os sorts none into levels): the encoder did
    derived_levels: frozenset[str] = frozenset()

    def count(self, row: str, column: str) -> int:
        return self.counts.get((row, column), 0)

    def gaps(self) -> list[str]:
        """Age mode: the bands no measure on any level covers (FB312's gaps)."""
        return [c for c in self.columns if c != NO_AGE and self.count(ALL_LEVELS, c) == 0] if self.by == "age" else []


def age_cells(plan: Plan) -> dict[tuple[str, str], list[Measure]]:
    """The measures in each (level, band) cell, and in (ALL_LEVELS, band): the one place a measure is put in a
    band (coverage, and the export's bands of each measure)."""
    cells: dict[tuple[str, str], list[Measure]] = {}
    for measure in plan.measures:
        span = measure.target.span
        columns = _columns(span.low, span.high, span.prenatal)
        for row in (measure.level, ALL_LEVELS):
            for column in columns:
                cells.setdefault((row, column), []).append(measure)
    return cells


@lru_cache(maxsize=None)  # a national coverage has a few hundred spans, and tens of thousands of measures
def _columns(low: int | None, high: int | None, prenatal: bool) -> tuple[str, ...]:
    """The columns of a measure whose ages are `low`-`high` (and pregnancy): the bands band_covers puts it in
    (which reads no more of its span than these), or NO_AGE where the plan states no age."""
    span = AgeSpan(low, high, prenatal, (), False)
    return tuple(band.name for band in BANDS if band_covers(band, span)) or (() if span.known else (NO_AGE,))


def service_cells(plan: Plan) -> dict[tuple[str, str], list[Measure]]:
    """The measures in each (service, level) cell, and in (service, ALL_LEVELS)."""
    cells: dict[tuple[str, str], list[Measure]] = {}
    for measure in plan.measures:
        for service in sorted(plan.services(measure)):
            for column in (measure.level, ALL_LEVELS):
                cells.setdefault((service, column), []).append(measure)
    return cells


def by_age(plan: Plan, head: Plan | None = None) -> Matrix:
    """`plan`'s matrix of levels by age band; `head` is what it keeps of the plan (the plan itself if None)."""
    counts = {key: len(measures) for key, measures in age_cells(plan).items()}
    return Matrix(head or plan, "age", (*LEVELS, ALL_LEVELS), (*(b.name for b in BANDS), NO_AGE), counts,
                  _derived_levels(plan))


def by_service(plan: Plan, head: Plan | None = None) -> Matrix:
    """Services by level: the rows are the services this plan uses, in the vocabulary's order (`aligned` gives
    several plans the same rows)."""
    counts = {key: len(measures) for key, measures in service_cells(plan).items()}
    rows = tuple(s for s in SERVICES if (s, ALL_LEVELS) in counts)
    return Matrix(head or plan, "service", rows, (*LEVELS, ALL_LEVELS), counts, _derived_levels(plan))


def matrix(plan: Plan, by: str, head: Plan | None = None) -> Matrix:
    """One plan's matrix, keeping `head` of the plan (coverage reads each plan's from the store this way, so
    that it never holds every plan's measures at once); in service mode its rows are its own services until
    `aligned` gives several plans the same."""
    return by_age(plan, head) if by == "age" else by_service(plan, head)


def aligned(found: Sequence[Matrix]) -> list[Matrix]:
    """The matrices on the same rows: in service mode the services any of them uses, in the vocabulary's order."""
    if not found or found[0].by == "age":
        return list(found)
    used = {row for m in found for row in m.rows}
    rows = tuple(s for s in SERVICES if s in used)
    return [replace(m, rows=rows) for m in found]


def matrices(plans: Sequence[Plan], by: str) -> list[Matrix]:
    """One matrix per plan, on the same rows and columns."""
    return aligned([matrix(plan, by) for plan in plans])


def _derived_levels(plan: Plan) -> frozenset[str]:
    return frozenset(m.level for m in plan.measures if m.is_derived("level"))


def contrasts(found: Sequence[Matrix]) -> set[tuple[str, str, str]]:
    """(plan path, row, column) of the empty cells where another plan has measures
    (not the column of measures with no stated age: an empty one is no gap)."""
    held = {key for matrix in found for key, count in matrix.counts.items() if count and key[1] != NO_AGE}
    return {(m.plan.path, row, column) for row, column in held for m in found if not m.count(row, column)}
