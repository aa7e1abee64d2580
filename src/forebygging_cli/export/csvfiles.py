"""`export --format csv`: the tables of the export as CSV files, one per table, in a directory.

Each file is the table it is named after (`measures.csv` is the table
`measures`): the same columns, with the database's column names as headers,
and the same values (yes/no as 1/0, lists as JSON arrays), so the two formats
are one dataset with one description (docs/export.md). Excel-ready as
`query --format csv` is: UTF-8 with a byte order mark, `--delimiter ';'`
for Norwegian Excel, and a cell that Excel would run as a formula (it starts
with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from ..model import Plan
from ..render.csvout import cell
from . import schema, target
from .rows import rows

BOM = "\ufeff"


def file_name(table: str) -> str:
    return f"{table}.csv"


def prepare(output: str, *, force: bool = False, delimiter: str = ",",
            **_options: object) -> Callable[[Sequence[Plan]], None]:
    """Check that the CSV files may be written into the directory `output` (raises
    target.ExportError), and return the function that writes the plans there."""
    names = [file_name(t.name) for t in schema.tables()]
    target.check_directory(output, force, names)

    def write(plans: Sequence[Plan]) -> None:
        data = rows(plans)
        files = {file_name(t.name): _content(t.column_names, data[t.name], delimiter) for t in schema.tables()}
        target.write_directory(output, files, force)

    return write


def _content(headers: Sequence[str], table_rows: list[tuple], delimiter: str) -> Callable[[], bytes]:
    return lambda: table_text(headers, table_rows, delimiter).encode("utf-8")


def table_text(headers: Sequence[str], table_rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """One table as CSV: the column names, then the rows, every cell made safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([cell(value) for value in row] for row in table_rows)
    return BOM + out.getvalue()
