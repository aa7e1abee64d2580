"""`forebygging render`: a plan as a terminal view, a Markdown document or a page to publish."""

from typing import Annotated, Any, Optional

import typer

from ..i18n import N_, _
from .common import chosen_plans, emit, fail, loaded_plans, published_language, renderer, write_file
from .plumbing import command


@command(name="render", help=N_(
    "Turn a plan into what people read: the terminal (the prevention pyramid and the measures), a Markdown "
    "document of the whole plan, or one standalone HTML page a municipality can publish (no external requests, "
    "filters by age, level, unit and words). Templates (jinja2) ship in the package; --template DIR overrides any "
    "of them."))
def render_plan(
    path: Annotated[str, typer.Argument(metavar=N_("PLAN"), help=N_("The plan to render: its file, or its name (lier)."))],
    output_format: Annotated[Optional[str], typer.Option("--format", "-f", metavar=N_("FORMAT"),
                                                         show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar=N_("FILE"),
                                                  help=N_("Write to this file instead of standard output."))] = None,
    template: Annotated[Optional[str], typer.Option("--template", metavar=N_("DIR"),
                                                    help=N_("A directory whose templates replace the shipped "
                                                            "ones of the same name (plan.md.j2, plan.html.j2, "
                                                            "page.css, page.js)."))] = None,
    by: Annotated[str, typer.Option("--by", metavar="level|age|unit",
                                    help=N_("Group the measures in the terminal by level, age band or unit."))]
    = "level",
) -> None:
    import os

    from .. import i18n
    from ..render import document, templating

    render = renderer("render", output_format, default="terminal")
    grouping = by.strip().lower()
    if grouping not in document.GROUPINGS:
        raise fail(_("--by {value}: use level, age or unit").format(value=repr(by)))
    if os.path.lexists(path) or os.sep in path or path.endswith((".yaml", ".yml")):
        loaded, _failed = loaded_plans([path])
    else:  # a plan's stem (lier), as every other command takes it
        loaded = chosen_plans([path], loaded_plans(None)[0])
    if len(loaded) != 1:
        raise fail(_("render takes one plan file; {path} holds {count}").format(path=path, count=len(loaded)))
    [plan] = loaded
    if output is not None and output != "-":
        from ..writing import same_file

        if same_file(output, [plan.path]):
            raise fail(_("-o {output} is the plan file being rendered; write to another file").format(output=output))
    html = (output_format or "").strip().lower() == "html"
    to_stdout = output is None or output == "-"
    try:
        with i18n.speaking(published_language([plan])):  # a page speaks its plan's language
            result = render(document.plan_context(plan, "level" if html else grouping), template_dir=template)
            if to_stdout:
                emit(result)  # the terminal view is laid out (and worded) as it is written
            elif not isinstance(result, str):
                result = _plain_text(result)
    except templating.TemplateProblem as exc:
        raise fail(str(exc)) from None
    if not to_stdout:
        write_file(output, result)


def _plain_text(renderable: Any) -> str:
    """A rich renderable as plain text (for a file)."""
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(file=buffer, width=100, color_system=None, markup=False, emoji=False, highlight=False).print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
