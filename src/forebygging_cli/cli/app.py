"""The app and the way out.

`app` is the Typer application with its global options; the commands are in
their own modules and are put on it by `plumbing.build()`. `run()` runs one
command and turns every way it can end into an exit code:

0 fine, 1 findings (validate) or no match (query --exit-code), 2 bad usage or
input that could not be read (also when some plans could not be read and the
others answered), 3 a bug in forebygging itself, 141 the reader of the output
went away (a closed pipe).

One language per run (`--lang`, FOREBYGGING_LANG or the locale; see i18n.py):
`run()` chooses it before the commands' help is built, so `--help`, usage
errors and every message speak it. `--lang` and `--color` are global options
that may also stand after the command name.
"""

import sys
from typing import Annotated, Optional

import typer

from .. import __version__
from ..i18n import N_, _
from . import plumbing
from .common import EXIT_BUG, EXIT_OK, EXIT_USAGE, RUN, error

app = typer.Typer(
    name="forebygging",
    help=N_("Plans for preventing child neglect and behavioural problems (barnevernsloven § 15-1), as data: "
            "validate, query, show, list plans and units."),
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=plumbing.CONTEXT,
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
        "--lang", metavar="nb|nn|en",
        help=N_("Language of the output: nb (bokmål), nn (nynorsk) or en (English). Default: FOREBYGGING_LANG, "
                "else the locale (nn_* gives nynorsk, en_* English, anything else bokmål). What is published from "
                "a plan (render, the council's diff, coverage as Markdown) speaks the plan's own language unless "
                "--lang is given."))] = None,
    color: Annotated[Optional[str], typer.Option(
        "--color", metavar="auto|always|never",
        help=N_("Colour and bold: auto (on a terminal, unless NO_COLOR is set), always or never."))] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache",
        help=N_("Check every plan file afresh: neither read nor write the cache of checked plans (by default an "
                "unchanged file is not checked again; see the README)."))] = False,
) -> None:
    """The global options; run() has read --lang and --color before this is called."""


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

    from .. import i18n
    from ..output import COLOR_CHOICES, EXIT_CLOSED_PIPE, OutputError, guard_standard_streams, silence_stdout

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
            globals_, args = plumbing.global_options(args)
            try:
                i18n.activate(i18n.choose(globals_.get("--lang")))
            except i18n.UnknownLanguage as exc:
                i18n.activate(i18n.choose(None, {}))
                raise plumbing.UsageProblem(_("{setting} is not a language of forebygging; use one of: {choices}").format(
                    setting=exc, choices=", ".join(i18n.available())))
            color = globals_.get("--color", "auto").lower()
            if color not in COLOR_CHOICES:
                raise plumbing.UsageProblem(_("--color {value}: use one of: {choices}").format(
                    value=repr(color), choices=", ".join(COLOR_CHOICES)))
            RUN["color"] = color
            RUN["cache"] = "--no-cache" not in globals_
            RUN["lang"] = i18n.current() if "--lang" in globals_ else None  # asked for: published output too
            command = plumbing.localize(typer.main.get_command(plumbing.build(app, args)))
            result = command.main(args=args, prog_name="forebygging", standalone_mode=False)
            code = result if isinstance(result, int) else EXIT_OK
        except typer.Exit as exc:
            code = exc.exit_code
        except plumbing.UsageProblem as exc:
            error(str(exc))
            code = EXIT_USAGE
        except plumbing.click_exception() as exc:
            sys.stderr.write(plumbing.usage_error_text(exc))
            code = getattr(exc, "exit_code", EXIT_USAGE)
        except (typer.Abort, KeyboardInterrupt):  # pragma: no cover - interactive only
            code = 130
        sys.stdout.flush()
        _say_why_the_cache_was_not_used()
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


def _say_why_the_cache_was_not_used() -> None:
    """One line on stderr for each cache folder this run was given and did not use (cache.refused)."""
    cache = sys.modules.get(f"{__package__.rsplit('.', 1)[0]}.cache")
    if cache is None or not cache.refused:
        return
    messages = {
        "relative": _("FOREBYGGING_CACHE_DIR={path} is not an absolute path"),
        "owner": _("the cache folder {path}, or a folder above it, belongs to another user"),
        "writable": _("other users can write in the cache folder {path}, or in a folder above it"),
        "not-a-folder": _("the cache folder {path} is not a folder"),
    }
    for path, reason in cache.refused.items():
        sys.stderr.write(_("forebygging: {problem}; running without the cache (see the README: the cache)").format(
            problem=messages[reason].format(path=path)) + "\n")
    cache.refused.clear()
