"""The command line: parses arguments, calls the library, picks a renderer
from the format registry and sets the exit code. The only module that knows
about Typer (and, in `localize`, the click it vendors).

One language per run (`--lang`, FOREBYGGING_LANG or the locale; see i18n.py):
`run()` chooses it before the commands' help is built, so `--help`, usage
errors and every message speak it. `--lang` and `--color` are global options
that may also stand after the command name.

Exit codes: 0 fine, 1 findings (validate) or no match (query --exit-code),
2 bad usage or input that could not be read (also when some plans could not
be read and the others answered), 3 a bug in forebygging itself, 141 the
reader of the output went away (a closed pipe).
"""

# No `from __future__ import annotations` here: typer reads each command's
# parameters from its annotations, and string annotations it must evaluate
# (twice) on every run; evaluated once at import they cost a query 7 ms less.

import sys
from typing import Annotated, Any, Optional

import typer

from . import __version__
from .i18n import N_, _, ngettext

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    name="forebygging",
    help=N_("Plans for preventing child neglect and behavioural problems (barnevernsloven § 15-1), as data: "
            "validate, query, show, list plans and units."),
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: every command takes -h as well as --help
CONTEXT = {"help_option_names": ["-h", "--help"]}

#: settings of this run that the global options decide (see run())
_RUN: dict[str, Any] = {"color": "auto", "cache": True}

#: click's and typer's own messages that the catalogues translate (see localize())
_FRAMEWORK_MESSAGES = (
    N_("Show this message and exit."), N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"),
    N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forebygging {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help=N_("Print the version and exit."))] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", metavar="nb|en",
        help=N_("Language of all output: nb (bokmål) or en (English). Default: FOREBYGGING_LANG, else the locale "
                "(en_* gives English, anything else bokmål)."))] = None,
    color: Annotated[Optional[str], typer.Option(
        "--color", metavar="auto|always|never",
        help=N_("Colour and bold: auto (on a terminal, unless NO_COLOR is set), always or never."))] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache",
        help=N_("Check every plan file afresh: neither read nor write the cache of checked plans (by default an "
                "unchanged file is not checked again; see the README)."))] = False,
) -> None:
    """The global options; run() has read --lang and --color before this is called."""


# ---------------------------------------------------------------------------
# shared parameters and helpers

#: The plan-file argument every command takes.
PlanPaths = Annotated[
    Optional[list[str]],
    typer.Argument(metavar=N_("[PLAN]..."), show_default=False,
                   help=N_("Plan files, directories or globs. Default: every *.yaml and *.yml under the plan "
                           "repository's plans/ directory (the nearest one here or above, or FOREBYGGING_PLANS)."))]
FormatOption = Annotated[Optional[str], typer.Option("--format", "-f", metavar=N_("FORMAT"), show_default=False)]
DelimiterOption = Annotated[str, typer.Option("--delimiter", metavar=N_("CHARACTER"),
                                              help=N_("CSV column separator; ';' for Norwegian Excel."))]
PlanOption = Annotated[list[str], typer.Option("--plan", metavar=N_("PLAN"),
                                               help=N_("Only these plans: a file stem (lier, os) or a path; "
                                                       "repeatable."))]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    _error(message)
    return typer.Exit(code)


def _error(message: str) -> None:
    sys.stderr.write(_("error: {message}").format(message=message) + "\n")


def _format(command: str, requested: Optional[str], default: str = "text") -> Any:
    """The renderer of `command`'s --format (any case); exit 2 listing the choices otherwise."""
    from .render import formats

    chosen = formats.get(command, requested or default)
    if chosen is None:
        raise _fail(_("--format {value} is not a format of {command}; use one of: {choices}").format(
            value=repr(requested), command=command, choices=", ".join(formats.names(command))))
    return chosen.load()


def _delimiter(value: str) -> str:
    if value not in (",", ";", "\t", "|"):
        raise _fail(_("--delimiter {value} is not a CSV separator; use ',' ';' '|' or a tab").format(value=repr(value)))
    return value


def _console(err: bool = False, soft_wrap: bool = False) -> Any:
    """A rich console for stdout (or stderr): its width and colour decided in `output`."""
    from rich.console import Console

    from . import output

    stream = sys.stderr if err else sys.stdout
    color = output.use_color(_RUN["color"], stream)
    return Console(file=stream, width=output.width(stream), color_system="standard" if color else None,
                   force_terminal=color, soft_wrap=soft_wrap, markup=False, emoji=False, highlight=False)


def _emit(result: Any) -> None:
    """Write a renderer's result: text as it is, a rich renderable through the console."""
    if isinstance(result, str):
        sys.stdout.write(result)
    elif isinstance(result, list):  # styled report lines
        _print_lines(result)
    else:
        _print(result)


def _print(renderable: Any) -> None:
    """Rich output. Away from a terminal, lines carry no padding at their end."""
    from . import output

    console = _console()
    if output.is_terminal(sys.stdout):
        console.print(renderable)
        return
    with console.capture() as capture:
        console.print(renderable)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in capture.get().splitlines()))


def _print_lines(lines: list, err: bool = False) -> None:
    """Report lines (render/styled.py), never wrapped or cropped (editors and
    CI parse them): as plain text, or styled by rich where there is colour."""
    from . import output
    from .render import styled

    stream = sys.stderr if err else sys.stdout
    if not output.use_color(_RUN["color"], stream):
        stream.write("".join(styled.plain(line) + "\n" for line in lines))
        return
    console = _console(err=err, soft_wrap=True)
    for line in lines:
        console.print(styled.to_rich(line))


def _load(paths: Optional[list[str]]) -> tuple[list, bool]:
    """The plans that load; each file that does not is named on stderr with its
    first finding. Returns (plans, whether some file failed)."""
    from .repository import load_plans

    plans, problems = load_plans(paths, use_cache=_RUN["cache"])
    for problem in problems:
        _error(str(problem))
    if not plans and problems:
        raise typer.Exit(EXIT_USAGE)
    return plans, bool(problems)


def _choose_plans(wanted: list[str], plans: list) -> list:
    """The plans --plan names (all when none); exit 2 for a name no plan has or a stem two files share."""
    from .query import FilterError, choose_plans

    if not wanted:
        return plans
    try:
        return choose_plans(wanted, plans)
    except FilterError as exc:
        raise _fail(str(exc)) from None


# ---------------------------------------------------------------------------
# validate, rules, schema


@app.command(context_settings=CONTEXT, help=N_("Check plan files against the schema and the plan rules.\n\n"
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

    from .batch import check_files
    from .discover import select as select_files
    from .findings import summarize
    from .rules import RULES
    from .validate import FIRST_SELECTABLE, across_files, select_rules, validate_text

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    render = _format("validate", output_format)
    selected, ignored = [r.strip().upper() for r in select], [r.strip().upper() for r in ignore]
    for rule in (*selected, *ignored):
        if not rule.startswith("FB") or not any(rule_id.startswith(rule) for rule_id in RULES):
            raise _fail(_("{rule} is not a rule id or prefix; `forebygging rules` lists them").format(rule=repr(rule)))
    for rule in ignored:
        if rule < FIRST_SELECTABLE and rule[:3] in ("FB0", "FB1"):
            raise _fail(_("--ignore {rule}: file and schema rules (FB0xx, FB1xx) cannot be ignored; a file that "
                          "breaks them was not checked at all").format(rule=rule))
    from_stdin = "-" in (paths or [])
    if stdin_filename is not None and not from_stdin:
        raise _fail(_("--stdin-filename names a plan read from standard input; give - as the file"))
    files = [p for p in paths or [] if p != "-"]
    selection = select_files(files or None) if files or not from_stdin else None
    # findings only: each plan is let go once checked, so memory stays flat over many files
    reports = check_files(selection.files if selection else [], use_cache=_RUN["cache"], keep_plans=False)
    if from_stdin:
        if sys.stdin is None or getattr(sys.stdin, "closed", False):
            raise _fail(_("standard input is closed; give a plan on it, or name the files"))
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        reports.append(validate_text(raw, stdin_filename or "<stdin>").without_plan())
    reports = [select_rules(r, selected, ignored) for r in across_files(reports)]
    problems = selection.problems if selection else ()
    is_text = output_format.strip().lower() == "text"
    if is_text:
        for argument, reason in problems:
            _error(f"{argument}: {reason}")
        for report in reports:
            if report.unreadable:
                _error(f"{report.path}: {report.unreadable}")
    if statistics and not is_text:
        raise _fail(_("--statistics counts the findings for people; use it with --format text"))
    result = render(reports, problems, strict=strict, quiet=quiet, statistics=statistics)
    if is_text:
        _print_lines(result, err=not reports)
    else:
        _emit(result)
    summary = summarize(reports)
    if summary.unreadable or problems or not reports:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if summary.failed(strict) else EXIT_OK)


@app.command(context_settings=CONTEXT, help=N_("List the rules validate checks, or explain one with an example of the fix."))
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar=N_("[RULE]"),
                                                     help=N_("A rule id or name to explain, e.g. FB301."))] = None,
) -> None:
    from .rules import BY_NAME, RULES, sorted_rules
    from .vocab import closest

    if rule_id is None:
        width = max(len(r.name) for r in RULES.values())
        for rule in sorted_rules():
            sys.stdout.write(f"{rule.id}  {rule.severity_word:<9}  {rule.name:<{width}}  {_(rule.summary)}\n")
        sys.stdout.write("\n" + _("{count} rules. `forebygging rules ID` explains one.").format(count=len(RULES)) + "\n")
        return
    rule = RULES.get(rule_id.strip().upper()) or BY_NAME.get(rule_id.strip().lower())
    if rule is None:
        hint = closest(rule_id, list(RULES) + list(BY_NAME))
        raise _fail(_("no rule {rule}; did you mean {hint}?").format(rule=repr(rule_id), hint=hint) if hint
                    else _("no rule {rule}; `forebygging rules` lists them").format(rule=repr(rule_id)))
    sys.stdout.write(f"{rule.id} {rule.name} ({rule.severity_word})\n\n{_(rule.summary)}\n\n{_(rule.explanation)}\n")


@app.command(context_settings=CONTEXT, help=N_("Print the path of the bundled JSON Schema for plan files (for editors and other tools)."))
def schema(
    print_schema: Annotated[bool, typer.Option("--print", help=N_("Print the schema itself instead of its path."))] = False,
) -> None:
    from .schemafile import schema_path

    path = schema_path()
    sys.stdout.write(path.read_text(encoding="utf-8") if print_schema else f"{path}\n")


# ---------------------------------------------------------------------------
# query and show


@app.command(context_settings=CONTEXT, help=N_("Find measures by age, level, unit, audience and text, across every plan.\n\n"
                     "Filters combine with AND; repeating one filter means OR. Example: forebygging query --age 13 "
                     "--level indikerte --plan os"))
def query(
    paths: PlanPaths = None,
    age: Annotated[list[str], typer.Option("--age", metavar=N_("AGE"),
                                           help=N_("Age in years (13) or a range (13-15); repeatable."))] = [],
    grade: Annotated[list[str], typer.Option("--grade", metavar=N_("GRADE"),
                                             help=N_("School grade (8), a range (8-10) or vg1-vg3 (grades 11-13); "
                                                     "grade N = age N+5."))] = [],
    stage: Annotated[list[str], typer.Option("--stage", metavar=N_("STAGE"),
                                             help=N_("barnehage, sfo, barneskole, ungdomsskole, grunnskole, vgs or "
                                                     "pregnancy (gravide)."))] = [],
    level: Annotated[list[str], typer.Option("--level", metavar=N_("LEVEL"),
                                             help=N_("universal/selected/indicated, or in Norwegian: universelle, "
                                                     "'bra for alle', indikerte, ..."))] = [],
    unit: Annotated[list[str], typer.Option("--unit", metavar=N_("UNIT"),
                                            help=N_("A responsible unit's name, alias or id, as people write it "
                                                    "(PPT, helsestasjonen, barnevernet); includes its sub-units."))] = [],
    service: Annotated[list[str], typer.Option("--service", metavar=N_("SERVICE"),
                                               help=N_("Shared service type across plans (ppt, nav, barnevern, "
                                                       "...)."))] = [],
    audience: Annotated[list[str], typer.Option("--audience", metavar=N_("WHO"),
                                                help=N_("children, parents, pregnant, families or professionals "
                                                        "(barn, foreldre, gravide, familier, ansatte)."))] = [],
    requires_decision: Annotated[Optional[bool], typer.Option(
        "--requires-decision/--no-requires-decision", show_default=False,
        help=N_("Only measures that do (not) need a formal decision (vedtak); 'Ja/nei' counts for both."))] = None,
    text: Annotated[list[str], typer.Option("--text", metavar=N_("WORDS"),
                                            help=N_("Words that must all occur in the name, description or target "
                                                    "(a quoted phrase stays a phrase); repeat for OR."))] = [],
    plan: PlanOption = [],
    include_unknown_age: Annotated[bool, typer.Option(
        "--include-unknown-age",
        help=N_("With an age filter, also list measures that state no age (marked)."))] = False,
    sort: Annotated[str, typer.Option("--sort", metavar="plan|name|level|age",
                                      help=N_("Order within each plan: as in the plan (default), by name, level or "
                                              "age."))] = "plan",
    count: Annotated[bool, typer.Option("--count", help=N_("Count the measures per plan and level; no rows."))] = False,
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
    exit_code: Annotated[bool, typer.Option("--exit-code", help=N_("Exit 1 when nothing matches."))] = False,
) -> None:
    from . import query as q

    render = _format("count" if count else "query", output_format)
    delimiter = _delimiter(delimiter)
    try:
        filters = q.Filters(
            ages=tuple(map(q.parse_age, age)), grades=tuple(map(q.parse_grade, grade)), stages=tuple(stage),
            levels=tuple(level), units=tuple(unit), services=tuple(service), audiences=tuple(audience),
            requires_decision=requires_decision, texts=tuple(text), include_unknown_age=include_unknown_age,
        )
        order = q.parse_sort(sort)
    except q.FilterError as exc:
        raise _fail(str(exc)) from None
    loaded, failed = _load(paths)
    plans = _choose_plans(plan, loaded)
    unknown = q.unknown_units(filters.units, plans)
    for word, close in unknown:
        hint = _("; the closest are: {names}").format(names=", ".join(close)) if close else ""
        _error(_("no unit called {unit} in {plans}{hint}; `forebygging units` lists them").format(
            unit=repr(word), plans=", ".join(p.stem for p in plans), hint=hint))
    if unknown:
        raise typer.Exit(EXIT_USAGE)
    selection = q.search(plans, filters)
    selection = q.Selection(q.sort_matches(selection.matches, order), selection.left_out)
    _emit(render(selection, delimiter=delimiter, plans=plans))
    if failed:
        raise typer.Exit(EXIT_USAGE)
    if exit_code and not selection.matches:
        raise typer.Exit(EXIT_FINDINGS)


@app.command(context_settings=CONTEXT, help=N_("Print measures in full: every field, where the plan says it, and derived marks.\n\n"
                     "Each ID is a measure's id (tranby-fritidsklubb), or PLAN:ID where several plans are loaded "
                     "(os:mst); other arguments are plan files, directories or globs."))
def show(
    arguments: Annotated[list[str], typer.Argument(metavar=N_("ID... [PLAN]..."), show_default=False,
                                                   help=N_("Measure ids, then plan files if not the default."))],
    plan: PlanOption = [],
    output_format: FormatOption = None,
) -> None:
    from .render import detail
    from .vocab import closest

    render = _format("show", output_format)
    ids, paths = _split_ids(arguments)
    if not ids:
        raise _fail(_("give a measure id, e.g. forebygging show tranby-fritidsklubb"))
    loaded, failed = _load(paths or None)
    found = []
    for wanted in ids:
        names = list(plan)
        if ":" in wanted:
            name, wanted = wanted.rsplit(":", 1)
            names.append(name)
        plans = _choose_plans(names, loaded)
        hits = [(p, m) for p in plans for m in p.measures if m.id == wanted]
        if not hits:
            hint = closest(wanted, [m.id for p in plans for m in p.measures])
            searched = ", ".join(f"{p.stem} ({p.path})" for p in plans)
            also = (_("did you mean '{id}'?").format(id=hint) if hint
                    else _("`forebygging query` lists measures with their ids"))
            raise _fail(_("no measure with id '{id}' in {plans}; {hint}").format(id=wanted, plans=searched, hint=also))
        found += [(p, m, detail.rows(p, m)) for p, m in hits]
    _emit(render(found))
    if failed:
        raise typer.Exit(EXIT_USAGE)


def _split_ids(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Measure ids (slugs, or PLAN:ID) and plan paths (what exists, or looks like a path or a glob)."""
    import glob
    import os
    import re

    ids, paths = [], []
    for argument in arguments:
        if re.fullmatch(r".+:[a-z0-9]+(-[a-z0-9]+)*", argument) and not os.path.exists(argument):
            ids.append(argument)
        elif os.path.exists(argument) or glob.has_magic(argument) or os.sep in argument \
                or argument.endswith((".yaml", ".yml")):
            paths.append(argument)
        else:
            ids.append(argument)
    return ids, paths


# ---------------------------------------------------------------------------
# diff


@app.command(context_settings=CONTEXT, help=N_("Show what changed between two versions of a plan, in words a council reads.\n\n"
                     "OLD and NEW are plan files or REV:PATH read from git (HEAD~1:plans/lier.yaml, "
                     "vedtatt-2024:plans/lier.yaml). With one REV, or none (HEAD), every plan file that changed "
                     "between it and the working tree; with --staged, between HEAD and what is staged. Exit 0, or "
                     "with --exit-code 1 on any change (--fail-on major: on major changes only); 2 when a side "
                     "cannot be read."))
def diff(
    sides: Annotated[Optional[list[str]], typer.Argument(metavar=N_("[OLD [NEW]]"), show_default=False,
                                                         help=N_("Two plans to compare, or one revision."))] = None,
    staged: Annotated[bool, typer.Option("--staged", "--cached",
                                         help=N_("Compare what is staged for the next commit with HEAD."))] = False,
    output_format: FormatOption = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help=N_("Exit 1 when anything changed."))] = False,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", metavar="major|minor",
        help=N_("Exit 1 when a change of this severity (or greater) is found: major or minor."))] = None,
    kinds: Annotated[bool, typer.Option("--kinds", help=N_("List the kinds of change and their severity."))] = False,
) -> None:
    from . import revisions
    from .diff import KINDS_LIST, SEVERITIES

    if kinds:
        for kind in KINDS_LIST:
            severity = _("major") if kind.severity == "major" else _("minor")
            sys.stdout.write(f"{kind.id:<26} {severity:<7} {_(kind.meaning)}\n")
        return
    render = _format("diff", output_format)
    if fail_on is not None and fail_on.strip().lower() not in SEVERITIES:
        raise _fail(_("--fail-on {value}: use major or minor").format(value=repr(fail_on)))
    sides = sides or []
    if len(sides) > 2 or (staged and sides and len(sides) != 1):
        raise _fail(_("give two plans to compare (OLD NEW), one revision, or none; see forebygging diff --help"))
    try:
        pairs = _diff_pairs(sides, staged)
    except revisions.RevisionError as exc:
        raise _fail(str(exc)) from None
    results = []
    for old, new in pairs:
        results.append(_compare_sources(old, new))
    _emit(render(results))
    threshold = fail_on.strip().lower() if fail_on else ("minor" if exit_code else None)
    if threshold is not None:
        changed = [c for d in results for c in d.changes if threshold == "minor" or c.severity == "major"]
        if changed:
            raise typer.Exit(EXIT_FINDINGS)


def _diff_pairs(sides: list[str], staged: bool) -> list:
    """(old, new) sources to compare, from the arguments."""
    import os

    from . import revisions
    from .discover import plans_directory

    if len(sides) == 2:
        return [(revisions.parse_side(sides[0]), revisions.parse_side(sides[1]))]
    if len(sides) == 1 and os.path.isfile(sides[0]) and not staged:
        return [(revisions.Source(sides[0], "HEAD"), revisions.Source(sides[0]))]
    directory = plans_directory()
    if directory is None:
        raise _fail(_("no plans/ directory here or above; name the two plans to compare"))
    return revisions.changed_plans(sides[0] if sides else None, staged, directory)


def _compare_sources(old: Any, new: Any) -> Any:
    """Both sides read and checked like validate does; a side that breaks the
    schema or its references is reported as findings and ends the command (exit 2)."""
    from .diff import compare

    return compare(_side_plan(old), _side_plan(new), old.name if old else "–", new.name if new else "–")


def _side_plan(source: Any) -> Any:
    from . import revisions
    from .findings import structural
    from .validate import validate_file, validate_text

    if source is None:
        return None
    try:
        text = revisions.read(source)
    except revisions.RevisionError as exc:
        raise _fail(str(exc)) from None
    report = validate_file(source.path) if text is None else validate_text(text, source.name)
    if report.unreadable:
        raise _fail(f"{source.name}: {report.unreadable}")
    broken = structural(report.findings)
    if report.plan is None or broken:
        for finding in broken or report.findings:
            sys.stderr.write(f"{finding}\n")
        raise _fail(_("{name} is not a valid plan; it cannot be compared (`forebygging validate` shows why)").format(
            name=source.name))
    return report.plan


# ---------------------------------------------------------------------------
# coverage and render


@app.command(context_settings=CONTEXT, help=N_(
    "Show where a municipality has measures and where it has none: prevention levels by age band (svangerskap, "
    "0-2, 3-5, 6-12, 13-18, 19-25, and measures with no stated age), or with --by service, services by level. "
    "Several plans side by side: the cells where one has measures and another none are marked."))
def coverage(
    paths: PlanPaths = None,
    by: Annotated[str, typer.Option("--by", metavar="age|service",
                                    help=N_("Rows and columns: age (levels by age band) or service."))] = "age",
    plan: PlanOption = [],
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
) -> None:
    from . import coverage as cov

    render = _format("coverage", output_format)
    delimiter = _delimiter(delimiter)
    mode = by.strip().lower()
    if mode not in cov.BY:
        raise _fail(_("--by {value}: use age or service").format(value=repr(by)))
    loaded, failed = _load(paths)
    _emit(render(cov.matrices(_choose_plans(plan, loaded), mode), delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)


@app.command(name="render", context_settings=CONTEXT, help=N_(
    "Turn a plan into what people read: the terminal (the prevention pyramid and the measures), a Markdown "
    "document of the whole plan, or one standalone HTML page a municipality can publish (no external requests, "
    "filters by age, level, unit and words). Templates (jinja2) ship in the package; --template DIR overrides any "
    "of them."))
def render_plan(
    path: Annotated[str, typer.Argument(metavar=N_("PLAN"), help=N_("The plan file to render."))],
    output_format: Annotated[Optional[str], typer.Option("--format", "-f", metavar=N_("FORMAT"),
                                                         show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar=N_("FILE"),
                                                  help=N_("Write to this file instead of standard output."))] = None,
    template: Annotated[Optional[str], typer.Option("--template", metavar=N_("DIR"),
                                                    help=N_("A directory whose templates replace the shipped "
                                                            "ones of the same name (plan.md.j2, plan.html.j2, "
                                                            "page.css, page.js)."))] = None,
    by: Annotated[str, typer.Option("--by", metavar="level|age|unit",
                                    help=N_("Group the measures in the terminal by level, age band or unit."))]
    = "level",
) -> None:
    from .render import document, templating

    render = _format("render", output_format, default="terminal")
    grouping = by.strip().lower()
    if grouping not in document.GROUPINGS:
        raise _fail(_("--by {value}: use level, age or unit").format(value=repr(by)))
    loaded, _failed = _load([path])
    if len(loaded) != 1:
        raise _fail(_("render takes one plan file; {path} holds {count}").format(path=path, count=len(loaded)))
    [plan] = loaded
    html = (output_format or "").strip().lower() == "html"
    context = document.plan_context(plan, "level" if html else grouping)
    try:
        result = render(context, template_dir=template)
    except templating.TemplateProblem as exc:
        raise _fail(str(exc)) from None
    if output is None:
        _emit(result)
        return
    if not isinstance(result, str):
        result = _plain_text(result)
    _write_file(output, result)


def _plain_text(renderable: Any) -> str:
    """A rich renderable as plain text (for a file)."""
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(file=buffer, width=100, color_system=None, markup=False, emoji=False, highlight=False).print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _write_file(path: str, text: str) -> None:
    """Write `text` to `path` whole or not at all: a temporary file beside it, then a rename."""
    import os
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".forebygging-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            if os.path.exists(path):
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
            else:
                os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise _fail(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None


# ---------------------------------------------------------------------------
# new and fmt


@app.command(context_settings=CONTEXT, help=N_(
    "Start a municipality's plan file: every section barnevernsloven § 15-1 and the guidance ask for, each with a "
    "comment that says what belongs there and which rule checks it, and an example measure per level. Never "
    "overwrites a file."))
def new(
    municipality: Annotated[str, typer.Argument(metavar=N_("MUNICIPALITY"),
                                                help=N_("The municipality's name, e.g. \"Fjordvik kommune\"."))],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar=N_("FILE"),
        help=N_("Where to write it. Default: plans/<name>.yaml in the plan repository (fjordvik.yaml)."))] = None,
) -> None:
    import os

    from .discover import plans_directory
    from .schemafile import schema_path
    from .skeleton import skeleton, stem_for

    if not municipality.strip():
        raise _fail(_("give the municipality's name, e.g. forebygging new \"Fjordvik kommune\""))
    stem = stem_for(municipality)
    target = output or os.path.join(plans_directory() or "plans", f"{stem}.yaml")
    directory = os.path.dirname(os.path.abspath(target))
    repository_schema = os.path.join(os.path.dirname(directory), "schemas", "plan.schema.json")
    schema = repository_schema if os.path.isfile(repository_schema) else str(schema_path())
    reference = os.path.relpath(schema, directory) if os.path.isfile(repository_schema) else schema
    text = skeleton(municipality.strip(), reference)
    try:
        os.makedirs(directory, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, not even in a race
            handle.write(text)
    except FileExistsError:
        raise _fail(_("{path} already exists; new never overwrites a plan: edit it, or choose another file with -o")
                    .format(path=target)) from None
    except OSError as exc:
        raise _fail(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    sys.stdout.write(_("Wrote {path}. Next: fill it in from the plan document, and run forebygging validate {path} "
                       "to see what is missing.").format(path=target) + "\n")


@app.command(context_settings=CONTEXT, help=N_(
    "Put plan files in one canonical shape: keys in the schema's order, two-space indentation, one quoting style, "
    "long text never re-wrapped, every comment kept where it was. Layout only: the plan read back is the same, "
    "value for value. A file that does not parse or breaks the schema is left as it is, with the finding."))
def fmt(
    paths: PlanPaths = None,
    check: Annotated[bool, typer.Option("--check", help=N_(
        "Change nothing; exit 1 when a file would change (for CI and pre-commit)."))] = False,
    show_diff: Annotated[bool, typer.Option("--diff", help=N_(
        "Change nothing; print the changes fmt would make, as a unified diff."))] = False,
) -> None:
    import difflib

    from .discover import select as select_files
    from .fmt import FormatError, canonical
    from .load import PlanFileError, UnreadableFile, read_text
    from .validate import validate_text

    selection = select_files(paths)
    for argument, reason in selection.problems:
        _error(f"{argument}: {reason}")
    changed: list[str] = []
    failed = len(selection.problems)
    for path in selection.files:
        try:
            text = read_text(path)
        except UnreadableFile as exc:
            _error(f"{path}: {exc.reason}")
            failed += 1
            continue
        except PlanFileError as exc:
            sys.stderr.write(f"{path}:{exc.line}:{exc.column}: {exc.message}\n")
            failed += 1
            continue
        report = validate_text(text, path)
        # a file that does not parse or breaks the schema; a dangling reference or a
        # missing section (FB2xx, FB3xx) is a planner mid-edit, and layout is still layout
        broken = [f for f in report.findings if f.severity == "error" and f.rule < "FB200"]
        if broken:
            for finding in broken:
                sys.stderr.write(f"{finding}\n")
            _error(_("{path} is left as it is: fix these first (it must parse and match the schema)").format(
                path=path))
            failed += 1
            continue
        try:
            formatted = canonical(text)
        except FormatError as exc:  # fmt's own safety check caught it: a bug to report, the file untouched
            _error(_("{path} is left as it is: fmt could not keep the change to layout only ({reason}); please "
                     "report this").format(path=path, reason=exc))
            failed += 1
            continue
        if formatted == text:
            continue
        changed.append(path)
        if show_diff:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True),
                                                       formatted.splitlines(keepends=True), f"{path}", f"{path}"))
        elif check:
            sys.stdout.write(_("would reformat {path}").format(path=path) + "\n")
        else:
            _write_file(path, formatted)
            sys.stdout.write(_("reformatted {path}").format(path=path) + "\n")
    unchanged = len(selection.files) - len(changed) - failed + len(selection.problems)
    if check or show_diff:
        summary = ngettext("{count} file would be reformatted, {unchanged} already canonical.",
                           "{count} files would be reformatted, {unchanged} already canonical.", len(changed))
    else:
        summary = ngettext("{count} file reformatted, {unchanged} already canonical.",
                           "{count} files reformatted, {unchanged} already canonical.", len(changed))
    if failed:
        summary += " " + ngettext("{failed} file left as it is.", "{failed} files left as they are.", failed)
    sys.stderr.write(summary.format(count=len(changed), unchanged=unchanged, failed=failed) + "\n")
    if failed:
        raise typer.Exit(EXIT_USAGE)
    if (check or show_diff) and changed:
        raise typer.Exit(EXIT_FINDINGS)


# ---------------------------------------------------------------------------
# plans and units


@app.command(context_settings=CONTEXT, help=N_("List the plans: file, municipality, period, adoption and measures per level."))
def plans(
    paths: PlanPaths = None,
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
) -> None:
    render = _format("plans", output_format)
    delimiter = _delimiter(delimiter)
    loaded, failed = _load(paths)
    _emit(render(loaded, delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)


@app.command(context_settings=CONTEXT, help=N_("List each plan's responsible units: id, name, other names, service and how many measures "
                     "each is responsible for."))
def units(
    paths: PlanPaths = None,
    plan: PlanOption = [],
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
) -> None:
    render = _format("units", output_format)
    delimiter = _delimiter(delimiter)
    loaded, failed = _load(paths)
    _emit(render(_choose_plans(plan, loaded), delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)


# ---------------------------------------------------------------------------
# running a command


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

    from . import i18n
    from .output import COLOR_CHOICES, EXIT_CLOSED_PIPE, OutputError, guard_standard_streams, silence_stdout

    if sys.stderr is None:  # started with stderr closed (2>&-): messages go nowhere, exit codes still tell
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stdout is None:  # started with stdout closed (>&-)
        sys.stderr.write(_("forebygging: cannot write output: {reason}").format(reason=_("standard output is closed"))
                         + "\n")
        return EXIT_USAGE
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show æøå gets \xe6, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    guard_standard_streams()
    try:
        try:
            args = list(sys.argv[1:] if argv is None else argv)
            globals_, args = _global_options(args)
            try:
                i18n.activate(i18n.choose(globals_.get("--lang")))
            except i18n.UnknownLanguage as exc:
                i18n.activate(i18n.choose(None, {}))
                raise _UsageProblem(_("{setting} is not a language of forebygging; use one of: {choices}").format(
                    setting=exc, choices=", ".join(i18n.available())))
            color = globals_.get("--color", "auto").lower()
            if color not in COLOR_CHOICES:
                raise _UsageProblem(_("--color {value}: use one of: {choices}").format(
                    value=repr(color), choices=", ".join(COLOR_CHOICES)))
            _RUN["color"] = color
            _RUN["cache"] = "--no-cache" not in globals_
            command = localize(typer.main.get_command(_app_for(args)))
            result = command.main(args=args, prog_name="forebygging", standalone_mode=False)
            code = result if isinstance(result, int) else EXIT_OK
        except typer.Exit as exc:
            code = exc.exit_code
        except _UsageProblem as exc:
            _error(str(exc))
            code = EXIT_USAGE
        except _click_exception() as exc:
            sys.stderr.write(usage_error_text(exc))
            code = getattr(exc, "exit_code", EXIT_USAGE)
        except (typer.Abort, KeyboardInterrupt):  # pragma: no cover - interactive only
            code = 130
        sys.stdout.flush()
        return code
    except OutputError as exc:
        silence_stdout()
        if exc.closed_pipe:
            return EXIT_CLOSED_PIPE
        try:
            sys.stderr.write(_("forebygging: cannot write output: {reason}").format(reason=exc.reason) + "\n")
            sys.stderr.flush()
        except OutputError:
            pass
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("FOREBYGGING_DEBUG"):
            raise
        sys.stderr.write(_(
            "forebygging: internal error ({error}). This is a bug in forebygging, not in your plan; please report it "
            "with the command you ran (FOREBYGGING_DEBUG=1 shows the details).").format(
            error=f"{type(exc).__name__}: {exc}") + "\n")
        return EXIT_BUG


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command this run calls: typer builds the parameters
    of every registered command on each run (inspecting signatures and type
    hints), which costs more than most commands take. Help without a command,
    an unknown command and shell completion get every command."""
    import copy
    import os

    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return app
    named = None
    for arg in args:
        if arg in ("-h", "--help") or arg == "--":
            return app
        if not arg.startswith("-"):
            named = arg
            break
    if named is None and "--version" not in args:
        return app
    chosen = [info for info in app.registered_commands
              if (info.name or info.callback.__name__.replace("_", "-")) == named]  # type: ignore[union-attr]
    if named is not None and not chosen:
        return app  # click says it is no command and suggests the closest
    subset = copy.copy(app)
    subset.registered_commands = chosen
    return subset


class _UsageProblem(Exception):
    """A global option with a value the tool does not know."""


GLOBAL_OPTIONS = ("--lang", "--color")
GLOBAL_FLAGS = ("--no-cache",)


def _global_options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take --lang, --color and --no-cache out of the arguments wherever they
    stand (before a `--`), so they work after the command name too."""
    found: dict[str, str] = {}
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name, has_value, value = arg.partition("=")
        if arg in GLOBAL_FLAGS:
            found[arg] = ""
        elif name in GLOBAL_OPTIONS:
            if not has_value:
                if index + 1 >= len(args):
                    raise _UsageProblem(_("{option} needs a value").format(option=name))
                value = args[index + 1]
                index += 1
            found[name] = value
        else:
            rest.append(arg)
        index += 1
    return found, rest


def _click_exception() -> type:
    from typer._click.exceptions import ClickException

    return ClickException


def localize(command: Any) -> Any:
    """Put the run's language into click's command tree: help texts, option
    help, metavars and the headings click and typer print."""
    import typer.core
    from typer._click import core as click_core
    from typer._click.formatting import HelpFormatter

    from .render import formats

    typer.core._ = _  # typer's headings ("Options", "Arguments") and "[default: ...]"

    class LocalizedHelpFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
            super().write_usage(prog, args, prefix if prefix is not None else _("Usage: "))

    click_core.Context.formatter_class = LocalizedHelpFormatter

    def walk(cmd: Any, name: str) -> None:
        if cmd.help:
            cmd.help = _(cmd.help)
        if cmd.short_help:
            cmd.short_help = _(cmd.short_help)
        cmd.options_metavar = _("[OPTIONS]")
        if hasattr(cmd, "subcommand_metavar"):
            cmd.subcommand_metavar = _("COMMAND [ARGS]...")
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = _(param.help)
            if param.name == "output_format" and name in formats.FORMATS:
                choices = "; ".join(f"{f.name}: {_(f.help)}" for f in formats.FORMATS[name])
                param.help = _("Output format. {choices}.").format(choices=choices)
            if getattr(param, "metavar", None):
                param.metavar = _(param.metavar)
        help_option = cmd.get_help_option(click_core.Context(cmd, info_name=name, **cmd.context_settings))
        if help_option is not None:
            help_option.help = _(help_option.help)
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, sub_name)

    walk(command, "forebygging")
    return command


def usage_error_text(exc: Any) -> str:
    """A usage error in the run's language: the usage line, the message, and where to find help."""
    import re

    from typer._click import exceptions as click_exceptions

    if isinstance(exc, click_exceptions.NoArgsIsHelpError):
        return exc.ctx.get_help() + "\n"
    context = getattr(exc, "ctx", None)
    if isinstance(exc, click_exceptions.NoSuchOption):
        message = _("no such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click_exceptions.MissingParameter):
        hint = exc.param.get_error_hint(context) if exc.param is not None and context is not None else ""
        message = _("missing {what}").format(what=hint or exc.param_type or "")
    elif isinstance(exc, click_exceptions.BadOptionUsage) and re.match(r"Option '.*' requires", exc.message):
        message = _("{option} needs a value").format(option=exc.option_name)
    elif isinstance(exc, click_exceptions.BadOptionUsage) and "does not take a value" in exc.message:
        message = _("{option} takes no value").format(option=exc.option_name)
    elif (extra := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", exc.format_message())):
        message = _("unexpected extra argument: {arguments}").format(arguments=extra.group(1))
    elif (typo := re.fullmatch(r"(.*)\. Did you mean (.*)\?", exc.format_message(), re.DOTALL)):
        # typer adds its suggestion for a mistyped command in English, after click's translated message
        message = typo.group(1) + ". " + _("Did you mean {commands}?").format(commands=typo.group(2))
    else:
        message = exc.format_message()
    text = ""
    if context is not None:
        help_hint = _("Try '{command} --help' for help.").format(command=context.command_path)
        text += f"{context.get_usage()}\n{help_hint}\n\n"
    return text + _("error: {message}").format(message=message) + "\n"
