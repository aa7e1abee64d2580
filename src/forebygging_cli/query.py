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

Facts: the filters read a plan through its facts (`facts(plan)`): per measure
the fields a filter or a listing reads (level, units, services, audience,
decision, the computed ages), per plan its head and units, and the folded text
`--text` searches, worked out once. `search` takes Plans (it works their facts
out) or facts as the store keeps them (store.py), and answers alike: the
filters are written once, here, over the facts.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import ages
from .ages import AgeSpan
from .i18n import _
from .vocab import (AUDIENCE_WORDS, AUDIENCES, LEVEL_DEFAULT_LABELS, LEVELS, SERVICE_WORDS_NB, SERVICES, closest,
                    fold, fold_words, level_counts, parse_level, parse_stage_word, word_keys)

if TYPE_CHECKING:  # a query answered from the store never imports the model
    from .model import Measure, Plan

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
    """A measure a query found, with its plan; `age_unknown` when it is shown although its plan states no age.
    `plan` and `measure` are a Plan and a Measure, or their facts (PlanFacts, MeasureFacts) when the store
    answered; `stored` is then what the store keeps of the measure's output (store.Stored)."""

    plan: Any
    measure: Any
    #: included only because of include_unknown_age: the plan states no age
    age_unknown: bool = False
    stored: Any = None


@dataclass(frozen=True)
class Selection:
    """The matches, and how many measures an age filter left out because their plan states no age."""

    matches: list[Match] = field(default_factory=list)
    left_out: int = 0


# ---------------------------------------------------------------------------
# facts: what the filters and the listings read of a plan, worked out once


@dataclass(frozen=True)
class UnitFacts:
    """A unit as --unit matches it and `units` lists it (the fields of model.Unit those read)."""

    id: str
    name: str
    service: str
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    external: bool = False
    derived: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MeasureFacts:
    """A measure as the filters, `coverage`, `plans` and the rows of `query` read it: the fields of
    model.Measure they read, under the same names, with what the plan's units give it worked out
    (`services`) and the target's fields on the measure itself (`target` is the measure: a filter
    reads measure.target.span of a Measure and of its facts alike)."""

    id: str
    name: str
    level: str
    audience: tuple[str, ...]
    span: AgeSpan
    text: str | None
    responsible: tuple[str, ...]
    index: int
    #: the shared service types of the units responsible, sorted (Plan.services)
    services: tuple[str, ...]
    group: str | None = None
    requires_decision: str | None = None
    source_line: int | None = None
    derived: frozenset[str] = frozenset()
    #: any part of the target's ages was inferred (Measure.age_derived)
    age_derived: bool = False

    @property
    def target(self) -> MeasureFacts:
        return self

    def is_derived(self, name: str) -> bool:
        return name in self.derived


@dataclass(frozen=True)
class AdoptionFacts:
    """Who adopted the plan and when (the fields of model.Adoption that `plans` prints)."""

    by: str
    date: str | None = None
    case_number: str | None = None


@dataclass(frozen=True)
class PlanFacts:
    """A plan as query, coverage, plans and units read it: its head, its units, the facts of each measure
    and, when asked for (`facts(plan, texts=True)`), the text --text searches in each measure. Level labels
    are the plan's own, as Plan.level_label gives them."""

    stem: str
    path: str
    municipality: str
    title: str
    units: tuple[UnitFacts, ...]
    measures: tuple[MeasureFacts, ...]
    #: the plan's own name of each level, in LEVELS order ("Bra for alle"; None where it has none)
    level_labels: tuple[str | None, ...]
    language: str = "nb"
    period: tuple[int, int] | None = None
    adopted: AdoptionFacts | None = None
    #: search_text of each measure, in order; None when not worked out
    texts: tuple[str, ...] | None = None

    def level_label(self, level: str) -> str:
        """As Plan.level_label: the plan's own name, else the reform's name in the language spoken now."""
        return self.level_labels[LEVELS.index(level)] or _(LEVEL_DEFAULT_LABELS[level])

    def unit(self, unit_id: str) -> UnitFacts | None:
        return self._units_by_id.get(unit_id)

    @functools.cached_property
    def _units_by_id(self) -> dict[str, UnitFacts]:
        return {unit.id: unit for unit in reversed(self.units)}

    def services(self, measure: MeasureFacts) -> set[str]:
        return set(measure.services)

    def head(self) -> PlanFacts:
        """These facts without the measures and their texts: all a match needs of its plan."""
        return PlanFacts(self.stem, self.path, self.municipality, self.title, self.units, (), self.level_labels,
                         self.language, self.period, self.adopted)


def facts(plan: Plan, texts: bool = True) -> PlanFacts:
    """The facts of `plan` (the one place they are worked out: the store keeps what this gives). `texts`:
    also the text --text searches in each measure (search_text), which costs more than the rest."""
    adopted = plan.adopted
    return PlanFacts(
        stem=plan.stem, path=plan.path, municipality=plan.municipality, title=plan.title,
        units=tuple(UnitFacts(u.id, u.name, u.service, u.aliases, u.part_of, u.external, u.derived)
                    for u in plan.units),
        measures=tuple(MeasureFacts(
            m.id, m.name, m.level, m.target.audience, m.target.span, m.target.text, m.responsible, m.index,
            tuple(sorted(plan.services(m))), m.group, m.requires_decision, m.source_line, m.derived, m.age_derived,
        ) for m in plan.measures),
        level_labels=tuple(plan.level_labels.get(level) or None for level in LEVELS),
        language=plan.language, period=plan.period,
        adopted=AdoptionFacts(adopted.by, adopted.date, adopted.case_number) if adopted else None,
        texts=tuple(search_text(plan, m) for m in plan.measures) if texts else None,
    )


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
    audience = AUDIENCE_WORDS.get(fold_words(text))
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
    import shlex  # here: a query without --text never needs it

    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote: the words as they are
        parts = text.replace('"', " ").replace("'", " ").split()
    return [fold_words(part) for part in parts if fold_words(part)]


# ---------------------------------------------------------------------------
# plans


def names_plan(name: str, plan: Any) -> bool:
    """Whether `name` (a file stem, any case, or the plan file's path) names `plan`."""
    if fold(name) == fold(plan.stem):
        return True
    return os.path.normcase(os.path.abspath(name)) == os.path.normcase(os.path.abspath(plan.path))


def choose_plans(wanted: Iterable[str], plans: Sequence[Any]) -> list[Any]:
    """The plans named by `wanted` (stems or paths), in `plans` order. Raises
    FilterError for a name no plan has, and for a stem two files share (name
    the file instead)."""
    chosen: set[str] = set()  # the paths of the plans named
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
        chosen.add(found[0].path)
    return [plan for plan in plans if plan.path in chosen]


def plan_label(plan: Any, plans: Sequence[Any]) -> str:
    """How a person names `plan` among `plans`: its stem, or its path where two files share the stem."""
    return plan.path if sum(1 for p in plans if p.stem == plan.stem) > 1 else plan.stem


# ---------------------------------------------------------------------------
# matching


def select(plans: Iterable[Plan], filters: Filters = Filters()) -> list[Match]:
    """Every measure of `plans` that passes all filters, in plan and source order."""
    return search(plans, filters).matches


def search(plans: Iterable[Any], filters: Filters = Filters(), *, stored: bool = False) -> Selection:
    """Like `select`, and also counts the measures an age filter left out
    because their plan states no age (those that pass every other filter).

    `plans` are Plans, or their facts (PlanFacts) as the store keeps them. A
    match of a Plan holds the Plan and its Measure; a match of facts holds the
    plan's head (PlanFacts.head: the plans searched can go once searched, and
    only the matches stay) and the measure's facts, and with `stored` the
    measure's stored output (store.Stored) where the store gave the facts."""
    matches: list[Match] = []
    left_out = 0
    texts = [search_terms(text) for text in filters.texts]
    for plan in plans:
        if not isinstance(plan, PlanFacts):
            found, skipped = find(facts(plan, texts=bool(texts)), filters, texts)
            matches += [Match(plan, plan.measures[index], unknown) for index, unknown in found]
        else:
            found, skipped = find(plan, filters, texts)
            head, measures = plan.head(), plan.measures
            outputs = getattr(plan, "outputs", None) if stored else None
            matches += [Match(head, measures[index], unknown, outputs.get(index) if outputs else None)
                        for index, unknown in found]
        left_out += skipped
    return Selection(matches, left_out)


def find(plan: PlanFacts, filters: Filters, texts: list[list[str]] | None = None) -> tuple[list[tuple[int, bool]], int]:
    """Every filter's meaning, over one plan's facts: (index, age unknown) of each measure that passes all
    filters, in source order, and how many an age filter left out because they state no age (those that
    pass every other filter). `texts`: the search terms of filters.texts, when worked out already."""
    if filters.plans and not any(names_plan(name, plan) for name in filters.plans):
        return [], 0
    if texts is None:
        texts = [search_terms(text) for text in filters.texts]
    if texts and plan.texts is None:
        raise ValueError("the facts of this plan were worked out without the texts --text searches")
    found: list[tuple[int, bool]] = []
    left_out = 0
    unit_ids = matching_units(plan, filters.units) if filters.units else None
    for index, measure in enumerate(plan.measures):
        if filters.levels and measure.level not in filters.levels:
            continue
        if unit_ids is not None and not unit_ids.intersection(measure.responsible):
            continue
        if filters.services and not set(measure.services).intersection(filters.services):
            continue
        if filters.audiences and not set(measure.target.audience).intersection(filters.audiences):
            continue
        if filters.requires_decision is not None and not _decision_matches(measure, filters.requires_decision):
            continue
        if texts and not _text_matches(plan.texts[index], texts):  # type: ignore[index]
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
        found.append((index, age_unknown))
    return found, left_out


def _age_verdict(measure: Any, filters: Filters) -> bool | None:
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


def matching_units(plan: Any, wanted: Sequence[str]) -> set[str]:
    """Ids of units whose id, name or alias matches one of `wanted`, with their sub-units (of a Plan, or of
    its facts)."""
    found = {unit.id for unit in plan.units if any(unit_matches(unit, w) for w in wanted)}
    grew = True
    while grew:
        children = {u.id for u in plan.units if u.part_of in found} - found
        found |= children
        grew = bool(children)
    return found


def unit_matches(unit: Any, wanted: str) -> bool:
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


def unknown_units(wanted: Sequence[str], plans: Sequence[Any]) -> list[tuple[str, list[str]]]:
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


def _decision_matches(measure: Any, wanted: bool) -> bool:
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
        if by == "level":  # within a level, as in the plan: the matches come in its order, and sorting is stable
            return order[match.plan.path], LEVELS.index(match.measure.level)
        # by age: pregnancy first, then by lowest and highest age; no stated age last
        unknown = not span.known
        return (order[match.plan.path], unknown, not span.prenatal, span.low if span.low is not None else 999,
                span.high if span.high is not None else 999, name)

    return sorted(matches, key=key)


def count_by_level(matches: Sequence[Match]) -> list[tuple[Any, dict[str, int]]]:
    """Measures per plan and level, in plan order."""
    by_plan: dict[str, tuple[Any, list[str]]] = {}
    for match in matches:
        by_plan.setdefault(match.plan.path, (match.plan, []))[1].append(match.measure.level)
    return [(plan, level_counts(levels)) for plan, levels in by_plan.values()]


def unit_names(plan: Any, measure: Any) -> list[str]:
    """The responsible units' names, in the measure's order (of a Plan's Measure, or of their facts)."""
    return [unit.name if (unit := plan.unit(unit_id)) else unit_id for unit_id in measure.responsible]


__all__ = [
    "LEVELS", "SORTS", "STAGES", "AdoptionFacts", "FilterError", "Filters", "Match", "MeasureFacts", "PlanFacts",
    "Selection", "UnitFacts", "choose_plans", "count_by_level", "facts", "find", "matching_units", "names_plan",
    "parse_age", "parse_audience", "parse_grade", "parse_level_filter", "parse_service", "parse_sort",
    "parse_stage", "plan_label", "search", "search_terms", "search_text", "select", "sort_matches",
    "unit_matches", "unit_names", "unknown_units",
]
