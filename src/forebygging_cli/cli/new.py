"""`forebygging new`: a new municipality's plan file, from the commented skeleton."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import fail, write_error
from .plumbing import command


@command(help=N_(
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
    import errno
    import os

    from ..discover import plans_directory
    from ..writing import WriteError, write_file
    from ..schemafile import schema_path
    from ..skeleton import skeleton, stem_for

    if not municipality.strip():
        raise fail(_("give the municipality's name, e.g. forebygging new \"Fjordvik kommune\""))
    stem = stem_for(municipality)
    target = output or os.path.join(plans_directory() or "plans", f"{stem}.yaml")
    directory = os.path.dirname(os.path.abspath(target))
    repository_schema = os.path.join(os.path.dirname(directory), "schemas", "plan.schema.json")
    schema = repository_schema if os.path.isfile(repository_schema) else str(schema_path())
    reference = os.path.relpath(schema, directory) if os.path.isfile(repository_schema) else schema
    text = skeleton(municipality.strip(), reference)
    try:
        os.makedirs(directory, exist_ok=True)
        write_file(target, text, exclusive=True)  # never overwrite, not even in a race
    except WriteError as exc:
        if exc.errno == errno.EEXIST:
            raise fail(_("{path} already exists; new never overwrites a plan: edit it, or choose another file "
                         "with -o").format(path=target)) from None
        raise fail(write_error(exc)) from None
    except OSError as exc:
        raise fail(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    sys.stdout.write(_("Wrote {path}. Next: fill it in from the plan document, and run forebygging validate {path} "
                       "to see what is missing.").format(path=target) + "\n")
