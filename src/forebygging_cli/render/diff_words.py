"""The words of a plan diff, shared by its terminal, Markdown and JSON forms:
the summary a case document opens with ("3 nye tiltak, 1 fjernet, 2 flyttet
til annet nivå, 1 med nytt ansvar"), the sections changes are grouped in, and
each change in plain words: what changed, named as a reader knows it, with
the value before and after (a short text quoted, a long one word by word), the
plan's own labels and the units' names. No key of the plan file reaches the
reader: every field has a label here (`FIELD_LABELS`).

Plan text goes through the format's `escape` (Markdown escapes it; the
terminal and JSON keep it as it is); the marks around removed and added
words are the format's own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import ages
from ..diff import Change, PlanDiff, age_value, measure_by_id, record_title
from ..worddiff import condensed, word_changes
from ..i18n import N_, _, date_text, ngettext
from ..model import Plan
from ..vocab import (
    ARENA_STATUS_LABELS,
    COORDINATOR_STATUS_LABELS,
    LEVEL_DEFAULT_LABELS,
    REQUIRES_DECISION_LABELS,
    audience_label,
    service_label,
)


@dataclass(frozen=True)
class Style:
    """How a format marks removed and added words, and escapes plan text."""

    #: before and after removed words, before and after added words
    marks: tuple[str, str, str, str] = ("[-", "-]", "{+", "+}")
    escape: Callable[[str], str] = str


PLAIN = Style()

#: (section title, the change kinds in it), in reading order
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Plan files"), ("plan-added", "plan-removed")),
    (N_("New measures"), ("measure-added",)),
    (N_("Removed measures"), ("measure-removed",)),
    (N_("Measures with a new id"), ("measure-renamed",)),
    (N_("Measures moved to another level"), ("measure-level",)),
    (N_("New responsibility"), ("measure-responsible",)),
    (N_("New age group"), ("measure-ages",)),
    (N_("Other changes to measures"), ("measure-audience", "measure-requires-decision", "measure-target",
                                       "measure-age-basis", "measure-name", "measure-description", "measure-group",
                                       "measure-contacts", "measure-derived", "measure-notes")),
    (N_("Adoption and plan period"), ("adoption", "period")),
    (N_("Goals"), ("goal-added", "goal-removed", "goal-changed")),
    (N_("Collaboration arenas and teams"), ("arena-added", "arena-removed", "arena-status", "arena-changed")),
    (N_("Units"), ("unit-added", "unit-removed", "unit-renamed", "unit-changed")),
    (N_("Coordinators"), ("coordinator-added", "coordinator-removed", "coordinator-changed")),
    (N_("Other text of the plan"), ("escalation", "definitions", "plan-text", "validation")),
)


def sections(diff: PlanDiff) -> list[tuple[str, list[Change]]]:
    """[(translated title, changes)] for the sections that have changes."""
    out = []
    for title, kinds in SECTIONS:
        found = [c for c in diff.changes if c.kind in kinds]
        if found:
            out.append((_(title), sorted(found, key=lambda c: kinds.index(c.kind))))
    return out


def summary(diff: PlanDiff) -> str:
    """"3 nye tiltak, 1 fjernet, 2 flyttet til annet nivå, 1 med nytt ansvar; 4 andre endringer"."""
    if not diff.changes:
        return _("No changes.")
    parts = []
    plural = {
        "plan-added": ngettext("{count} new plan", "{count} new plans", diff.count("plan-added")),
        "plan-removed": ngettext("{count} plan removed", "{count} plans removed", diff.count("plan-removed")),
        "measure-added": ngettext("{count} new measure", "{count} new measures", diff.count("measure-added")),
        "measure-removed": ngettext("{count} removed", "{count} removed", diff.count("measure-removed")),
        "measure-renamed": ngettext("{count} with a new id", "{count} with a new id", diff.count("measure-renamed")),
        "measure-level": ngettext("{count} moved to another level", "{count} moved to another level",
                                  diff.count("measure-level")),
        "measure-responsible": ngettext("{count} with new responsibility", "{count} with new responsibility",
                                        diff.count("measure-responsible")),
        "measure-ages": ngettext("{count} with a new age group", "{count} with a new age group",
                                 diff.count("measure-ages")),
        "arena-added": ngettext("{count} new arena", "{count} new arenas", diff.count("arena-added")),
        "arena-removed": ngettext("{count} arena removed", "{count} arenas removed", diff.count("arena-removed")),
        "goal-added": ngettext("{count} new goal", "{count} new goals", diff.count("goal-added")),
        "goal-removed": ngettext("{count} goal removed", "{count} goals removed", diff.count("goal-removed")),
    }
    for kind, words in plural.items():
        if diff.count(kind):
            parts.append(words.format(count=diff.count(kind)))
    established = sum(1 for c in diff.changes if c.kind == "arena-status" and c.new == "established")
    if established:
        parts.append(ngettext("{count} arena established", "{count} arenas established", established).format(
            count=established))
    if diff.count("adoption"):
        parts.append(_("a new adoption"))
    if diff.count("period"):
        parts.append(_("a new plan period"))
    counted = {*plural, "adoption", "period"} | ({"arena-status"} if established == diff.count("arena-status") else set())
    others = sum(1 for c in diff.changes if c.kind not in counted)
    if others:
        parts.append(ngettext("{count} other change", "{count} other changes", others).format(count=others))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] + "."


def severity_line(diff: PlanDiff) -> str:
    return _("{major} major and {minor} minor changes").format(major=diff.major, minor=diff.minor)


# -- names and labels ------------------------------------------------------------------------


def level_name(plan: Plan, level: str) -> str:
    return plan.level_label(level)


def unit_name(plan: Plan | None, unit_id: str) -> str:
    unit = plan.unit(unit_id) if plan is not None else None
    return unit.name if unit else unit_id


def unit_list(plan: Plan | None, unit_ids: Sequence[str]) -> str:
    if not unit_ids:
        return "–"
    return ", ".join(unit_name(plan, unit_id) for unit_id in unit_ids)


def age_label(value: dict[str, Any] | None) -> str:
    if not value:
        return _("age not stated")
    parts = [_("pregnancy")] if value.get("prenatal") else []
    if value.get("min") is not None:
        parts.append(ages.age_range_label(value["min"], value.get("max")))
    return ", ".join(parts) or _("age not stated")


def measure_row(plan: Plan, change: Change) -> list[str]:
    """[name, level, ages, responsible] of an added or removed measure, as `plan` (the side it is in) has it."""
    measure = measure_by_id(plan, change.id)
    return [measure.name, level_name(plan, measure.level), age_label(age_value(measure)),
            unit_list(plan, measure.responsible)]


def words_text(old: str | None, new: str | None, style: Style = PLAIN) -> str:
    """The words that changed, in context: "… finnes [-i-] {+på+} skolen …"."""
    mark = style.marks
    parts = word_changes(old or "", new or "")
    if all(op == "=" for op, _text in parts):
        return _("only the spacing or the line breaks changed")
    out = []
    for op, text in condensed(parts):
        if op == "=":
            out.append(style.escape(text))
        elif op == "-":
            out.append(f"{mark[0]}{style.escape(text)}{mark[1]}")
        else:
            out.append(f"{mark[2]}{style.escape(text)}{mark[3]}")
    return " ".join(out)


#: What each field of a change is called; a field is looked up whole, then without its first keys
#: (`passages.source.line` → `source.line`). Level fields drop the level (`levels.universal.label` → `levels.label`).
FIELD_LABELS: dict[str, str] = {
    "id": N_("id"), "name": N_("name"), "title": N_("title"), "text": N_("text"), "description": N_("description"),
    "number": N_("number"), "source.section": N_("section in the source"), "source.line": N_("line in the source"),
    "level": N_("level"), "responsible": N_("responsible"), "ages": N_("ages"),
    "age_basis": N_("how the ages are stated"), "audience": N_("participants"),
    "requires_decision": N_("requires a formal decision"),
    "target": N_("target group"), "group": N_("group"), "staffing": N_("staffing"),
    "contacts": N_("contact"), "contacts.name": N_("contact's name"), "contacts.role": N_("contact's role"),
    "contacts.email": N_("e-mail address"), "contacts.phone": N_("phone number"), "contacts.url": N_("web address"),
    "contacts.text": N_("contact details"), "derived": N_("derived values"),
    "responsible_text": N_("responsible, in the plan's words"), "encoder_note": N_("encoder's note"),
    "aliases": N_("other name"), "service": N_("service"), "part_of": N_("part of"),
    "external": N_("outside the municipality"),
    "sub_goals": N_("sub-goal"), "strategies": N_("strategy"), "passages": N_("passage"),
    "kind": N_("kind"), "purpose": N_("purpose"), "target_group": N_("target group"), "members": N_("member"),
    "members_as_needed": N_("member when needed"), "units": N_("unit"), "led_by": N_("led by"),
    "reports_to": N_("reports to"), "meets": N_("meetings"), "meets_per_year": N_("meetings a year"),
    "tasks": N_("tasks"), "status": N_("status"), "role": N_("role"), "appointed_by": N_("appointed by"),
    "unit": N_("unit"),
    "municipality.name": N_("municipality"), "municipality.motto": N_("motto"),
    "municipality.partners": N_("partner municipality"), "plan.title": N_("title"), "plan.subtitle": N_("subtitle"),
    "plan.adopted.by": N_("adopted by"), "plan.adopted.date": N_("date of adoption"),
    "plan.adopted.case_number": N_("case number"), "plan.adopted.text": N_("the plan's words on its adoption"),
    "plan.period": N_("plan period"), "plan.legal_basis": N_("legal basis"), "plan.purpose": N_("purpose"),
    "plan.related_plans": N_("related plan"), "plan.follow_up": N_("follow-up"),
    "plan.source.file": N_("source file"), "plan.source.document": N_("source document"),
    "plan.source.url": N_("web address of the source"),
    "levels.label": N_("name of the level"), "levels.heading": N_("heading of the level"),
    "levels.description": N_("description of the level"),
    "definitions": N_("definition"), "definitions.term": N_("term"), "definitions.text": N_("definition"),
    "principles": N_("principle"),
    "knowledge_base.risk_and_protective_factors": N_("risk and protective factors"),
    "risk_and_protective_factors.domain": N_("domain"), "risk_and_protective_factors.protective":
        N_("protective factor"), "risk_and_protective_factors.risk": N_("risk factor"),
    "knowledge_base.text": N_("knowledge base"),
    "knowledge_base.source.section": N_("section in the source of the knowledge base"),
    "knowledge_base.source.line": N_("line in the source of the knowledge base"),
    "organisation.text": N_("organisation"), "organisation.relevant_services": N_("relevant service"),
    "organisation.source.section": N_("section in the source of the organisation"),
    "organisation.source.line": N_("line in the source of the organisation"),
    "escalation.to": N_("escalated to"), "escalation.text": N_("escalation"),
    "escalation.source.section": N_("section in the source of the escalation"),
    "escalation.source.line": N_("line in the source of the escalation"),
    "models": N_("work model"), "models.components": N_("part of the model"),
    "sources": N_("source"), "sources.url": N_("web address"),
    "validation.ignore": N_("rule switched off"), "validation.ignore.rule": N_("rule"),
    "validation.ignore.reason": N_("reason"),
}

#: What the values of a derived list (a measure's or a unit's) are called.
DERIVED_LABELS: dict[str, str] = {
    "level": N_("level"), "group": N_("group"), "responsible": N_("responsible"),
    "requires_decision": N_("requires a formal decision"), "target.ages": N_("ages"), "target.grades": N_("grades"),
    "target.stages": N_("stages"), "target.audience": N_("participants"), "aliases": N_("other names"),
    "service": N_("service"), "part_of": N_("part of"), "external": N_("outside the municipality"),
}

#: The kinds of collaboration arena.
ARENA_KIND_LABELS: dict[str, str] = {"team": N_("team"), "meeting": N_("meeting"), "network": N_("network"),
                                     "model": N_("cooperation model")}

#: A text of at most this many words, before and after, is shown whole, quoted; a longer one word by word.
SHORT_TEXT = 12


def field_key(field: str) -> str:
    """The key FIELD_LABELS knows the field by."""
    parts = field.split(".")
    if parts[0] == "levels":
        parts = parts[:1] + parts[2:]
    while parts:
        key = ".".join(parts)
        if key in FIELD_LABELS:
            return key
        parts = parts[1:]
    raise KeyError(field)


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field_key(field)])


def describe(diff: PlanDiff, change: Change, style: Style = PLAIN) -> str:
    """One change in plain words (without the name of what changed: the caller shows it beside)."""
    old, new = change.old, change.new
    kind = change.kind
    if kind == "plan-added":
        return _("new plan: {name}").format(name=style.escape(change.name or ""))
    if kind == "plan-removed":
        return _("plan removed: {name}").format(name=style.escape(change.name or ""))
    if kind == "measure-added":
        return _("new measure on {level}").format(level=style.escape(level_name(diff.new, new)))
    if kind == "measure-removed":
        return _("removed from {level}").format(level=style.escape(level_name(diff.old, old)))
    if kind == "measure-renamed":
        return _("id {old} → {new}").format(old=old, new=new)
    if kind == "measure-level":
        return _("{old} → {new}").format(old=style.escape(level_name(diff.old, old)),
                                         new=style.escape(level_name(diff.new, new)))
    if kind == "measure-responsible":
        before = [unit_name(diff.old, u) for u in old]
        after = [unit_name(diff.new, u) for u in new]
        parts = []
        if [name for name in after if name not in before]:
            parts.append(_("added: {units}").format(units=style.escape(", ".join(n for n in after if n not in before))))
        if [name for name in before if name not in after]:
            parts.append(_("removed: {units}").format(units=style.escape(", ".join(n for n in before
                                                                                  if n not in after))))
        return "; ".join(parts) or _("{old} → {new}").format(old=style.escape(", ".join(before)),
                                                             new=style.escape(", ".join(after)))
    if kind == "measure-ages":
        return _("{old} → {new}").format(old=age_label(old), new=age_label(new))
    if kind == "measure-age-basis":
        return _("the ages are stated differently: {old} → {new}; the age range is the same ({ages})").format(
            old=_basis(old), new=_basis(new), ages=age_label(age_value(measure_by_id(diff.new, change.id))))
    if kind == "measure-audience":
        return _("{old} → {new}").format(old=", ".join(audience_label(a) for a in old),
                                         new=", ".join(audience_label(a) for a in new))
    if kind == "measure-requires-decision":
        def label(value: str | None) -> str:
            return _(REQUIRES_DECISION_LABELS[value]) if value else _("not stated")
        return _("requires a formal decision: {old} → {new}").format(old=label(old), new=label(new))
    if kind in ("unit-added", "goal-added", "coordinator-added"):
        return _("new")
    if kind in ("unit-removed", "goal-removed", "coordinator-removed", "arena-removed"):
        return _("removed")
    if kind == "arena-added":
        return _("new ({status})").format(status=_(ARENA_STATUS_LABELS[new]))
    if kind == "arena-status":
        return _("{old} → {new}").format(old=_(ARENA_STATUS_LABELS[old]), new=_(ARENA_STATUS_LABELS[new]))
    if kind == "unit-renamed" and change.field == "id":
        return _("id {old} → {new}").format(old=old, new=new)
    words = _change_words(diff, change, style)
    if change.field is not None and change.field.startswith("levels."):
        level = change.field.split(".")[1]
        return _("{part}, {field}: {change}").format(part=_(LEVEL_DEFAULT_LABELS[level]),
                                                     field=field_label(change.field), change=words)
    if change.part:
        return _("{part}, {field}: {change}").format(part=style.escape(change.part), field=field_label(change.field),
                                                     change=words)
    return _("{field}: {change}").format(field=field_label(change.field), change=words)


def _change_words(diff: PlanDiff, change: Change, style: Style) -> str:
    """A field's value before and after: added, removed, the order changed, old → new, or word by word."""
    old, new, field = change.old, change.new, change.field or ""
    if old is None:
        return _("added {value}").format(value=_value(diff.new, field, new, style))
    if new is None:
        return _("removed {value}").format(value=_value(diff.old, field, old, style))
    if isinstance(old, list) and field != "plan.period":
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = []
        if added:
            parts.append(_("added: {items}").format(items=", ".join(_value(diff.new, field, v, style) for v in added)))
        if removed:
            parts.append(_("removed: {items}").format(items=", ".join(_value(diff.old, field, v, style)
                                                                       for v in removed)))
        return "; ".join(parts) or _("the order changed")
    if isinstance(old, str) and isinstance(new, str) and field_key(field) not in _LABELLED \
            and max(len(old.split()), len(new.split())) > SHORT_TEXT:
        return words_text(old, new, style)
    return _("{old} → {new}").format(old=_value(diff.old, field, old, style), new=_value(diff.new, field, new, style))


#: Fields whose values are keys shown by their label, never word by word.
_LABELLED = frozenset({"service", "kind", "status", "part_of", "unit", "units", "models.units", "derived",
                       "plan.adopted.date", "plan.adopted.by"})


def _value(plan: Plan | None, field: str, value: Any, style: Style) -> str:
    """One value as a reader reads it."""
    last = field.rsplit(".", 1)[-1]
    if isinstance(value, dict):
        return f"«{style.escape(record_title(value))}»"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "plan.period":
        return f"{value[0]}–{value[1]}"
    if field == "plan.adopted.date":
        return date_text(value)
    if last == "service":
        return service_label(value)
    if last == "kind":
        return _(ARENA_KIND_LABELS[value])
    if last == "status":
        return _(COORDINATOR_STATUS_LABELS[value])
    if last == "derived":
        return _(DERIVED_LABELS[value])
    if last in ("part_of", "unit", "units"):
        return style.escape(unit_name(plan, value))
    if isinstance(value, int):
        return str(value)
    return f"«{style.escape(value)}»"


def _basis(value: dict[str, Any]) -> str:
    """How a measure's ages are stated: "8.-10. trinn", "18 til fylte 25", "barnehage"."""
    parts = []
    if value["ages"]:
        low, high = value["ages"]
        parts.append(_("{low} until turning {until}").format(low=low, until=value["until"])
                     if value["until"] is not None else ages.age_range_label(low, high))
    if value["grades"]:
        parts.append(ages.grade_label(*value["grades"]))
    parts += [_(ages.STAGE_LABELS[stage]) for stage in value["stages"]]
    return ", ".join(parts) or _("not stated")


def subject_name(change: Change) -> str:
    """What the change is about, as a reader knows it: the measure's, unit's or arena's name, or the plan."""
    if change.spec.subject == "plan" and change.kind not in ("plan-added", "plan-removed"):
        return _("the plan")
    return change.name or change.id or ""
