"""The framework plumbing between Typer (and the click it vendors) and the
commands: the table of commands and which of them to build for this run, the
global options that may stand anywhere, and the run's language in click's
help texts and usage errors.

Command modules declare their commands with `command(...)`, which only marks
the function; `build()` imports the module of the command a run names (and
only that one) and registers it on a copy of the app. So a command imports
only what it uses, and a new command is one module and one line in `COMMANDS`.
"""

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Any, Optional

import typer

from ..i18n import N_, _

#: every command takes -h as well as --help
CONTEXT = {"help_option_names": ["-h", "--help"]}

#: command name -> (module under cli/, function); the order is the order of `forebygging --help`
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "validate"),
    "rules": ("rules", "rules"),
    "schema": ("rules", "schema"),
    "query": ("query", "query"),
    "show": ("show", "show"),
    "diff": ("diff", "diff"),
    "coverage": ("coverage", "coverage"),
    "render": ("render", "render_plan"),
    "new": ("new", "new"),
    "import": ("imports", "import_document"),
    "fmt": ("fmt", "fmt"),
    "plans": ("listing", "plans"),
    "units": ("listing", "units"),
    "export": ("export", "export"),
}

#: click's and typer's own messages that the catalogues translate (see localize())
_FRAMEWORK_MESSAGES = (
    N_("Show this message and exit."), N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"),
    N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def command(*, help: str, name: Optional[str] = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a function as a command, with Typer's settings for it (`build()` registers it)."""

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        function.__forebygging_command__ = {"name": name, "help": help, "context_settings": CONTEXT}  # type: ignore[attr-defined]
        return function

    return mark


def build(app: typer.Typer, args: list[str]) -> typer.Typer:
    """The app with only what this run needs: typer builds the parameters of
    every registered command on each run (inspecting signatures and type
    hints), which costs more than most commands take, and a command's module
    is imported only when it is needed.

    * A run that names a command gets that command alone.
    * Shell completion gets every command, whole.
    * Everything else (`forebygging --help`, no arguments, an unknown command,
      `--version`) runs no command: it gets each command's name and help text
      only, which is all the overview (and click's "did you mean") shows.
    """
    import copy
    import os

    completing = any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)
    named = None
    for arg in args:
        if arg in ("-h", "--help") or arg == "--":
            break
        if not arg.startswith("-"):
            named = arg
            break
    built = copy.copy(app)
    built.registered_commands = []
    if named in COMMANDS and not completing:
        wanted, whole = [named], True
    else:
        wanted, whole = ([] if named is None and "--version" in args else list(COMMANDS)), completing
    for name in wanted:
        module, function_name = COMMANDS[name]
        function = getattr(import_module(f"{__package__}.{module}"), function_name)
        settings = function.__forebygging_command__
        built.command(**{**settings, "name": settings["name"] or name})(function if whole else _overview_only)
    return built


def _overview_only() -> None:
    """Stands for a command in the overview, which shows only its name and help text."""


class UsageProblem(Exception):
    """A global option with a value the tool does not know."""


GLOBAL_OPTIONS = ("--lang", "--color")
GLOBAL_FLAGS = ("--no-cache",)


def global_options(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take --lang, --color and --no-cache out of the arguments wherever they
    stand (before a `--`), so they work after the command name too."""
    found: dict[str, str] = {}
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name, has_value, value = arg.partition("=")
        if arg in GLOBAL_FLAGS:
            found[arg] = ""
        elif name in GLOBAL_OPTIONS:
            if not has_value:
                if index + 1 >= len(args):
                    raise UsageProblem(_("{option} needs a value").format(option=name))
                value = args[index + 1]
                index += 1
            found[name] = value
        else:
            rest.append(arg)
        index += 1
    return found, rest


def click_exception() -> type:
    from typer._click.exceptions import ClickException

    return ClickException


def localize(command: Any) -> Any:
    """Put the run's language into click's command tree: help texts, option
    help, metavars and the headings click and typer print."""
    import typer.core
    from typer._click import core as click_core
    from typer._click.formatting import HelpFormatter

    from ..render import formats

    typer.core._ = _  # typer's headings ("Options", "Arguments") and "[default: ...]"

    class LocalizedHelpFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
            super().write_usage(prog, args, prefix if prefix is not None else _("Usage: "))

    click_core.Context.formatter_class = LocalizedHelpFormatter

    def walk(cmd: Any, name: str) -> None:
        if cmd.help:
            cmd.help = _(cmd.help)
        if cmd.short_help:
            cmd.short_help = _(cmd.short_help)
        elif cmd.help and name != "forebygging":
            cmd.short_help = summary(cmd.help)
        cmd.options_metavar = _("[OPTIONS]")
        if hasattr(cmd, "subcommand_metavar"):
            cmd.subcommand_metavar = _("COMMAND [ARGS]...")
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = _(param.help)
            if param.name == "output_format" and name in formats.FORMATS:
                choices = "; ".join(f"{f.name}: {_(f.help)}" for f in formats.FORMATS[name])
                param.help = _("Output format. {choices}.").format(choices=choices)
            if getattr(param, "metavar", None):
                param.metavar = _(param.metavar)
                if param.param_type_name == "argument":  # typer writes a required one {IN BRACES}
                    param.make_metavar = partial(_metavar, param)
        help_option = cmd.get_help_option(click_core.Context(cmd, info_name=name, **cmd.context_settings))
        if help_option is not None:
            help_option.help = _(help_option.help)
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, sub_name)

    walk(command, "forebygging")
    return command


def _metavar(param: Any, ctx: Any = None, *, usage: bool = False) -> str:
    """An argument's metavar as the usage line shows it: PLAN when required, [PLAN] when not."""
    var = param.metavar
    return f"[{var}]" if usage and not param.required and not var.startswith("[") else var


def summary(help_text: str) -> str:
    """What `forebygging --help` lists beside a command: its help's first sentence, whole (click would cut
    it at 45 characters); of a long sentence, what comes before its colon."""
    import re

    first = re.split(r"(?<=[.!?])\s", help_text.split("\n\n")[0].strip(), maxsplit=1)[0]
    if len(first) > 100 and ": " in first:
        first = first.split(": ")[0] + "."
    return first


def usage_error_text(exc: Any) -> str:
    """A usage error in the run's language: the usage line, the message, and where to find help."""
    import re

    from typer._click import exceptions as click_exceptions

    if isinstance(exc, click_exceptions.NoArgsIsHelpError):
        return exc.ctx.get_help() + "\n"
    context = getattr(exc, "ctx", None)
    if isinstance(exc, click_exceptions.NoSuchOption):
        message = _("no such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click_exceptions.MissingParameter):
        hint = exc.param.get_error_hint(context) if exc.param is not None and context is not None else ""
        message = _("missing {what}").format(what=hint or exc.param_type or "")
    elif isinstance(exc, click_exceptions.BadOptionUsage) and re.match(r"Option '.*' requires", exc.message):
        message = _("{option} needs a value").format(option=exc.option_name)
    elif isinstance(exc, click_exceptions.BadOptionUsage) and "does not take a value" in exc.message:
        message = _("{option} takes no value").format(option=exc.option_name)
    elif (extra := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", exc.format_message())):
        message = _("unexpected extra argument: {arguments}").format(arguments=extra.group(1))
    elif (typo := re.fullmatch(r"(.*)\. Did you mean (.*)\?", exc.format_message(), re.DOTALL)):
        # typer adds its suggestion for a mistyped command in English, after click's translated message
        message = typo.group(1) + ". " + _("Did you mean {commands}?").format(commands=typo.group(2))
    else:
        message = exc.format_message()
    text = ""
    if context is not None:
        help_hint = _("Try '{command} --help' for help.").format(command=context.command_path)
        text += f"{context.get_usage()}\n{help_hint}\n\n"
    return text + _("error: {message}").format(message=message) + "\n"
