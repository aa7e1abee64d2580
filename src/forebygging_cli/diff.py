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

import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .i18n import N_
from .model import Arena, Goal, Measure, Plan, Unit
from .vocab import fold

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
               N_("A unit's other names, service, place in the organisation or marks changed.")),
    ChangeKind("goal-added", "goal", "added", MAJOR, N_("A goal is new.")),
    ChangeKind("goal-removed", "goal", "removed", MAJOR, N_("A goal is gone.")),
    ChangeKind("goal-changed", "goal", "changed", MINOR,
               N_("A goal's wording, sub-goals, strategies or passages changed.")),
    ChangeKind("arena-added", "arena", "added", MAJOR, N_("A collaboration arena or team is new.")),
    ChangeKind("arena-removed", "arena", "removed", MAJOR, N_("A collaboration arena or team is gone.")),
    ChangeKind("arena-status", "arena", "changed", MAJOR,
               N_("An arena went from planned to established, or back.")),
    ChangeKind("arena-changed", "arena", "changed", MINOR,
               N_("An arena's members, meetings, units or wording changed.")),
    ChangeKind("coordinator-added", "coordinator", "added", MINOR, N_("A coordinator role is new.")),
    ChangeKind("coordinator-removed", "coordinator", "removed", MINOR, N_("A coordinator role is gone.")),
    ChangeKind("coordinator-changed", "coordinator", "changed", MINOR, N_("A coordinator role changed.")),
    ChangeKind("adoption", "plan", "changed", MAJOR,
               N_("The adoption changed: who adopted the plan, the date or the case number.")),
    ChangeKind("period", "plan", "changed", MAJOR, N_("The plan period changed.")),
    ChangeKind("escalation", "plan", "changed", MINOR, N_("How unclear responsibility is escalated changed.")),
    ChangeKind("definitions", "plan", "changed", MINOR, N_("A definition was added, removed or reworded.")),
    ChangeKind("plan-text", "plan", "changed", MINOR,
               N_("Other text of the plan changed: title, purpose, principles, organisation, knowledge base, "
                  "follow-up, sources, level names.")),
)
KINDS: dict[str, ChangeKind] = {k.id: k for k in KINDS_LIST}


@dataclass(frozen=True)
class Change:
    """One change. `old`/`new` are plain values (JSON-able): ids, keys, texts,
    lists, or {"min", "max", "prenatal"} for ages. `id` is the measure's (or
    unit's, goal's, arena's) id; for a renamed item `old` and `new` are its
    old and new ids."""

    kind: str  # a KINDS id
    id: str | None = None
    name: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None

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
    if old is None and new is not None:
        changes = [Change("plan-added", new.stem, new.municipality)]
    elif new is None and old is not None:
        changes = [Change("plan-removed", old.stem, old.municipality)]
    elif old is not None and new is not None:
        changes = diff_plans(old, new)
    else:
        changes = []
    return PlanDiff(old_name, new_name, old, new, changes)


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """Every change from `old` to `new`, in reading order: measures first (added,
    removed, renamed, changed), then units, goals, arenas, coordinators and the
    rest of the plan. Pure: no I/O."""
    unit_ids = _unit_id_map(old, new)
    changes: list[Change] = []
    changes += _measures(old, new, unit_ids)
    changes += _units(old, new, unit_ids)
    changes += _goals(old, new)
    changes += _arenas(old, new, unit_ids)
    changes += _coordinators(old, new)
    changes += _plan_fields(old, new)
    return changes


# ---------------------------------------------------------------------------
# matching


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1, by their folded words."""
    return difflib.SequenceMatcher(None, fold(a).split(), fold(b).split(), autojunk=False).ratio()


def _renames(removed: Sequence[Any], added: Sequence[Any], alike: Callable[[Any, Any], float],
             threshold: float) -> list[tuple[Any, Any]]:
    """Pairs (old, new) of removed and added items that are the same thing under
    a new id: most alike first, each used once."""
    scored = sorted(((alike(o, n), i, j) for i, o in enumerate(removed) for j, n in enumerate(added)),
                    key=lambda s: (-s[0], s[1], s[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score < threshold:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((removed[i], added[j]))
    return pairs


def _measure_likeness(a: Measure, b: Measure) -> float:
    return min(similarity(a.name, b.name), similarity(a.description, b.description))


def _unit_id_map(old: Plan, new: Plan) -> dict[str, str]:
    """Old unit id -> new unit id, for units kept under the same id or renamed
    (a new id with the same name)."""
    new_ids = {u.id for u in new.units}
    mapping = {u.id: u.id for u in old.units if u.id in new_ids}
    removed = [u for u in old.units if u.id not in new_ids]
    added = [u for u in new.units if u.id not in {o.id for o in old.units}]
    for before, after in _renames(removed, added, lambda a, b: similarity(a.name, b.name), 0.99):
        mapping[before.id] = after.id
    return mapping


# ---------------------------------------------------------------------------
# measures


def _measures(old: Plan, new: Plan, unit_ids: dict[str, str]) -> list[Change]:
    old_by_id = {m.id: m for m in old.measures}
    new_by_id = {m.id: m for m in new.measures}
    removed = [m for m in old.measures if m.id not in new_by_id]
    added = [m for m in new.measures if m.id not in old_by_id]
    renamed = _renames(removed, added, _measure_likeness, 0.9)
    renamed_old = {o.id for o, _n in renamed}
    renamed_new = {n.id for _o, n in renamed}
    changes = [Change("measure-added", m.id, m.name, new=m.level) for m in added if m.id not in renamed_new]
    changes += [Change("measure-removed", m.id, m.name, old=m.level) for m in removed if m.id not in renamed_old]
    pairs = [(old_by_id[m.id], m) for m in new.measures if m.id in old_by_id]
    for before, after in renamed:
        changes.append(Change("measure-renamed", after.id, after.name, "id", before.id, after.id))
        pairs.append((before, after))
    for before, after in pairs:
        changes += list(_measure_fields(before, after, unit_ids))
    return changes


def age_value(measure: Measure) -> dict[str, Any]:
    span = measure.target.span
    return {"min": span.low, "max": span.high, "prenatal": span.prenatal}


def _age_basis(measure: Measure) -> dict[str, Any]:
    target = measure.target
    return {"ages": list(target.ages) if target.ages else None, "until": target.ages_until,
            "grades": list(target.grades) if target.grades else None, "stages": list(target.stages)}


def _contacts(measure: Measure) -> dict[str, Any]:
    return {"contacts": [{k: v for k, v in asdict(c).items() if v is not None} for c in measure.contacts],
            "staffing": measure.staffing}


def _notes(measure: Measure) -> dict[str, Any]:
    return {"source": {"section": measure.source_section, "line": measure.source_line},
            "responsible_text": measure.responsible_text, "encoder_note": measure.encoder_note}


def _measure_fields(old: Measure, new: Measure, unit_ids: dict[str, str]) -> Iterator[Change]:
    def change(kind: str, field_name: str, before: Any, after: Any) -> Iterator[Change]:
        if before != after:
            yield Change(kind, new.id, new.name, field_name, before, after)

    yield from change("measure-name", "name", old.name, new.name)
    yield from change("measure-level", "level", old.level, new.level)
    followed = [unit_ids.get(u, u) for u in old.responsible]  # a unit's new id is not a change of the measure
    if followed != list(new.responsible):
        yield Change("measure-responsible", new.id, new.name, "responsible", list(old.responsible),
                     list(new.responsible))
    yield from change("measure-ages", "ages", age_value(old), age_value(new))
    if age_value(old) == age_value(new):
        yield from change("measure-age-basis", "age_basis", _age_basis(old), _age_basis(new))
    yield from change("measure-target", "target", old.target.text, new.target.text)
    yield from change("measure-audience", "audience", list(old.target.audience), list(new.target.audience))
    yield from change("measure-requires-decision", "requires_decision", old.requires_decision, new.requires_decision)
    yield from change("measure-group", "group", old.group, new.group)
    yield from change("measure-description", "description", old.description, new.description)
    yield from change("measure-contacts", "contacts", _contacts(old), _contacts(new))
    yield from change("measure-derived", "derived", sorted(old.derived), sorted(new.derived))
    yield from change("measure-notes", "notes", _notes(old), _notes(new))


# ---------------------------------------------------------------------------
# units, goals, arenas, coordinators


def _unit_value(unit: Unit) -> dict[str, Any]:
    return {"aliases": list(unit.aliases), "service": unit.service, "part_of": unit.part_of,
            "external": unit.external, "description": unit.description, "derived": sorted(unit.derived)}


def _units(old: Plan, new: Plan, unit_ids: dict[str, str]) -> list[Change]:
    new_by_id = {u.id: u for u in new.units}
    kept_new = set(unit_ids.values())
    changes = [Change("unit-added", u.id, u.name) for u in new.units if u.id not in kept_new]
    changes += [Change("unit-removed", u.id, u.name) for u in old.units if u.id not in unit_ids]
    for unit in old.units:
        if unit.id not in unit_ids:
            continue
        after = new_by_id[unit_ids[unit.id]]
        if unit.id != after.id:
            changes.append(Change("unit-renamed", after.id, after.name, "id", unit.id, after.id))
        if unit.name != after.name:
            changes.append(Change("unit-renamed", after.id, after.name, "name", unit.name, after.name))
        before_value = _unit_value(unit)
        if before_value["part_of"]:
            before_value["part_of"] = unit_ids.get(before_value["part_of"], before_value["part_of"])
        if before_value != _unit_value(after):
            changes.append(Change("unit-changed", after.id, after.name, "unit", before_value, _unit_value(after)))
    return changes


def _goal_value(goal: Goal) -> dict[str, Any]:
    return {
        "title": goal.title,
        "description": goal.description,
        "sub_goals": [{"number": s.number, "title": s.title, "strategies": list(s.strategies)} for s in goal.sub_goals],
        "strategies": list(goal.strategies),
        "passages": [p.text for p in goal.passages],
    }


def _goals(old: Plan, new: Plan) -> list[Change]:
    return _by_id(old.goals, new.goals, "goal", _goal_value, title=lambda g: g.title)


def _arena_value(arena: Arena, unit_ids: dict[str, str] | None = None) -> dict[str, Any]:
    units = [unit_ids.get(u, u) for u in arena.units] if unit_ids else list(arena.units)
    return {"name": arena.name, "kind": arena.kind, "purpose": arena.purpose, "target_group": arena.target_group,
            "members": list(arena.members), "members_as_needed": list(arena.members_as_needed), "units": units,
            "led_by": arena.led_by, "reports_to": arena.reports_to, "meets": arena.meets,
            "meets_per_year": arena.meets_per_year, "tasks": arena.tasks, "description": arena.description}


def _arenas(old: Plan, new: Plan, unit_ids: dict[str, str]) -> list[Change]:
    new_by_id = {a.id: a for a in new.arenas}
    old_ids = {a.id for a in old.arenas}
    changes = [Change("arena-added", a.id, a.name, new=a.status) for a in new.arenas if a.id not in old_ids]
    changes += [Change("arena-removed", a.id, a.name, old=a.status) for a in old.arenas if a.id not in new_by_id]
    for arena in old.arenas:
        after = new_by_id.get(arena.id)
        if after is None:
            continue
        if arena.status != after.status:
            changes.append(Change("arena-status", after.id, after.name, "status", arena.status, after.status))
        before_value, after_value = _arena_value(arena, unit_ids), _arena_value(after)
        if before_value != after_value:
            changes.append(Change("arena-changed", after.id, after.name, "arena", before_value, after_value))
    return changes


def _coordinators(old: Plan, new: Plan) -> list[Change]:
    return _by_id(old.coordinators, new.coordinators, "coordinator",
                  lambda c: {"name": c.name, "role": c.role, "appointed_by": c.appointed_by, "unit": c.unit,
                             "status": c.status}, title=lambda c: c.name)


def _by_id(old_items: Sequence[Any], new_items: Sequence[Any], subject: str, value: Callable[[Any], Any],
           title: Callable[[Any], str]) -> list[Change]:
    new_by_id = {item.id: item for item in new_items}
    old_ids = {item.id for item in old_items}
    changes = [Change(f"{subject}-added", item.id, title(item)) for item in new_items if item.id not in old_ids]
    changes += [Change(f"{subject}-removed", item.id, title(item)) for item in old_items if item.id not in new_by_id]
    for item in old_items:
        after = new_by_id.get(item.id)
        if after is not None and value(item) != value(after):
            changes.append(Change(f"{subject}-changed", after.id, title(after), subject, value(item), value(after)))
    return changes


# ---------------------------------------------------------------------------
# the rest of the plan


def _adoption(plan: Plan) -> dict[str, Any] | None:
    adopted = plan.adopted
    if adopted is None:
        return None
    return {"by": adopted.by, "date": adopted.date, "case_number": adopted.case_number, "text": adopted.text}


def _plan_fields(old: Plan, new: Plan) -> list[Change]:
    changes = []
    if _adoption(old) != _adoption(new):
        changes.append(Change("adoption", field="adopted", old=_adoption(old), new=_adoption(new)))
    if old.period != new.period:
        changes.append(Change("period", field="period", old=list(old.period) if old.period else None,
                              new=list(new.period) if new.period else None))
    if old.escalation != new.escalation:
        changes.append(Change("escalation", field="escalation", old=old.escalation, new=new.escalation))
    old_terms = {d.term: d.text for d in old.definitions}
    new_terms = {d.term: d.text for d in new.definitions}
    for term in [*old_terms, *(t for t in new_terms if t not in old_terms)]:
        if old_terms.get(term) != new_terms.get(term):
            changes.append(Change("definitions", term, term, "definition", old_terms.get(term), new_terms.get(term)))
    texts = {
        "title": (old.title, new.title),
        "subtitle": (old.subtitle, new.subtitle),
        "municipality": (old.municipality, new.municipality),
        "purpose": (list(old.purpose), list(new.purpose)),
        "legal_basis": (list(old.legal_basis), list(new.legal_basis)),
        "principles": ([p.text for p in old.principles], [p.text for p in new.principles]),
        "organisation": (old.organisation, new.organisation),
        "relevant_services": (list(old.relevant_services), list(new.relevant_services)),
        "knowledge_base": (_factors(old), _factors(new)),
        "follow_up": (old.follow_up, new.follow_up),
        "sources": ([s.title for s in old.sources], [s.title for s in new.sources]),
        "levels": (dict(old.level_labels), dict(new.level_labels)),
        "models": ([(m.id, m.name, m.description) for m in old.models], [(m.id, m.name, m.description)
                                                                          for m in new.models]),
    }
    for name, (before, after) in texts.items():
        if before != after:
            changes.append(Change("plan-text", field=name, old=_jsonable(before), new=_jsonable(after)))
    return changes


def _factors(plan: Plan) -> list[Any]:
    return [[f.domain, list(f.protective), list(f.risk)] for f in plan.risk_and_protective_factors] + \
        [plan.knowledge]


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts: [("=", "same words"), ("-", "removed"), ("+", "added"), ...]."""
    a, b = (old or "").split(), (new or "").split()
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("+", " ".join(b[j1:j2])))
    return parts


def condensed(parts: list[tuple[str, str]], context: int = 4) -> list[tuple[str, str]]:
    """Word changes with long unchanged stretches cut to `context` words either side ("…")."""
    out = []
    for index, (op, text) in enumerate(parts):
        if op != "=":
            out.append((op, text))
            continue
        words = text.split()
        first, last = index == 0, index == len(parts) - 1
        keep_head = [] if first else words[:context]
        keep_tail = [] if last else words[-context:]
        if len(words) <= 2 * context and not (first or last):
            out.append(("=", text))
            continue
        piece = " ".join(keep_head)
        if len(keep_head) + len(keep_tail) < len(words):
            piece = (piece + " …" if piece else "…") + (" " + " ".join(keep_tail) if keep_tail else "")
        else:
            piece = " ".join(words)
        out.append(("=", piece.strip()))
    return out
