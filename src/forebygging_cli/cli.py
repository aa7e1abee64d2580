"""The command line: parses arguments, calls the library, picks a formatter and
sets the exit code. The only module that knows about Typer.

Exit codes: 0 fine, 1 findings (validate) or no match (query --exit-code),
2 bad usage or input that could not be read.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="forebygging",
    help="Plans for preventing child neglect and behavioural problems (barnevernsloven § 15-1), as data.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forebygging {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """forebygging: validate, query, diff and render municipal prevention plans."""


@app.command()
def validate(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Plan files, directories or globs. Default: every *.yaml under plans/.", show_default=False),
    ] = None,
) -> None:
    """Check plan files against the schema and the plan rules.

    One line per finding: FILE:LINE:COL: SEVERITY [RULE] message. Exit 0 when
    clean, 1 when there are findings, 2 when a file could not be read.
    """
    from .discover import select
    from .validate import validate_paths

    selection = select(paths)
    for argument, reason in selection.problems:
        typer.echo(f"{argument}: {reason}", err=True)
    reports = validate_paths(selection.files)
    errors = warnings = 0
    unreadable = 0
    for report in reports:
        if report.unreadable:
            unreadable += 1
            typer.echo(f"{report.path}: {report.unreadable}", err=True)
            continue
        for finding in report.findings:
            typer.echo(str(finding))
        errors += report.errors
        warnings += report.warnings
    checked = len(reports) - unreadable
    summary = f"{_plural(checked, 'file')} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if unreadable:
        summary += f"; {_plural(unreadable, 'file')} could not be read"
    typer.echo(summary, err=not reports)
    if unreadable or selection.problems or not reports:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def main() -> None:
    """Console-script entry point; usage errors exit 2 (Click's own convention)."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
