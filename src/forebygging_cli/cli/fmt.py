"""`forebygging fmt`: plan files in one canonical shape, comments kept."""

import sys
from typing import Annotated

import typer

from ..i18n import N_, _, ngettext
from .common import EXIT_FINDINGS, EXIT_USAGE, error, write_error
from .options import PlanPaths
from .plumbing import command


@command(help=N_(
    "Put plan files in one canonical shape: keys in the schema's order, two-space indentation, one quoting style, "
    "long text never re-wrapped, every comment kept where it was. Layout only: the plan read back is the same, "
    "value for value. A file that does not parse or breaks the schema is left as it is, with the finding."))
def fmt(
    paths: PlanPaths = None,
    check: Annotated[bool, typer.Option("--check", help=N_(
        "Change nothing; exit 1 when a file would change (for CI and pre-commit)."))] = False,
    show_diff: Annotated[bool, typer.Option("--diff", help=N_(
        "Change nothing; print the changes fmt would make, as a unified diff."))] = False,
) -> None:
    import difflib

    from ..discover import select as select_files
    from ..fmt import FormatError, canonical
    from ..load import PlanFileError, UnreadableFile, decode, read_bytes
    from ..validate import validate_text
    from ..writing import WriteError
    from ..writing import write_file as write

    selection = select_files(paths)
    for argument, reason in selection.problems:
        error(f"{argument}: {reason}")
    changed: list[str] = []
    failed = len(selection.problems)
    for path in selection.files:
        try:
            raw = read_bytes(path)
            text = decode(raw)
        except UnreadableFile as exc:
            error(f"{path}: {exc.reason}")
            failed += 1
            continue
        except PlanFileError as exc:
            sys.stderr.write(f"{path}:{exc.line}:{exc.column}: {exc.message}\n")
            failed += 1
            continue
        report = validate_text(text, path)
        # a file that does not parse or breaks the schema; a dangling reference or a
        # missing section (FB2xx, FB3xx) is a planner mid-edit, and layout is still layout
        broken = [f for f in report.findings if f.severity == "error" and f.rule < "FB200"]
        if broken:
            for finding in broken:
                sys.stderr.write(f"{finding}\n")
            error(_("{path} is left as it is: fix these first (it must parse and match the schema)").format(
                path=path))
            failed += 1
            continue
        try:
            formatted = canonical(text)
        except FormatError as exc:  # fmt's own safety check caught it: a bug to report, the file untouched
            error(_("{path} is left as it is: fmt could not keep the change to layout only ({reason}); please "
                     "report this").format(path=path, reason=exc))
            failed += 1
            continue
        if formatted.encode("utf-8") == raw:  # bytes: a byte order mark or CR LF line endings are not the shape
            continue
        changed.append(path)
        if show_diff and formatted == text:  # the same text: only the bytes it is written in change
            sys.stdout.write(_("{path}: only the byte order mark or the line endings change (the shape is UTF-8 "
                               "without a byte order mark, with LF line endings)").format(path=path) + "\n")
        elif show_diff:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True),
                                                       formatted.splitlines(keepends=True), f"{path}", f"{path}"))
        elif check:
            sys.stdout.write(_("would reformat {path}").format(path=path) + "\n")
        else:
            try:
                write(path, formatted)
            except WriteError as exc:  # reported, and the other files are still formatted
                changed.pop()
                error(write_error(exc))
                failed += 1
                continue
            sys.stdout.write(_("reformatted {path}").format(path=path) + "\n")
    unchanged = len(selection.files) - len(changed) - failed + len(selection.problems)
    if check or show_diff:
        summary = ngettext("{count} file would be reformatted, {unchanged} already canonical.",
                           "{count} files would be reformatted, {unchanged} already canonical.", len(changed))
    else:
        summary = ngettext("{count} file reformatted, {unchanged} already canonical.",
                           "{count} files reformatted, {unchanged} already canonical.", len(changed))
    if failed:
        summary += " " + ngettext("{failed} file left as it is.", "{failed} files left as they are.", failed)
    sys.stderr.write(summary.format(count=len(changed), unchanged=unchanged, failed=failed) + "\n")
    if failed:
        raise typer.Exit(EXIT_USAGE)
    if (check or show_diff) and changed:
        raise typer.Exit(EXIT_FINDINGS)
