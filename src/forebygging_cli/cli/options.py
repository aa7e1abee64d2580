"""Options and arguments that several commands share, declared once: the
plan files, --format, --delimiter and --plan."""

from typing import Annotated, Optional

import typer

from ..i18n import N_

#: The plan-file argument every command takes.
PlanPaths = Annotated[
    Optional[list[str]],
    typer.Argument(metavar=N_("[PLAN]..."), show_default=False,
                   help=N_("Plan files, directories or globs. Default: every *.yaml and *.yml under the plan "
                           "repository's plans/ directory (the nearest one here or above, or FOREBYGGING_PLANS)."))]
#: --format; its help lists the command's formats from render/formats.py (see plumbing.localize)
FormatOption = Annotated[Optional[str], typer.Option("--format", "-f", metavar=N_("FORMAT"), show_default=False)]
DelimiterOption = Annotated[str, typer.Option("--delimiter", metavar=N_("CHARACTER"),
                                              help=N_("CSV column separator; ';' for Norwegian Excel."))]
PlanOption = Annotated[list[str], typer.Option("--plan", metavar=N_("PLAN"),
                                               help=N_("Only these plans: a file stem (lier, os) or a path; "
                                                       "repeatable."))]
