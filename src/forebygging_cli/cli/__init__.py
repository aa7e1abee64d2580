"""The command line: the only package that knows about Typer (and the click it vendors).

    app.py       the Typer app, its global options, and run(): the way out (exit codes, closed pipes, full disks)
    plumbing.py  the table of commands and which to build for a run, global options anywhere, and the run's
                 language in click's help and usage errors
    options.py   options several commands share (PLAN..., --format, --delimiter, --plan)
    common.py    what the commands share: exit codes, the run's settings, errors, renderers, output, loading plans
    validate.py, rules.py (rules and schema), query.py, show.py, diff.py, coverage.py, render.py, new.py,
    fmt.py, listing.py (plans and units): one module per command, each holding its Typer command and
                 nothing else; no command module imports another

A command parses its arguments, calls the library, picks a renderer from the
format registry (render/formats.py) and sets the exit code.
"""

from .app import app, main, run

__all__ = ["app", "main", "run"]
