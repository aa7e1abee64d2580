"""`forebygging query`: measures by age, level, unit, audience and text, across every plan."""

from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import (EXIT_FINDINGS, EXIT_USAGE, checked_delimiter, chosen_plans, emit, error, fail, loaded_facts,
                     renderer, stdout_console)
from .options import DelimiterOption, FormatOption, PlanOption, PlanPaths
from .plumbing import command


@command(help=N_("Find measures by age, level, unit, audience and text, across every plan.\n\n"
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
                                            help=N_("Words that must all occur in the name, description or target, "
                                                    "or in the responsible units' names (a quoted phrase stays a "
                                                    "phrase); repeat for OR."))] = [],
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
    from .. import query as q

    render = renderer("count" if count else "query", output_format)
    delimiter = checked_delimiter(delimiter)
    try:
        filters = q.Filters(
            ages=tuple(map(q.parse_age, age)), grades=tuple(map(q.parse_grade, grade)), stages=tuple(stage),
            levels=tuple(level), units=tuple(unit), services=tuple(service), audiences=tuple(audience),
            requires_decision=requires_decision, texts=tuple(text), include_unknown_age=include_unknown_age,
        )
        order = q.parse_sort(sort)
    except q.FilterError as exc:
        raise fail(str(exc)) from None
    # The store answers (store.py): each plan's facts are searched as they are read, and only the plan's head
    # and its matches are kept (count wants each plan's levels too); the records and table rows come stored.
    # (Markdown and the counts are made from the facts: they want no stored outputs.)
    chosen = None if count else (output_format or "text").strip().lower()  # as `renderer` took it
    stored = chosen not in (None, "markdown")
    # JSON is made plan by plan as each is searched (the order is within each plan): only its text is kept, not
    # the plan's matches, so memory grows with the output, not with the records behind it
    as_json = chosen == "json"
    # The tables too: each plan's are made as it is searched (as text where the console prints no colour) and
    # its matches go; the count line adds up what each plan found
    as_tables = chosen == "text"
    console = stdout_console() if as_tables else None
    wanted = tuple(plan)

    def search(found):
        head = found if count else found.head()
        if wanted and not any(q.names_plan(name, found) for name in wanted):
            return head, q.Selection(), ""
        selection = q.search([found], filters, stored=stored)
        if as_json:
            from ..render.records import json_piece

            matches = q.sort_matches(selection.matches, order)
            return head, q.Selection([], selection.left_out), json_piece(matches)
        if as_tables:
            from ..render.terminal import plan_piece
            from ..render.text import Tally

            matches = q.sort_matches(selection.matches, order)
            return head, q.Selection([], selection.left_out), (Tally.of(matches), plan_piece(matches, console))
        return head, selection, ""

    loaded, failed = loaded_facts(paths, texts=bool(filters.texts), outputs=stored, keep=search)
    plans = chosen_plans(plan, [head for head, _found, _piece in loaded])
    unknown = q.unknown_units(filters.units, plans)
    for word, close in unknown:
        hint = _("; the closest are: {names}").format(names=", ".join(close)) if close else ""
        error(_("no unit called {unit} in {plans}{hint}; `forebygging units` lists them").format(
            unit=repr(word), plans=", ".join(p.stem for p in plans), hint=hint))
    if unknown:
        raise typer.Exit(EXIT_USAGE)
    chosen = {p.path for p in plans}
    found = [(selection, piece) for head, selection, piece in loaded if head.path in chosen]
    if as_json:  # the array jsondump.dump would write of all the records, byte for byte, a plan at a time
        pieces = [piece for _selection, piece in found if piece]
        for number, piece in enumerate(pieces):
            emit(("[\n" if number == 0 else ",\n") + piece)
        emit("\n]\n" if pieces else "[]\n")
        selection = q.Selection([None] * len(pieces))  # whether anything matched (--exit-code)
    elif as_tables:
        from ..render.terminal import joined_view
        from ..render.text import Tally

        tallies = [piece for _selection, piece in found if piece]
        tally = sum((tally for tally, _piece in tallies), Tally())
        emit(joined_view([piece for tally, piece in tallies if tally.found], tally,
                         sum(s.left_out for s, _piece in found), len(plans)))
        selection = q.Selection([None] * tally.found)
    else:
        selection = q.Selection(q.sort_matches([m for s, _piece in found for m in s.matches], order),
                                sum(s.left_out for s, _piece in found))
        emit(render(selection, delimiter=delimiter, plans=plans))
    if failed:
        raise typer.Exit(EXIT_USAGE)
    if exit_code and not selection.matches:
        raise typer.Exit(EXIT_FINDINGS)
