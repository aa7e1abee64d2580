"""The suite's own rules (issue 20): a declared dependency is never skipped when it is missing.

`pytest.importorskip` turns a missing module into skipped tests, so a broken install of a dependency the
project declares would pass CI quietly. A declared dependency is imported plainly: when it is missing, the
tests that need it fail and say so.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

TESTS = Path(__file__).parent
PYPROJECT = TESTS.parent / "pyproject.toml"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def declared() -> set[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_name(requirement) for requirement in requirements}


def skipped_imports(source: str) -> list[tuple[int, str]]:
    """Each `importorskip("module")` in a test file: its line and the module's top-level name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "importorskip"
                and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value).split(".")[0]))
    return found


def test_no_declared_dependency_is_imported_with_importorskip():
    distributions = packages_distributions()
    ours = declared()
    assert {"datasette", "playwright", "hypothesis"} <= ours  # the reading of pyproject.toml works
    offenders = []
    for path in sorted(TESTS.glob("*.py")):
        for line, module in skipped_imports(path.read_text(encoding="utf-8")):
            names = {_name(dist) for dist in distributions.get(module, [module])}
            if names & ours:
                offenders.append(f"{path.name}:{line}: importorskip({module!r}), declared in pyproject.toml")
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_an_importorskip_of_a_declared_dependency():
    source = 'import pytest\n\ndef test_x():\n    pytest.importorskip("datasette")\n'
    assert skipped_imports(source) == [(4, "datasette")]
