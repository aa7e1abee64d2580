"""Plans -> the rows of every table of the export (schema.py). Pure: no I/O.

A measure's columns start from the record `query --format json` gives
(render/records.py), so the computed ages, the age rule, the level label and
the marks are the ones `query` computes: the export never re-implements an
age rule. The age bands come from `ages.BANDS` and a measure's bands from
`coverage.age_cells`, the one place that puts a measure in a band; the ages a
measure is listed under (measure_ages) pass `AgeSpan.overlaps`, the test
`query --age` makes. Labels (the
level label, the age rule) are in the run's language, as in query's JSON;
`export_info` says which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from ..ages import BANDS, AgeSpan
from ..coverage import ALL_LEVELS, NO_AGE, age_cells
from ..i18n import _, current
from ..model import Plan
from ..query import Match, plan_label
from ..render.records import measure_record
from ..vocab import LEVEL_DEFAULT_LABELS, LEVELS, SERVICES, service_label
from .schema import HIGHEST_AGE, derived_column, derived_fields, tables

try:
    import orjson
except ImportError:  # pragma: no cover - a platform without its wheel
    orjson = None  # type: ignore[assignment]

#: table name -> its rows, each a tuple in the table's column order
Rows = dict[str, list[tuple]]


def as_json(values: Iterable[Any]) -> str:
    """A list as the text of a compact JSON array, non-ASCII letters kept as they are (orjson where it
    can: a national export writes a hundred thousand of them)."""
    values = list(values)
    if not values:
        return "[]"
    if orjson is not None:
        try:
            return orjson.dumps(values).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):  # a lone surrogate: the standard library writes it
            pass
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def flag(value: bool) -> int:
    return 1 if value else 0


class _Builder:
    """Collects rows as dicts and numbers the rows of each table with an `id`."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables()}
        self._numbered = {t.name for t in tables() if t.primary_key == ("id",)}

    def add(self, table: str, **values: Any) -> int:
        """Add a row; returns its `id` (0 for a table without one)."""
        rows = self.rows[table]
        if table in self._numbered:
            values["id"] = len(rows) + 1
        rows.append(values)
        return values.get("id", 0)

    def result(self) -> Rows:
        """Each row as a tuple in column order (None where a row has no value); a value for a column
        the table does not have is a bug."""
        out: Rows = {}
        for table in tables():
            names = table.column_names
            template = dict.fromkeys(names)
            tuples = []
            for values in self.rows[table.name]:
                row = template.copy()
                row.update(values)
                if len(row) != len(names):
                    raise KeyError(f"{table.name}: no column {sorted(set(row) - set(names))}")
                tuples.append(tuple(row.values()))
            if table.without_rowid:  # the order the database keeps it in
                key = [names.index(name) for name in table.primary_key]
                tuples.sort(key=lambda row: [row[i] for i in key])
            out[table.name] = tuples
        return out


def rows(plans: Sequence[Plan]) -> Rows:
    """Every table's rows for `plans`, in their order."""
    build = _Builder()
    build.add("export_info", key="tool", value="forebygging")
    build.add("export_info", key="tool_version", value=__version__)
    build.add("export_info", key="language", value=current())
    build.add("export_info", key="plans", value=str(len(plans)))
    for position, level in enumerate(LEVELS, 1):
        build.add("levels", level=level, position=position, label=_(LEVEL_DEFAULT_LABELS[level]))
    for position, service in enumerate(SERVICES, 1):
        build.add("services", service=service, position=position, label=service_label(service))
    for position, band in enumerate(BANDS, 1):
        build.add("age_bands", band=band.name, position=position, age_from=band.low, age_to=band.high,
                  prenatal=flag(band.prenatal))
    build.add("age_bands", band=NO_AGE, position=len(BANDS) + 1, prenatal=0)
    measure_fields = {field: derived_column(field) for field in derived_fields("measure")}
    unit_fields = {field: derived_column(field) for field in derived_fields("unit")}
    same_stem: dict[str, list[Plan]] = {}
    for plan in plans:
        same_stem.setdefault(plan.stem, []).append(plan)
    for position, plan in enumerate(plans, 1):
        key = plan_label(plan, same_stem[plan.stem])  # only the plans of its stem decide (and in linear time)
        _plan(build, plan, key, position)
        units = _units(build, plan, key, unit_fields)
        _measures(build, plan, key, units, measure_fields)
        _goals(build, plan, key)
        _arenas(build, plan, key, units)
        _rest(build, plan, key, units)
    return build.result()


def _plan(build: _Builder, plan: Plan, key: str, position: int) -> None:
    adopted = plan.adopted
    build.add(
        "plans", plan=key, position=position, stem=plan.stem, path=plan.path, municipality=plan.municipality,
        plan_title=plan.title, subtitle=plan.subtitle, source_file=plan.source_file,
        adopted_by=adopted.by if adopted else None, adopted_date=adopted.date if adopted else None,
        adopted_case_number=adopted.case_number if adopted else None, adopted_text=adopted.text if adopted else None,
        period_from=plan.period[0] if plan.period else None, period_to=plan.period[1] if plan.period else None,
        legal_basis=as_json(plan.legal_basis), purpose="\n\n".join(plan.purpose) or None,
        relevant_services=as_json(plan.relevant_services), organisation=plan.organisation,
        knowledge=plan.knowledge, follow_up=plan.follow_up, escalation=plan.escalation,
        levels_derived=flag(any(m.is_derived("level") for m in plan.measures)),
        **{f"label_{level}": plan.level_labels.get(level) for level in LEVELS},
    )
    for rule, reason in plan.ignored_rules.items():
        build.add("ignored_rules", plan=key, rule=rule, reason=reason)


def _units(build: _Builder, plan: Plan, key: str, fields: dict[str, str]) -> dict[str, int]:
    """The plan's units; returns unit slug -> row id."""
    ids: dict[str, int] = {}
    added = []
    for position, unit in enumerate(plan.units, 1):
        if unit.id in ids:  # a plan with two units of one id does not validate; the first one counts
            continue
        row_id = build.add(
            "units", plan=key, slug=unit.id, position=position, name=unit.name, aliases=as_json(unit.aliases),
            service=unit.service, part_of=unit.part_of, external=flag(unit.external), description=unit.description,
            derived=as_json(sorted(unit.derived)), encoder_note=unit.encoder_note,
            **{column: flag(unit.is_derived(field)) for field, column in fields.items()},
        )
        ids[unit.id] = row_id
        added.append(build.rows["units"][-1])
    for row in added:
        row["part_of_id"] = ids.get(row["part_of"]) if row["part_of"] else None
    return ids


def _measures(build: _Builder, plan: Plan, key: str, units: dict[str, int], fields: dict[str, str]) -> None:
    bands: dict[str, list[str]] = {}
    for (level, band), measures in age_cells(plan).items():
        if level != ALL_LEVELS:
            for measure in measures:
                bands.setdefault(measure.id, []).append(band)
    band_order = {band.name: i for i, band in enumerate(BANDS)} | {NO_AGE: len(BANDS)}
    for measure in plan.measures:
        record = measure_record(Match(plan, measure))
        target = measure.target
        ages_stated = target.ages
        measure_id = build.add(
            "measures", plan=key, slug=measure.id, position=measure.index + 1, name=measure.name,
            group_name=measure.group, level=measure.level, level_label=record["level_label"],
            description=measure.description, target_text=target.text,
            age_from=record["age_min"], age_to=record["age_max"], prenatal=flag(record["prenatal"]),
            age_rule="; ".join(record["age_rule"]) or None, age_stated=flag(record["age_stated"]),
            age_derived=flag(record["age_derived"]), age_unknown=flag(record["age_unknown"]),
            stated_ages_from=ages_stated[0] if ages_stated else None,
            stated_ages_to=ages_stated[1] if ages_stated and target.ages_until is None else None,
            stated_ages_until=target.ages_until,
            stated_grades_from=target.grades[0] if target.grades else None,
            stated_grades_to=target.grades[1] if target.grades else None,
            stated_stages=as_json(target.stages), audience=as_json(record["audience"]),
            staff_only=flag(record["staff_only"]), responsible=as_json(record["responsible"]),
            responsible_ids=as_json(record["responsible_ids"]), responsible_text=measure.responsible_text,
            services=as_json(record["services"]), requires_decision=record["requires_decision"],
            requires_decision_label=record["requires_decision_label"], staffing=measure.staffing,
            source_section=measure.source_section, source_line=measure.source_line,
            derived=as_json(record["derived"]), encoder_note=measure.encoder_note,
            **{column: flag(measure.is_derived(field)) for field, column in fields.items()},
        )
        for position, unit_id in enumerate(dict.fromkeys(measure.responsible), 1):
            if unit_id in units:
                build.add("measure_units", measure_id=measure_id, unit_id=units[unit_id], position=position)
        for position, contact in enumerate(measure.contacts, 1):
            build.add("measure_contacts", measure_id=measure_id, position=position, name=contact.name,
                      role=contact.role, email=contact.email, phone=contact.phone, url=contact.url, text=contact.text)
        for age in ages_of(measure.target.span):
            build.add("measure_ages", age=age, measure_id=measure_id)
        for band in sorted(bands.get(measure.id, ()), key=band_order.__getitem__):
            build.add("measure_bands", measure_id=measure_id, band=band)


def ages_of(span: AgeSpan) -> list[int]:
    """The ages (up to HIGHEST_AGE) for which `query --age N` finds a measure with ages `span`: those
    the span overlaps, by the one rule query uses (the candidates run from its lowest age)."""
    if span.low is None:
        return []
    top = HIGHEST_AGE if span.high is None else min(span.high, HIGHEST_AGE)
    return [age for age in range(span.low, top + 1) if span.overlaps(age, age)]


def _goals(build: _Builder, plan: Plan, key: str) -> None:
    for position, passage in enumerate(plan.principles, 1):
        build.add("passages", plan=key, kind="principle", position=position, title=passage.title, text=passage.text,
                  source_section=passage.source_section, source_line=passage.source_line)
    for position, goal in enumerate(plan.goals, 1):
        goal_id = build.add("goals", plan=key, slug=goal.id, position=position, title=goal.title,
                            description=goal.description)
        strategy = 0
        for text in goal.strategies:
            strategy += 1
            build.add("strategies", goal_id=goal_id, position=strategy, text=text)
        for sub_position, sub_goal in enumerate(goal.sub_goals, 1):
            sub_goal_id = build.add("sub_goals", goal_id=goal_id, position=sub_position, number=sub_goal.number,
                                    title=sub_goal.title)
            for text in sub_goal.strategies:
                strategy += 1
                build.add("strategies", goal_id=goal_id, sub_goal_id=sub_goal_id, position=strategy, text=text)
        for passage_position, passage in enumerate(goal.passages, 1):
            build.add("passages", plan=key, goal_id=goal_id, kind="goal", position=passage_position,
                      title=passage.title, text=passage.text, source_section=passage.source_section,
                      source_line=passage.source_line)


def _arenas(build: _Builder, plan: Plan, key: str, units: dict[str, int]) -> None:
    for position, arena in enumerate(plan.arenas, 1):
        arena_id = build.add(
            "arenas", plan=key, slug=arena.id, position=position, name=arena.name, kind=arena.kind,
            status=arena.status, purpose=arena.purpose, target_group=arena.target_group,
            members=as_json(arena.members), members_as_needed=as_json(arena.members_as_needed), led_by=arena.led_by,
            reports_to=arena.reports_to, meets=arena.meets, meets_per_year=arena.meets_per_year, tasks=arena.tasks,
            description=arena.description,
        )
        for unit_position, unit_id in enumerate(dict.fromkeys(arena.units), 1):
            if unit_id in units:
                build.add("arena_units", arena_id=arena_id, unit_id=units[unit_id], position=unit_position)
    for position, coordinator in enumerate(plan.coordinators, 1):
        build.add("coordinators", plan=key, slug=coordinator.id, position=position, name=coordinator.name,
                  role=coordinator.role, appointed_by=coordinator.appointed_by, unit=coordinator.unit,
                  unit_id=units.get(coordinator.unit) if coordinator.unit else None, status=coordinator.status)


def _rest(build: _Builder, plan: Plan, key: str, units: dict[str, int]) -> None:
    for position, model in enumerate(plan.models, 1):
        model_id = build.add("work_models", plan=key, slug=model.id, position=position, name=model.name,
                             description=model.description)
        for component_position, (name, description) in enumerate(model.components, 1):
            build.add("work_model_components", work_model_id=model_id, position=component_position, name=name,
                      description=description)
        for unit_position, unit_id in enumerate(dict.fromkeys(model.units), 1):
            if unit_id in units:
                build.add("work_model_units", work_model_id=model_id, unit_id=units[unit_id], position=unit_position)
    position = 0
    for domain in plan.risk_and_protective_factors:
        for kind, texts in (("protective", domain.protective), ("risk", domain.risk)):
            for text in texts:
                position += 1
                build.add("factors", plan=key, domain=domain.domain, kind=kind, position=position, text=text)
    for position, definition in enumerate(plan.definitions, 1):
        build.add("definitions", plan=key, position=position, term=definition.term, text=definition.text)
    for position, source in enumerate(plan.sources, 1):
        build.add("sources", plan=key, position=position, title=source.title, url=source.url)
