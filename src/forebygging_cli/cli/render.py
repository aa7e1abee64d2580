"""`forebygging render`: a plan as a terminal view, a Markdown document or a page to publish; several plans
as a site (one page per plan and an index with one finder across them)."""

from typing import Annotated, Any, Optional

import typer

from ..i18n import N_, _
from .common import (EXIT_USAGE, chosen_plans, emit, fail, loaded_plans, published_language, renderer,
                     write_error, write_file)
from .plumbing import command


@command(name="render", help=N_(
    "Turn a plan into what people read: the terminal (the prevention pyramid and the measures), a Markdown "
    "document of the whole plan, or one standalone HTML page a municipality can publish (no external requests, "
    "a finder by age, school grade, who it is for, level, unit and words). Several plans, or a folder of them, "
    "with --format html -o FOLDER make a site: one page per plan and an index.html with one finder across "
    "them. Templates (jinja2) ship in the package; --template DIR overrides any of them."))
def render_plan(
    paths: Annotated[list[str], typer.Argument(metavar=N_("PLAN"), help=N_(
        "The plan to render: its file, or its name (lier). With --format html -o FOLDER, several plans or a "
        "folder of them make a site."))],
    output_format: Annotated[Optional[str], typer.Option("--format", "-f", metavar=N_("FORMAT"),
                                                         show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar=N_("FILE"),
                                                  help=N_("Write to this file instead of standard output; for a "
                                                          "site, the folder to write it to."))] = None,
    template: Annotated[Optional[str], typer.Option("--template", metavar=N_("DIR"),
                                                    help=N_("A directory whose templates replace the shipped "
                                                            "ones of the same name (plan.md.j2, plan.html.j2, "
                                                            "site.html.j2, finder.html.j2, page.css, "
                                                            "page.js)."))] = None,
    by: Annotated[str, typer.Option("--by", metavar="level|age|unit",
                                    help=N_("Group the measures in the terminal by level, age band or unit."))]
    = "level",
    force: Annotated[bool, typer.Option("--force", help=N_(
        "Write a site into a folder that holds other files (files of the same names are replaced)."))] = False,
) -> None:
    import os

    from ..render import document

    render = renderer("render", output_format, default="terminal")
    grouping = by.strip().lower()
    if grouping not in document.GROUPINGS:
        raise fail(_("--by {value}: use level, age or unit").format(value=repr(by)))
    html = (output_format or "").strip().lower() == "html"
    if len(paths) > 1 or any(os.path.isdir(path) for path in paths):
        if not html:
            raise fail(_("render takes one plan file; several plans, or a folder of them, make a site with "
                         "--format html -o FOLDER"))
        _site(paths, output, template, force)
        return
    [path] = paths
    loaded = _plans(paths, strict=False)
    if len(loaded) != 1:
        raise fail(_("render takes one plan file; {path} holds {count}").format(path=path, count=len(loaded)))
    [plan] = loaded
    if output is not None and output != "-":
        from ..writing import same_file

        if same_file(output, [plan.path]):
            raise fail(_("-o {output} is the plan file being rendered; write to another file").format(output=output))
    to_stdout = output is None or output == "-"
    from .. import i18n
    from ..render import templating

    try:
        with i18n.speaking(published_language([plan])):  # a page speaks its plan's language
            result = render(document.plan_context(plan, "level" if html else grouping, page=html),
                            template_dir=template)
            if to_stdout:
                emit(result)  # the terminal view is laid out (and worded) as it is written
            elif not isinstance(result, str):
                result = _plain_text(result)
    except templating.TemplateProblem as exc:
        raise fail(str(exc)) from None
    if not to_stdout:
        write_file(output, result)


def _plans(paths: list[str], strict: bool) -> list:
    """The plans the arguments name: files, folders and globs, or stems (lier) among the default plans.
    `strict`: exit 2 when any file cannot be read (its line is on stderr)."""
    import os

    files = [p for p in paths if os.path.lexists(p) or os.sep in p or p.endswith((".yaml", ".yml"))]
    stems = [p for p in paths if p not in files]
    loaded, failed = loaded_plans(files) if files else ([], False)
    if stems:
        loaded += chosen_plans(stems, loaded_plans(None)[0])
    if failed and strict:
        raise typer.Exit(EXIT_USAGE)
    return loaded


def _site(paths: list[str], output: Optional[str], template: Optional[str], force: bool) -> None:
    """Several plans as a site in the folder `output`: one page per plan and the index. Nothing is written
    when a plan cannot be read (a region's index without one of its municipalities would not say so), when a
    template fails, or when the folder is refused (writing.write_folder)."""
    from .. import i18n
    from ..render import document, formats, site, templating
    from ..writing import FolderRefused, WriteError, write_folder

    if output is None or output == "-":
        raise fail(_("several plans make a site: name the folder to write it to with -o FOLDER"))
    plans = _plans(paths, strict=True)
    if not plans:
        raise fail(_("no plan to make a site of in {paths}").format(paths=", ".join(paths)))
    page = formats.get("render", "html").load()  # type: ignore[union-attr]
    names = site.page_names(plans)
    files = {}
    try:
        for plan, name in zip(plans, names):
            with i18n.speaking(published_language([plan])):  # each page speaks its plan's language
                files[name] = page(document.plan_context(plan, "level", page=True, site={"index": site.INDEX}),
                                   template_dir=template)
        # the index: the plans' common language, else bokmål (--lang decides when it is given)
        with i18n.speaking(published_language(plans) or i18n.DEFAULT):
            files[site.INDEX] = templating.render_site(site.index_context(plans, names), template)
    except templating.TemplateProblem as exc:
        raise fail(str(exc)) from None
    try:
        write_folder(output, files, force=force)
    except FolderRefused as exc:
        if exc.kind == "not-a-folder":
            raise fail(_("-o {path} is not a folder; a site of several plans is written to a folder (to write "
                         "one plan's page to a file, give one plan)").format(path=exc.path)) from None
        if exc.kind == "not-empty":
            raise fail(_("-o {path} is a folder with other files in it; write the site to a new or empty folder, "
                         "or add --force to write it there (files of the same names are replaced)").format(
                path=exc.path)) from None
        raise fail(_("-o {path} holds files this command did not write there: {names}; add --force to replace "
                     "them").format(path=exc.path, names=", ".join(exc.names))) from None
    except WriteError as exc:
        raise fail(write_error(exc)) from None


def _plain_text(renderable: Any) -> str:
    """A rich renderable as plain text (for a file)."""
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(file=buffer, width=100, color_system=None, markup=False, emoji=False, highlight=False).print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
