"""Validation: a plan file -> a FileReport of findings.

The steps, in order, for one file: read and parse it (FB0xx, `load`); check
its text (FB009) and the schema (FB1xx, `schema_check`); check references and
ids on whatever parsed (FB2xx, `checks`), so a planner sees every error in
one round; and, once the file matches the schema, build the Plan and check
what a plan must hold (FB3xx, `checks`). Across the files of one run: FB320.

Every finding names a rule of the catalogue (`catalogue.RULES`), a file, a 1-based
line and column, the data path and a message that says what is wrong and what
would be right, in the language of the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from .checks import ACROSS_FILES, DOCUMENT_CHECKS, PLAN_CHECKS, duplicate_municipality_message
from .findings import FileReport, Finding, Identity, Summary, sort_key, summarize
from .files import PlanFileError, UnreadableFile, read_bytes
from .load import Document, build_plan
from .model import Plan
from .rules import FILE_RULES_BY_NAME
from .schema_check import make_finding, schema_findings, text_findings
from .vocab import fold

__all__ = ["ACROSS_FILES", "FIRST_SELECTABLE", "FileReport", "Finding", "Summary", "across_files", "file_error",
           "read_error", "select_rules", "summarize", "validate_document", "validate_file", "validate_paths",
           "validate_text"]


def validate_file(path: str) -> FileReport:
    """Read, parse and check one plan file; never raises for bad input."""
    from .discover import shown

    try:
        raw = read_bytes(path)
    except (UnreadableFile, PlanFileError) as exc:
        return read_error(shown(path), exc)
    return validate_text(raw, shown(path))


def read_error(path: str, exc: UnreadableFile | PlanFileError) -> FileReport:
    """The report of a file that could not be read (missing, a directory, too large)."""
    if isinstance(exc, UnreadableFile):
        return FileReport(path, unreadable=exc.reason)
    return file_error(path, exc)


def validate_text(text: str | bytes, shown: str, engine: str = "fast") -> FileReport:
    """Check a plan given as text or bytes (a file's, standard input, git), reported under the name
    `shown`. `engine`: the YAML parser (parse.py); both give the same findings at the same positions."""
    from .load import document_from_text

    try:
        document = document_from_text(text, shown, engine)
    except PlanFileError as exc:
        return file_error(shown, exc)
    return validate_document(document)


def file_error(path: str, exc: PlanFileError) -> FileReport:
    rule = FILE_RULES_BY_NAME[exc.kind]
    return FileReport(path, (make_finding(rule.id, path, exc.line, exc.column, exc.message, exc.path),))


def validate_document(document: Document) -> FileReport:
    structural = text_findings(document) + schema_findings(document) + reference_findings(document)
    if structural:  # all errors: a plan that breaks them is not built
        return FileReport(document.path, tuple(sorted(structural, key=sort_key)))
    plan = build_plan(document)
    kept, suppressed = [], []
    for finding in plan_findings(plan):
        if finding.rule in plan.ignored_rules:
            suppressed.append((finding, plan.ignored_rules[finding.rule]))
        else:
            kept.append(finding)
    position = plan.position(("municipality", "name"))
    identity = Identity(plan.municipality, position.line, position.column, plan.ignored_rules)
    return FileReport(document.path, tuple(kept), plan, suppressed=tuple(suppressed), identity=identity)


def reference_findings(document: Document) -> list[Finding]:
    """FB2xx, on the document's data: they run even where the schema fails elsewhere."""
    findings = []
    for rule_id, check in DOCUMENT_CHECKS.items():
        for path, message in check(document):
            line, column = document.position(path)
            findings.append(make_finding(rule_id, document.path, line, column, message, path))
    return findings


def plan_findings(plan: Plan) -> list[Finding]:
    """FB3xx, on a schema-valid Plan."""
    findings = []
    for rule_id, check in PLAN_CHECKS.items():
        for path, message in check(plan):
            position = plan.position(path)
            findings.append(make_finding(rule_id, plan.path, position.line, position.column, message, path))
    return sorted(findings, key=sort_key)


#: Rules below this id (the file and the schema) always count: a file that is not
#: YAML or breaks the schema was not checked at all, whatever is selected.
FIRST_SELECTABLE = "FB200"


def select_rules(report: FileReport, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileReport:
    """Keep only findings whose rule starts with one of `select` (all when empty)
    and with none of `ignore`: "FB3" selects every FB3xx rule. File and schema
    findings (FB0xx, FB1xx) are always kept."""

    def wanted(rule: str) -> bool:
        if rule < FIRST_SELECTABLE:
            return True
        return (not select or rule.startswith(tuple(select))) and not rule.startswith(tuple(ignore))

    return replace(report, findings=tuple(f for f in report.findings if wanted(f.rule)))


def validate_paths(paths: Iterable[str]) -> list[FileReport]:
    """Validate each file on its own (one bad file never hides another's
    findings), then the checks across files (FB320)."""
    return across_files([validate_file(path) for path in paths])


def across_files(reports: Sequence[FileReport]) -> list[FileReport]:
    """Add FB320 to each plan that describes the same municipality as another file."""
    by_municipality: dict[str, list[int]] = {}
    for index, report in enumerate(reports):
        if report.identity is not None:
            by_municipality.setdefault(fold(report.identity.municipality), []).append(index)
    result = list(reports)
    for indexes in by_municipality.values():
        if len(indexes) < 2:
            continue
        for index in indexes:
            report = reports[index]
            identity = report.identity
            assert identity is not None
            others = [reports[i].path for i in indexes if i != index]
            finding = make_finding("FB320", report.path, identity.line, identity.column,
                                   duplicate_municipality_message(others, identity.municipality),
                                   ("municipality", "name"))
            if finding.rule in identity.ignored_rules:
                result[index] = replace(report, suppressed=report.suppressed + (
                    (finding, identity.ignored_rules[finding.rule]),))
            else:
                result[index] = replace(report, findings=tuple(sorted(report.findings + (finding,), key=sort_key)))
    return result
