"""One flat, stable record per matched measure: the shape JSON and CSV share.

Keys (documented in README.md, "Output for programs"), English whatever the
language of the run; human-readable values (labels, age rules) follow it:
plan, path, municipality, id, name, group, level, level_label, level_derived,
target, age_min, age_max, prenatal, age_rule, age_stated, age_derived,
age_unknown, audience, staff_only, responsible, responsible_ids, services,
requires_decision, requires_decision_label, derived, source_line.
"""

from __future__ import annotations

from typing import Any

from .. import ages
from ..i18n import _
from ..query import Match, unit_names
from ..vocab import REQUIRES_DECISION_LABELS
from .text import staff_only


def measure_record(match: Match) -> dict[str, Any]:
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
