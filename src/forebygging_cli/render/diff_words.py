"""The words of a plan diff, shared by its terminal, Markdown and JSON forms:
the summary a case document opens with ("3 nye tiltak, 1 fjernet, 2 flyttet
til annet nivå, 1 med nytt ansvar"), the sections changes are grouped in, and
each change in plain words, with the plan's own labels and the units' names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import ages
from ..diff import Change, PlanDiff, condensed, word_changes
from ..i18n import N_, _, date_text, ngettext
from ..model import Plan
from ..vocab import ARENA_STATUS_LABELS, REQUIRES_DECISION_LABELS, audience_label

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
    (N_("Other text of the plan"), ("escalation", "definitions", "plan-text")),
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


def level_name(plan: Plan | None, level: str | None) -> str:
    if not level:
        return "–"
    return plan.level_label(level) if plan is not None else level


def unit_list(plan: Plan | None, unit_ids: Sequence[str]) -> str:
    if not unit_ids:
        return "–"
    names = []
    for unit_id in unit_ids:
        unit = plan.unit(unit_id) if plan is not None else None
        names.append(unit.name if unit else unit_id)
    return ", ".join(names)


def age_label(value: dict[str, Any] | None) -> str:
    if not value:
        return _("age not stated")
    parts = [_("pregnancy")] if value.get("prenatal") else []
    if value.get("min") is not None:
        parts.append(ages.age_range_label(value["min"], value.get("max")))
    return ", ".join(parts) or _("age not stated")


def measure_in(plan: Plan | None, measure_id: str | None) -> Any:
    if plan is None or measure_id is None:
        return None
    return next((m for m in plan.measures if m.id == measure_id), None)


def measure_row(diff: PlanDiff, change: Change, side: str) -> list[str]:
    """[name, level, ages, responsible] of an added (side="new") or removed (side="old") measure."""
    plan = diff.new if side == "new" else diff.old
    measure = measure_in(plan, change.id)
    if measure is None:
        return [change.name or change.id or "", "", "", ""]
    span = measure.target.span
    return [measure.name, level_name(plan, measure.level), span.label() or _("age not stated"),
            unit_list(plan, measure.responsible)]


def words_text(old: str | None, new: str | None, mark: tuple[str, str, str, str] = ("[-", "-]", "{+", "+}")) -> str:
    """The words that changed, in context: "… finnes [-i-] {+på+} skolen …"."""
    out = []
    for op, text in condensed(word_changes(old or "", new or "")):
        if op == "=":
            out.append(text)
        elif op == "-":
            out.append(f"{mark[0]}{text}{mark[1]}")
        else:
            out.append(f"{mark[2]}{text}{mark[3]}")
    return " ".join(part for part in out if part)


def _list_change(before: Sequence[Any], after: Sequence[Any]) -> str:
    added = [str(a) for a in after if a not in before]
    removed = [str(b) for b in before if b not in after]
    parts = []
    if added:
        parts.append(_("added: {items}").format(items=", ".join(added)))
    if removed:
        parts.append(_("removed: {items}").format(items=", ".join(removed)))
    return "; ".join(parts) or _("reordered")


def _fields_changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    return ", ".join(f"`{k}`" for k in after if before.get(k) != after.get(k))


def describe(diff: PlanDiff, change: Change, mark: tuple[str, str, str, str] = ("[-", "-]", "{+", "+}")) -> str:
    """One change in plain words (without the measure's name for measure changes:
    the caller shows it beside)."""
    old, new = change.old, change.new
    kind = change.kind
    if kind == "plan-added":
        return _("new plan: {name}").format(name=change.name)
    if kind == "plan-removed":
        return _("plan removed: {name}").format(name=change.name)
    if kind == "measure-added":
        return _("new measure on {level}").format(level=level_name(diff.new, new))
    if kind == "measure-removed":
        return _("removed from {level}").format(level=level_name(diff.old, old))
    if kind == "measure-renamed":
        return _("id {old} → {new}").format(old=old, new=new)
    if kind == "measure-level":
        return f"{level_name(diff.old, old)} → {level_name(diff.new, new)}"
    if kind == "measure-responsible":
        added = [u for u in new if u not in old]
        removed = [u for u in old if u not in new]
        parts = []
        if added:
            parts.append(_("added: {units}").format(units=unit_list(diff.new, added)))
        if removed:
            parts.append(_("removed: {units}").format(units=unit_list(diff.old, removed)))
        return "; ".join(parts) or _("{old} → {new}").format(old=unit_list(diff.old, old), new=unit_list(diff.new, new))
    if kind == "measure-ages":
        return f"{age_label(old)} → {age_label(new)}"
    if kind == "measure-age-basis":
        return _("the ages are stated differently; the age range is the same ({ages})").format(
            ages=age_label(_age_of(diff.new, change.id)))
    if kind == "measure-audience":
        return f"{', '.join(audience_label(a) for a in old)} → {', '.join(audience_label(a) for a in new)}"
    if kind == "measure-requires-decision":
        def label(value: str | None) -> str:
            return _(REQUIRES_DECISION_LABELS[value]) if value else _("not stated")
        return _("requires a formal decision: {old} → {new}").format(old=label(old), new=label(new))
    if kind in ("measure-target", "measure-name", "measure-description", "measure-group", "escalation"):
        what = {"measure-target": _("target group"), "measure-name": _("name"), "measure-description":
                _("description"), "measure-group": _("group"), "escalation": _("escalation")}[kind]
        return f"{what}: {words_text(old, new, mark)}"
    if kind == "measure-contacts":
        return _("contacts or staffing changed")
    if kind == "measure-derived":
        return _("derived values: {change}").format(change=_list_change(old, new))
    if kind == "measure-notes":
        return _("changed: {fields}").format(fields=_fields_changed(old, new))
    if kind in ("unit-added", "goal-added", "coordinator-added"):
        return _("new")
    if kind in ("unit-removed", "goal-removed", "coordinator-removed"):
        return _("removed")
    if kind == "unit-renamed":
        return f"{old} → {new}"
    if kind in ("unit-changed", "goal-changed", "coordinator-changed", "arena-changed"):
        return _("changed: {fields}").format(fields=_fields_changed(old, new))
    if kind == "arena-added":
        return _("new ({status})").format(status=_(ARENA_STATUS_LABELS.get(new, new)))
    if kind == "arena-removed":
        return _("removed")
    if kind == "arena-status":
        return f"{_(ARENA_STATUS_LABELS.get(old, old))} → {_(ARENA_STATUS_LABELS.get(new, new))}"
    if kind == "adoption":
        return _adoption_words(old, new)
    if kind == "period":
        return f"{_period(old)} → {_period(new)}"
    if kind == "definitions":
        if old is None:
            return _("new definition")
        if new is None:
            return _("definition removed")
        return _("definition: {change}").format(change=words_text(old, new, mark))
    if kind == "plan-text":
        return _("changed: {fields}").format(fields=f"`{change.field}`")
    return kind


def _age_of(plan: Plan | None, measure_id: str | None) -> dict[str, Any]:
    measure = measure_in(plan, measure_id)
    if measure is None:
        return {}
    span = measure.target.span
    return {"min": span.low, "max": span.high, "prenatal": span.prenatal}


def _period(value: list[int] | None) -> str:
    return f"{value[0]}–{value[1]}" if value else _("not stated")


def _adoption_words(old: dict[str, Any] | None, new: dict[str, Any] | None) -> str:
    def words(value: dict[str, Any] | None) -> str:
        if not value:
            return _("not stated")
        parts = [value["by"]]
        if value.get("date"):
            parts.append(date_text(value["date"]))
        if value.get("case_number"):
            parts.append(value["case_number"])
        return " ".join(parts)

    return f"{words(old)} → {words(new)}"


def subject_name(diff: PlanDiff, change: Change) -> str:
    """What the change is about, as a reader knows it: the measure's or unit's name."""
    if change.kind.startswith(("adoption", "period", "plan-text", "escalation")):
        return _("the plan")
    return change.name or change.id or ""
