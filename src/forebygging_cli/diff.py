"""What changed between two versions of a plan: a pure comparison of two Plans
-> a list of Changes, in words a council reads once rendered.

Semantic, not textual: both sides are Plans, so key order, comments, quoting
and layout never show up. Measures are matched by id; a measure whose id
changed but whose name and description did not (or nearly did not) is
*renamed*, not removed and added. A unit's new name shows once, as a change of
the unit, never once per measure that names it; a unit whose id changed is
followed through every reference.

Every kind of change is in one catalogue, `KINDS` (id, subject, severity,
meaning), like validate's rules: `--fail-on`, the README and `forebygging diff
--kinds` read from it.

    >>> from forebygging_cli.diff import diff_plans
    >>> changes = diff_plans(old_plan, new_plan)      # list[Change], no I/O
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .i18n import N_
from .model import Measure, Plan, Unit
from .vocab import LEVELS, fold
from .worddiff import likeness, words

MAJOR, MINOR = "major", "minor"
SEVERITIES = (MAJOR, MINOR)


@dataclass(frozen=True, slots=True)
class ChangeKind:
    """A kind of change diff reports: its name, how much it matters and what it means."""

    id: str
    #: what changed: measure, unit, goal, arena, coordinator, plan
    subject: str
    #: added, removed, changed or renamed (the JSON contract's words)
    kind: str
    severity: str
    #: one line, an English message id (translated where shown)
    meaning: str


KINDS_LIST = (
    ChangeKind("plan-added", "plan", "added", MAJOR, N_("A plan file is new.")),
    ChangeKind("plan-removed", "plan", "removed", MAJOR, N_("A plan file is gone.")),
    ChangeKind("measure-added", "measure", "added", MAJOR, N_("A measure is new.")),
    ChangeKind("measure-removed", "measure", "removed", MAJOR, N_("A measure is gone.")),
    ChangeKind("measure-renamed", "measure", "renamed", MINOR,
               N_("A measure has a new id, with the same (or nearly the same) name and description.")),
    ChangeKind("measure-level", "measure", "changed", MAJOR, N_("A measure moved to another prevention level.")),
    ChangeKind("measure-responsible", "measure", "changed", MAJOR, N_("A measure's responsible units changed.")),
    ChangeKind("measure-ages", "measure", "changed", MAJOR, N_("A measure's age range changed.")),
    ChangeKind("measure-audience", "measure", "changed", MAJOR, N_("Who takes part in a measure changed.")),
    ChangeKind("measure-requires-decision", "measure", "changed", MAJOR,
               N_("Whether a measure requires a formal decision (vedtak) changed.")),
    ChangeKind("measure-target", "measure", "changed", MINOR,
               N_("The plan's words for a measure's target group changed.")),
    ChangeKind("measure-age-basis", "measure", "changed", MINOR,
               N_("How a measure's ages are stated changed (grades, stages, ages), not the age range.")),
    ChangeKind("measure-name", "measure", "changed", MINOR, N_("A measure's name changed.")),
    ChangeKind("measure-description", "measure", "changed", MINOR, N_("A measure's description changed.")),
    ChangeKind("measure-group", "measure", "changed", MINOR, N_("A measure's group changed.")),
    ChangeKind("measure-contacts", "measure", "changed", MINOR, N_("A measure's contacts or staffing changed.")),
    ChangeKind("measure-derived", "measure", "changed", MINOR,
               N_("Which of a measure's values are derived (inferred, not stated) changed.")),
    ChangeKind("measure-notes", "measure", "changed", MINOR,
               N_("A measure's source reference, responsible text or encoder's note changed.")),
    ChangeKind("unit-added", "unit", "added", MINOR, N_("A unit is declared.")),
    ChangeKind("unit-removed", "unit", "removed", MINOR, N_("A unit is no longer declared.")),
    ChangeKind("unit-renamed", "unit", "renamed", MINOR, N_("A unit has a new name or a new id.")),
    ChangeKind("unit-changed", "unit", "changed", MINOR,
               N_("A unit's other names, service, place in the organisation, description, marks or encoder's note "
                  "changed.")),
    ChangeKind("goal-added", "goal", "added", MAJOR, N_("A goal is new.")),
    ChangeKind("goal-removed", "goal", "removed", MAJOR, N_("A goal is gone.")),
    ChangeKind("goal-changed", "goal", "changed", MINOR,
               N_("A goal's wording, sub-goals, strategies, passages or source reference changed.")),
    ChangeKind("arena-added", "arena", "added", MAJOR, N_("A collaboration arena or team is new.")),
    ChangeKind("arena-removed", "arena", "removed", MAJOR, N_("A collaboration arena or team is gone.")),
    ChangeKind("arena-status", "arena", "changed", MAJOR,
               N_("An arena went from planned to established, or back.")),
    ChangeKind("arena-changed", "arena", "changed", MINOR,
               N_("An arena's members, meetings, units, wording or source reference changed.")),
    ChangeKind("coordinator-added", "coordinator", "added", MINOR, N_("A coordinator role is new.")),
    ChangeKind("coordinator-removed", "coordinator", "removed", MINOR, N_("A coordinator role is gone.")),
    ChangeKind("coordinator-changed", "coordinator", "changed", MINOR,
               N_("A coordinator role changed: its name, role, unit, status or source reference.")),
    ChangeKind("adoption", "plan", "changed", MAJOR,
               N_("The adoption changed: who adopted the plan, the date, the case number or the plan's words for "
                  "it.")),
    ChangeKind("period", "plan", "changed", MAJOR, N_("The plan period changed.")),
    ChangeKind("escalation", "plan", "changed", MINOR,
               N_("How unclear responsibility is escalated, or to whom, changed.")),
    ChangeKind("definitions", "plan", "changed", MINOR, N_("A definition was added, removed or reworded.")),
    ChangeKind("plan-text", "plan", "changed", MINOR,
               N_("Other text of the plan changed: the municipality's name, motto or partners, title, purpose, "
                  "related plans, source document, level names, headings and descriptions, principles, organisation, "
                  "knowledge base, work models, follow-up, sources.")),
    ChangeKind("validation", "plan", "changed", MINOR,
               N_("The completeness rules the plan switches off for itself, or the reasons it gives, changed.")),
)
KINDS: dict[str, ChangeKind] = {k.id: k for k in KINDS_LIST}


@dataclass(frozen=True)
class Change:
    """One change. `old`/`new` are plain values (JSON-able): ids, texts, numbers,
    lists, records, or {"min", "max", "prenatal"} for ages; None on the side
    where a value or an item of a list is missing. `id` and `name` are the
    measure's (unit's, goal's, arena's, coordinator's) id and name, None for
    the plan's own fields; for a renamed item `old` and `new` are its old and
    new ids. `field` is the key of the value that changed, dotted below the
    top (`source.line`, `sub_goals.strategies`, `levels.universal.label`);
    `part` names the item of a list the field belongs to (a sub-goal, a
    passage, a contact), as the plan titles it."""

    kind: str  # a KINDS id
    id: str | None = None
    name: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    part: str | None = None

    @property
    def spec(self) -> ChangeKind:
        return KINDS[self.kind]

    @property
    def severity(self) -> str:
        return self.spec.severity


@dataclass(frozen=True)
class PlanDiff:
    """The changes between two versions of one plan, and both versions (the
    renderers need them for labels and names). A side is None when the file
    is new or gone."""

    old_name: str
    new_name: str
    old: Plan | None
    new: Plan | None
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def major(self) -> int:
        return sum(1 for c in self.changes if c.severity == MAJOR)

    @property
    def minor(self) -> int:
        return len(self.changes) - self.major


def compare(old: Plan | None, new: Plan | None, old_name: str, new_name: str) -> PlanDiff:
    """The PlanDiff of two versions; a missing side makes the plan added or removed."""
    if old is not None and new is not None:
        changes = diff_plans(old, new)
    elif new is not None:
        changes = [Change("plan-added", new.stem, new.municipality)]
    elif old is not None:
        changes = [Change("plan-removed", old.stem, old.municipality)]
    else:
        changes = []
    return PlanDiff(old_name, new_name, old, new, changes)


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """Every change from `old` to `new`, in reading order: measures first (added,
    removed, renamed, changed), then units, goals, arenas, coordinators and the
    rest of the plan. Pure: no I/O."""
    unit_ids = _unit_id_map(old, new)
    return [
        *_measures(old, new, unit_ids),
        *_units(old, new, unit_ids),
        *_by_id(old.goals, new.goals, "goal", _goal_value, lambda g: g.title, unit_ids),
        *_arenas(old, new, unit_ids),
        *_by_id(old.coordinators, new.coordinators, "coordinator", _coordinator_value, lambda c: c.name, unit_ids),
        *_plan_fields(old, new, unit_ids),
    ]


# ---------------------------------------------------------------------------
# matching

#: How alike (in per cent of their words) a removed and an added measure's name and
#: description must both be for the measure to be taken as renamed (a new id).
RENAME_SIMILARITY = 90


def _renames(removed: Sequence[Any], added: Sequence[Any], texts: Callable[[Any], tuple[str, ...]],
             percent: int) -> list[tuple[Any, Any]]:
    """Pairs (old, new) of removed and added items that are the same thing under
    a new id: first those whose texts are the same word for word, then the most
    alike (every text at least `percent` per cent alike), each item used once;
    in the order of the added items."""
    waiting: dict[tuple[str, ...], list[int]] = {}
    for j, item in enumerate(added):
        waiting.setdefault(tuple(map(fold, texts(item))), []).append(j)
    pairs: dict[int, int] = {}
    rest: list[int] = []
    for i, item in enumerate(removed):
        same = waiting.get(tuple(map(fold, texts(item))))
        if same:
            pairs[same.pop(0)] = i
        else:
            rest.append(i)
    candidates = [j for j in range(len(added)) if j not in pairs]
    new_words = {j: [words(t) for t in texts(added[j])] for j in candidates}
    scored = []
    for i in rest:
        old_words = [words(t) for t in texts(removed[i])]
        for j in candidates:
            score = _alike_all(old_words, new_words[j], percent)
            if score is not None:
                scored.append((-score, i, j))
    used: set[int] = set()
    for _score, i, j in sorted(scored):
        if i not in used and j not in pairs:
            used.add(i)
            pairs[j] = i
    return [(removed[pairs[j]], added[j]) for j in sorted(pairs)]


def _alike_all(before: list[list[str]], after: list[list[str]], percent: int) -> float | None:
    """The least likeness of the texts side by side, None when one is below `percent`."""
    scores = []
    for a, b in zip(before, after):
        score = likeness(a, b, percent)
        if score is None:
            return None
        scores.append(score)
    return min(scores)


def _unit_id_map(old: Plan, new: Plan) -> dict[str, str]:
    """Old unit id -> new unit id, for units kept under the same id or renamed
    (a new id with the same name)."""
    new_ids = {u.id for u in new.units}
    old_ids = {u.id for u in old.units}
    mapping = {u.id: u.id for u in old.units if u.id in new_ids}
    removed = [u for u in old.units if u.id not in new_ids]
    added = [u for u in new.units if u.id not in old_ids]
    for before, after in _renames(removed, added, lambda u: (u.name,), 100):
        mapping[before.id] = after.id
    return mapping


# ---------------------------------------------------------------------------
# comparing values field by field, and lists item by item

#: Lists compared whole (their items are keys, or a pair); every other list is compared item by item: an item
#: added, removed or reworded is a change of its own.
_WHOLE = frozenset({"audience", "derived", "plan.period"})

#: How many of the next unmatched items of a list a reworded item is looked for among.
_LOOKAHEAD = 8


_TITLE_KEYS = ("title", "name", "role", "domain", "term", "rule", "text", "email", "phone", "url")


def record_title(record: dict[str, Any]) -> str:
    """What a record of a list (a sub-goal, a passage, a contact, a source) is
    called in the plan: its title, name, term or text; a sub-goal with its number."""
    key = next(key for key in _TITLE_KEYS if record.get(key))  # every record of the schema has one of them
    number = record.get("number")
    return f"{number}. {record[key]}" if number is not None else str(record[key])


def _compare(kind: str, item_id: str | None, name: str | None, before: dict[str, Any], after: dict[str, Any],
             part: str | None = None, prefix: str = "") -> Iterator[Change]:
    """A change for each field of two flat records that differs; a list (but those in _WHOLE) item by item."""
    for key, new in after.items():
        old = before.get(key)
        if old == new:
            continue
        if isinstance(new, list) and key not in _WHOLE:
            yield from _items(kind, item_id, name, prefix + key, old or [], new or [], part)
        else:
            yield Change(kind, item_id, name, prefix + key, old, new, part)


def _items(kind: str, item_id: str | None, name: str | None, field_name: str, before: list[Any],
           after: list[Any], part: str | None) -> Iterator[Change]:
    """A change for each item of a list added, removed or changed (a record field by
    field); one change with both lists when only the order changed."""
    pairs = list(_align(before, after))
    if not pairs:
        yield Change(kind, item_id, name, field_name, list(before), list(after), part)
    for old, new in pairs:
        if isinstance(old, dict) and isinstance(new, dict):
            inner = record_title(new)
            yield from _compare(kind, item_id, name, old, new, f"{part} › {inner}" if part else inner,
                                field_name + ".")
        else:
            yield Change(kind, item_id, name, field_name, old, new, part)


def _align(before: list[Any], after: list[Any]) -> Iterator[tuple[Any, Any]]:
    """(old, new) for the items of two lists that differ: equal items are paired
    first and left out; of the rest, in order, an old item is paired with one of
    the next new items when their words are alike (at least half), and what is
    left over is removed (old, None) or added (None, new). Nothing, when the
    lists hold the same items in another order."""
    unmatched: dict[str, list[int]] = {}
    for j, item in enumerate(after):
        unmatched.setdefault(repr(item), []).append(j)
    old_rest = []
    for item in before:
        same = unmatched.get(repr(item))
        if same:
            same.pop(0)
        else:
            old_rest.append(item)
    new_rest = [after[j] for j in sorted(j for left in unmatched.values() for j in left)]
    start = 0
    for old in old_rest:
        ahead = range(start, min(start + _LOOKAHEAD, len(new_rest)))
        match = next((j for j in ahead if likeness(words(_text(old)), words(_text(new_rest[j])), 50) is not None),
                     None)
        if match is None:
            yield old, None
            continue
        for added in new_rest[start:match]:
            yield None, added
        yield old, new_rest[match]
        start = match + 1
    for added in new_rest[start:]:
        yield None, added


def _text(item: Any) -> str:
    """An item's words, to tell whether an old and a new item are alike."""
    if isinstance(item, dict):
        return " ".join(str(v) for v in item.values() if isinstance(v, (str, int)))
    return str(item)


def _by_id(old_items: Sequence[Any], new_items: Sequence[Any], subject: str, value: Callable[..., dict[str, Any]],
           title: Callable[[Any], str], unit_ids: dict[str, str]) -> Iterator[Change]:
    """Added, removed and changed items of a list matched by id (goals, coordinators)."""
    new_by_id = {item.id: item for item in new_items}
    old_ids = {item.id for item in old_items}
    yield from (Change(f"{subject}-added", item.id, title(item)) for item in new_items if item.id not in old_ids)
    yield from (Change(f"{subject}-removed", item.id, title(item)) for item in old_items if item.id not in new_by_id)
    for item in old_items:
        if item.id in new_by_id:
            after = new_by_id[item.id]
            yield from _compare(f"{subject}-changed", after.id, title(after), value(item, unit_ids), value(after, {}))


def _source(item: Any) -> dict[str, Any]:
    return {"source.section": item.source_section, "source.line": item.source_line}


def _passage(passage: Any) -> dict[str, Any]:
    return {"title": passage.title, "text": passage.text, **_source(passage)}


def _followed(unit_ids: dict[str, str], ids: Sequence[str]) -> list[str]:
    """Unit ids of the old plan as the new plan calls them (a unit's new id is no change of what names it);
    the new plan's own with an empty map."""
    return [unit_ids.get(u, u) for u in ids]


# ---------------------------------------------------------------------------
# measures


def _measures(old: Plan, new: Plan, unit_ids: dict[str, str]) -> Iterator[Change]:
    old_by_id = {m.id: m for m in old.measures}
    new_by_id = {m.id: m for m in new.measures}
    removed = [m for m in old.measures if m.id not in new_by_id]
    added = [m for m in new.measures if m.id not in old_by_id]
    renamed = _renames(removed, added, lambda m: (m.name, m.description), RENAME_SIMILARITY)
    renamed_old = {o.id for o, _n in renamed}
    renamed_new = {n.id for _o, n in renamed}
    yield from (Change("measure-added", m.id, m.name, new=m.level) for m in added if m.id not in renamed_new)
    yield from (Change("measure-removed", m.id, m.name, old=m.level) for m in removed if m.id not in renamed_old)
    yield from (Change("measure-renamed", after.id, after.name, "id", before.id, after.id) for before, after in renamed)
    for before, after in [(old_by_id[m.id], m) for m in new.measures if m.id in old_by_id] + renamed:
        if before != after:  # most measures of two versions are the same: compared field by field only when not
            yield from _measure_fields(before, after, unit_ids)


def measure_by_id(plan: Plan, measure_id: str | None) -> Measure:
    """The measure with this id in `plan` (a change names a measure of the side it is about)."""
    return next(m for m in plan.measures if m.id == measure_id)


def age_value(measure: Measure) -> dict[str, Any]:
    span = measure.target.span
    return {"min": span.low, "max": span.high, "prenatal": span.prenatal}


def _age_basis(measure: Measure) -> dict[str, Any]:
    target = measure.target
    return {"ages": list(target.ages) if target.ages else None, "until": target.ages_until,
            "grades": list(target.grades) if target.grades else None, "stages": list(target.stages)}


def _measure_fields(old: Measure, new: Measure, unit_ids: dict[str, str]) -> Iterator[Change]:
    yield from _compare("measure-name", new.id, new.name, {"name": old.name}, {"name": new.name})
    yield from _compare("measure-level", new.id, new.name, {"level": old.level}, {"level": new.level})
    if _followed(unit_ids, old.responsible) != list(new.responsible):
        yield Change("measure-responsible", new.id, new.name, "responsible", list(old.responsible),
                     list(new.responsible))
    if age_value(old) != age_value(new):
        yield Change("measure-ages", new.id, new.name, "ages", age_value(old), age_value(new))
    elif _age_basis(old) != _age_basis(new):
        yield Change("measure-age-basis", new.id, new.name, "age_basis", _age_basis(old), _age_basis(new))
    fields = (
        ("measure-target", "target", lambda m: m.target.text),
        ("measure-audience", "audience", lambda m: list(m.target.audience)),
        ("measure-requires-decision", "requires_decision", lambda m: m.requires_decision),
        ("measure-group", "group", lambda m: m.group),
        ("measure-description", "description", lambda m: m.description),
        ("measure-contacts", "contacts", lambda m: [{k: getattr(c, k) for k in _CONTACT} for c in m.contacts]),
        ("measure-contacts", "staffing", lambda m: m.staffing),
        ("measure-derived", "derived", lambda m: sorted(m.derived)),
        ("measure-notes", "source.section", lambda m: m.source_section),
        ("measure-notes", "source.line", lambda m: m.source_line),
        ("measure-notes", "responsible_text", lambda m: m.responsible_text),
        ("measure-notes", "encoder_note", lambda m: m.encoder_note),
    )
    for kind, key, value in fields:
        yield from _compare(kind, new.id, new.name, {key: value(old)}, {key: value(new)})


_CONTACT = ("name", "role", "email", "phone", "url", "text")


# ---------------------------------------------------------------------------
# units, arenas, goals, coordinators


def _unit_value(unit: Unit, unit_ids: dict[str, str]) -> dict[str, Any]:
    return {"aliases": list(unit.aliases), "service": unit.service, "part_of": unit_ids.get(unit.part_of, unit.part_of),
            "external": unit.external, "description": unit.description, "derived": sorted(unit.derived),
            "encoder_note": unit.encoder_note}


def _units(old: Plan, new: Plan, unit_ids: dict[str, str]) -> Iterator[Change]:
    new_by_id = {u.id: u for u in new.units}
    kept_new = set(unit_ids.values())
    yield from (Change("unit-added", u.id, u.name) for u in new.units if u.id not in kept_new)
    yield from (Change("unit-removed", u.id, u.name) for u in old.units if u.id not in unit_ids)
    for unit in old.units:
        if unit.id in unit_ids:
            after = new_by_id[unit_ids[unit.id]]
            yield from _compare("unit-renamed", after.id, after.name, {"id": unit.id, "name": unit.name},
                                {"id": after.id, "name": after.name})
            yield from _compare("unit-changed", after.id, after.name, _unit_value(unit, unit_ids),
                                _unit_value(after, {}))


def _goal_value(goal: Any, _unit_ids: dict[str, str]) -> dict[str, Any]:
    return {
        "title": goal.title,
        "description": goal.description,
        "sub_goals": [{"number": s.number, "title": s.title, "strategies": list(s.strategies)} for s in goal.sub_goals],
        "strategies": list(goal.strategies),
        "passages": [_passage(p) for p in goal.passages],
        **_source(goal),
    }


def _arena_value(arena: Any, unit_ids: dict[str, str]) -> dict[str, Any]:
    return {"name": arena.name, "kind": arena.kind, "purpose": arena.purpose, "target_group": arena.target_group,
            "members": list(arena.members), "members_as_needed": list(arena.members_as_needed),
            "units": _followed(unit_ids, arena.units), "led_by": arena.led_by, "reports_to": arena.reports_to,
            "meets": arena.meets, "meets_per_year": arena.meets_per_year, "tasks": arena.tasks,
            "description": arena.description, **_source(arena)}


def _arenas(old: Plan, new: Plan, unit_ids: dict[str, str]) -> Iterator[Change]:
    new_by_id = {a.id: a for a in new.arenas}
    old_ids = {a.id for a in old.arenas}
    yield from (Change("arena-added", a.id, a.name, new=a.status) for a in new.arenas if a.id not in old_ids)
    yield from (Change("arena-removed", a.id, a.name, old=a.status) for a in old.arenas if a.id not in new_by_id)
    for arena in old.arenas:
        if arena.id in new_by_id:
            after = new_by_id[arena.id]
            yield from _compare("arena-status", after.id, after.name, {"status": arena.status},
                                {"status": after.status})
            yield from _compare("arena-changed", after.id, after.name, _arena_value(arena, unit_ids),
                                _arena_value(after, {}))


def _coordinator_value(coordinator: Any, unit_ids: dict[str, str]) -> dict[str, Any]:
    return {"name": coordinator.name, "role": coordinator.role, "appointed_by": coordinator.appointed_by,
            "unit": unit_ids.get(coordinator.unit, coordinator.unit),
            "status": coordinator.status, **_source(coordinator)}


# ---------------------------------------------------------------------------
# the rest of the plan

#: The kind of a change of the plan's own fields, by the field's first keys; plan-text otherwise.
_PLAN_KINDS = (("plan.adopted", "adoption"), ("plan.period", "period"), ("escalation", "escalation"),
               ("definitions", "definitions"), ("validation", "validation"))


def _plan_value(plan: Plan, unit_ids: dict[str, str]) -> dict[str, Any]:
    adopted = plan.adopted
    value: dict[str, Any] = {
        "municipality.name": plan.municipality,
        "municipality.motto": plan.motto,
        "municipality.partners": list(plan.partners),
        "plan.title": plan.title,
        "plan.subtitle": plan.subtitle,
        "plan.adopted.by": adopted.by if adopted else None,
        "plan.adopted.date": adopted.date if adopted else None,
        "plan.adopted.case_number": adopted.case_number if adopted else None,
        "plan.adopted.text": adopted.text if adopted else None,
        "plan.period": list(plan.period) if plan.period else None,
        "plan.legal_basis": list(plan.legal_basis),
        "plan.purpose": list(plan.purpose),
        "plan.related_plans": list(plan.related_plans),
        "plan.follow_up": plan.follow_up,
        "plan.source.file": plan.source_file,
        "plan.source.document": plan.source_document,
        "plan.source.url": plan.source_url,
    }
    for level in LEVELS:
        value[f"levels.{level}.label"] = plan.level_labels.get(level)
        value[f"levels.{level}.heading"] = plan.level_headings.get(level)
        value[f"levels.{level}.description"] = plan.level_descriptions.get(level)
    value["definitions"] = [{"term": d.term, "text": d.text, **_source(d)} for d in plan.definitions]
    value["principles"] = [_passage(p) for p in plan.principles]
    value["knowledge_base.risk_and_protective_factors"] = [
        {"domain": f.domain, "protective": list(f.protective), "risk": list(f.risk)}
        for f in plan.risk_and_protective_factors]
    for section, text, listed in (("knowledge_base", plan.knowledge, {}),
                                  ("organisation", plan.organisation,
                                   {"organisation.relevant_services": list(plan.relevant_services)})):
        value[f"{section}.text"] = text
        value.update(listed)  # in the order the plan file has them: the changes come in reading order
        value[f"{section}.source.section"], value[f"{section}.source.line"] = \
            plan.section_sources.get(section, (None, None))
    value["escalation.to"] = plan.escalation_to
    value["escalation.text"] = plan.escalation
    value["escalation.source.section"], value["escalation.source.line"] = \
        plan.section_sources.get("escalation", (None, None))
    value["models"] = [{"id": m.id, "name": m.name, "description": m.description,
                        "components": [{"name": n, "description": d} for n, d in m.components],
                        "units": _followed(unit_ids, m.units), **_source(m)} for m in plan.models]
    value["sources"] = [{"title": s.title, "url": s.url} for s in plan.sources]
    value["validation.ignore"] = [{"rule": rule, "reason": reason} for rule, reason in plan.ignored_rules.items()]
    return value


def _plan_fields(old: Plan, new: Plan, unit_ids: dict[str, str]) -> Iterator[Change]:
    for change in _compare("plan-text", None, None, _plan_value(old, unit_ids), _plan_value(new, {})):
        kind = next((k for prefix, k in _PLAN_KINDS if change.field.startswith(prefix)), None)
        yield replace(change, kind=kind) if kind else change
