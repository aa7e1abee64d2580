"""`forebygging validate`: check plan files against the schema and the plan rules."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, RUN, emit, error, fail, print_lines, renderer
from .options import FormatOption, PlanPaths
from .plumbing import command


@command(help=N_("Check plan files against the schema and the plan rules.\n\n"
                     "One line per finding: FILE:LINE:COL: SEVERITY [RULE] message. Exit 0 when clean, 1 when "
                     "there are errors (or warnings with --strict), 2 when a file could not be read or the command "
                     "is used wrongly. `forebygging rules` lists the rules. Give - to read a plan from standard "
                     "input."))
def validate(
    paths: PlanPaths = None,
    output_format: FormatOption = None,
    select: Annotated[list[str], typer.Option("--select", metavar=N_("RULE"),
                                              help=N_("Only these rules (ids or prefixes: FB3); repeatable."))] = [],
    ignore: Annotated[list[str], typer.Option("--ignore", metavar=N_("RULE"),
                                              help=N_("Skip these rules (ids or prefixes); repeatable."))] = [],
    strict: Annotated[bool, typer.Option("--strict", help=N_("Warnings fail too (exit 1)."))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=N_("Print errors and the summary only."))] = False,
    statistics: Annotated[bool, typer.Option("--statistics",
                                             help=N_("Print how many findings each rule has, not the findings."))] = False,
    stdin_filename: Annotated[Optional[str], typer.Option(
        "--stdin-filename", metavar=N_("NAME"),
        help=N_("The file name to report for a plan read from standard input (-)."))] = None,
) -> None:
    import os

    from ..batch import check_files
    from ..discover import select as select_files
    from ..findings import summarize
    from ..catalogue import RULES
    from ..validate import FIRST_SELECTABLE, across_files, select_rules, validate_text

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    render = renderer("validate", output_format)
    selected, ignored = [r.strip().upper() for r in select], [r.strip().upper() for r in ignore]
    for rule in (*selected, *ignored):
        if not rule.startswith("FB") or not any(rule_id.startswith(rule) for rule_id in RULES):
            raise fail(_("{rule} is not a rule id or prefix; `forebygging rules` lists them").format(rule=repr(rule)))
    for rule in ignored:
        if rule < FIRST_SELECTABLE and rule[:3] in ("FB0", "FB1"):
            raise fail(_("--ignore {rule}: file and schema rules (FB0xx, FB1xx) cannot be ignored; a file that "
                          "breaks them was not checked at all").format(rule=rule))
    from_stdin = "-" in (paths or [])
    if stdin_filename is not None and not from_stdin:
        raise fail(_("--stdin-filename names a plan read from standard input; give - as the file"))
    files = [p for p in paths or [] if p != "-"]
    selection = select_files(files or None) if files or not from_stdin else None
    # findings only: each plan is let go once checked, so memory stays flat over many files
    reports = check_files(selection.files if selection else [], use_cache=RUN["cache"], keep_plans=False)
    if from_stdin:
        if sys.stdin is None or getattr(sys.stdin, "closed", False):
            raise fail(_("standard input is closed; give a plan on it, or name the files"))
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        reports.append(validate_text(raw, stdin_filename or "<stdin>").without_plan())
    reports = [select_rules(r, selected, ignored) for r in across_files(reports)]
    problems = selection.problems if selection else ()
    is_text = output_format.strip().lower() == "text"
    if is_text:
        for argument, reason in problems:
            error(f"{argument}: {reason}")
        for report in reports:
            if report.unreadable:
                error(f"{report.path}: {report.unreadable}")
    if statistics and not is_text:
        raise fail(_("--statistics counts the findings for people; use it with --format text"))
    result = render(reports, problems, strict=strict, quiet=quiet, statistics=statistics)
    if is_text:
        print_lines(result, err=not reports)
    else:
        emit(result)
    summary = summarize(reports)
    if summary.unreadable or problems or not reports:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if summary.failed(strict) else EXIT_OK)
