"""Shared test helpers: where the repository, plans and seed texts are, and a
way to run the CLI in-process and see what a user would see."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
FIXTURES = Path(__file__).parent / "fixtures"


def bench_corpus(directory: Path, count: int) -> list[Path]:
    """`count` plans of the bench's national corpus (bench/corpus.py) written into `directory`."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return corpus.write(directory, count=count)
#: The source plans live beside the repository (../shared/seeds) on the team's
#: machines and in CI; FOREBYGGING_SEEDS points elsewhere.
SEEDS = Path(os.environ.get("FOREBYGGING_SEEDS", ROOT.parent / "shared" / "seeds"))
SEED_FILES = {"lier": "000_6a83cdd4ae52f5ea.txt", "os": "003_91e0c4bd26946678.txt"}
#: The YAML test suite's cases (../shared/yaml-test-suite/cases.jsonl); FOREBYGGING_YAML_SUITE points elsewhere.
YAML_SUITE = Path(os.environ.get("FOREBYGGING_YAML_SUITE", ROOT.parent / "shared" / "yaml-test-suite"))


#: Variables a CI system or a developer's shell sets that change what the CLI
#: prints (format, colour, width, language, cache). Every test starts without
#: them; a test that needs one sets it explicitly.
ENVIRONMENT_PREFIXES = ("GITHUB_", "FOREBYGGING_", "TYPER_", "LC_")
ENVIRONMENT_NAMES = {"CI", "FORCE_COLOR", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS", "LINES",
                     "LANG", "LANGUAGE", "PYTHONIOENCODING", "XDG_CACHE_HOME", "PAGER"}


def is_environment_dependent(name: str) -> bool:
    return name in ENVIRONMENT_NAMES or name.startswith(ENVIRONMENT_PREFIXES)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path_factory):
    """Each test runs in an explicit environment, whatever the caller's shell or CI sets."""
    for name in list(os.environ):
        if is_environment_dependent(name):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    # Most tests check messages in English, the language of the message ids; the
    # tests of the Norwegian interface ask for it with --lang nb or a locale.
    monkeypatch.setenv("FOREBYGGING_LANG", "en")


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running the real command in a subprocess: the test's
    clean environment plus `extra`."""
    return {**os.environ, **extra}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str = "", stdin_bytes: bytes | None = None) -> Run:
    """Run `forebygging ARGS` in-process, as the console script does, with the
    test's clean environment plus `env`, and capture what a user would see.
    Fails the test if a traceback would reach the user."""
    import io
    import sys

    from forebygging_cli import cli, i18n

    streams = {name: io.BytesIO() for name in ("stdout", "stderr")}
    saved = (sys.stdin, sys.stdout, sys.stderr, dict(os.environ))
    os.environ.update(env or {})
    wrappers = {name: io.TextIOWrapper(stream, encoding="utf-8", write_through=True) for name, stream in streams.items()}
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8") if stdin_bytes is None else stdin_bytes),
                                 encoding="utf-8")
    sys.stdout, sys.stderr = wrappers["stdout"], wrappers["stderr"]
    try:
        code = cli.run(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr, environ = saved
        i18n.activate("en")  # what the next test's library calls (outside the CLI) expect
        os.environ.clear()
        os.environ.update(environ)
    out, err = (streams[name].getvalue().decode("utf-8") for name in ("stdout", "stderr"))
    for wrapper in wrappers.values():
        wrapper.detach()
    assert "Traceback" not in out + err, out + err
    if "validate" in args:
        engines_agree(args, stdin_bytes if stdin_bytes is not None else stdin.encode("utf-8"))
    return Run(code, out, err)


#: (shown name, bytes) already compared, so a file validated by many tests is compared once
_COMPARED: set[tuple[str, bytes]] = set()


def engines_agree(args: tuple[str, ...], stdin: bytes) -> None:
    """Every plan file the test suite validates that has findings is validated
    again with the round-trip parser (ruamel.yaml) in place of the fast one
    (libyaml), and both must give the same findings at the same lines and
    columns: so every broken fixture in the suite (and every mutated plan of
    the property tests) holds the fast path to the positions of the round-trip
    path."""
    from forebygging_cli.i18n import activate
    from forebygging_cli.validate import validate_text

    texts = []
    for arg in args:
        path = Path(arg)
        if arg == "-":
            texts.append(("<stdin>", stdin))
        elif path.is_file() and path.suffix in (".yaml", ".yml") and path.stat().st_size <= 2 * 1024 * 1024:
            texts.append((arg, path.read_bytes()))
        elif path.is_dir() and not path.is_symlink():
            texts += [(str(p), p.read_bytes()) for p in sorted(path.glob("*.y*ml")) if p.is_file()]
    activate("en")
    for shown, raw in texts:
        if (shown, raw) in _COMPARED:
            continue
        fast = validate_text(raw, shown)
        if fast.findings:
            slow = validate_text(raw, shown, engine="roundtrip")
            assert [str(f) for f in slow.findings] == [str(f) for f in fast.findings], (
                f"{shown}: the fast and the round-trip parser disagree")
        # recorded only once they agree: a text that made them disagree fails again every time it is
        # validated (hypothesis replays a failing example to shrink it; recorded before the assertion,
        # the replay passed and a real disagreement surfaced as FlakyFailure)
        _COMPARED.add((shown, raw))


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def in_repo(monkeypatch):
    """Run with the repository root as the working directory (default plans/)."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache of the test's own (FOREBYGGING_CACHE_DIR), so that what a run stores can be looked at."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(directory))
    return directory


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
