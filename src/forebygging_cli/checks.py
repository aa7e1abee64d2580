"""The checks a JSON Schema cannot express, each declared with its rule: id,
name, severity, summary and explanation beside the code that checks it.

* References and ids (FB2xx) are checked on the parsed document (its data and
  positions), so that they run on the parts of a plan that are well-formed
  even when the schema fails elsewhere: a planner sees every error in one
  round.
* What barnevernsloven § 15-1 demands (FB30x, errors) and what the guidance
  expects (FB31x, warnings) are checked on the typed Plan, once the file
  matches the schema.
* FB320 is checked across the files of one run.

A check yields (data path, message); `validate` turns them into findings with
the position of the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .ages import BANDS, band_covers
from .findings import ERROR, WARNING
from .i18n import N_, _
from .model import DataPath, Plan
from .rules import Rule
from .vocab import ID_PATTERN, LEVELS, closest, fold, stages_in_text

#: takes a load.Document (data and positions)
DocumentCheck = Callable[[Any], Iterable[tuple[DataPath, str]]]
PlanCheck = Callable[[Plan], Iterable[tuple[DataPath, str]]]

#: FB2xx: run on the document's data, valid or not
DOCUMENT_CHECKS: dict[str, DocumentCheck] = {}
#: FB3xx: run on a schema-valid Plan
PLAN_CHECKS: dict[str, PlanCheck] = {}
#: Rules checked across the files of one run (see validate.across_files).
ACROSS_FILES = ("FB320",)
#: the rules declared here (FB2xx, FB3xx), by id; catalogue.py adds the file and schema rules
CHECK_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    assert rule.id not in CHECK_RULES, rule.id
    CHECK_RULES[rule.id] = rule
    return rule


def rule(rule_id: str, name: str, severity: str, summary: str, explanation: str) -> Callable[[Any], Any]:
    """Declare a rule and register the function below it as its check."""
    declared = register(Rule(rule_id, name, severity, summary, explanation))

    def decorate(function: Any) -> Any:
        (DOCUMENT_CHECKS if rule_id < "FB300" else PLAN_CHECKS)[declared.id] = function
        return function

    return decorate


# ---------------------------------------------------------------------------
# references and ids, on the document's data


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for the well-formed items of a top-level list."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _id(item: dict[str, Any]) -> str | None:
    value = item.get("id")
    return value if isinstance(value, str) else None


def _strings(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield index, item


#: the owner of a reference, for messages: measure 'x', unit 'y', ...
OWNER_WORDS = {
    "measures": N_("measure '{id}'"),
    "units": N_("unit '{id}'"),
    "goals": N_("goal '{id}'"),
    "collaboration": N_("arena '{id}'"),
    "coordinators": N_("coordinator '{id}'"),
    "models": N_("model '{id}'"),
}


#: the owner of a reference that has no id yet: measure number 3, ...
OWNER_NUMBER_WORDS = {
    "measures": N_("measure number {number}"),
    "units": N_("unit number {number}"),
    "goals": N_("goal number {number}"),
    "collaboration": N_("arena number {number}"),
    "coordinators": N_("coordinator number {number}"),
    "models": N_("model number {number}"),
}


def owner(kind: str, item: dict[str, Any], index: int) -> str:
    item_id = _id(item)
    if item_id is None:
        return _(OWNER_NUMBER_WORDS[kind]).format(number=index + 1)
    return _(OWNER_WORDS[kind]).format(id=item_id)


def unit_references(data: Any) -> Iterator[tuple[DataPath, str, str]]:
    """(path, unit id, owner) for every reference to a unit in the plan."""
    for index, measure in _items(data, "measures"):
        for i, unit_id in _strings(measure.get("responsible")):
            yield ("measures", index, "responsible", i), unit_id, owner("measures", measure, index)
    for index, unit in _items(data, "units"):
        if isinstance(unit.get("part_of"), str):
            yield ("units", index, "part_of"), unit["part_of"], owner("units", unit, index)
    for index, arena in _items(data, "collaboration"):
        for i, unit_id in _strings(arena.get("units")):
            yield ("collaboration", index, "units", i), unit_id, owner("collaboration", arena, index)
    for index, coordinator in _items(data, "coordinators"):
        if isinstance(coordinator.get("unit"), str):
            yield ("coordinators", index, "unit"), coordinator["unit"], owner("coordinators", coordinator, index)
    for index, model in _items(data, "models"):
        for i, unit_id in _strings(model.get("units")):
            yield ("models", index, "units", i), unit_id, owner("models", model, index)


def unit_named(data: Any, words: str) -> str | None:
    """The id of the declared unit whose name or alias is `words` (a name
    written where an id belongs), or None."""
    wanted = fold(words)
    for _index, unit in _items(data, "units"):
        names = [unit.get("name"), *(unit.get("aliases") or [])]
        if _id(unit) and any(isinstance(n, str) and fold(n) == wanted for n in names):
            return _id(unit)
    return None


@rule("FB201", "unknown-unit", ERROR, N_("A reference to a unit that is not declared under `units`."),
      N_("Responsible units are declared once, under `units`, and referred to by id.\n"
         "A reference to an undeclared id means nobody is responsible. Where a unit's\n"
         "name is written instead of its id, the message names the id.\n\n"
         "Fix:   responsible: [pp-tjenesten]\n"
         "  ->   responsible: [ppt]       (the id declared under units)"))
def unknown_units(document: Any) -> Iterator[tuple[DataPath, str]]:
    data = document.data
    declared = [unit_id for _i, unit in _items(data, "units") if (unit_id := _id(unit))]
    for path, unit_id, who in unit_references(data):
        if unit_id in declared or not ID_PATTERN.fullmatch(unit_id):
            continue  # not an id at all: the schema step says so (FB105), with the id to use
        named = unit_named(data, unit_id)
        hint = closest(unit_id, declared)
        if named:
            also = " " + _("(it is the name of the unit '{id}'; write its id)").format(id=named)
        elif hint:
            also = " " + _("(did you mean '{id}'?)").format(id=hint)
        else:
            also = ""
        yield path, _("{owner} names unit '{unit}', which is not declared under `units`; declare it there or "
                      "use a declared id{hint}").format(owner=who, unit=unit_id, hint=also)


@rule("FB202", "duplicate-id", ERROR, N_("Two items of the same kind share an id."),
      N_("Ids identify measures, units, goals and teams across versions of the plan\n"
         "(`diff` matches measures by id), so each must be unique in its list. Names\n"
         "may repeat; ids may not.\n\n"
         "Fix:   id: pp-tjenesten   (twice)\n"
         "  ->   id: pp-tjenesten-kartlegging / pp-tjenesten-skolefravaer"))
def duplicate_ids(document: Any) -> Iterator[tuple[DataPath, str]]:
    data = document.data
    for key, message in DUPLICATE_ID_MESSAGES.items():
        first: dict[str, int] = {}
        for index, item in _items(data, key):
            item_id = _id(item)
            if item_id is None:
                continue
            if item_id in first:
                line, _column = document.position((key, first[item_id], "id"))
                yield (key, index, "id"), _(message).format(id=item_id, line=line)
            else:
                first[item_id] = index


DUPLICATE_ID_MESSAGES = {
    "measures": N_("the measure id '{id}' is already used on line {line}; ids must be unique, so give this measure "
                   "its own (e.g. '{id}-2' or a word saying how it differs)"),
    "units": N_("the unit id '{id}' is already used on line {line}; ids must be unique, so give this unit its own "
                "(e.g. '{id}-2' or a word saying how it differs)"),
    "goals": N_("the goal id '{id}' is already used on line {line}; ids must be unique, so give this goal its own "
                "(e.g. '{id}-2' or a word saying how it differs)"),
    "collaboration": N_("the arena id '{id}' is already used on line {line}; ids must be unique, so give this arena "
                        "its own (e.g. '{id}-2' or a word saying how it differs)"),
    "coordinators": N_("the coordinator id '{id}' is already used on line {line}; ids must be unique, so give this "
                       "coordinator its own (e.g. '{id}-2' or a word saying how it differs)"),
    "models": N_("the model id '{id}' is already used on line {line}; ids must be unique, so give this model its own "
                 "(e.g. '{id}-2' or a word saying how it differs)"),
}


@rule("FB203", "age-range-order", ERROR, N_("An age, grade or year range ends before it starts."),
      N_("Fix:   ages: {from: 18, to: 13}\n"
         "  ->   ages: {from: 13, to: 18}\n\n"
         "The same for grades and for the plan period (period: {from: 2024, to: 2028})."))
def age_range_order(document: Any) -> Iterator[tuple[DataPath, str]]:
    data = document.data
    plan = data.get("plan") if isinstance(data, dict) else None
    period = plan.get("period") if isinstance(plan, dict) else None
    if isinstance(period, dict) and _whole(period.get("from")) and _whole(period.get("to")) \
            and period["to"] < period["from"]:
        yield ("plan", "period", "to"), _(
            "the plan period runs from {low} to {high}; write the first year first (from: {high}, to: {low})"
        ).format(low=period["from"], high=period["to"])
    for index, measure in _items(data, "measures"):
        target = measure.get("target")
        if not isinstance(target, dict):
            continue
        who = owner("measures", measure, index)
        ages, grades = target.get("ages"), target.get("grades")
        if isinstance(ages, dict) and _whole(ages.get("from")):
            low = ages["from"]
            if _whole(ages.get("until")) and ages["until"] <= low:
                yield ("measures", index, "target", "ages", "until"), _(
                    "{owner} runs from age {low} until age {until}, which ends before it starts; `until` must be "
                    "greater than `from`").format(owner=who, low=low, until=ages["until"])
            elif _whole(ages.get("to")) and ages["to"] < low:
                yield ("measures", index, "target", "ages", "to"), _(
                    "{owner} has ages from {low} to {high}; write the lower age first (from: {high}, to: {low})"
                ).format(owner=who, low=low, high=ages["to"])
        if isinstance(grades, dict) and _whole(grades.get("from")) and _whole(grades.get("to")) \
                and grades["to"] < grades["from"]:
            yield ("measures", index, "target", "grades", "to"), _(
                "{owner} has grades from {low} to {high}; write the lower grade first (from: {high}, to: {low})"
            ).format(owner=who, low=grades["from"], high=grades["to"])


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------
# § 15-1: what the law demands


@rule("FB301", "not-adopted-by-council", ERROR,
      N_("The plan is not adopted by the municipal council (kommunestyret)."),
      N_("Barnevernsloven § 15-1 second paragraph: the municipal council itself\n"
         "(kommunestyret selv) adopts the plan. A plan adopted by a committee or the\n"
         "administration, or with no adoption recorded, does not meet the law.\n\n"
         "Fix:   plan:\n"
         "         adopted: {by: kommunestyret, date: 2024-06-12, case_number: PS 45/24}"))
def adopted_by_council(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.adopted is None:
        yield ("plan",), _(
            "the plan does not say that the municipal council adopted it; barnevernsloven § 15-1 requires "
            "kommunestyret itself to adopt the plan: add plan.adopted with by: kommunestyret and the date")
    elif plan.adopted.by != "kommunestyret":
        yield ("plan", "adopted", "by"), _(
            "the plan is adopted by '{body}', but barnevernsloven § 15-1 requires kommunestyret itself to adopt "
            "it; have it adopted by kommunestyret and write by: kommunestyret").format(body=plan.adopted.by)


@rule("FB302", "no-adoption-date", ERROR, N_("The plan's adoption has no date."),
      N_("Without the date of the council's decision nobody can tell which version is\n"
         "in force. Fix: add `date` (YYYY-MM-DD) under plan.adopted."))
def adoption_date(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.adopted is not None and not plan.adopted.date:
        yield ("plan", "adopted"), _(
            "the adoption has no date, so nobody can tell which version is in force; add date: YYYY-MM-DD "
            "under plan.adopted")


@rule("FB303", "no-goals", ERROR, N_("The plan states no goals."),
      N_("§ 15-1 requires the plan to describe the goals of the preventive work.\n\n"
         "Fix:   goals:\n"
         "         - id: tidlig-innsats\n"
         "           title: Tidlig innsats til barn og unge"))
def has_goals(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.goals:
        yield ("goals",), _(
            "the plan states no goals; barnevernsloven § 15-1 requires the plan to describe the goals of the "
            "preventive work: add them under `goals`")


@rule("FB304", "no-responsible-unit", ERROR, N_("A measure has no responsible unit."),
      N_("§ 15-1 requires the plan to say how the work is divided between the\n"
         "municipality's services; a measure nobody is responsible for is not divided.\n\n"
         "Fix:   responsible: []\n"
         "  ->   responsible: [helsestasjon]"))
def has_responsible(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        if not m.responsible:
            yield m.path + ("responsible",), _(
                "measure '{id}' has no responsible unit, so the plan does not say who carries it out (§ 15-1 asks "
                "how the work is divided between services): add the unit's id to `responsible`").format(id=m.id)


@rule("FB305", "no-collaboration-arena", ERROR, N_("The plan describes no collaboration arena."),
      N_("§ 15-1 requires the plan to describe how the services cooperate: teams,\n"
         "meetings, networks. Fix: add them under `collaboration`, each with its\n"
         "members, how often it meets and whether it is established or planned."))
def has_arena(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.arenas:
        yield ("collaboration",), _(
            "the plan describes no collaboration arena; § 15-1 requires it to say how the services cooperate: "
            "add the teams and meetings under `collaboration`")


# ---------------------------------------------------------------------------
# what the guidance (Bufdir, KoRus) expects


@rule("FB311", "empty-level", WARNING, N_("A prevention level has no measures."),
      N_("The guidance expects measures on all three levels (universal, selected,\n"
         "indicated). An empty level is either a gap in the services or measures\n"
         "filed under the wrong level.\n\n"
         "Fix:   - name: Foreldreveiledning for familier i risiko\n"
         "         level: universal\n"
         "  ->   - name: Foreldreveiledning for familier i risiko\n"
         "         level: selected      <- for some, not for all"))
def empty_levels(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    present = {m.level for m in plan.measures}
    for level in LEVELS:
        if level not in present:
            yield ("measures",), _(
                "no measure is on the level '{label}' ({level}); the guidance expects measures on all three "
                "levels: add them, or check that measures are filed under the right level"
            ).format(label=plan.level_label(level), level=level)


@rule("FB312", "age-gap", WARNING, N_("An age band has no measure on any level (a gap)."),
      N_("Bands: pregnancy, 0-2, 3-5, 6-12, 13-18, 19-25 (as in INSUM, the national\n"
         "measures catalogue). A band nothing covers is worth a look before the plan\n"
         "goes to the council: either the municipality offers nothing there, or the\n"
         "plan does not say what it offers. Measures with no stated age cover no band.\n"
         "`forebygging coverage` shows the same bands by level.\n\n"
         "Fix:   target:\n"
         "         text: ungdom 13-18 år\n"
         "  ->   target:\n"
         "         text: ungdom 13-18 år\n"
         "         ages: {from: 13, to: 18}      <- the ages the text states"))
def age_gaps(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    spans = [m.target.span for m in plan.measures]
    for band in BANDS:
        if not any(band_covers(band, span) for span in spans):
            what = band.label() if band.prenatal else _("ages {band}").format(band=band.label())
            yield ("measures",), _(
                "gap: no measure on any level covers {what}; if the municipality offers something there, add it "
                "(with its target ages), otherwise the council should see the gap").format(what=what)


@rule("FB313", "no-plan-period", WARNING, N_("The plan states no plan period."),
      N_("A period says when the plan is to be revised. Fix:\n"
         "  plan:\n"
         "    period: {from: 2024, to: 2028}"))
def has_period(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.period is None:
        yield ("plan",), _(
            "the plan states no plan period, so it is unclear when it is to be revised: add plan.period with "
            "from and to years, e.g. period: {from: 2024, to: 2028}")


@rule("FB314", "no-risk-factors", WARNING, N_("The plan lists no risk and protective factors."),
      N_("The guidance asks for a knowledge base: which risk factors the measures\n"
         "work against and which protective factors they build. Fix: add\n"
         "knowledge_base.risk_and_protective_factors."))
def has_factors(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.risk_and_protective_factors:
        yield ("knowledge_base",), _(
            "the plan lists no risk and protective factors, so readers cannot see what the measures work "
            "against: add knowledge_base.risk_and_protective_factors")


@rule("FB315", "no-follow-up", WARNING, N_("The plan does not say how it is followed up or evaluated."),
      N_("Fix: add plan.follow_up with who reports on the plan, to whom and how often."))
def has_follow_up(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.follow_up:
        yield ("plan",), _(
            "the plan does not say how it is followed up or evaluated: add plan.follow_up (who reports on it, "
            "to whom, how often)")


@rule("FB316", "no-stated-age", WARNING, N_("A measure states no age, grade or stage."),
      N_("Such a measure never shows up when someone asks for the measures for a\n"
         "given age, and it cannot close an age gap. Fix: add target.ages, grades or\n"
         "stages when the plan says who the measure is for (and only then)."))
def stated_age(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        if not m.target.span.known:
            named = stages_in_text(m.target.text or "")
            if named:  # the plan's own words name a stage, in either written form
                yield m.path + ("target",), _(
                    "measure '{id}' states no age, grade or stage, but its target text names one: add "
                    "target.stages: [{stages}] (the tool reads the ages from it)").format(
                    id=m.id, stages=", ".join(named))
                continue
            yield m.path + ("target",), _(
                "measure '{id}' states no age, grade or stage, so it never shows up in a query by age: add "
                "target.ages, grades or stages if the plan says who it is for").format(id=m.id)


@rule("FB317", "duplicate-name", WARNING, N_("Two measures share a name and no group."),
      N_("Readers cannot tell them apart. When one table row or merged cell holds\n"
         "several measures, give them a common `group`; otherwise make the names say\n"
         "how they differ.\n\n"
         "Fix:   - id: pp-tjenesten-observasjon\n"
         "         name: PP-tjenesten\n"
         "  ->   - id: pp-tjenesten-observasjon\n"
         "         name: PP-tjenesten\n"
         "         group: PP-tjenesten; tidlig innsats og forebyggende arbeid"))
def duplicate_names(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    first: dict[str, int] = {}
    for m in plan.measures:
        if m.group:
            continue
        if m.name in first:
            earlier = plan.position(("measures", first[m.name], "name"))
            yield m.path + ("name",), _(
                "measure '{id}' has the same name as the measure on line {line} ('{name}') and no group, so "
                "readers cannot tell them apart: give both a common `group` or distinct names"
            ).format(id=m.id, line=earlier.line, name=m.name)
        else:
            first[m.name] = m.index


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"(\+47 ?)?(\d ?){7}\d")


@rule("FB318", "malformed-contact", WARNING, N_("An e-mail address or phone number looks malformed."),
      N_("Fix:   email: rune.drangslund@lier .kommune.no\n"
         "  ->   email: rune.drangslund@lier.kommune.no\n"
         "Phone numbers are eight digits (spaces allowed), with an optional +47."))
def contact_format(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        for i, contact in enumerate(m.contacts):
            if contact.email and not EMAIL.fullmatch(contact.email):
                yield m.path + ("contacts", i, "email"), _(
                    "the e-mail address '{email}' of measure '{id}' looks malformed; write it as name@domain, e.g. "
                    "navn.etternavn@lier.kommune.no").format(email=contact.email, id=m.id)
            if contact.phone and not PHONE.fullmatch(contact.phone.strip()):
                yield m.path + ("contacts", i, "phone"), _(
                    "the phone number '{phone}' of measure '{id}' looks malformed; write eight digits (spaces "
                    "allowed, optional +47), e.g. 94 50 04 00").format(phone=contact.phone, id=m.id)


@rule("FB319", "unused-unit", WARNING, N_("A unit is declared but nothing refers to it."),
      N_("Every declared unit should be responsible for a measure or take part in an\n"
         "arena, coordinator role or model. Fix: refer to it, or remove it."))
def unused_units(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    used = {u for m in plan.measures for u in m.responsible}
    used |= {u for a in plan.arenas for u in a.units}
    used |= {c.unit for c in plan.coordinators if c.unit}
    used |= {u for model in plan.models for u in model.units}
    used |= {u.part_of for u in plan.units if u.part_of}
    for index, unit in enumerate(plan.units):
        if unit.id not in used:
            yield ("units", index, "id"), _(
                "unit '{id}' ({name}) is declared but no measure, arena, coordinator or model refers to it: refer "
                "to it, or remove it").format(id=unit.id, name=unit.name)


register(Rule("FB320", "duplicate-municipality", WARNING, N_("Two plan files describe the same municipality."),
              N_("Each municipality has one plan in force, so a plan repository holds one file\n"
                 "per municipality. Two files for one municipality (a draft beside the adopted\n"
                 "plan, or a copy in another directory) make every query count its measures\n"
                 "twice. Keep older versions in git history (`forebygging diff` compares\n"
                 "them), keep drafts outside the plans directory, or correct the name under\n"
                 "`municipality`.\n\n"
                 "Fix:   plans/fjordvik.yaml and plans/fjordvik-utkast.yaml\n"
                 "  ->   git mv plans/fjordvik-utkast.yaml utkast/fjordvik.yaml")))


def duplicate_municipality_message(others: list[str], municipality: str) -> str:
    return _("{others} also describes {municipality}; keep one plan per municipality in the plan repository (a "
             "draft or an older version belongs in git history or outside the plans directory), or correct the "
             "municipality's name").format(others=", ".join(others), municipality=municipality)


__all__ = ["ACROSS_FILES", "CHECK_RULES", "DOCUMENT_CHECKS", "PLAN_CHECKS", "duplicate_municipality_message", "unit_named",
           "unit_references"]
