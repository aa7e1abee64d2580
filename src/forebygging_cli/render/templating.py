"""The jinja2 templates of `render`: shipped in the package
(forebygging_cli/templates), each replaceable by a file of the same name in a
directory given with `--template DIR`. The templates get `_` and `ngettext`,
so their own words come from the same catalogues as every other message.

Templates are untrusted too (a CI job may render a pull request's templates):
they run in jinja2's immutable sandbox, which refuses what would reach
Python's internals (`cycler.__init__.__globals__`) or change the data, and
whatever a template does wrong is one line naming the template and exit 2,
never a traceback or "a bug in forebygging"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..i18n import _, ngettext

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: the template of each document format (and of a site's index: render/site.py)
NAMES = {"markdown": "plan.md.j2", "html": "plan.html.j2", "site": "site.html.j2"}


class TemplateProblem(Exception):
    """A template that cannot be used (missing, or broken); the message is one line, worded when it is
    shown (`str`), so that it speaks the run's language even when the page was rendered in another."""

    def __init__(self, message: Any) -> None:
        super().__init__()
        self.message = message

    def __str__(self) -> str:
        return self.message() if callable(self.message) else self.message


def environment(override: str | None, html: bool) -> Any:
    """The jinja2 environment of a format. Plan text is escaped whatever a template does: HTML by
    jinja2's autoescaping, Markdown by `finalize`, which escapes every value a template prints unless it
    is Markdown already (`markup.Md`: the tool's own words through `_`, or what a filter escaped)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from . import markup

    loaders = ([FileSystemLoader(override)] if override else []) + [FileSystemLoader(str(TEMPLATES))]
    options: dict[str, Any] = {} if html else {"finalize": markup.text}
    env = ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=html, trim_blocks=True,
                                        lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined,
                                        **options)
    if html:
        env.globals.update(_=_, ngettext=ngettext)
    else:
        env.globals.update(_=lambda message: markup.Md(_(message)),
                           ngettext=lambda one, many, count: markup.Md(ngettext(one, many, count)),
                           link=markup.link)
        env.filters.update(md=markup.cell, inline=markup.inline)
    env.filters["safe_url"] = markup.safe_url
    return env


def render(format_name: str, context: dict[str, Any], override: str | None = None) -> str:
    """The document of `format_name` ("markdown", "html", or "site": a site's index) for its context."""
    from jinja2 import TemplateError, TemplateNotFound

    if override is not None and not Path(override).is_dir():
        raise TemplateProblem(lambda: _("--template {path} is not a directory of templates").format(path=override))
    env = environment(override, html=format_name in ("html", "site"))
    name = NAMES[format_name]
    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as exc:
        missing = exc.name
        raise TemplateProblem(lambda: _("template {name} not found").format(name=missing)) from None
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or name}:{getattr(exc, 'lineno', None) or '?'}"
        reason = str(getattr(exc, "message", None) or exc)
        raise TemplateProblem(lambda: _("the template {where} cannot be used: {reason}").format(
            where=where, reason=reason)) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, RecursionError, UnicodeError,
            OSError) as exc:  # what the template's own expressions raised, as `{{ 1 / 0 }}` does
        where = f"{override + '/' if override else ''}{name}"
        reason = f"{type(exc).__name__}: {exc}"
        raise TemplateProblem(lambda: _("the template {where} cannot be used: {reason}").format(
            where=where, reason=reason)) from None


def render_markdown(context: dict[str, Any], template_dir: str | None = None, **_options: Any) -> str:
    return render("markdown", context, template_dir)


def render_html(context: dict[str, Any], template_dir: str | None = None, **_options: Any) -> str:
    return render("html", context, template_dir)


def render_site(context: dict[str, Any], template_dir: str | None = None) -> str:
    """A site's index (site.html.j2) for render/site.py's context."""
    return render("site", context, template_dir)
