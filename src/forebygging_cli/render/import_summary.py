"""The review summary `forebygging import` prints: what it found (measures
per level, units, goals), what it skipped and why, and what to check first.
Pure: text out."""

from __future__ import annotations

from ..i18n import _, ngettext
from ..importers.document import Document, Place
from ..importers.recognise import Draft
from ..vocab import LEVEL_DEFAULT_LABELS, LEVELS


def place_text(place: Place) -> str:
    """Where a skipped table or row stands, as a person finds it: "line 15", "table 2, row 5", "paragraph 12"."""
    if place.line:
        return _("line {line}").format(line=place.line)
    if place.table and place.row:
        return _("table {table}, row {row}").format(table=place.table, row=place.row)
    if place.table:
        return _("table {table}").format(table=place.table)
    if place.paragraph:
        return _("paragraph {paragraph}").format(paragraph=place.paragraph)
    return "?"


def summary(draft: Draft, document: Document, path: str | None) -> str:
    data = draft.data
    measures = data["measures"]
    lines = []
    language = _("nynorsk") if draft.language == "nn" else _("bokmål")
    if path:
        lines.append(_("Wrote {path}: a draft imported from {source} ({language}).").format(
            path=path, source=document.source, language=language))
    else:
        lines.append(_("A draft imported from {source} ({language}).").format(source=document.source,
                                                                              language=language))
    counts = {level: sum(1 for m in measures if m["level"] == level) for level in LEVELS}
    labels = data.get("levels", {})
    per_level = ", ".join(_("{label}: {count}").format(
        label=labels.get(level, {}).get("label") or _(LEVEL_DEFAULT_LABELS[level]), count=counts[level])
        for level in LEVELS)
    lines.append(ngettext("{count} measure ({levels}).", "{count} measures ({levels}).", len(measures)).format(
        count=len(measures), levels=per_level))
    where = {"heading": _("The levels are the headings above the tables."),
             "column": _("The levels are the table's level column."),
             "mixed": _("The levels are from the level column or the heading above each table; some are guessed."),
             "guessed": _("The document gives no levels: every level is guessed (marked derived) and must be "
                          "checked."),
             "none": ""}[draft.levels_from]
    if where:
        lines.append(where)
    units = data["units"]
    merged = sum(1 for u in units if "aliases" in u.get("derived", []))
    unclear = sum(1 for u in units if "service" in u.get("derived", []))
    lines.append(ngettext("{count} unit", "{count} units", len(units)).format(count=len(units)) + " " +
                 _("({merged} with names merged, {unclear} with no clear service); {goals} goals.").format(
                     merged=merged, unclear=unclear, goals=len(data.get("goals", []))))
    if draft.skipped:
        lines.append(_("Not made into measures:"))
        for skipped in draft.skipped:
            lines.append(f"  {place_text(skipped.place)}: {_(skipped.reason)}")  # worded here, in the run's language
    checks = []
    guessed = sum(1 for m in measures if "level" in m.get("derived", []))
    if guessed:
        checks.append(ngettext("{count} level is guessed", "{count} levels are guessed", guessed).format(
            count=guessed))
    nobody = sum(1 for m in measures if not m["responsible"])
    if nobody:
        checks.append(ngettext("{count} measure has no responsible unit", "{count} measures have no responsible "
                               "unit", nobody).format(count=nobody))
    if merged:
        checks.append(ngettext("{count} unit has names merged", "{count} units have names merged", merged).format(
            count=merged))
    if unclear:
        checks.append(ngettext("{count} unit's service is not clear from its name",
                               "{count} units' services are not clear from their names", unclear).format(
                                   count=unclear))
    named = sum(1 for m in measures if m.get("group") and m["name"] != m["group"])
    if named:
        checks.append(ngettext("{count} name is proposed from its description", "{count} names are proposed from "
                               "their descriptions", named).format(count=named))
    picked = sum(1 for path, _text in draft.notes if path[-2:] == ("target", "text"))
    if picked:
        checks.append(ngettext("{count} target group is picked out of a description",
                               "{count} target groups are picked out of descriptions", picked).format(count=picked))
    if "adopted" not in data["plan"]:
        checks.append(_("no adoption sentence was found"))
    if checks:
        lines.append(_("Check first: {checks}.").format(checks="; ".join(checks)))
    if path:
        lines.append(_("Next: review the comments in {path}, then run forebygging validate {path} (what it still "
                       "lacks is the planner's to-do list) and forebygging fmt {path}.").format(path=path))
    return "\n".join(lines) + "\n"
