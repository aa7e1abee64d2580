"""The pre-commit hook, used from a scratch repository as another municipality would.

pre-commit installs this project (not editable) into its own environment, so
this also shows that the installed package carries the schema and validates
offline from it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLANS, ROOT, subprocess_env

import pre_commit  # noqa: E402,F401 - a declared test dependency: without it these tests fail, never skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def plan_repository(tmp_path_factory, name: str) -> Path:
    """A new git repository holding a copy of Os's plan in plans/, staged."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of this project")
    repo = tmp_path_factory.mktemp(name)
    git(repo, "init", "-q")
    (repo / "plans").mkdir()
    shutil.copy(PLANS / "os.yaml", repo / "plans" / "os.yaml")
    git(repo, "add", ".")
    return repo


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    repo = plan_repository(tmp_path_factory, "kommune")
    (repo / "notes.yaml").write_text("not: a plan\n", encoding="utf-8")  # outside plans/: the hook skips it
    git(repo, "add", ".")
    return repo


def try_repo(repo: Path, home: Path, hook: str = "forebygging-validate") -> subprocess.CompletedProcess[str]:
    env = subprocess_env(PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
                         GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    env.pop("FOREBYGGING_LANG", None)  # the installed package's default: bokmål, from its compiled catalogue
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )


def test_hook_passes_a_good_plan_and_fails_a_broken_one(scratch, tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    good = try_repo(scratch, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "forebygging validate" in good.stdout and "Passed" in good.stdout

    broken = (scratch / "plans" / "os.yaml").read_text(encoding="utf-8").replace("level: universal", "level: alle", 1)
    (scratch / "plans" / "os.yaml").write_text(broken, encoding="utf-8")
    git(scratch, "add", ".")
    bad = try_repo(scratch, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "plans/os.yaml:" in bad.stdout and "[FB104]" in bad.stdout
    assert "tillatt: universal, selected, indicated" in bad.stdout  # the wheel ships the bokmål catalogue
    assert "notes.yaml" not in bad.stdout


def test_fmt_hook_checks_the_shape_and_changes_nothing(tmp_path_factory):
    repo = plan_repository(tmp_path_factory, "fjordvik")
    home = tmp_path_factory.mktemp("pre-commit-home")
    good = try_repo(repo, home, "forebygging-fmt")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "forebygging fmt" in good.stdout and "Passed" in good.stdout

    messy = (repo / "plans" / "os.yaml").read_text(encoding="utf-8").replace("  name: Os kommune\n",
                                                                             "  name: 'Os kommune'\n", 1)
    (repo / "plans" / "os.yaml").write_text(messy, encoding="utf-8")
    git(repo, "add", ".")
    bad = try_repo(repo, home, "forebygging-fmt")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "ville omformatert plans/os.yaml" in bad.stdout
    assert (repo / "plans" / "os.yaml").read_text(encoding="utf-8") == messy  # --check: the file is as it was
