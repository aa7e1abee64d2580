"""`forebygging diff`: what changed between two versions of a plan, from files or git."""

import sys
from typing import Annotated, Any, Optional

import typer

from ..i18n import N_, _
from .common import EXIT_FINDINGS, RUN, emit, fail, published_language, renderer
from .options import FormatOption
from .plumbing import command


@command(help=N_("Show what changed between two versions of a plan, in words a council reads.\n\n"
                     "OLD and NEW are plan files or REV:PATH read from git (HEAD~1:plans/lier.yaml, "
                     "vedtatt-2024:plans/lier.yaml). With one REV, or none (HEAD), every plan file that changed "
                     "between it and the working tree; with --staged, between HEAD and what is staged. Exit 0, or "
                     "with --exit-code 1 on any change (--fail-on major: on major changes only); 2 when a side "
                     "cannot be read."))
def diff(
    sides: Annotated[Optional[list[str]], typer.Argument(metavar=N_("[OLD [NEW]]"), show_default=False,
                                                         help=N_("Two plans to compare, or one revision."))] = None,
    staged: Annotated[bool, typer.Option("--staged", "--cached",
                                         help=N_("Compare what is staged for the next commit with HEAD."))] = False,
    output_format: FormatOption = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help=N_("Exit 1 when anything changed."))] = False,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", metavar="major|minor",
        help=N_("Exit 1 when a change of this severity (or greater) is found: major or minor."))] = None,
    kinds: Annotated[bool, typer.Option("--kinds", help=N_("List the kinds of change and their severity."))] = False,
) -> None:
    from .. import i18n, revisions
    from ..diff import KINDS_LIST, SEVERITIES

    if kinds:
        for kind in KINDS_LIST:
            severity = _("major") if kind.severity == "major" else _("minor")
            sys.stdout.write(f"{kind.id:<26} {severity:<7} {_(kind.meaning)}\n")
        return
    render = renderer("diff", output_format)
    if fail_on is not None and fail_on.strip().lower() not in SEVERITIES:
        raise fail(_("--fail-on {value}: use major or minor").format(value=repr(fail_on)))
    sides = sides or []
    if len(sides) > 2 or (staged and len(sides) > 1):
        raise fail(_("give two plans to compare (OLD NEW), one revision, or none; see forebygging diff --help"))
    try:
        pairs = _diff_pairs(sides, staged)
        results = [_compare_sources(old, new) for old, new in pairs]
    except revisions.RevisionError as exc:
        raise fail(str(exc)) from None
    # the Markdown is the council's case document: it speaks the plan's language (the new version's)
    published = (output_format or "").strip().lower() == "markdown"
    with i18n.speaking(published_language([d.new or d.old for d in results]) if published else None):
        emit(render(results))
    threshold = fail_on.strip().lower() if fail_on else ("minor" if exit_code else None)
    if threshold is not None:
        changed = [c for d in results for c in d.changes if threshold == "minor" or c.severity == "major"]
        if changed:
            raise typer.Exit(EXIT_FINDINGS)


def _diff_pairs(sides: list[str], staged: bool) -> list:
    """(old, new) sources to compare, from the arguments."""
    import os

    from .. import revisions
    from ..discover import DEFAULT_DIR, plans_directory

    if len(sides) == 2:
        return [(revisions.parse_side(sides[0]), revisions.parse_side(sides[1]))]
    if len(sides) == 1 and os.path.isfile(sides[0]) and not staged:
        return [(revisions.Source(sides[0], "HEAD"), revisions.Source(sides[0]))]
    if sides:
        revisions.refuse_option(sides[0])
    directory = plans_directory()
    if directory is None:
        # the plans/ folder may be gone with its last plan (git rm): the repository's own plans/ is meant
        try:
            directory = os.path.join(revisions.repository_root(os.getcwd(), "."), DEFAULT_DIR)
        except revisions.RevisionError:
            raise fail(_("no plans/ directory here or above; name the two plans to compare")) from None
    return revisions.changed_plans(sides[0] if sides else None, staged, directory)


def _compare_sources(old: Any, new: Any) -> Any:
    """Both sides read and checked like validate does; a side that breaks the
    schema or its references is reported as findings and ends the command (exit 2)."""
    from ..diff import compare

    before, after = _side_plan(old), _side_plan(new)
    if before is not None and after is not None and before.municipality != after.municipality:
        sys.stderr.write(_("warning: {old} and {new} are plans of two municipalities ({old_municipality} and "
                           "{new_municipality}), not two versions of one plan").format(
            old=old.name, new=new.name, old_municipality=before.municipality,
            new_municipality=after.municipality) + "\n")
    if new is not None and new.untracked:
        sys.stderr.write(_("note: {path} is not tracked by git yet; it is shown as a new plan (git add {path} to "
                           "commit it)").format(path=new.path) + "\n")
    return compare(before, after, old.name if old else "–", new.name if new else "–")


def _side_plan(source: Any) -> Any:
    """A side's plan: a file in the working tree checked as validate checks it (an unchanged one comes from
    the cache), a file from git checked from its text."""
    from .. import revisions
    from ..batch import check_files
    from ..findings import structural
    from ..load import PlanFileError
    from ..validate import file_error, validate_text

    if source is None:
        return None
    try:
        text = revisions.read(source)
    except PlanFileError as exc:
        report = file_error(source.name, exc)
    else:
        report = check_files([source.path], use_cache=RUN["cache"], workers=1)[0] if text is None \
            else validate_text(text, source.name)
    if report.unreadable:
        raise fail(f"{source.name}: {report.unreadable}")
    broken = structural(report.findings)
    if report.plan is None or broken:
        for finding in broken or report.findings:
            sys.stderr.write(f"{finding}\n")
        raise fail(_("{name} is not a valid plan; it cannot be compared (`forebygging validate` shows why)").format(
            name=source.name))
    return report.plan
