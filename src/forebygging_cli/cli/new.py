"""`forebygging new`: a new municipality's plan file, from the commented skeleton."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import RUN, fail, write_error
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
    language: Annotated[Optional[str], typer.Option(
        "--language", metavar="nb|nn",
        help=N_("The plan's written language: nb (bokmål) or nn (nynorsk). Default: the run's language (--lang "
                "nn gives a nynorsk plan), else bokmål."))] = None,
) -> None:
    import errno
    import os

    from .. import i18n
    from ..discover import plans_directory
    from ..schemafile import modeline_reference
    from ..skeleton import skeleton, stem_for
    from ..writing import WriteError, write_file

    if not municipality.strip():
        raise fail(_("give the municipality's name, e.g. forebygging new \"Fjordvik kommune\""))
    written = (language or (i18n.current() if i18n.current() in ("nb", "nn") else "nb")).strip().lower()
    if written not in ("nb", "nn"):
        raise fail(_("--language {value}: a plan is written in nb (bokmål) or nn (nynorsk)").format(
            value=repr(language)))
    stem = stem_for(municipality)
    target = output or os.path.join(plans_directory() or "plans", f"{stem}.yaml")
    directory = os.path.dirname(os.path.abspath(target))
    reference = modeline_reference(directory)
    # the comments speak the plan's language, unless --lang asked for another
    with i18n.speaking(RUN["lang"] or written):
        text = skeleton(municipality.strip(), reference, written)
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
