"""CSV output for spreadsheets: a header row and one row per record; lists
joined with "; ".

Headers and labels are in the language of the run (this is for people in
Excel; programs read JSON). Starts with a UTF-8 byte order mark so that Excel
shows æ, ø and å correctly. Norwegian Excel expects ";" between columns: pass
delimiter=";".

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a
formula to Excel and LibreOffice; such cells get a leading `'`, as OWASP
recommends against CSV injection, so a measure named `=HYPERLINK(...)` is shown,
not run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from ..i18n import N_, _
from ..query import Selection
from ..vocab import audience_label, service_label
from .records import measure_record

#: (record key, column header) of the query CSV
COLUMNS = (
    ("plan", N_("plan")), ("path", N_("file")), ("municipality", N_("municipality")), ("id", N_("id")),
    ("name", N_("measure")), ("group", N_("group")), ("level", N_("level")), ("level_label", N_("level label")),
    ("level_derived", N_("level derived")), ("target", N_("target group")), ("age_min", N_("lowest age")),
    ("age_max", N_("highest age")), ("prenatal", N_("pregnancy")), ("age_rule", N_("age rule")),
    ("age_stated", N_("age given in years by the plan")), ("age_derived", N_("age derived")),
    ("age_unknown", N_("no age stated")),
    ("audience", N_("participants")), ("staff_only", N_("for staff only")), ("responsible", N_("responsible")),
    ("responsible_ids", N_("responsible ids")), ("services", N_("services")),
    ("requires_decision", N_("requires a formal decision")), ("derived", N_("derived fields")),
    ("source_line", N_("source line")),
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render(selection: Selection, delimiter: str = ",", **_options: Any) -> str:
    rows = []
    for match in selection.matches:
        record = measure_record(match)
        record["audience"] = [audience_label(a) for a in record["audience"]]
        record["services"] = [service_label(s) for s in record["services"]]
        record["requires_decision"] = record.pop("requires_decision_label")
        rows.append([record[key] for key, _header in COLUMNS])
    return table([header for _key, header in COLUMNS], rows, delimiter)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> str:
    """A CSV document: translated headers, then the rows, every cell made safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_(header) for header in headers])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return "\ufeff" + out.getvalue()


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        return str(value)
    text = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
