"""Shared test helpers: where the repository, plans and seed texts are, and a
way to run the CLI in-process and see what a user would see."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
FIXTURES = Path(__file__).parent / "fixtures"
#: The source plans live beside the repository (../shared/seeds) on the team's
#: machines and in CI; FOREBYGGING_SEEDS points elsewhere.
SEEDS = Path(os.environ.get("FOREBYGGING_SEEDS", ROOT.parent / "shared" / "seeds"))
SEED_FILES = {"lier": "000_6a83cdd4ae52f5ea.txt", "os": "003_91e0c4bd26946678.txt"}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run `forebygging ARGS` in-process. Fails the test if a traceback would reach the user."""
    from forebygging_cli.cli import app

    result = CliRunner(env=env).invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"forebygging {' '.join(args)} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def in_repo(monkeypatch):
    """Run with the repository root as the working directory (default plans/)."""
    monkeypatch.chdir(ROOT)
    return ROOT


def seed_text(stem: str) -> str:
    path = SEEDS / SEED_FILES[stem]
    if not path.is_file():
        pytest.skip(f"source plan {path} not found: the data-vs-source checks need ../shared/seeds/ "
                    "(set FOREBYGGING_SEEDS to its location)")
    return path.read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Whitespace-insensitive, extraction-debris-free form of a text for 'occurs in' checks."""
    text = re.sub(r"</?(p|i|b|li|ul)( [^>]*)?>", " ", text)
    text = text.replace("•", " ")
    return " ".join(text.split())


FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) \[(?P<rule>FB\d{3})\] (?P<message>.+)$")


def findings(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(FINDING.match, output.splitlines()) if m]


def errors(output: str) -> list[dict[str, str]]:
    return [f for f in findings(output) if f["severity"] == "error"]
