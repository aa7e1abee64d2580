"""What validation reports: findings (rule, severity, file, line, column, data
path, message), one report per file, and the summary of a run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .model import DataPath, Plan

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)  # no slots: see model.py
class Finding:
    """One thing validation found: a rule, where it stands, and what to do about it."""

    rule: str
    severity: str
    file: str
    line: int
    column: int
    message: str
    path: DataPath = ()

    @property
    def pointer(self) -> str:
        """The data path as a JSON Pointer: /measures/12/level."""
        return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in self.path)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} [{self.rule}] {self.message}"


@dataclass(frozen=True)
class Identity:
    """Whose plan a file is, and where it says so: what the checks across files
    (FB320) need of a plan, kept when the plan itself is let go."""

    municipality: str
    line: int
    column: int
    #: the rules the plan file switches off, with its reasons
    ignored_rules: Mapping[str, str]


@dataclass(frozen=True)
class FileReport:
    """What validation found in one file. `unreadable` is set when it could not be read at all."""

    path: str
    findings: tuple[Finding, ...] = ()
    plan: Plan | None = None
    unreadable: str | None = None
    #: findings the plan file itself switched off (validation.ignore), with its reason
    suppressed: tuple[tuple[Finding, str], ...] = ()
    #: set whenever the plan was built, also after `plan` is let go (without_plan)
    identity: Identity | None = None

    def without_plan(self) -> "FileReport":
        """The report with its Plan let go (a run over many files keeps only findings)."""
        return replace(self, plan=None) if self.plan is not None else self

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class Summary:
    """The counts of a run over one or more files."""

    files: int
    checked: int
    errors: int
    warnings: int
    unreadable: int
    suppressed: int

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def summarize(reports: Sequence[FileReport]) -> Summary:
    unreadable = sum(1 for r in reports if r.unreadable)
    return Summary(
        files=len(reports),
        checked=len(reports) - unreadable,
        errors=sum(r.errors for r in reports),
        warnings=sum(r.warnings for r in reports),
        unreadable=unreadable,
        suppressed=sum(len(r.suppressed) for r in reports),
    )


def structural(findings: Sequence[Finding]) -> list[Finding]:
    """The errors that keep a plan from being used at all (query, show, diff,
    render): file, schema and reference errors (below FB300). A draft with only
    completeness findings (FB3xx) can be used."""
    return [f for f in findings if f.severity == ERROR and f.rule < "FB300"]


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.rule
