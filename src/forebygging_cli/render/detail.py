"""Whole measures, for `forebygging show`: every field, where the plan says
it (document title, section and line), and a mark on every value the plan
does not state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from .. import ages
from ..i18n import N_, _
from ..model import Measure, Plan
from ..query import Match
from ..vocab import REQUIRES_DECISION_LABELS, audience_label, service_label
from .jsondump import dump
from .records import measure_record
from .text import DERIVED_MARK, age_text, staff_only


def source_text(plan: Plan, section: str | None, line: int | None, table: int | None = None,
                row: int | None = None, paragraph: int | None = None) -> str:
    """«Plan for forebygging ...», 6.3 Bra for alle, linje 242; in a Word document
    «...», Universelle tiltak, tabell 2, rad 5 (or avsnitt 12)."""
    parts = [f"«{plan.title}»"]
    if section:
        parts.append(section)
    if line:
        parts.append(_("line {line}").format(line=line))
    if table and row:
        parts.append(_("table {table}, row {row}").format(table=table, row=row))
    elif table:
        parts.append(_("table {table}").format(table=table))
    if paragraph:
        parts.append(_("paragraph {paragraph}").format(paragraph=paragraph))
    return ", ".join(parts)


def measure_source(plan: Plan, measure: Measure) -> str:
    """Where a measure stands in the plan's source document."""
    return source_text(plan, measure.source_section, measure.source_line, measure.source_table,
                       measure.source_row, measure.source_paragraph)


#: a measure's fields as the derived list names them, in words
DERIVED_FIELDS = {
    "level": N_("level"), "group": N_("group"), "responsible": N_("responsible"),
    "requires_decision": N_("requires a formal decision"), "target.ages": N_("ages"), "target.grades": N_("grades"),
    "target.stages": N_("stages"), "target.audience": N_("participants"), "target.text": N_("target group"),
}


def rows(plan: Plan, measure: Measure) -> list[tuple[str, str]]:
    """(label, value) pairs in reading order; derived values carry the † mark."""

    def mark(field: str, text: str) -> str:
        return _("{value} {mark} derived").format(value=text, mark=DERIVED_MARK) if measure.is_derived(field) else text

    target = measure.target
    span = target.span
    out = [
        (_("Plan"), f"{plan.municipality} ({plan.path})"),
        (_("Id"), measure.id),
        (_("Measure"), measure.name),
    ]
    if measure.group:
        out.append((_("Group"), measure.group))
    out.append((_("Level"), mark("level", plan.level_label(measure.level))))
    out.append((_("Description"), measure.description))
    if target.text:
        out.append((_("Target group"), target.text))
    participants = ", ".join(audience_label(a) for a in target.audience)
    if staff_only(measure):
        participants += " " + _("(for staff: the measure reaches children through them)")
    out.append((_("Participants"), mark("target.audience", participants)))
    stated = []
    if target.ages:
        stated.append(_("{low} until turning {until}").format(low=target.ages[0], until=target.ages_until)
                      if target.ages_until is not None else ages.age_range_label(*target.ages))
    if target.grades:
        stated.append(ages.grade_label(*target.grades))
    stated += [_(ages.STAGE_LABELS[stage]) for stage in target.stages]
    computed = age_text(Match(plan, measure))
    joined = ", ".join(stated)
    if stated and joined != span.label():  # "8.-10. trinn" beside "13-15 år"; not "11-18 år" twice
        out.append((_("Stated"), _("{value} {mark} derived").format(value=joined, mark=DERIVED_MARK)
                    if measure.age_derived else joined))
    out.append((_("Age"), computed))
    for rule in span.rules:
        out.append((_("Rule"), ages.rule_text(rule)))
    units = []
    for unit_id in measure.responsible:
        unit = plan.unit(unit_id)
        units.append(f"{unit.name} [{service_label(unit.service)}]" if unit else unit_id)
    out.append((_("Responsible"), mark("responsible", "; ".join(units))))
    if measure.responsible_text:
        out.append((_("Responsible (the plan's words)"), measure.responsible_text))
    for contact in measure.contacts:
        parts = [p for p in (contact.name, contact.role, contact.email, contact.phone, contact.url, contact.text) if p]
        out.append((_("Contact"), ", ".join(parts)))
    if measure.staffing:
        out.append((_("Staffing"), measure.staffing))
    if measure.requires_decision:
        out.append((_("Requires a formal decision"),
                    mark("requires_decision", _(REQUIRES_DECISION_LABELS[measure.requires_decision]))))
    out.append((_("Source"), measure_source(plan, measure)))
    if measure.derived:
        out.append((_("Derived"), ", ".join(_(DERIVED_FIELDS.get(f, f)) for f in sorted(measure.derived))))
    if measure.encoder_note:
        out.append((_("Note"), measure.encoder_note))
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
        source_title=plan.title,
        encoder_note=measure.encoder_note,
        stated={
            "ages": list(measure.target.ages) if measure.target.ages else None,
            "ages_until": measure.target.ages_until,
            "grades": list(measure.target.grades) if measure.target.grades else None,
            "stages": list(measure.target.stages),
        },
    )
    return result


def render_json(found: Sequence[tuple[Plan, Measure, Any]], **_options: Any) -> str:
    return dump([record(plan, measure) for plan, measure, _rows in found])


def vars_of(obj: Any) -> dict[str, Any]:
    return {item.name: getattr(obj, item.name) for item in fields(obj)}
