"""The output formats of every command, registered by name.

`--format` choices and their help text come from here, and a new format is
one line here and one module under render/. A renderer is imported only when
its format is used, so `--format json` never imports rich.

Each entry names `module:function`. The function returns a `str` (written as
is) or, for the terminal, a rich renderable; an export format's function
checks where the export goes and returns the function that writes it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable

from ..i18n import N_


@dataclass(frozen=True)
class Format:
    """An output format of a command: its name, what it is for, and where its renderer is."""

    name: str
    #: what the format is for, in a few words (translated where shown)
    help: str
    target: str

    def load(self) -> Callable[..., Any]:
        module, function = self.target.split(":")
        return getattr(import_module(module, __package__), function)


FORMATS: dict[str, tuple[Format, ...]] = {
    "validate": (
        Format("text", N_("one line per finding, for people and editors"), ".report_text:render"),
        Format("json", N_("one document for programs"), ".report_json:render"),
        Format("github", N_("GitHub Actions annotations (the default when GITHUB_ACTIONS=true)"),
               ".report_github:render"),
        Format("junit", N_("JUnit XML for CI test reports"), ".report_junit:render"),
    ),
    "query": (
        Format("text", N_("a table per plan and level"), ".terminal:measures_view"),
        Format("json", N_("an array of records for programs"), ".jsonout:render"),
        Format("csv", N_("a spreadsheet (Excel: use --delimiter ';')"), ".csvout:render"),
        Format("markdown", N_("tables for documents and issues"), ".markdown:render"),
    ),
    "count": (
        Format("text", N_("a table of counts per plan and level"), ".counts:render_text"),
        Format("json", N_("an array of records for programs"), ".counts:render_json"),
        Format("csv", N_("a spreadsheet (Excel: use --delimiter ';')"), ".counts:render_csv"),
        Format("markdown", N_("a table for documents and issues"), ".counts:render_markdown"),
    ),
    "show": (
        Format("text", N_("every field, one per line"), ".terminal:details_view"),
        Format("json", N_("the records for programs"), ".detail:render_json"),
    ),
    "diff": (
        Format("text", N_("the changes grouped by kind, with a summary line"), ".diff_terminal:render"),
        Format("json", N_("one document for programs"), ".diff_json:render"),
        Format("markdown", N_("for a pull request or the case document (saksfremlegg)"), ".diff_markdown:render"),
    ),
    "coverage": (
        Format("text", N_("a table of counts, gaps marked"), ".coverage_views:render_text"),
        Format("json", N_("one document for programs"), ".coverage_views:render_json"),
        Format("csv", N_("a spreadsheet (Excel: use --delimiter ';')"), ".coverage_views:render_csv"),
        Format("markdown", N_("a table for documents and issues"), ".coverage_views:render_markdown"),
    ),
    "render": (
        Format("terminal", N_("the prevention pyramid and the measures, for reading in a terminal"),
               ".plan_terminal:render"),
        Format("markdown", N_("the whole plan as a document"), ".templating:render_markdown"),
        Format("html", N_("one standalone page to publish, with filters"), ".templating:render_html"),
    ),
    "plans": (
        Format("text", N_("a table"), ".overview:plans_view"),
        Format("json", N_("an array of records for programs"), ".overview:plans_json"),
        Format("csv", N_("a spreadsheet (Excel: use --delimiter ';')"), ".overview:plans_csv"),
        Format("markdown", N_("a table for documents and issues"), ".overview:plans_markdown"),
    ),
    "units": (
        Format("text", N_("a table per plan"), ".overview:units_view"),
        Format("json", N_("an array of records for programs"), ".overview:units_json"),
        Format("csv", N_("a spreadsheet (Excel: use --delimiter ';')"), ".overview:units_csv"),
        Format("markdown", N_("a table per plan for documents and issues"), ".overview:units_markdown"),
    ),
    "export": (
        Format("sqlite", N_("one SQLite database file: tables with foreign keys, full-text search and views "
                            "(Datasette, sqlite-utils, any SQL tool)"), "..export.database:prepare"),
        Format("csv", N_("a directory with a CSV file per table (Excel: use --delimiter ';')"),
               "..export.csvfiles:prepare"),
    ),
}


def names(command: str) -> tuple[str, ...]:
    return tuple(f.name for f in FORMATS[command])


def get(command: str, name: str) -> Format | None:
    """The format `name` (any case) of `command`, or None."""
    wanted = name.strip().lower()
    return next((f for f in FORMATS[command] if f.name == wanted), None)
