"""The command line as a package (issue 16): every command's help, in both
languages, is byte for byte what it was before the move, and no command module
imports another."""

from __future__ import annotations

import ast

import pytest

from conftest import FIXTURES, ROOT

CLI = ROOT / "src" / "forebygging_cli" / "cli"
#: written by the commit before the move (the single-file cli.py), at 80 columns
HELP = FIXTURES / "help"
COMMANDS = ["validate", "rules", "schema", "query", "show", "diff", "coverage", "render", "new", "fmt", "plans",
            "units"]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("command", ["", *COMMANDS], ids=lambda c: c or "forebygging")
def test_help_is_unchanged_by_the_move(cli, lang, command):
    result = cli("--lang", lang, *([command] if command else []), "--help", env={"COLUMNS": "80"})
    assert result.code == 0 and result.stderr == ""
    expected = (HELP / lang / f"{command or 'forebygging'}.txt").read_text(encoding="utf-8")
    assert result.stdout == expected


def test_every_command_has_its_module_and_none_imports_another():
    from forebygging_cli.cli.plumbing import COMMANDS as TABLE

    assert list(TABLE) == [*COMMANDS, "export"]  # export came after the move (issue 21)
    command_modules = {module for module, _function in TABLE.values()}
    for module in command_modules:
        tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
        assert not imported & command_modules, (module, imported & command_modules)
        assert imported <= {"common", "options", "plumbing"}, (module, imported)


def test_no_module_is_longer_than_600_lines():
    for path in (ROOT / "src" / "forebygging_cli").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path


def test_the_rule_catalogue_needs_no_circle():
    """rules.py declares the file and schema rules and imports no checks; checks.py declares its rules
    beside its checks; catalogue.py (imported by those who list or report rules) puts them together."""
    source = (ROOT / "src" / "forebygging_cli" / "rules.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "checks" not in imported and not any("checks" in alias.name for node in ast.walk(tree)
                                                 if isinstance(node, ast.ImportFrom) for alias in node.names)
    from forebygging_cli.catalogue import BY_NAME, RULES
    from forebygging_cli.checks import CHECK_RULES
    from forebygging_cli.rules import FILE_RULES

    assert set(RULES) == set(FILE_RULES) | set(CHECK_RULES) and not set(FILE_RULES) & set(CHECK_RULES)
    assert list(RULES) == sorted(RULES) and len(BY_NAME) == len(RULES) == 34
