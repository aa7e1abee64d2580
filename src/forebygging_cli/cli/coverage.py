"""`forebygging coverage`: where a municipality has measures and where it has none."""

from typing import Annotated

import typer

from ..i18n import N_, _
from .common import EXIT_USAGE, checked_delimiter, chosen_plans, emit, fail, loaded_facts, published_language, renderer
from .options import DelimiterOption, FormatOption, PlanOption, PlanPaths
from .plumbing import command


@command(help=N_(
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
    from .. import coverage as cov
    from .. import i18n

    render = renderer("coverage", output_format)
    delimiter = checked_delimiter(delimiter)
    mode = by.strip().lower()
    if mode not in cov.BY:
        raise fail(_("--by {value}: use age or service").format(value=repr(by)))
    # each plan's matrix made as its facts are read from the store (store.py), keeping only its head and counts
    loaded, failed = loaded_facts(paths, keep=lambda facts: cov.matrix(facts, mode, head=facts.head()))
    chosen = {head.path for head in chosen_plans(plan, [matrix.plan for matrix in loaded])}
    found = cov.aligned([matrix for matrix in loaded if matrix.plan.path in chosen])
    # Markdown is what a municipality publishes: it speaks the plans' language; the rest the run's
    published = (output_format or "").strip().lower() == "markdown"
    with i18n.speaking(published_language([matrix.plan for matrix in found]) if published else None):
        emit(render(found, delimiter=delimiter))
    if failed:
        raise typer.Exit(EXIT_USAGE)
