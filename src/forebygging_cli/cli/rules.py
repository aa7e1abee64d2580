"""`forebygging rules` (the rule catalogue, or one rule explained) and `forebygging schema` (the bundled schema)."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import fail
from .plumbing import command


@command(help=N_("List the rules validate checks, or explain one with an example of the fix."))
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar=N_("[RULE]"),
                                                     help=N_("A rule id or name to explain, e.g. FB301."))] = None,
) -> None:
    from ..catalogue import BY_NAME, RULES, sorted_rules
    from ..vocab import closest

    if rule_id is None:
        width = max(len(r.name) for r in RULES.values())
        for rule in sorted_rules():
            sys.stdout.write(f"{rule.id}  {rule.severity_word:<9}  {rule.name:<{width}}  {_(rule.summary)}\n")
        sys.stdout.write("\n" + _("{count} rules. `forebygging rules ID` explains one.").format(count=len(RULES)) + "\n")
        return
    rule = RULES.get(rule_id.strip().upper()) or BY_NAME.get(rule_id.strip().lower())
    prefixed = [r for r in sorted_rules() if r.id.startswith(rule_id.strip().upper())] if rule is None else []
    if len(rule_id.strip()) >= 3 and prefixed:  # a prefix, as --select takes it (FB3, FB31): the rules it names
        width = max(len(r.name) for r in prefixed)
        for found in prefixed:
            sys.stdout.write(f"{found.id}  {found.severity_word:<9}  {found.name:<{width}}  {_(found.summary)}\n")
        return
    if rule is None:
        hint = closest(rule_id, list(RULES) + list(BY_NAME))
        raise fail(_("no rule {rule}; did you mean {hint}?").format(rule=repr(rule_id), hint=hint) if hint
                    else _("no rule {rule}; `forebygging rules` lists them").format(rule=repr(rule_id)))
    sys.stdout.write(f"{rule.id} {rule.name} ({rule.severity_word})\n\n{_(rule.summary)}\n\n{_(rule.explanation)}\n")


@command(help=N_("Print the path of the bundled JSON Schema for plan files (for editors and other tools)."))
def schema(
    print_schema: Annotated[bool, typer.Option("--print", help=N_("Print the schema itself instead of its path."))] = False,
) -> None:
    from ..schemafile import schema_path

    path = schema_path()
    sys.stdout.write(path.read_text(encoding="utf-8") if print_schema else f"{path}\n")
