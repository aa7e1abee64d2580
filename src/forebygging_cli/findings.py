"""What validation reports: findings (rule, severity, file, line, column, data
path, message), one report per file, and the summary of a run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import DataPath, Plan

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
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
class FileReport:
    """What validation found in one file. `unreadable` is set when it could not be read at all."""

    path: str
    findings: tuple[Finding, ...] = ()
    plan: Plan | None = None
    unreadable: str | None = None
    #: findings the plan file itself switched off (validation.ignore), with its reason
    suppressed: tuple[tuple[Finding, str], ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class Summary:
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


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.column, finding.rule
