"""A site for several plans (`render --format html -o FOLDER PLANS...`): one
page per plan, and an index with the plans (municipality, period, adoption,
measures per level) and one finder across all of them, for a region ("what is
there for a 13-year-old around here?") or a county. Pure: the pages' names and
the index's context; cli/render.py renders them and writing.py writes them.

Each answer on the index is marked up as on a plan's page: an `article` whose
id starts with `tiltak-` (`tiltak-PAGE--ID`: a page's name and a measure's id
have no double hyphen, so no two answers share an id), naming its municipality
and linking to the measure on its plan's page (`PAGE.html#tiltak-ID`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..i18n import _, current, date_text
from ..model import Plan
from ..vocab import LEVELS, level_counts, slug
from . import finder
from .document import ANCHOR, measure_context

INDEX = "index.html"


def page_names(plans: Sequence[Plan]) -> list[str]:
    """Each plan's page, in order: its file stem as a name for the web (`tromsø.yaml` -> `tromso.html`).
    Two plans with one stem are told apart by their folders (`a/os.yaml`, `b/os.yaml` -> `a-os.html`,
    `b-os.html`), and never take the index's name; what is still the same gets -2, -3."""
    stems = [slug(plan.stem) or "plan" for plan in plans]
    shared = Counter(stems)
    taken = {INDEX.removesuffix(".html")}
    names = []
    for plan, stem in zip(plans, stems):
        base = stem
        if shared[stem] > 1:
            folder = slug(os.path.basename(os.path.dirname(os.path.abspath(plan.path))))
            base = f"{folder}-{stem}" if folder else stem
        name, number = base, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names.append(f"{name}.html")
    return names


def _adoption(plan: Plan) -> str:
    adopted = plan.adopted
    if adopted is None:
        return _("not stated in the plan")
    if adopted.date:
        return _("{date} by {body}").format(date=date_text(adopted.date), body=adopted.by)
    return _("by {body}; no date in the plan").format(body=adopted.by)


def index_context(plans: Sequence[Plan], names: Sequence[str]) -> dict[str, Any]:
    """Everything the index (site.html.j2) shows, in the active language (the plans' own words stay theirs,
    marked with their language where it is not the index's)."""
    from .. import __version__
    from .text import DERIVED_MARK, derived_note

    language = current()
    rows, groups, unit_groups, choices_of_plans = [], [], [], []
    index = 0
    for plan, name in zip(plans, names):
        key = name.removesuffix(".html")
        lang = plan.language if plan.language != language else None
        counts = level_counts(m.level for m in plan.measures)
        rows.append({
            "key": key, "page": name, "municipality": plan.municipality, "title": plan.title, "lang": lang,
            "period": f"{plan.period[0]}–{plan.period[1]}" if plan.period else None,
            "adopted": _adoption(plan), "levels": [counts[level] for level in LEVELS],
            "levels_derived": any(m.is_derived("level") for m in plan.measures), "measures": len(plan.measures),
        })
        choices = finder.unit_choices(plan)
        entries = []
        for measure in plan.measures:
            entry = measure_context(plan, measure, choices)
            entry["filters"]["units"] = [f"{key}:{unit}" for unit in entry["filters"]["units"]]
            entry.update({
                "index": index, "plan_key": key, "municipality": plan.municipality, "lang": lang,
                "anchor": f"tiltak-{key}--{measure.id}", "heading": f"navn-{key}--{measure.id}",
                "href": f"{name}#{ANCHOR.format(id=measure.id)}",
            })
            index += 1
            entries.append(entry)
        groups.append({"key": key, "title": plan.municipality, "page": name, "lang": lang, "measures": entries})
        unit_groups.append({"label": plan.municipality,
                            "units": [{"value": f"{key}:{u.id}", "name": u.name} for u in plan.units]})
        choices_of_plans.append({"key": key, "municipality": plan.municipality})
    return {
        "lang": language,
        "version": __version__,
        "mark": DERIVED_MARK,
        "derived_note": derived_note(),
        "has_derived": any(m.derived for plan in plans for m in plan.measures),
        "municipalities": [plan.municipality for plan in plans],
        "plans": rows,
        "groups": groups,
        "plan_choices": choices_of_plans,
        "unit_groups": unit_groups,
        "level_choices": finder.level_choices(None),
        "audience_choices": finder.audience_choices(),
        "level_help": finder.level_help(),
        "finder": finder.page_data(index, language),
    }
