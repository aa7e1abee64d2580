"""`forebygging import`: a council document becomes a draft plan file."""

import sys
from typing import Annotated, Optional

import typer

from ..i18n import N_, _
from .common import RUN, fail, write_error
from .plumbing import command


@command(help=N_(
    "Read a council document into a draft plan file: a Word document (.docx) or text pasted from one (.txt, "
    ".tsv, or - for standard input). It finds the title, the adoption, goals, the measures tables and their "
    "levels, responsible units and target groups, marks what it inferred, and prints what to review. Never "
    "overwrites a file."))
def import_document(
    document: Annotated[str, typer.Argument(metavar=N_("DOCUMENT"), help=N_(
        "The document: a .docx, a .txt or .tsv with the text copied from it, or - to read the text from standard "
        "input."))],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar=N_("FILE"),
        help=N_("Where to write the draft; - for standard output. Default: plans/<municipality>.yaml in the plan "
                "repository."))] = None,
) -> None:
    import errno
    import os

    from .. import i18n
    from ..discover import plans_directory
    from ..importers import read, read_text_bytes
    from ..importers.draft import draft_text, schema_reference
    from ..importers.errors import ImportRefused
    from ..importers.recognise import document_language, recognise
    from ..writing import WriteError, write_file
    from ..skeleton import stem_for

    shown = document
    try:
        if document == "-":
            from ..importers import MAX_TEXT_BYTES

            shown = _("standard input")
            parsed = read_text_bytes(sys.stdin.buffer.read(MAX_TEXT_BYTES + 1), "stdin")
        else:
            parsed = read(document)
    except ImportRefused as exc:
        raise fail(f"{shown}: {exc.message}") from None
    # the draft is the plan's own text: its comments and notes speak the document's language (unless --lang
    # asks for another), as `new` writes a nynorsk plan's comments in nynorsk; the summary below speaks the run's
    with i18n.speaking(RUN["lang"] or document_language(parsed)):
        draft = recognise(parsed)
        municipality = draft.data["municipality"]["name"]
        to_stdout = output == "-"
        target = output if output and not to_stdout else os.path.join(plans_directory() or "plans",
                                                                        f"{stem_for(municipality) or 'plan'}.yaml")
        directory = os.path.dirname(os.path.abspath(target))
        text = draft_text(draft, parsed.source, schema_reference(directory))
    if to_stdout:
        sys.stdout.write(text)
    else:
        try:
            os.makedirs(directory, exist_ok=True)
            write_file(target, text, exclusive=True)  # never overwrite, not even in a race
        except WriteError as exc:
            if exc.errno == errno.EEXIST:
                raise fail(_("{path} already exists; import never overwrites a plan: choose another file with -o")
                           .format(path=target)) from None
            raise fail(write_error(exc)) from None
        except OSError as exc:
            raise fail(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    from ..render.import_summary import summary

    stream = sys.stderr if to_stdout else sys.stdout
    stream.write(summary(draft, parsed, None if to_stdout else target))


