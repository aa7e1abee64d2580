"""CSV output: a header row and one row per measure; lists joined with "; ".

Starts with a UTF-8 byte order mark so that Excel shows æ, ø and å correctly.
Norwegian Excel expects ";" between columns: pass delimiter=";".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..query import Match
from .records import measure_record

COLUMNS = (
    "plan", "municipality", "id", "name", "group", "level", "level_label", "level_derived", "target",
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


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)
