"""Pure filters over Plans: which measures match an age, level, unit, audience,
decision requirement or text.

Filters combine with AND; the values of one filter combine with OR. The same
`Filters` drive the terminal, JSON, CSV and Markdown output and the Python API,
so a notebook gets the answers the terminal gives.

Age semantics: a measure matches an age when its computed range contains it;
a range filter matches when the ranges overlap. Measures with no stated age
never match an age filter unless `include_unknown_age` is set, and then they
come back marked `age_unknown`. Pregnancy is its own stage, never age 0.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import ages
from .model import Measure, Plan, Unit
from .vocab import AUDIENCES, LEVELS, SERVICES, fold, parse_level

STAGES: tuple[str, ...] = ("pregnancy", "barnehage", "sfo", "barneskole", "ungdomsskole", "vgs")


class FilterError(ValueError):
    """A filter value the tool does not understand; the message lists what is accepted."""


@dataclass(frozen=True)
class Filters:
    """What to look for. Every field is one filter (AND between them); the
    values inside one field are alternatives (OR). Words are normalised as on
    the command line, so Filters(levels=("indikerte",)) means indicated.

    ages: (low, high) in years; grades: (low, high) school grades;
    stages: barnehage, sfo, barneskole, ungdomsskole, vgs, pregnancy.
    """

    ages: tuple[tuple[int, int], ...] = ()
    grades: tuple[tuple[int, int], ...] = ()
    stages: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    requires_decision: bool | None = None
    texts: tuple[str, ...] = ()
    plans: tuple[str, ...] = ()
    include_unknown_age: bool = False

    def __post_init__(self) -> None:
        normalise = {"stages": parse_stage, "levels": parse_level_filter, "audiences": parse_audience,
                     "services": parse_service}
        for name, parse in normalise.items():
            object.__setattr__(self, name, tuple(parse(value) for value in getattr(self, name)))
        for low, high in self.ages:
            if not 0 <= low <= high:
                raise FilterError(f"age range {low}-{high}: write the lower age first, from 0")
        for low, high in self.grades:
            if not 1 <= low <= high <= 13:
                raise FilterError(f"grade range {low}-{high}: grades run from 1 to 13, lower grade first")
        if any(not fold(unit) for unit in self.units):
            raise FilterError("--unit is empty; give a unit's name, alias or id (PPT, helsestasjon)")

    @property
    def has_age(self) -> bool:
        return bool(self.ages or self.grades or self.stages)


@dataclass(frozen=True)
class Match:
    plan: Plan
    measure: Measure
    #: included only because of include_unknown_age: the plan states no age
    age_unknown: bool = False


# ---------------------------------------------------------------------------
# parsing what people type


def parse_age(text: str) -> tuple[int, int]:
    """"13" -> (13, 13); "13-15" -> (13, 15). Raises FilterError."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})\s*)?(?:år)?\s*", text)
    if not match:
        raise FilterError(f"--age {text!r} is not an age; write a whole number of years (13) or a range (13-15)")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if low > high:
        raise FilterError(f"--age {text!r} ends before it starts; write the lower age first ({high}-{low})")
    if high > 120:
        raise FilterError(f"--age {text!r} is not a plausible age; ages run from 0 to 120")
    return low, high


def parse_grade(text: str) -> tuple[int, int]:
    """A school grade ("8", "8.", "8-10") as a (low, high) grade range."""
    match = re.fullmatch(r"\s*(\d{1,2})\.?\s*(?:[-–]\s*(\d{1,2})\.?\s*)?(?:trinn)?\s*", text)
    if not match:
        raise FilterError(f"--grade {text!r} is not a school grade; write 1 to 13 (vg1-vg3 are 11-13), or a range (8-10)")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if not (1 <= low <= high <= 13):
        raise FilterError(f"--grade {text!r}: grades run from 1 to 13, lower grade first")
    return low, high


_STAGE_WORDS = {
    "pregnancy": "pregnancy", "gravid": "pregnancy", "gravide": "pregnancy", "svangerskap": "pregnancy",
    "prenatal": "pregnancy", "barnehage": "barnehage", "kindergarten": "barnehage", "sfo": "sfo",
    "barneskole": "barneskole", "barnetrinn": "barneskole", "ungdomsskole": "ungdomsskole",
    "ungdomstrinn": "ungdomsskole", "vgs": "vgs", "videregaende": "vgs", "videregaende skole": "vgs",
}


def parse_stage(text: str) -> str:
    stage = _STAGE_WORDS.get(fold(text))
    if stage is None:
        raise FilterError(f"--stage {text!r} is not a stage; use one of: {', '.join(STAGES)}")
    return stage


def parse_level_filter(text: str) -> str:
    level = parse_level(text)
    if level is None:
        raise FilterError(
            f"--level {text!r} is not a prevention level; use universal (universell, universelle, "
            "'bra for alle'), selected (selektert, selekterte, selektiv, 'nyttig for noen') or indicated "
            "(indikert, indikerte, indisert, 'nødvendig for enkelte')"
        )
    return level


def parse_audience(text: str) -> str:
    words = {fold(k): k for k in AUDIENCES} | {fold(v): k for k, v in AUDIENCES.items()}
    words |= {"barn": "children", "unge": "children", "foreldre": "parents", "foresatte": "parents",
              "gravide": "pregnant", "familie": "families", "familier": "families", "ansatte": "professionals"}
    audience = words.get(fold(text))
    if audience is None:
        raise FilterError(f"--audience {text!r} is not an audience; use one of: {', '.join(AUDIENCES)}")
    return audience


def parse_service(text: str) -> str:
    folded = fold(text)
    for key, label in SERVICES.items():
        if folded in (fold(key), fold(label)):
            return key
    prefixed = [key for key, label in SERVICES.items() if fold(label).startswith(folded) or key.startswith(folded)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise FilterError(f"--service {text!r} is not in the shared service vocabulary; use one of: {', '.join(SERVICES)}")


# ---------------------------------------------------------------------------
# matching


def select(plans: Iterable[Plan], filters: Filters = Filters()) -> list[Match]:
    """Every measure of `plans` that passes all filters, in plan and source order."""
    matches = []
    for plan in plans:
        if filters.plans and not any(names_plan(name, plan) for name in filters.plans):
            continue
        unit_ids = _matching_units(plan, filters.units) if filters.units else None
        for measure in plan.measures:
            age_unknown = False
            if filters.has_age:
                verdict = _age_verdict(measure, filters)
                if verdict is None:
                    if not filters.include_unknown_age:
                        continue
                    age_unknown = True
                elif not verdict:
                    continue
            if filters.levels and measure.level not in filters.levels:
                continue
            if unit_ids is not None and not unit_ids.intersection(measure.responsible):
                continue
            if filters.services and not plan.services(measure).intersection(filters.services):
                continue
            if filters.audiences and not set(measure.target.audience).intersection(filters.audiences):
                continue
            if filters.requires_decision is not None and not _decision_matches(measure, filters.requires_decision):
                continue
            if filters.texts and not any(_text_matches(measure, text) for text in filters.texts):
                continue
            matches.append(Match(plan, measure, age_unknown))
    return matches


def names_plan(name: str, plan: Plan) -> bool:
    """Whether `name` (a file stem, any case, or the plan file's path) names `plan`."""
    if fold(name) == fold(plan.stem):
        return True
    return os.path.normcase(os.path.abspath(name)) == os.path.normcase(os.path.abspath(plan.path))


def choose_plans(wanted: Iterable[str], plans: Sequence[Plan]) -> list[Plan]:
    """The plans named by `wanted` (stems or paths), in `plans` order. Raises
    FilterError for a name no plan has, and for a stem two files share (name
    the file instead)."""
    chosen: dict[str, Plan] = {}
    for name in wanted:
        found = [plan for plan in plans if names_plan(name, plan)]
        if not found:
            raise FilterError(f"no such plan: {name}; the plans are: {', '.join(plan_label(p, plans) for p in plans)}")
        if len(found) > 1:
            raise FilterError(f"--plan {name} is ambiguous: {' and '.join(p.path for p in found)} both have the file "
                              f"name {found[0].stem}; name the file instead (--plan {found[0].path})")
        chosen[found[0].path] = found[0]
    return [plan for plan in plans if plan.path in chosen]


def plan_label(plan: Plan, plans: Sequence[Plan]) -> str:
    """How a person names `plan` among `plans`: its stem, or its path where two files share the stem."""
    return plan.path if sum(1 for p in plans if p.stem == plan.stem) > 1 else plan.stem


def _age_verdict(measure: Measure, filters: Filters) -> bool | None:
    """Whether the measure's ages pass every age-like filter given (--age, --grade,
    --stage: AND between them, OR within each); None when the plan states no age."""
    span = measure.target.span
    if not span.known:
        return None
    if filters.ages and not any(span.overlaps(low, high) for low, high in filters.ages):
        return False
    if filters.grades and not any(span.overlaps(*ages.grade_ages(low, high)[:2]) for low, high in filters.grades):
        return False
    if filters.stages and not any(_in_stage(span, stage) for stage in filters.stages):
        return False
    return True


def _in_stage(span: ages.AgeSpan, stage: str) -> bool:
    if stage == "pregnancy":
        return span.prenatal
    low, high = ages.stage_range(stage)  # type: ignore[misc]
    return span.overlaps(low, high)


def _matching_units(plan: Plan, wanted: Sequence[str]) -> set[str]:
    """Ids of units whose id, name or alias matches one of `wanted`, with their sub-units."""
    found = {unit.id for unit in plan.units if any(_unit_matches(unit, w) for w in wanted)}
    grew = True
    while grew:
        children = {u.id for u in plan.units if u.part_of in found} - found
        found |= children
        grew = bool(children)
    return found


def _unit_matches(unit: Unit, wanted: str) -> bool:
    """`wanted` is the unit's id, or whole words of its name or an alias ("PPT", "helsestasjon")."""
    folded = fold(wanted)
    if not folded:
        return False
    if folded == unit.id:
        return True
    pattern = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
    return any(pattern.search(fold(name)) for name in (unit.name, *unit.aliases))


def _decision_matches(measure: Measure, wanted: bool) -> bool:
    """"Ja/nei" (varies) answers both questions; a plan that does not say answers neither."""
    value = measure.requires_decision
    if value is None:
        return False
    return value == "varies" or (value == "yes") == wanted


def _text_matches(measure: Measure, text: str) -> bool:
    needle = fold(text)
    haystack = (measure.name, measure.description, measure.target.text or "", measure.group or "")
    return any(needle in fold(part) for part in haystack)


def unit_names(plan: Plan, measure: Measure) -> list[str]:
    """The responsible units' names, in the measure's order."""
    return [unit.name if (unit := plan.unit(unit_id)) else unit_id for unit_id in measure.responsible]


__all__ = [
    "LEVELS", "STAGES", "FilterError", "Filters", "Match", "choose_plans", "names_plan", "parse_age", "plan_label", "parse_audience", "parse_grade",
    "parse_level_filter", "parse_service", "parse_stage", "select", "unit_names",
]
