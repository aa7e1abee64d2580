"""A plan as a document: the context the templates of `render` fill in
(Markdown and the HTML page), with every label in the run's language, the
tool's computed ages, and the data the page's finder needs. Pure: no I/O.

The page's finder never re-implements the tool's rules: each measure carries
what `query` filters it by, computed by `query` itself (render/finder.py), and
the page gets the tables its script folds and splits typed words with.

Ids: a measure's article is `tiltak-ID` (the link an advisor sends) and its
name's heading `navn-ID`; no other element of the page has an id that starts
with `tiltak-` or `navn-`, so a measure whose id is `tittel` or `status` never
shares an id with the page's own elements.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .. import ages, coverage
from ..i18n import _, current, date_text
from ..model import Measure, Plan
from ..query import search_text, unit_names
from ..vocab import (ARENA_STATUS_LABELS, COORDINATOR_STATUS_LABELS, LEVELS, REQUIRES_DECISION_LABELS,
                     audience_label, level_counts, service_label)
from .coverage_views import column_label, row_label
from . import finder
from .detail import DERIVED_FIELDS, measure_source
from .text import DERIVED_MARK, derived_note, staff_only

GROUPINGS = ("level", "age", "unit")
#: the ids a measure gives its elements on the page (see the module's docstring)
ANCHOR, HEADING = "tiltak-{id}", "navn-{id}"


def measure_context(plan: Plan, measure: Measure, choices: Any = None) -> dict[str, Any]:
    """A measure as the templates show it; with `choices` (finder.unit_choices), also what the page's
    finder filters it by."""
    target = measure.target
    span = target.span
    return {
        "id": measure.id,
        "index": measure.index,
        "anchor": ANCHOR.format(id=measure.id),
        "heading": HEADING.format(id=measure.id),
        "name": measure.name,
        "group": measure.group,
        "level": measure.level,
        "level_label": plan.level_label(measure.level),
        "level_words": finder.level_words(measure.level),
        "level_derived": measure.is_derived("level"),
        "description": measure.description,
        "target_text": target.text,
        "audience": ", ".join(audience_label(a) for a in target.audience),
        "audience_derived": measure.is_derived("target.audience"),
        "staff_only": staff_only(measure),
        "age_label": span.label() or _("age not stated"),
        "age_rules": [ages.rule_text(rule) for rule in span.rules],
        #: the rules beside the age they gave, without repeating it ("8.-10. trinn: trinn N = N+5 år")
        "age_notes": [ages.rule_note(rule) for rule in span.rules],
        #: the general rules behind them, said once under a table ("trinn N = N+5 år")
        "age_bases": [ages.rule_basis(rule) for rule in span.rules],
        "age_known": span.known,
        "age_min": span.low,
        "age_max": span.high,
        "prenatal": span.prenatal,
        "age_derived": measure.age_derived,
        "responsible": unit_names(plan, measure),
        "responsible_ids": list(measure.responsible),
        "responsible_derived": measure.is_derived("responsible"),
        "responsible_text": measure.responsible_text,
        "contacts": [asdict(c) for c in measure.contacts],
        "has_contact": any(c.email or c.phone or (c.url and c.url.startswith(("http://", "https://")))
                           for c in measure.contacts),
        "staffing": measure.staffing,
        "requires_decision": _(REQUIRES_DECISION_LABELS[measure.requires_decision])
        if measure.requires_decision else None,
        "requires_decision_derived": measure.is_derived("requires_decision"),
        "source": measure_source(plan, measure),
        "derived": [_(DERIVED_FIELDS.get(f, f)) for f in sorted(measure.derived)],
        "note": measure.encoder_note,
        #: what `--text` searches, folded as it folds
        "search": search_text(plan, measure),
        #: what the page's finder filters it by (None outside the page)
        "filters": finder.measure_filters(plan, measure, choices) if choices is not None else None,
    }


def coverage_context(plan: Plan) -> dict[str, Any]:
    matrix = coverage.by_age(plan)
    return {
        "columns": [column_label(c) for c in matrix.columns],
        # a 0 is a gap in an age band; in the column of measures that state no age, 0 is as it should be
        "rows": [{"label": row_label([matrix], key), "all": key == coverage.ALL_LEVELS,
                  "cells": [{"count": matrix.count(key, c), "gap": matrix.count(key, c) == 0 and c != coverage.NO_AGE}
                            for c in matrix.columns]} for key in matrix.rows],
        "gaps": [column_label(g) for g in matrix.gaps()],
    }


def groups(plan: Plan, measures: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """The measures in sections: per level (the plan's labels, universal first),
    per age band (a measure in every band it overlaps), or per responsible unit;
    each with the age rules its measures' ages were computed by, once."""
    found = _sections(plan, measures, by)
    for group in found:
        group["age_rules"] = list(dict.fromkeys(rule for m in group["measures"] for rule in m["age_bases"]))
    return found


def _sections(plan: Plan, measures: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    if by == "age":
        out = []
        for band in ages.BANDS:
            inside = [m for m, measure in zip(measures, plan.measures) if ages.band_covers(band, measure.target.span)]
            out.append({"key": band.name, "title": band.label(), "measures": inside})
        unknown = [m for m in measures if not m["age_known"]]
        out.append({"key": coverage.NO_AGE, "title": _("no stated age"), "measures": unknown})
        return [g for g in out if g["measures"]]
    if by == "unit":
        out = []
        for unit in plan.units:
            inside = [m for m in measures if unit.id in m["responsible_ids"]]
            if inside:
                out.append({"key": unit.id, "title": unit.name, "measures": inside})
        return out
    return [{"key": level, "title": plan.level_label(level), "words": finder.level_words(level),
             "derived": any(m["level_derived"] for m in measures if m["level"] == level),
             "measures": [m for m in measures if m["level"] == level]} for level in LEVELS]


def plan_context(plan: Plan, by: str = "level", page: bool = False, site: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the templates show, in the run's language. `page`: also what the page's finder needs;
    `site`: the plan's page is one of a site's (render/site.py), with a link to its index."""
    from .. import __version__

    choices = finder.unit_choices(plan) if page else None
    measures = [measure_context(plan, m, choices) for m in plan.measures]
    units = {u.id: u for u in plan.units}
    adopted = plan.adopted
    has_derived = any(m.derived for m in plan.measures) or any(u.derived for u in plan.units)
    return {
        "lang": current(),
        #: what the page's script reads (render/finder.py); None outside the page
        "finder": finder.page_data(len(measures), current()) if page else None,
        "site": site,
        "version": __version__,
        "mark": DERIVED_MARK,
        "derived_note": derived_note(),
        "has_derived": has_derived,
        "plan": {
            "stem": plan.stem,
            "title": plan.title,
            "subtitle": plan.subtitle,
            "municipality": plan.municipality,
            "adopted": {"by": adopted.by, "date": date_text(adopted.date) if adopted.date else None,
                        "case_number": adopted.case_number, "text": adopted.text} if adopted else None,
            "period": f"{plan.period[0]}–{plan.period[1]}" if plan.period else None,
            "legal_basis": list(plan.legal_basis),
            "purpose": list(plan.purpose),
            "follow_up": plan.follow_up,
            "organisation": plan.organisation,
            "knowledge": plan.knowledge,
            "relevant_services": list(plan.relevant_services),
            "escalation": plan.escalation,
        },
        "principles": [{"title": p.title, "text": p.text} for p in plan.principles],
        "goals": [{
            "title": g.title,
            "description": g.description,
            "passages": [p.text for p in g.passages],
            "sub_goals": [{"number": s.number, "title": s.title, "strategies": list(s.strategies)}
                          for s in g.sub_goals],
            "strategies": list(g.strategies),
        } for g in plan.goals],
        "units": [{
            "id": u.id, "name": u.name, "aliases": list(u.aliases), "aliases_derived": u.is_derived("aliases"),
            "service": service_label(u.service), "part_of": units[u.part_of].name if u.part_of in units else None,
            "external": u.external, "measures": sum(1 for m in plan.measures if u.id in m.responsible),
        } for u in plan.units],
        "filter_units": [{"value": u.id, "name": u.name} for u in plan.units],
        "arenas": [{
            "id": a.id, "name": a.name, "status": _(ARENA_STATUS_LABELS.get(a.status, a.status)),
            "planned": a.status == "planned", "purpose": a.purpose, "target_group": a.target_group,
            "members": list(a.members), "members_as_needed": list(a.members_as_needed), "meets": a.meets,
            "led_by": a.led_by, "reports_to": a.reports_to, "tasks": a.tasks, "description": a.description,
        } for a in plan.arenas],
        "coordinators": [{
            "name": c.name, "role": c.role, "appointed_by": c.appointed_by,
            "unit": units[c.unit].name if c.unit in units else None,
            "status": _(COORDINATOR_STATUS_LABELS[c.status]) if c.status else None,
        } for c in plan.coordinators],
        "models": [{"name": m.name, "description": m.description,
                    "components": [{"name": n, "description": d} for n, d in m.components]} for m in plan.models],
        "levels": [{"key": level, "label": plan.level_label(level), "count": count,
                    "derived": any(m.is_derived("level") for m in plan.measures if m.level == level)}
                   for level, count in level_counts(m.level for m in plan.measures).items()],
        "level_choices": finder.level_choices(plan),
        "audience_choices": finder.audience_choices(),
        "level_help": finder.level_help(),
        "groups": groups(plan, measures, by),
        "measures": measures,
        "coverage": coverage_context(plan),
        "factors": [{"domain": f.domain, "protective": list(f.protective), "risk": list(f.risk)}
                    for f in plan.risk_and_protective_factors],
        "definitions": [{"term": d.term, "text": d.text} for d in plan.definitions],
        "sources": [{"title": s.title, "url": s.url} for s in plan.sources],
    }
