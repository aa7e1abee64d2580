"""`validate --format json`: one stable document for programs.

    {"version": 1,
     "files": [{"path", "status": "ok" | "findings" | "unreadable", "reason",
                "errors", "warnings",
                "findings": [{"rule", "name", "severity", "file", "line", "column",
                              "path", "message"}],
                "suppressed": [{"rule", "line", "reason"}]}],
     "problems": [{"argument", "reason"}],
     "summary": {"files", "checked", "errors", "warnings", "unreadable", "suppressed"}}

`path` in a finding is a JSON Pointer into the plan ("/measures/12/level").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..catalogue import RULES
from ..findings import FileReport, Finding, summarize
from .jsondump import dump

VERSION = 1


def finding_record(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "name": RULES[finding.rule].name,
        "severity": finding.severity,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "path": finding.pointer,
        "message": finding.message,
    }


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = (), **_options: Any) -> str:
    files = []
    for report in reports:
        status = "unreadable" if report.unreadable else ("findings" if report.findings else "ok")
        files.append({
            "path": report.path,
            "status": status,
            "reason": report.unreadable,
            "errors": report.errors,
            "warnings": report.warnings,
            "findings": [finding_record(f) for f in report.findings],
            "suppressed": [{"rule": f.rule, "line": f.line, "reason": why} for f, why in report.suppressed],
        })
    document = {
        "version": VERSION,
        "files": files,
        "problems": [{"argument": a, "reason": r} for a, r in problems],
        "summary": asdict(summarize(reports)),
    }
    return dump(document)
