"""`forebygging show`: measures in full, with their source and derived marks."""

from typing import Annotated

import typer

from ..i18n import N_, _
from .common import EXIT_USAGE, chosen_plans, emit, fail, loaded_plans, renderer
from .options import FormatOption, PlanOption
from .plumbing import command


@command(help=N_("Print measures in full: every field, where the plan says it, and derived marks.\n\n"
                     "Each ID is a measure's id (tranby-fritidsklubb), or PLAN:ID where several plans are loaded "
                     "(os:mst); other arguments are plan files, directories or globs."))
def show(
    arguments: Annotated[list[str], typer.Argument(metavar=N_("ID... [PLAN]..."), show_default=False,
                                                   help=N_("Measure ids, then plan files if not the default."))],
    plan: PlanOption = [],
    output_format: FormatOption = None,
) -> None:
    from ..render import detail
    from ..vocab import closest

    render = renderer("show", output_format)
    ids, paths = _split_ids(arguments)
    if not ids:
        raise fail(_("give a measure id, e.g. forebygging show tranby-fritidsklubb"))
    loaded, failed = loaded_plans(paths or None)
    found = []
    for wanted in ids:
        names = list(plan)
        if ":" in wanted:
            name, wanted = wanted.rsplit(":", 1)
            names.append(name)
        plans = chosen_plans(names, loaded)
        hits = [(p, m) for p in plans for m in p.measures if m.id == wanted]
        if not hits:
            hint = closest(wanted, [m.id for p in plans for m in p.measures])
            searched = ", ".join(f"{p.stem} ({p.path})" for p in plans)
            also = (_("did you mean '{id}'?").format(id=hint) if hint
                    else _("`forebygging query` lists measures with their ids"))
            raise fail(_("no measure with id '{id}' in {plans}; {hint}").format(id=wanted, plans=searched, hint=also))
        found += [(p, m, detail.rows(p, m)) for p, m in hits]
    emit(render(found))
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
