"""Pure filters over Plans: which measures match an age, level, unit, audience,
decision requirement or text.

Filters combine with AND; the values of one filter combine with OR. The same
`Filters` drive the terminal, JSON, CSV and Markdown output and the Python API,
so a notebook gets the answers the terminal gives.

Age semantics: a measure matches an age when its computed range contains it;
a range filter matches when the ranges overlap. Measures with no stated age
never match an age filter unless `include_unknown_age` is set, and then they
come back marked `age_unknown`; `Selection.left_out` counts the others, so
nothing vanishes without a word. Pregnancy is its own stage, never age 0.

Words: `--text "de skulle"` is one argument whose words must all occur
(anywhere in the name, description, target or group, or in the names and
aliases of the units responsible); a quoted phrase inside it stays a phrase. `--unit` compares word stems of unit names and aliases, so
"barnevern", "barnevernet" and "barneverntjenesten" find the same unit.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import ages
from .i18n import _
from .model import Measure, Plan, Unit
from .vocab import (AUDIENCE_WORDS, AUDIENCES, LEVELS, SERVICE_WORDS_NB, SERVICES, closest, fold, fold_words,
                    level_counts, parse_level, parse_stage_word, word_keys)

#: the stages a person can ask for: every stage a plan can state
STAGES: tuple[str, ...] = ages.STAGES
SORTS: tuple[str, ...] = ("plan", "name", "level", "age")


class FilterError(ValueError):
    """A filter value the tool does not understand; the message lists what is accepted."""


@dataclass(frozen=True)
class Filters:
    """What to look for. Every field is one filter (AND between them); the
    values inside one field are alternatives (OR). Words are normalised as on
    the command line, so Filters(levels=("indikerte",)) means indicated.

    ages: (low, high) in years; grades: (low, high) school grades;
    stages: barnehage, sfo, barneskole, ungdomsskole, grunnskole, vgs, pregnancy;
    texts: each a search (its words AND, quoted phrases kept); plans: stems or paths.
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
                raise FilterError(_("age range {low}-{high}: write the lower age first, from 0").format(
                    low=low, high=high))
        for low, high in self.grades:
            if not 1 <= low <= high <= ages.HIGHEST_GRADE:
                raise FilterError(_("grade range {low}-{high}: grades run from 1 to 13, lower grade first").format(
                    low=low, high=high))
        if any(not word_keys(unit) for unit in self.units):
            raise FilterError(_("--unit is empty; give a unit's name, alias or id (PPT, helsestasjon)"))
        if any(not search_terms(text) for text in self.texts):
            raise FilterError(_("--text is empty; give the words to look for"))

    @property
    def has_age(self) -> bool:
        return bool(self.ages or self.grades or self.stages)


@dataclass(frozen=True)
class Match:
    """A measure a query found, with its plan; `age_unknown` when it is shown although its plan states no age."""

    plan: Plan
    measure: Measure
    #: included only because of include_unknown_age: the plan states no age
    age_unknown: bool = False


@dataclass(frozen=True)
class Selection:
    """The matches, and how many measures an age filter left out because their plan states no age."""

    matches: list[Match] = field(default_factory=list)
    left_out: int = 0


# ---------------------------------------------------------------------------
# parsing what people type


#: the highest age a filter can name: "13-" (13 and older) runs to it
HIGHEST_AGE = 120


#: what --age accepts, matched whole and ignoring case (the page's age field gets it as data: render/finder.py)
AGE_PATTERN = r"\s*(\d{1,3})\s*(?:([-–]|\+)\s*(\d{1,3})?\s*)?(?:år|years?)?\s*"


def parse_age(text: str) -> tuple[int, int]:
    """"13" -> (13, 13); "13-15" -> (13, 15); "13 år" too; "13-" or "13+" -> 13 and older. Raises FilterError."""
    match = re.fullmatch(AGE_PATTERN, text, re.IGNORECASE)
    if not match or (match.group(2) == "+" and match.group(3)):
        raise FilterError(_("--age {value} is not an age; write a whole number of years (13), a range (13-15), "
                            "or 13- for 13 and older").format(value=repr(text)))
    low = int(match.group(1))
    high = int(match.group(3)) if match.group(3) else HIGHEST_AGE if match.group(2) else low
    if low > high:
        raise FilterError(_("--age {value} ends before it starts; write the lower age first ({high}-{low})").format(
            value=repr(text), low=low, high=high))
    if high > HIGHEST_AGE:
        raise FilterError(_("--age {value} is not a plausible age; ages run from 0 to 120").format(value=repr(text)))
    return low, high


_GRADE = r"(?:vg\s*([1-3])|(\d{1,2})\.?)"
#: what --grade accepts, matched whole against the folded text (the page's grade field gets it as data)
GRADE_PATTERN = rf"\s*{_GRADE}\s*(?:[-–]\s*{_GRADE}\s*)?(?:trinn)?\s*"


def parse_grade(text: str) -> tuple[int, int]:
    """A school grade ("8", "8.", "8-10", "vg1", "VG1-VG3") as a (low, high) grade
    range; VG1-VG3 are grades 11-13."""
    match = re.fullmatch(GRADE_PATTERN, fold(text))
    if not match:
        raise FilterError(_("--grade {value} is not a school grade; write 1 to 13 (vg1-vg3 are 11-13), or a range "
                            "(8-10)").format(value=repr(text)))
    vg_low, low_text, vg_high, high_text = match.groups()
    low = int(vg_low) + 10 if vg_low else int(low_text)
    high = (int(vg_high) + 10 if vg_high else int(high_text)) if (vg_high or high_text) else low
    if not (1 <= low <= high <= ages.HIGHEST_GRADE):
        raise FilterError(_("--grade {value}: grades run from 1 to 13, lower grade first").format(value=repr(text)))
    return low, high


def parse_stage(text: str) -> str:
    stage = parse_stage_word(text)
    if stage is None:
        hint = closest(text, STAGES)
        if hint:
            raise FilterError(_("--stage {value} is not a stage; did you mean {stage}? The stages are: {choices}")
                              .format(value=repr(text), stage=hint, choices=", ".join(STAGES)))
        raise FilterError(_("--stage {value} is not a stage; use one of: {choices}").format(
            value=repr(text), choices=", ".join(STAGES)))
    return stage


def parse_level_filter(text: str) -> str:
    level = parse_level(text)
    if level is None:
        raise FilterError(_(
            "--level {value} is not a prevention level; use universal (universell, universelle, 'bra for alle'), "
            "selected (selektert, selekterte, selektiv, 'nyttig for noen') or indicated (indikert, indikerte, "
            "indisert, 'nødvendig for enkelte')").format(value=repr(text)))
    return level


def parse_audience(text: str) -> str:
    audience = AUDIENCE_WORDS.get(fold_words(text)) or AUDIENCE_WORDS.get(fold(text))
    if audience is None:
        raise FilterError(_("--audience {value} is not an audience; use one of: {choices} (or barn, foreldre, "
                            "gravide, familier, ansatte)").format(value=repr(text), choices=", ".join(AUDIENCES)))
    return audience


def parse_service(text: str) -> str:
    folded = fold_words(text)
    names = {key: (fold_words(key), fold_words(SERVICE_WORDS_NB[key]), fold_words(_(SERVICES[key]))) for key in SERVICES}
    for key, forms in names.items():
        if folded in forms:
            return key
    prefixed = [key for key, forms in names.items() if any(form.startswith(folded) for form in forms)]
    if len(prefixed) == 1:
        return prefixed[0]
    raise FilterError(_("--service {value} is not in the shared service vocabulary; use one of: {choices}").format(
        value=repr(text), choices=", ".join(SERVICES)))


def parse_sort(text: str) -> str:
    wanted = fold(text)
    aliases = {"navn": "name", "niva": "level", "alder": "age"}
    sort = aliases.get(wanted, wanted)
    if sort not in SORTS:
        raise FilterError(_("--sort {value}: sort by one of: {choices}").format(value=repr(text),
                                                                               choices=", ".join(SORTS)))
    return sort


def search_terms(text: str) -> list[str]:
    """The folded words and phrases of one --text: 'TAN "de skulle"' -> ["tan", "de skulle"]."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote: the words as they are
        parts = text.replace('"', " ").replace("'", " ").split()
    return [fold_words(part) for part in parts if fold_words(part)]


# ---------------------------------------------------------------------------
# plans


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
        if not name.strip():
            raise FilterError(_("--plan is empty; name a plan: {plans}").format(
                plans=", ".join(plan_label(p, plans) for p in plans)))
        found = [plan for plan in plans if names_plan(name, plan)]
        if not found:
            raise FilterError(_("no such plan: {name}; the plans are: {plans}").format(
                name=name, plans=", ".join(plan_label(p, plans) for p in plans)))
        if len(found) > 1:
            raise FilterError(_("--plan {name} is ambiguous: {files} both have the file name {stem}; name the file "
                                "instead (--plan {example})").format(
                name=name, files=_(" and ").join(p.path for p in found), stem=found[0].stem, example=found[0].path))
        chosen[found[0].path] = found[0]
    return [plan for plan in plans if plan.path in chosen]


def plan_label(plan: Plan, plans: Sequence[Plan]) -> str:
    """How a person names `plan` among `plans`: its stem, or its path where two files share the stem."""
    return plan.path if sum(1 for p in plans if p.stem == plan.stem) > 1 else plan.stem


# ---------------------------------------------------------------------------
# matching


def select(plans: Iterable[Plan], filters: Filters = Filters()) -> list[Match]:
    """Every measure of `plans` that passes all filters, in plan and source order."""
    return search(plans, filters).matches


def search(plans: Iterable[Plan], filters: Filters = Filters()) -> Selection:
    """Like `select`, and also counts the measures an age filter left out
    because their plan states no age (those that pass every other filter)."""
    matches = []
    left_out = 0
    texts = [search_terms(text) for text in filters.texts]
    for plan in plans:
        if filters.plans and not any(names_plan(name, plan) for name in filters.plans):
            continue
        unit_ids = matching_units(plan, filters.units) if filters.units else None
        for measure in plan.measures:
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
            if texts and not _text_matches(search_text(plan, measure), texts):
                continue
            age_unknown = False
            if filters.has_age:
                verdict = _age_verdict(measure, filters)
                if verdict is None:
                    if not filters.include_unknown_age:
                        left_out += 1
                        continue
                    age_unknown = True
                elif not verdict:
                    continue
            matches.append(Match(plan, measure, age_unknown))
    return Selection(matches, left_out)


def _age_verdict(measure: Measure, filters: Filters) -> bool | None:
    """Whether the measure's ages pass every age-like filter given (--age, --grade,
    --stage: AND between them, OR within each); None when the plan states no age."""
    span = measure.target.span
    if not span.known:
        return None
    if filters.ages and not any(span.overlaps(low, high) for low, high in filters.ages):
        return False
    if filters.grades and not any(span.overlaps(*ages.grade_ages(low, high)) for low, high in filters.grades):
        return False
    if filters.stages and not any(_in_stage(span, stage) for stage in filters.stages):
        return False
    return True


def _in_stage(span: ages.AgeSpan, stage: str) -> bool:
    if stage == "pregnancy":
        return span.prenatal
    low, high = ages.stage_range(stage)  # type: ignore[misc]
    return span.overlaps(low, high)


def matching_units(plan: Plan, wanted: Sequence[str]) -> set[str]:
    """Ids of units whose id, name or alias matches one of `wanted`, with their sub-units."""
    found = {unit.id for unit in plan.units if any(unit_matches(unit, w) for w in wanted)}
    grew = True
    while grew:
        children = {u.id for u in plan.units if u.part_of in found} - found
        found |= children
        grew = bool(children)
    return found


def unit_matches(unit: Unit, wanted: str) -> bool:
    """`wanted` is the unit's id, or words of its name or an alias in any
    inflected form ("PPT", "helsestasjonen", "barnevernet")."""
    folded, keys = _unit_words(wanted)
    if folded == unit.id:
        return True
    return bool(keys) and any(keys <= _unit_words(name)[1] for name in (unit.name, *unit.aliases))


@functools.lru_cache(maxsize=4096)
def _unit_words(text: str) -> tuple[str, frozenset[str]]:
    """A text folded, and its word keys: worked out once per run for each wanted word and each unit name
    (a query over a thousand plans asks them of the same words again and again)."""
    return fold(text), frozenset(word_keys(text))


def unknown_units(wanted: Sequence[str], plans: Sequence[Plan]) -> list[tuple[str, list[str]]]:
    """The --unit values no unit of any plan matches, each with the closest unit names."""
    import difflib

    names = sorted({name for plan in plans for unit in plan.units for name in (unit.name, *unit.aliases)})
    folded = {fold_words(name): name for name in names}
    result = []
    for word in wanted:
        if any(unit_matches(unit, word) for plan in plans for unit in plan.units):
            continue
        close = difflib.get_close_matches(fold_words(word), list(folded), n=3, cutoff=0.5)
        result.append((word, [folded[c] for c in close]))
    return result


def _decision_matches(measure: Measure, wanted: bool) -> bool:
    """"Ja/nei" (varies) answers both questions; a plan that does not say answers neither."""
    value = measure.requires_decision
    if value is None:
        return False
    return value == "varies" or (value == "yes") == wanted


def search_text(plan: Plan, measure: Measure) -> str:
    """What `--text` searches, folded as its words are folded: the measure's name, description, target and
    group, and the names and aliases of the units responsible for it (the page's word filter and the export's
    full-text index read this same text)."""
    units = [unit for unit_id in measure.responsible if (unit := plan.unit(unit_id))]
    return fold_words(" ".join((measure.name, measure.description, measure.target.text or "", measure.group or "",
                                *(name for unit in units for name in (unit.name, *unit.aliases)))))


def _text_matches(haystack: str, texts: list[list[str]]) -> bool:
    """Whether every word of one of the searches occurs in the folded text (OR between searches)."""
    return any(all(term in haystack for term in terms) for terms in texts)


def sort_matches(matches: Sequence[Match], by: str) -> list[Match]:
    """Matches in plan order (by="plan"), or by name, level or lowest age within each plan."""
    if by == "plan":
        return list(matches)
    order = {path: i for i, path in enumerate(dict.fromkeys(m.plan.path for m in matches))}

    def key(match: Match) -> tuple:
        span = match.measure.target.span
        name = fold(match.measure.name)
        if by == "name":
            return order[match.plan.path], name
        if by == "level":
            return order[match.plan.path], LEVELS.index(match.measure.level), match.measure.index
        # by age: pregnancy first, then by lowest and highest age; no stated age last
        unknown = not span.known
        return (order[match.plan.path], unknown, not span.prenatal, span.low if span.low is not None else 999,
                span.high if span.high is not None else 999, name)

    return sorted(matches, key=key)


def count_by_level(matches: Sequence[Match]) -> list[tuple[Plan, dict[str, int]]]:
    """Measures per plan and level, in plan order."""
    by_plan: dict[str, tuple[Plan, list[str]]] = {}
    for match in matches:
        by_plan.setdefault(match.plan.path, (match.plan, []))[1].append(match.measure.level)
    return [(plan, level_counts(levels)) for plan, levels in by_plan.values()]


def unit_names(plan: Plan, measure: Measure) -> list[str]:
    """The responsible units' names, in the measure's order."""
    return [unit.name if (unit := plan.unit(unit_id)) else unit_id for unit_id in measure.responsible]


__all__ = [
    "LEVELS", "SORTS", "STAGES", "FilterError", "Filters", "Match", "Selection", "choose_plans", "count_by_level",
    "matching_units", "names_plan", "parse_age", "parse_audience", "parse_grade", "parse_level_filter",
    "parse_service", "parse_sort", "parse_stage", "plan_label", "search", "search_terms", "search_text", "select", "sort_matches",
    "unit_matches", "unit_names", "unknown_units",
]
