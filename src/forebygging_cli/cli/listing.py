"""`forebygging plans` (each plan in a line) and `forebygging units` (each plan's responsible units), both
from the plans' facts in the store (store.py)."""

import typer

from ..i18n import N_
from .common import EXIT_USAGE, checked_delimiter, chosen_plans, emit, loaded_facts, renderer
from .options import DelimiterOption, FormatOption, PlanOption, PlanPaths
from .plumbing import command


@command(help=N_("List the plans: file, municipality, period, adoption and measures per level."))
def plans(
    paths: PlanPaths = None,
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
) -> None:
    from ..render.overview import listed

    render = renderer("plans", output_format)
    delimiter = checked_delimiter(delimiter)
    loaded, failed = loaded_facts(paths, keep=lambda facts: listed(facts, head=facts.head()))
    emit(render(loaded, delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)


@command(help=N_("List each plan's responsible units: id, name, other names, service and how many measures "
                     "each is responsible for."))
def units(
    paths: PlanPaths = None,
    plan: PlanOption = [],
    output_format: FormatOption = None,
    delimiter: DelimiterOption = ",",
) -> None:
    from ..render.overview import listed

    render = renderer("units", output_format)
    delimiter = checked_delimiter(delimiter)
    loaded, failed = loaded_facts(paths, keep=lambda facts: listed(facts, head=facts.head()))
    chosen = {head.path for head in chosen_plans(plan, [item.plan for item in loaded])}
    emit(render([item for item in loaded if item.plan.path in chosen], delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)
