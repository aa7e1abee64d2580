"""`export --format sqlite`: every plan as one SQLite database.

The standard library's sqlite3: SQLite is a real embedded database that
Datasette, sqlite-utils and every SQL tool open as it is, and it needs no
dependency. The database is built in a temporary file beside the target and
renamed into place (target.py), with the tables, foreign keys, full-text
index and views of schema.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from ..i18n import _
from ..model import Plan
from . import schema, target
from .rows import Rows, rows


def prepare(output: str, *, force: bool = False, **_options: object) -> Callable[[Sequence[Plan]], None]:
    """Check that a database may be written to `output` (raises target.ExportError), and return the
    function that writes the plans there."""
    target.check_file(output, force)

    def write(plans: Sequence[Plan]) -> None:
        data = rows(plans)
        with target.file_beside(output, force) as temporary:
            try:
                connection = sqlite3.connect(temporary)
                try:
                    build(connection, data)
                finally:
                    connection.close()
            except sqlite3.Error as exc:
                raise target.cannot_write(output, exc) from None

    return write


def build(connection: sqlite3.Connection, data: Rows) -> None:
    """Create every table, fill it, and add the full-text index and the views."""
    # a new file that is renamed into place when it is whole: no journal is needed
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    with connection:
        for table in schema.tables():
            connection.execute(table.create())
            if data[table.name]:
                marks = ", ".join("?" for _column in table.columns)
                connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", data[table.name])
        for table in schema.tables():  # an index built once the rows are in is built faster
            for statement in table.create_indexes():
                connection.execute(statement)
        try:
            for statement in schema.full_text_index():
                connection.execute(statement)
        except sqlite3.OperationalError as exc:
            raise target.ExportError(_(
                "the SQLite of this Python ({version}) cannot build the full-text index: it needs FTS5 and the "
                "{tokenizer} tokenizer (SQLite 3.34 or newer) ({reason})").format(
                version=sqlite3.sqlite_version, tokenizer=schema.FTS_TOKENIZER, reason=exc)) from None
        for name, select in schema.views().items():
            connection.execute(f"CREATE VIEW {name} AS\n{select}")
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:  # the rows come from valid plans; a dangling key is a bug here, not in a plan
        raise RuntimeError(f"export: foreign keys that point nowhere: {broken[:5]}")
    # statistics for the query planner: without them it counted a plan's measures through the index on
    # level (a national plan_overview took 16 s; with them, 0.1 s)
    connection.execute("ANALYZE")
    connection.commit()
