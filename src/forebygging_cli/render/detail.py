"""One measure in full, for `forebygging show`: every field, the source plan
and line, and a mark on every value the plan does not state."""

from __future__ import annotations

from typing import Any

from ..model import Measure, Plan
from ..query import Match
from ..vocab import AUDIENCES, REQUIRES_DECISION_LABELS, SERVICES
from .records import measure_record
from .text import DERIVED_MARK, age_text


def rows(plan: Plan, measure: Measure) -> list[tuple[str, str]]:
    """(label, value) pairs in reading order; derived values carry the † mark."""

    def mark(field: str, text: str) -> str:
        return f"{text} {DERIVED_MARK} utledet" if measure.is_derived(field) else text

    target = measure.target
    span = target.span
    out = [
        ("Plan", f"{plan.municipality}: {plan.title} ({plan.path})"),
        ("Id", measure.id),
        ("Tiltak", measure.name),
    ]
    if measure.group:
        out.append(("Gruppe", measure.group))
    level = f"{plan.level_label(measure.level)} ({measure.level})"
    out.append(("Nivå", mark("level", level)))
    out.append(("Beskrivelse", measure.description))
    if target.text:
        out.append(("Målgruppe", target.text))
    out.append(("Deltakere", mark("target.audience", ", ".join(AUDIENCES[a] for a in target.audience))))
    stated = []
    if target.ages:
        stated.append(f"{target.ages[0]} til fylte {target.ages_until} år" if target.ages_until is not None
                      else f"{target.ages[0]}-{target.ages[1]} år")
    if target.grades:
        stated.append(f"{target.grades[0]}.-{target.grades[1]}. trinn")
    stated += list(target.stages)
    if stated:
        joined = ", ".join(stated)
        out.append(("Oppgitt", f"{joined} {DERIVED_MARK} utledet" if measure.age_derived else joined))
    out.append(("Alder", age_text(Match(plan, measure))))
    for rule in span.rules:
        out.append(("Regel", rule))
    units = []
    for unit_id in measure.responsible:
        unit = plan.unit(unit_id)
        units.append(f"{unit.name} [{SERVICES[unit.service]}]" if unit else unit_id)
    out.append(("Ansvarlig", mark("responsible", "; ".join(units))))
    if measure.responsible_text:
        out.append(("Ansvarlig (planens ordlyd)", measure.responsible_text))
    for contact in measure.contacts:
        parts = [p for p in (contact.name, contact.role, contact.email, contact.phone, contact.url, contact.text) if p]
        out.append(("Kontakt", ", ".join(parts)))
    if measure.staffing:
        out.append(("Bemanning", measure.staffing))
    if measure.requires_decision:
        out.append(("Krever vedtak", mark("requires_decision", REQUIRES_DECISION_LABELS[measure.requires_decision])))
    source = ", ".join(p for p in (measure.source_section, f"linje {measure.source_line}" if measure.source_line else None) if p)
    out.append(("Kilde", f"{plan.source_file}" + (f" ({source})" if source else "")))
    if measure.derived:
        out.append(("Utledet", ", ".join(sorted(measure.derived))))
    if measure.encoder_note:
        out.append(("Merknad", measure.encoder_note))
    return out


def record(plan: Plan, measure: Measure) -> dict[str, Any]:
    """The JSON form: the query record plus every remaining field."""
    result = measure_record(Match(plan, measure))
    result.update(
        description=measure.description,
        responsible_text=measure.responsible_text,
        contacts=[{k: v for k, v in vars_of(c).items() if v is not None} for c in measure.contacts],
        staffing=measure.staffing,
        source_section=measure.source_section,
        source_file=plan.source_file,
        encoder_note=measure.encoder_note,
        stated={
            "ages": list(measure.target.ages) if measure.target.ages else None,
            "ages_until": measure.target.ages_until,
            "grades": list(measure.target.grades) if measure.target.grades else None,
            "stages": list(measure.target.stages),
        },
    )
    return result


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}
