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
from dataclasses import dataclass, field

from .ages import BANDS, band_covers
from .model import Measure, Plan
from .vocab import LEVELS, SERVICES

#: the column of measures whose plan states no age
NO_AGE = "no-age"
#: the row (age mode) or column (service mode) of all levels together
ALL_LEVELS = "all"
BY = ("age", "service")


@dataclass(frozen=True)
class Matrix:
    """One plan's counts. In age mode rows are levels (and ALL_LEVELS) and
    columns are bands (and NO_AGE); in service mode rows are services and
    columns are levels (and ALL_LEVELS)."""

    plan: Plan
    by: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    measures: dict[tuple[str, str], list[Measure]] = field(repr=False)

    def count(self, row: str, column: str) -> int:
        return len(self.measures.get((row, column), ()))

    def gaps(self) -> list[str]:
        """Age mode: the bands no measure on any level covers (FB312's gaps)."""
        return [c for c in self.columns if c != NO_AGE and self.count(ALL_LEVELS, c) == 0] if self.by == "age" else []


def by_age(plan: Plan) -> Matrix:
    cells: dict[tuple[str, str], list[Measure]] = {}
    for measure in plan.measures:
        span = measure.target.span
        bands = [band.name for band in BANDS if band_covers(band, span)]
        for row in (measure.level, ALL_LEVELS):
            for column in bands or ([NO_AGE] if not span.known else []):
                cells.setdefault((row, column), []).append(measure)
    return Matrix(plan, "age", (*LEVELS, ALL_LEVELS), (*(b.name for b in BANDS), NO_AGE), cells)


def by_service(plan: Plan, services: Sequence[str]) -> Matrix:
    """Services by level; `services` are the rows (several plans share them)."""
    cells: dict[tuple[str, str], list[Measure]] = {}
    for measure in plan.measures:
        for service in sorted(plan.services(measure)):
            for column in (measure.level, ALL_LEVELS):
                cells.setdefault((service, column), []).append(measure)
    return Matrix(plan, "service", tuple(services), (*LEVELS, ALL_LEVELS), cells)


def matrices(plans: Sequence[Plan], by: str) -> list[Matrix]:
    """One matrix per plan, on the same rows and columns: in service mode the services any of the plans
    uses, in the vocabulary's order."""
    if by == "age":
        return [by_age(plan) for plan in plans]
    used = {service for plan in plans for m in plan.measures for service in plan.services(m)}
    rows = [s for s in SERVICES if s in used]
    return [by_service(plan, rows) for plan in plans]


def contrasts(found: Sequence[Matrix]) -> set[tuple[str, str, str]]:
    """(plan path, row, column) of the empty cells where another plan has measures
    (not the column of measures with no stated age: an empty one is no gap)."""
    held = {key for matrix in found for key in matrix.measures if key[1] != NO_AGE}  # a cell with measures
    return {(m.plan.path, row, column) for row, column in held for m in found if not m.count(row, column)}
