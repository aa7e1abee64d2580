"""What the commands share: exit codes, the settings of this run, errors,
choosing a renderer, writing what it returns, and loading the plans.

Command modules import this module and `options`, never each other.
"""

# No `from __future__ import annotations` in the cli package: typer reads each
# command's parameters from its annotations, and string annotations it must
# evaluate (twice) on every run; evaluated once at import they cost a query 7 ms less.

import sys
from typing import Any, Optional

import typer

from ..i18n import _

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

#: settings of this run that the global options decide (see app.run())
RUN: dict[str, Any] = {"color": "auto", "cache": True, "lang": None}


def published_language(plans: Any) -> Optional[str]:
    """The language of what a command publishes from `plans` (a page, a document, the council's diff):
    --lang when given; else the plans' own language when they share one; else (plans in both written
    forms side by side) None, the run's language, since no plan's language can speak for the others."""
    if RUN["lang"] is not None:
        return RUN["lang"]
    languages = {getattr(plan, "language", "nb") for plan in plans if plan is not None}
    return languages.pop() if len(languages) == 1 else None


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    error(message)
    return typer.Exit(code)


def error(message: str) -> None:
    sys.stderr.write(_("error: {message}").format(message=message) + "\n")


def renderer(command: str, requested: Optional[str], default: str = "text") -> Any:
    """The renderer of `command`'s --format (any case); exit 2 listing the choices otherwise."""
    from ..render import formats

    chosen = formats.get(command, requested or default)
    if chosen is None:
        raise fail(_("--format {value} is not a format of {command}; use one of: {choices}").format(
            value=repr(requested), command=command, choices=", ".join(formats.names(command))))
    return chosen.load()


def checked_delimiter(value: str) -> str:
    if value not in (",", ";", "\t", "|"):
        raise fail(_("--delimiter {value} is not a CSV separator; use ',' ';' '|' or a tab").format(value=repr(value)))
    return value


def _console(err: bool = False, soft_wrap: bool = False) -> Any:
    """A rich console for stdout (or stderr): its width and colour decided in `output`."""
    from rich.console import Console

    from .. import output

    stream = sys.stderr if err else sys.stdout
    color = output.use_color(RUN["color"], stream)
    return Console(file=stream, width=output.width(stream), color_system="standard" if color else None,
                   force_terminal=color, soft_wrap=soft_wrap, markup=False, emoji=False, highlight=False)


def stdout_console() -> Any:
    """The console `emit` prints a renderable with, for a command that makes its lines before it emits them."""
    return _console()


def emit(result: Any) -> None:
    """Write a renderer's result: text as it is, a rich renderable through the console."""
    if isinstance(result, str):
        sys.stdout.write(result)
    elif isinstance(result, list):  # styled report lines
        print_lines(result)
    else:
        _print(result)


def _print(renderable: Any) -> None:
    """Rich output. Away from a terminal, lines carry no padding at their end."""
    from .. import output

    console = _console()
    made = getattr(renderable, "plain_lines", None)  # text made directly, where rich would print it without colour
    lines = made(console, console.options) if made is not None else None
    if lines is None:
        if output.is_terminal(sys.stdout):
            console.print(renderable)
            return
        with console.capture() as capture:
            console.print(renderable)
        texts = [capture.get()]
    else:  # a national table's text is tens of MB: written a thousand lines at a time, never joined whole
        texts = ("".join(line + "\n" for line in lines[start:start + 1000]) for start in range(0, len(lines), 1000))
    terminal = output.is_terminal(sys.stdout)
    for text in texts:
        sys.stdout.write(text if terminal else "".join(line.rstrip() + "\n" for line in text.splitlines()))


def print_lines(lines: list, err: bool = False) -> None:
    """Report lines (render/styled.py), never wrapped or cropped (editors and
    CI parse them): as plain text, or styled by rich where there is colour."""
    from .. import output
    from ..render import styled

    stream = sys.stderr if err else sys.stdout
    if not output.use_color(RUN["color"], stream):
        stream.write("".join(styled.plain(line) + "\n" for line in lines))
        return
    console = _console(err=err, soft_wrap=True)
    for line in lines:
        console.print(styled.to_rich(line))


def loaded_plans(paths: Optional[list[str]]) -> tuple[list, bool]:
    """The plans that load; each file that does not is named on stderr with its
    first finding. Returns (plans, whether some file failed)."""
    from ..repository import load_plans

    plans, problems = load_plans(paths, use_cache=RUN["cache"])
    for problem in problems:
        error(str(problem))
    if not plans and problems:
        raise typer.Exit(EXIT_USAGE)
    return plans, bool(problems)


def loaded_facts(paths: Optional[list[str]], texts: bool = False, outputs: bool = False,
                 keep: Any = None) -> tuple[list, bool]:
    """As loaded_plans, with each plan's facts from the store (query.PlanFacts) in place of the Plan, or
    `keep` of them (repository.load_facts: `texts`, `outputs`)."""
    from ..repository import load_facts

    kept, problems = load_facts(paths, use_cache=RUN["cache"], texts=texts, outputs=outputs, keep=keep)
    for problem in problems:
        error(str(problem))
    if not kept and problems:
        raise typer.Exit(EXIT_USAGE)
    return kept, bool(problems)


def chosen_plans(wanted: list[str], plans: list) -> list:
    """The plans --plan names (all when none); exit 2 for a name no plan has or a stem two files share."""
    from ..query import FilterError, choose_plans

    if not wanted:
        return plans
    try:
        return choose_plans(wanted, plans)
    except FilterError as exc:
        raise fail(str(exc)) from None


def write_file(path: str, text: str) -> None:
    """Write `text` to the file `path` (writing.py says how: whole or not at all, links and devices kept);
    exit 2 with one line when it cannot be written."""
    from ..writing import WriteError
    from ..writing import write_file as write

    try:
        write(path, text)
    except WriteError as exc:
        raise fail(write_error(exc)) from None


def write_error(exc: Any) -> str:
    """The one line for a file that could not be written (writing.WriteError)."""
    if exc.cut_short:
        return _("cannot write {path}: {reason}; it was written in place and may now be cut short").format(
            path=exc.path, reason=exc.reason)
    return _("cannot write {path}: {reason}").format(path=exc.path, reason=exc.reason)
