"""The command line: parses arguments, calls the library, picks a formatter and
sets the exit code. The only module that knows about Typer.

Exit codes: 0 fine, 1 findings (validate) or no match (query --exit-code),
2 bad usage or input that could not be read, 3 a bug in forebygging itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import Annotated, Any, Optional

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


REPORT_FORMATS = ("text", "json", "github", "junit")

#: The plan-file argument every command takes.
PlanPaths = Annotated[
    Optional[list[str]],
    typer.Argument(help="Plan files, directories or globs. Default: every *.yaml and *.yml under plans/.",
                   show_default=False),
]


@app.command()
def validate(
    paths: PlanPaths = None,
    output_format: Annotated[
        Optional[str],
        typer.Option("--format", "-f", help="text (default), json, github (default when GITHUB_ACTIONS=true) or junit.",
                     show_default=False),
    ] = None,
    select: Annotated[list[str], typer.Option("--select", help="Only these rules (ids or prefixes: FB3); repeatable.")] = [],
    ignore: Annotated[list[str], typer.Option("--ignore", help="Skip these rules (ids or prefixes); repeatable.")] = [],
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Check plan files against the schema and the plan rules.

    One line per finding: FILE:LINE:COL: SEVERITY [RULE] message. Exit 0 when
    clean, 1 when there are errors (or warnings with --strict), 2 when a file
    could not be read or the command is used wrongly. `forebygging rules` lists
    the rules.
    """
    import os

    from .discover import select as select_files
    from .rules import RULES
    from .validate import FIRST_SELECTABLE, select_rules, summarize, validate_paths

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format not in REPORT_FORMATS:
        raise _fail(f"--format {output_format!r} is not a report format; use one of: {', '.join(REPORT_FORMATS)}")
    select, ignore = [r.upper() for r in select], [r.upper() for r in ignore]
    for rule in (*select, *ignore):
        if not rule.startswith("FB") or not any(rule_id.startswith(rule) for rule_id in RULES):
            raise _fail(f"{rule!r} is not a rule id or prefix; `forebygging rules` lists them")
    for rule in ignore:
        if rule < FIRST_SELECTABLE and rule[:3] in ("FB0", "FB1"):
            raise _fail(f"--ignore {rule}: file and schema rules (FB0xx, FB1xx) cannot be ignored; "
                        "a file that breaks them was not checked at all")
    selection = select_files(paths)
    reports = [select_rules(r, select, ignore) for r in validate_paths(selection.files)]
    problems = selection.problems
    if output_format == "text":
        from .render import report_text

        for argument, reason in problems:
            typer.echo(f"{argument}: {reason}", err=True)
        for report in reports:
            if report.unreadable:
                typer.echo(f"{report.path}: {report.unreadable}", err=True)
        _print_lines(report_text.render(reports, strict), err=not reports)
    elif output_format == "json":
        from .render import report_json

        typer.echo(report_json.render(reports, problems))
    elif output_format == "github":
        from .render import report_github

        typer.echo(report_github.render(reports, problems))
    else:
        from .render import report_junit

        typer.echo(report_junit.render(reports, problems, strict))
    summary = summarize(reports)
    if summary.unreadable or problems or not reports:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if summary.failed(strict) else EXIT_OK)


@app.command()
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="A rule id, e.g. FB301, to explain.")] = None,
) -> None:
    """List the rules validate checks, or explain one with an example of the fix."""
    from .rules import BY_NAME, RULES
    from .vocab import closest

    if rule_id is None:
        for rule in RULES.values():
            typer.echo(f"{rule.id}  {rule.severity:<7}  {rule.name:<24}  {rule.summary}")
        typer.echo(f"\n{len(RULES)} rules. `forebygging rules ID` explains one.")
        return
    rule = RULES.get(rule_id.upper()) or BY_NAME.get(rule_id.lower())
    if rule is None:
        hint = closest(rule_id, list(RULES) + list(BY_NAME))
        raise _fail(f"no rule {rule_id!r}" + (f"; did you mean {hint}?" if hint else "; `forebygging rules` lists them"))
    typer.echo(f"{rule.id} {rule.name} ({rule.severity})\n\n{rule.summary}\n\n{rule.explanation}")


@app.command()
def schema(
    print_schema: Annotated[bool, typer.Option("--print", help="Print the schema itself instead of its path.")] = False,
) -> None:
    """Print the path of the bundled JSON Schema for plan files (for editors and other tools)."""
    from .schemafile import schema_path

    path = schema_path()
    if print_schema:
        typer.echo(path.read_text(encoding="utf-8"), nl=False)
    else:
        typer.echo(str(path))


FORMATS = ("text", "json", "csv", "markdown")


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _load(paths: Optional[list[str]]) -> list:
    """Valid plans for query/show; any file that cannot be used stops the command (exit 2)."""
    from .repository import load_plans

    plans, problems = load_plans(paths)
    if problems:
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_USAGE)
    return plans


def _choose_plans(wanted: Iterable[str], plans: list) -> list:
    """The plans --plan names (all when none); exit 2 for a name no plan has or a stem two files share."""
    from .query import FilterError, choose_plans

    wanted = list(wanted)
    if not wanted:
        return plans
    try:
        return choose_plans(wanted, plans)
    except FilterError as exc:
        raise _fail(str(exc)) from None


def _console(err: bool = False, soft_wrap: bool = False) -> Any:
    """A rich console for stdout (or stderr): its width and colour decided in `output`."""
    from rich.console import Console

    from . import output

    stream = sys.stderr if err else sys.stdout
    color = output.use_color(_COLOR[0], stream)
    return Console(
        file=stream,
        width=output.width(stream),
        color_system="standard" if color else None,
        force_terminal=color,
        soft_wrap=soft_wrap,
        markup=False,
        emoji=False,
        highlight=False,
    )


#: --color for this run (auto, always, never)
_COLOR = ["auto"]


def _print(renderable: object) -> None:
    """Rich output: colour only on a terminal, NO_COLOR honoured, never cut when piped."""
    _console().print(renderable)


def _print_lines(lines: list, err: bool = False) -> None:
    """Report lines, never wrapped or cropped (editors and CI parse them)."""
    console = _console(err=err, soft_wrap=True)
    for line in lines:
        console.print(line)


@app.command()
def query(
    paths: PlanPaths = None,
    age: Annotated[list[str], typer.Option("--age", help="Age in years (13) or a range (13-15); repeatable.")] = [],
    grade: Annotated[list[str], typer.Option("--grade", help="School grade (8) or range (8-10); grade N = age N+5.")] = [],
    stage: Annotated[
        list[str], typer.Option("--stage", help="barnehage, sfo, barneskole, ungdomsskole, vgs or pregnancy.")
    ] = [],
    level: Annotated[
        list[str],
        typer.Option("--level", help="universal/selected/indicated, or Norwegian: universelle, 'bra for alle', ..."),
    ] = [],
    unit: Annotated[list[str], typer.Option("--unit", help="A responsible unit's id, name or alias (PPT, helsestasjon).")] = [],
    service: Annotated[list[str], typer.Option("--service", help="Shared service type across plans (ppt, nav, barnevern, ...).")] = [],
    audience: Annotated[
        list[str], typer.Option("--audience", help="children, parents, pregnant, families or professionals.")
    ] = [],
    requires_decision: Annotated[
        Optional[bool],
        typer.Option("--requires-decision/--no-requires-decision", help="Only measures that do (not) need a formal decision (vedtak); 'Ja/nei' counts for both.", show_default=False),
    ] = None,
    text: Annotated[list[str], typer.Option("--text", help="Words in the name, description or target (accent-insensitive).")] = [],
    plan: Annotated[list[str], typer.Option("--plan", help="Only these plans, by file stem (lier, os).")] = [],
    include_unknown_age: Annotated[
        bool, typer.Option("--include-unknown-age", help="With an age filter, also list measures whose plan states no age (marked).")
    ] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json, csv or markdown.")] = "text",
    delimiter: Annotated[str, typer.Option("--delimiter", help="CSV column separator; ';' for Norwegian Excel.")] = ",",
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when nothing matches.")] = False,
) -> None:
    """Find measures by age, level, unit, audience and text, across every plan.

    Filters combine with AND; repeating one filter means OR. Example:
    forebygging query --age 13 --level indikerte --plan os
    """
    from . import query as q

    if output_format not in FORMATS:
        raise _fail(f"--format {output_format!r} is not a format; use one of: {', '.join(FORMATS)}")
    if delimiter not in (",", ";", "\t", "|"):
        raise _fail(f"--delimiter {delimiter!r} is not a CSV separator; use ',' ';' '|' or a tab")
    try:
        filters = q.Filters(
            ages=tuple(map(q.parse_age, age)),
            grades=tuple(map(q.parse_grade, grade)),
            stages=tuple(stage),
            levels=tuple(level),
            units=tuple(unit),
            services=tuple(service),
            audiences=tuple(audience),
            requires_decision=requires_decision,
            texts=tuple(text),
            plans=tuple(plan),
            include_unknown_age=include_unknown_age,
        )
    except q.FilterError as exc:
        raise _fail(str(exc)) from None
    plans = _choose_plans(filters.plans, _load(paths))
    matches = q.select(plans, replace(filters, plans=()))
    if output_format == "json":
        from .render import jsonout

        typer.echo(jsonout.render(matches))
    elif output_format == "csv":
        from .render import csvout

        typer.echo(csvout.render(matches, delimiter), nl=False)
    elif output_format == "markdown":
        from .render import markdown

        typer.echo(markdown.render(matches), nl=False)
    else:
        from .render import terminal

        _print(terminal.measures_view(matches))
    if exit_code and not matches:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def show(
    measure_id: Annotated[str, typer.Argument(metavar="ID", help="The measure's id, e.g. tranby-fritidsklubb (or plan:id).")],
    paths: PlanPaths = None,
    plan: Annotated[list[str], typer.Option("--plan", help="Only these plans, by file stem (lier, os).")] = [],
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print one measure in full: every field, the source plan and line, and derived marks."""
    from .render import detail
    from .vocab import closest

    if output_format not in ("text", "json"):
        raise _fail(f"--format {output_format!r} is not a format for show; use text or json")
    wanted_plans = list(plan)
    if ":" in measure_id:
        name, measure_id = measure_id.rsplit(":", 1)
        wanted_plans.append(name)
    plans = _choose_plans(wanted_plans, _load(paths))
    found = [(p, m) for p in plans for m in p.measures if m.id == measure_id]
    if not found:
        hint = closest(measure_id, [m.id for p in plans for m in p.measures])
        also = f"; did you mean '{hint}'?" if hint else "; `forebygging query` lists measures"
        raise _fail(f"no measure with id '{measure_id}'{also}")
    if output_format == "json":
        import json

        typer.echo(json.dumps([detail.record(p, m) for p, m in found], ensure_ascii=False, indent=2))
        return
    from .render import terminal

    for p, m in found:
        _print(terminal.detail_view(detail.rows(p, m)))


def main(argv: Optional[list[str]] = None) -> None:
    """Console-script entry point; exits with the command's exit code."""
    sys.exit(run(argv))


def run(argv: Optional[list[str]] = None) -> int:
    """Run one command and return its exit code. No traceback reaches a user:

    * a closed pipe (`forebygging validate | head -1`) ends quietly with 141,
      the status a shell gives a process stopped by SIGPIPE, for every command;
    * output that cannot be written (a full disk) is one line and exit 2;
    * a bug in the tool itself is one line on stderr and exit 3
      (FOREBYGGING_DEBUG=1 shows the traceback).
    """
    import os

    from typer._click.exceptions import ClickException

    from .output import EXIT_CLOSED_PIPE, OutputError, guard_standard_streams, silence_stdout

    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show æøå gets \xe6, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    guard_standard_streams()
    try:
        try:
            command = typer.main.get_command(app)
            result = command.main(args=argv, prog_name="forebygging", standalone_mode=False)
            code = result if isinstance(result, int) else EXIT_OK
        except typer.Exit as exc:
            code = exc.exit_code
        except ClickException as exc:
            exc.show()
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):  # pragma: no cover - interactive only
            code = 130
        sys.stdout.flush()
        return code
    except OutputError as exc:
        silence_stdout()
        if exc.closed_pipe:
            return EXIT_CLOSED_PIPE
        try:
            sys.stderr.write(f"forebygging: cannot write output: {exc.reason}\n")
            sys.stderr.flush()
        except OutputError:
            pass
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("FOREBYGGING_DEBUG"):
            raise
        sys.stderr.write(
            f"forebygging: internal error ({type(exc).__name__}: {exc}). This is a bug in forebygging, not in "
            "your plan; please report it with the command you ran (FOREBYGGING_DEBUG=1 shows the details).\n"
        )
        return 3
