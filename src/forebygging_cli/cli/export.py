"""`forebygging export`: every plan as one SQLite database, or a CSV file per table."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _, ngettext
from .common import EXIT_USAGE, checked_delimiter, fail, loaded_plans, renderer
from .options import DelimiterOption, FormatOption, PlanPaths
from .plumbing import command


@command(help=N_("Export every plan as one dataset: a SQLite database (tables with foreign keys, full-text search "
                 "and views) to open in Datasette, sqlite-utils or any SQL tool, or a CSV file per table. "
                 "docs/export.md describes every table.\n\n"
                 "Example: forebygging export -o plans.db && datasette plans.db"))
def export(
    paths: PlanPaths = None,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar=N_("PATH"), show_default=False,
        help=N_("Where to write: the database file (--format sqlite), or the directory for the CSV files "
                "(--format csv)."))] = None,
    output_format: FormatOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace the database file if it exists; write the CSV files into a directory that is "
                           "not empty (files of the same name are replaced)."))] = False,
    delimiter: DelimiterOption = ",",
) -> None:
    from ..export.target import ExportError

    prepare = renderer("export", output_format, default="sqlite")
    delimiter = checked_delimiter(delimiter)
    if output is None:
        raise fail(_("export needs --output: the database file (-o plans.db) or, with --format csv, a directory "
                     "(-o DIR)"))
    try:
        write = prepare(output, force=force, delimiter=delimiter)
    except ExportError as exc:
        raise fail(str(exc)) from None
    loaded, failed = loaded_plans(paths)
    try:
        write(loaded)
    except ExportError as exc:
        raise fail(str(exc)) from None
    sys.stdout.write(ngettext("Exported {count} plan to {path}.", "Exported {count} plans to {path}.",
                              len(loaded)).format(count=len(loaded), path=output) + "\n")
    if failed:
        raise typer.Exit(EXIT_USAGE)
