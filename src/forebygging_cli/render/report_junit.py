"""`validate --format junit`: JUnit XML that CI servers show as test results.

One <testsuite> per file; one <testcase> per finding (errors are <failure>s,
warnings pass with the message in <system-out>, or fail with --strict;
findings the plan suppresses are <skipped> with the plan's reason); a clean
file is one passing <testcase>; an unreadable file is an <error>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from ..i18n import _

from ..catalogue import RULES
from ..findings import FileReport
from .text import printable


def render(reports: Sequence[FileReport], problems: Sequence[tuple[str, str]] = (), strict: bool = False,
           **_options: Any) -> str:
    root = ET.Element("testsuites", name="forebygging validate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for argument, reason in problems:
        suite = _suite(root, argument)
        case = ET.SubElement(suite, "testcase", name="arguments", classname=argument)
        ET.SubElement(case, "error", message=reason, type="usage")
        _count(suite, totals, tests=1, errors=1)
    for report in reports:
        suite = _suite(root, report.path)
        if report.unreadable:
            case = ET.SubElement(suite, "testcase", name="read", classname=printable(report.path))
            ET.SubElement(case, "error", message=report.unreadable, type="unreadable")
            _count(suite, totals, tests=1, errors=1)
            continue
        if not report.findings:
            ET.SubElement(suite, "testcase", name="valid", classname=printable(report.path))
            _count(suite, totals, tests=1)
            continue
        failures = 0
        for f in report.findings:
            case = ET.SubElement(suite, "testcase", name=_("{rule} {name} at line {line}").format(rule=f.rule, name=RULES[f.rule].name, line=f.line),
                                 classname=printable(report.path))
            text = printable(f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}")
            if f.severity == "error" or strict:
                ET.SubElement(case, "failure", message=printable(f.message), type=f.rule).text = text
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = text
        for f, reason in report.suppressed:
            case = ET.SubElement(suite, "testcase", name=_("{rule} {name} at line {line}").format(rule=f.rule, name=RULES[f.rule].name, line=f.line),
                                 classname=printable(report.path))
            ET.SubElement(case, "skipped", message=printable(_("suppressed by the plan: {reason}").format(reason=reason)))
        _count(suite, totals, tests=len(report.findings) + len(report.suppressed), failures=failures)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=printable(name), tests="0", failures="0", errors="0")


def _count(suite: ET.Element, totals: dict[str, int], tests: int, failures: int = 0, errors: int = 0) -> None:
    for key, value in (("tests", tests), ("failures", failures), ("errors", errors)):
        suite.set(key, str(int(suite.get(key, "0")) + value))
        totals[key] += value
