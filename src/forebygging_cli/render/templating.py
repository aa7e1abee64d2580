"""The jinja2 templates of `render`: shipped in the package
(forebygging_cli/templates), each replaceable by a file of the same name in a
directory given with `--template DIR`. The templates get `_` and `ngettext`,
so their own words come from the same catalogues as every other message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..i18n import _, ngettext

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: the template of each document format
NAMES = {"markdown": "plan.md.j2", "html": "plan.html.j2"}


class TemplateProblem(Exception):
    """A template that cannot be used (missing, or broken); the message is one line."""


def environment(override: str | None, html: bool) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = ([FileSystemLoader(override)] if override else []) + [FileSystemLoader(str(TEMPLATES))]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=html, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, undefined=StrictUndefined)
    env.globals.update(_=_, ngettext=ngettext)
    env.filters["md"] = markdown_cell
    return env


def render(format_name: str, context: dict[str, Any], override: str | None = None) -> str:
    """The document of `format_name` ("markdown" or "html") for a plan's context."""
    from jinja2 import TemplateError, TemplateNotFound

    if override is not None and not Path(override).is_dir():
        raise TemplateProblem(_("--template {path} is not a directory of templates").format(path=override))
    env = environment(override, html=format_name == "html")
    name = NAMES[format_name]
    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as exc:
        raise TemplateProblem(_("template {name} not found").format(name=exc.name)) from None
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or name}:{getattr(exc, 'lineno', None) or '?'}"
        raise TemplateProblem(_("the template {where} cannot be used: {reason}").format(
            where=where, reason=getattr(exc, "message", None) or exc)) from None


def render_markdown(context: dict[str, Any], template_dir: str | None = None, **_options: Any) -> str:
    return render("markdown", context, template_dir)


def render_html(context: dict[str, Any], template_dir: str | None = None, **_options: Any) -> str:
    return render("html", context, template_dir)


def markdown_cell(text: Any) -> str:
    """Text safe in a Markdown table cell."""
    return str(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
