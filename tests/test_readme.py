"""The README's two commands are a promise; CI must run the second one."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, "the Quick start section has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    setup_and_run, setup_and_test = commands
    assert "forebygging validate" in setup_and_run and "pip install" in setup_and_run
    assert "pytest" in setup_and_test and "pip install" in setup_and_test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


# -- the README tour, in each language -----------------------------------------------------


def tour_commands() -> list[list[str]]:
    """The commands of the README's tour (the first code block under "## A short tour")."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the tour has no sh code block"
    commands = []
    for line in block.group(1).splitlines():
        line = line.split("  #", 1)[0].strip()
        if line.startswith("forebygging "):
            words = shlex.split(line)[1:]
            commands.append([w for w in words if w != ">" and not w.endswith(".csv")])
    return commands


def fragments(language: str) -> set[str]:
    """Literal pieces of the messages of the *other* language: text that must
    not appear in output of `language` (pieces of the message ids for bokmål,
    pieces of the translations for English)."""
    from babel.messages.pofile import read_po

    with open(ROOT / "src/forebygging_cli/locale/nb/LC_MESSAGES/forebygging.po", "rb") as handle:
        catalogue = read_po(handle, locale="nb")
    plan_text = " ".join(path.read_text(encoding="utf-8") for path in (ROOT / "plans").glob("*.yaml"))
    pieces: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        foreign, own = (ids, strings) if language == "nb" else (strings, ids)
        for text in foreign:
            for piece in re.split(r"\{[^{}]*\}|`[^`]*`|'[^']*'|«[^»]*»|\n", text):
                piece = piece.strip(" .,;:()")
                # plan text is Norwegian in every language: a unit named like a service label is not a leak
                if len(piece) >= 14 and " " in piece and not any(piece in o for o in own) and piece not in plan_text:
                    pieces.add(piece)
    return pieces


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_readme_tour_speaks_one_language(cli, in_repo, language):
    foreign = fragments(language)
    assert len(foreign) > 100
    commands = tour_commands()
    assert len(commands) >= 12
    for args in commands:
        result = cli("--lang", language, *args, env={"COLUMNS": "200"})
        assert result.code == 0, (args, result.output)
        leaks = sorted(piece for piece in foreign if piece in result.output)
        assert leaks == [], (args, leaks)


def test_the_readme_lists_every_kind_of_change():
    from forebygging_cli.diff import KINDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z-]+)` \| (major|minor) \|", readme, re.M)
    assert listed == [(kind.id, kind.severity) for kind in KINDS.values()]
