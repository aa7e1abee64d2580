"""One flat, stable record per matched measure: the shape JSON and CSV share;
and the cells of a measure's row in the terminal's table.

Keys (documented in README.md, "Output for programs"), English whatever the
language of the run; human-readable values (labels, age rules) follow it:
plan, path, municipality, id, name, group, level, level_label, level_derived,
target, age_min, age_max, prenatal, age_rule, age_stated, age_derived,
age_unknown, audience, staff_only, responsible, responsible_ids, services,
requires_decision, requires_decision_label, derived, source_line.

The store (store.py) keeps each measure's record and row as this module
makes them (stored_values), in the run's language, so a query it answers
builds neither: `measure_record` and `table_row` give a match's stored ones
back, and `stored_output` checks them as they are read back.
"""

from __future__ import annotations

from typing import Any

from .. import ages
from ..i18n import _
from ..query import Match, unit_names
from ..vocab import AUDIENCES, REQUIRES_DECISION_LABELS, SERVICES

#: the record's keys, in order, each with the classes its value may have (a list is a list of texts)
FIELDS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("plan", (str,)), ("path", (str,)), ("municipality", (str,)), ("id", (str,)), ("name", (str,)),
    ("group", (str, type(None))), ("level", (str,)), ("level_label", (str,)), ("level_derived", (bool,)),
    ("target", (str, type(None))), ("age_min", (int, type(None))), ("age_max", (int, type(None))),
    ("prenatal", (bool,)), ("age_rule", (list,)), ("age_stated", (bool,)), ("age_derived", (bool,)),
    ("age_unknown", (bool,)), ("audience", (list,)), ("staff_only", (bool,)), ("responsible", (list,)),
    ("responsible_ids", (list,)), ("services", (list,)), ("requires_decision", (str, type(None))),
    ("requires_decision_label", (str, type(None))), ("derived", (list,)), ("source_line", (int, type(None))),
)
KEYS: tuple[str, ...] = tuple(key for key, _kinds in FIELDS)
#: the cells of a table row (table_row), and the classes of each
ROW: tuple[tuple[type, ...], ...] = ((str,), (bool,), (str,), (str,))


def _signatures(kinds: tuple[tuple[type, ...], ...]) -> frozenset[tuple[type, ...]]:
    """Every sequence of classes the values of `kinds` may have, one class from each (a few hundred)."""
    found: list[tuple[type, ...]] = [()]
    for options in kinds:
        found = [(*start, option) for start in found for option in options]
    return frozenset(found)


#: what the stored form of a measure (stored_values) may be, class by class
_SIGNATURES = _signatures(tuple(kinds for _key, kinds in FIELDS) + ROW)
_LISTS = tuple(index for index, (_key, kinds) in enumerate(FIELDS) if kinds == (list,))
_AUDIENCE, _SERVICES, _ROW = KEYS.index("audience"), KEYS.index("services"), len(KEYS)
_ONLY_TEXT = frozenset((str,))
_KNOWN_AUDIENCES, _KNOWN_SERVICES = frozenset(AUDIENCES), frozenset(SERVICES)


def measure_record(match: Match) -> dict[str, Any]:
    if match.stored is not None:  # the store's, made by this function when the plan was stored
        return dict(match.stored.record)
    from .text import staff_only

    plan, measure = match.plan, match.measure
    span = measure.target.span
    decision = measure.requires_decision
    return {
        "plan": plan.stem,
        "path": plan.path,
        "municipality": plan.municipality,
        "id": measure.id,
        "name": measure.name,
        "group": measure.group,
        "level": measure.level,
        "level_label": plan.level_label(measure.level),
        "level_derived": measure.is_derived("level"),
        "target": measure.target.text,
        "age_min": span.low,
        "age_max": span.high,
        "prenatal": span.prenatal,
        "age_rule": [ages.rule_text(rule) for rule in span.rules],
        "age_stated": span.known and span.stated and not measure.age_derived,
        "age_derived": measure.age_derived,
        "age_unknown": match.age_unknown or not span.known,
        "audience": list(measure.target.audience),
        "staff_only": staff_only(measure),
        "responsible": unit_names(plan, measure),
        "responsible_ids": list(measure.responsible),
        "services": sorted(plan.services(measure)),
        "requires_decision": decision,
        "requires_decision_label": _(REQUIRES_DECISION_LABELS[decision]) if decision else None,
        "derived": sorted(measure.derived),
        "source_line": measure.source_line,
    }


def json_piece(matches: Any) -> str:
    """The records of `matches` as they stand inside the array `query --format json` writes (jsondump.dump of
    the list of all records, byte for byte): each indented one level more, separated by ",\\n"; "" for none.
    A string value never holds a line break as it is written (it is escaped), so every line break is the
    layout's."""
    from .jsondump import dump

    return ",\n".join("  " + dump(measure_record(match)).rstrip("\n").replace("\n", "\n  ") for match in matches)


def stored_values(match: Match) -> list[Any]:
    """What the store keeps of a match's output (store.py): the values of its record, in KEYS order, then
    the cells of its table row. `stored_output` reads them back."""
    record = measure_record(match)
    if tuple(record) != KEYS:
        raise AssertionError("measure_record and KEYS disagree")
    return [*record.values(), *table_row(match)]


def stored_output(values: Any) -> tuple[dict[str, Any], tuple[str, bool, str, str]]:
    """The record and the table row from `values`, as the store read them back, each value checked to be
    of its kind (a list of texts, a level's audience and services known ones, so that no renderer meets a
    value it cannot show); ValueError otherwise (the store then treats the plan's entry as missing)."""
    if values.__class__ is not list or tuple(map(type, values)) not in _SIGNATURES:
        raise ValueError("not a stored record")
    a, b, c, d, e, f = _LISTS
    if not ({*map(type, [*values[a], *values[b], *values[c], *values[d], *values[e], *values[f]])} <= _ONLY_TEXT
            and {*values[_AUDIENCE]} <= _KNOWN_AUDIENCES and {*values[_SERVICES]} <= _KNOWN_SERVICES):
        raise ValueError("stored record: a list holds something else than known texts")
    return dict(zip(KEYS, values)), tuple(values[_ROW:])  # type: ignore[return-value]


def table_row(match: Match) -> tuple[str, bool, str, str]:
    """The cells of the terminal's table that the renderer does not take from the measure as it is: the
    target group, whether it is for staff only, the age with what the plan stated, and who is responsible."""
    if match.stored is not None:
        return match.stored.row
    from .text import age_text, responsible_text, staff_only, target_words

    return target_words(match), staff_only(match.measure), age_text(match, rules="short"), responsible_text(match)
