"""CSV output: a header row and one row per measure; lists joined with "; ".

Starts with a UTF-8 byte order mark so that Excel shows æ, ø and å correctly.
Norwegian Excel expects ";" between columns: pass delimiter=";".

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a
formula to Excel and LibreOffice; such cells get a leading `'`, as OWASP
recommends against CSV injection, so a measure named `=HYPERLINK(...)` is shown,
not run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..query import Match
from .records import measure_record

COLUMNS = (
    "plan", "path", "municipality", "id", "name", "group", "level", "level_label", "level_derived", "target",
    "age_min", "age_max", "prenatal", "age_rule", "age_stated", "age_derived", "age_unknown", "audience",
    "responsible", "responsible_ids", "services", "requires_decision", "requires_decision_label", "derived",
    "source_line",
)


def render(matches: Sequence[Match], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for match in matches:
        record = measure_record(match)
        writer.writerow([_cell(record[c]) for c in COLUMNS])
    return "\ufeff" + out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
