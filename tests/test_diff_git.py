"""`forebygging diff` with git: revisions, tags, the index and the working
tree; plan files git reports under their own names (tromsø, bodø, bærum); a
new plan, untracked or staged, and the last plan removed; and git used safely:
a revision the user writes never reaches git as an option, and a blob over the
limit is refused by its size."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import PLANS, ROOT
from forebygging_cli.files import MAX_BYTES
from forebygging_cli.parse import roundtrip_yaml
from test_diff import add_measure, dump, edited, establish_arena, load_rt, measure, move_level

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                               "HOME": str(repo)})
    return done.stdout


def scratch_repository(tmp_path, monkeypatch, plans: dict[str, str]):
    """A repository with `plans` (file name -> stem of the real plan) committed and tagged vedtatt-2024."""
    repo = tmp_path / "planer"
    (repo / "plans").mkdir(parents=True)
    for name, stem in plans.items():
        shutil.copy(PLANS / f"{stem}.yaml", repo / "plans" / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "vedtatt plan")
    git(repo, "tag", "vedtatt-2024")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def repository(tmp_path, monkeypatch):
    repo = scratch_repository(tmp_path, monkeypatch, {"lier.yaml": "lier", "os.yaml": "os"})
    edited(tmp_path, "lier", lambda d: (establish_arena(d), move_level(d)))
    shutil.copy(tmp_path / "lier-ny.yaml", repo / "plans" / "lier.yaml")
    git(repo, "commit", "-qam", "revisjon")
    return repo


def json_diff(cli, *args: str) -> dict:
    result = cli("diff", *args, "--format", "json")
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def changes(cli, *args: str) -> list[tuple]:
    return [(c["change"], c["id"], c["field"]) for p in json_diff(cli, *args)["plans"] for c in p["changes"]]


def test_revisions_and_tags(cli, repository):
    expected = [("measure-level", "tranby-fritidsklubb", "level"), ("arena-status", "inntaksteam", "status")]
    assert changes(cli, "HEAD~1:plans/lier.yaml", "plans/lier.yaml") == expected
    assert changes(cli, "vedtatt-2024:plans/lier.yaml", "HEAD:plans/lier.yaml") == expected
    assert json_diff(cli, "HEAD")["plans"] == []  # the tree is HEAD
    since_tag = json_diff(cli, "vedtatt-2024")
    assert [(p["old"], p["new"]) for p in since_tag["plans"]] == [("vedtatt-2024:plans/lier.yaml", "plans/lier.yaml")]
    assert [(c["change"], c["id"], c["field"]) for c in since_tag["plans"][0]["changes"]] == expected


def test_no_arguments_compare_the_working_tree_with_head_and_staged_compares_the_index(cli, repository):
    path = repository / "plans" / "os.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    name: MST\n", "    name: MST-behandling\n", 1),
                    encoding="utf-8")
    assert changes(cli) == [("measure-name", "mst", "name")]
    assert json_diff(cli, "--staged")["plans"] == []
    git(repository, "add", "plans/os.yaml")
    staged = json_diff(cli, "--staged")
    assert [(p["old"], p["new"]) for p in staged["plans"]] == [("HEAD:plans/os.yaml", ":plans/os.yaml")]
    assert changes(cli, "--staged", "vedtatt-2024") == [
        ("measure-level", "tranby-fritidsklubb", "level"), ("arena-status", "inntaksteam", "status"),
        ("measure-name", "mst", "name")]


@pytest.mark.parametrize(("old", "words"), [
    ("nope:plans/lier.yaml", "there is no revision 'nope' in this git repository"),
    ("HEAD:plans/borte.yaml", "plans/borte.yaml does not exist in revision HEAD"),
    (":plans/borte.yaml", "plans/borte.yaml is not staged"),
])
def test_bad_revisions_are_one_clear_line(cli, repository, old, words):
    result = cli("diff", old, "plans/lier.yaml")
    assert result.code == 2
    assert result.stderr == f"error: {words}\n"


def test_a_mistyped_tag_is_named_as_a_revision(cli, repository):
    result = cli("diff", "vedtatt-2042")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "error: there is no revision 'vedtatt-2042' in this git repository\n"
    nb = cli("--lang", "nb", "diff", "vedtatt-2042")
    assert nb.stderr == "feil: det finnes ingen revisjon 'vedtatt-2042' i dette git-arkivet\n"


def test_outside_a_git_repository(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(PLANS / "os.yaml", tmp_path / "os.yaml")
    result = cli("diff", "HEAD:os.yaml", "os.yaml")
    assert result.code == 2
    assert result.stderr == "error: os.yaml is not in a git repository, so it has no revisions\n"


# -- a revision never reaches git as an option ----------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--", "--output=written-by-git"],
    ["--", "--output=written-by-git:plans/lier.yaml", "plans/lier.yaml"],
    ["--", "plans/lier.yaml", "--output=written-by-git:plans/lier.yaml"],
    ["--staged", "--", "--output=written-by-git"],
])
def test_a_revision_that_starts_with_a_dash_is_refused(cli, repository, args):
    result = cli("diff", *args)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "error: '--output=written-by-git' is not a revision: a revision never starts with '-'\n"
    assert not (repository / "written-by-git").exists()
    assert sorted(os.listdir(repository)) == [".git", "plans"]


# -- names as git gives them ---------------------------------------------------------------------


NORWEGIAN_NAMES = {"tromsø.yaml": "lier", "bodø.yaml": "os", "bærum.yaml": "lier"}


def test_plan_files_with_norwegian_letters_are_compared(cli, tmp_path, monkeypatch):
    repo = scratch_repository(tmp_path, monkeypatch, NORWEGIAN_NAMES)
    for name, stem in NORWEGIAN_NAMES.items():
        data = load_rt(stem)
        data["measures"].pop(0)
        dump(data, repo / "plans" / name)
    found = json_diff(cli)
    assert sorted(p["new"] for p in found["plans"]) == sorted(f"plans/{name}" for name in NORWEGIAN_NAMES)
    assert all([c["change"] for c in p["changes"]] == ["measure-removed"] for p in found["plans"])
    git(repo, "add", ".")
    assert len(json_diff(cli, "--staged")["plans"]) == 3


def test_the_ci_gate_fails_a_measure_removed_from_tromso(cli, tmp_path, monkeypatch):
    """The README's gate, `diff origin/main --fail-on major`, in a clone whose branch removes a measure."""
    origin = scratch_repository(tmp_path, monkeypatch, {"tromsø.yaml": "lier"})
    clone = tmp_path / "klone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-qb", "endring")
    data = load_rt("lier")
    removed = data["measures"].pop(3)
    dump(data, clone / "plans" / "tromsø.yaml")
    git(clone, "commit", "-qam", "fjerner et tiltak")
    monkeypatch.chdir(clone)
    gate = cli("diff", "origin/main", "--fail-on", "major")
    assert gate.code == 1, gate.output
    assert f"  {removed['name']}: removed from " in gate.stdout
    assert "origin/main:plans/tromsø.yaml" in gate.stdout


# -- new, staged and removed plans ---------------------------------------------------------------


def test_an_untracked_new_plan_is_a_new_plan_and_mentioned(cli, repository):
    assert cli("new", "Fjordvik kommune").code == 0
    result = cli("diff", "--format", "json")
    assert result.code == 0, result.output
    [plan] = json.loads(result.stdout)["plans"]
    assert (plan["old"], plan["new"]) == ("–", "plans/fjordvik.yaml")
    assert [(c["change"], c["kind"], c["severity"], c["name"]) for c in plan["changes"]] == [
        ("plan-added", "added", "major", "Fjordvik kommune")]
    assert plan["changes"][0]["message"] == "new plan: Fjordvik kommune"
    assert result.stderr == ("note: plans/fjordvik.yaml is not tracked by git yet; it is shown as a new plan "
                             "(git add plans/fjordvik.yaml to commit it)\n")
    text = cli("diff")
    assert "1 new plan. (1 major and 0 minor changes)" in text.stdout
    assert "\n\nPlan files\n  Fjordvik kommune: new plan: Fjordvik kommune\n" in text.stdout
    markdown = cli("--lang", "en", "diff", "--format", "markdown").stdout
    assert "**1 new plan.**" in markdown
    assert "### Plan files\n\n- **Fjordvik kommune**: new plan: Fjordvik kommune\n" in markdown
    assert cli("diff", "--fail-on", "major").code == 1


def test_a_staged_new_plan_is_counted_as_a_new_plan(cli, repository):
    assert cli("new", "Fjordvik kommune").code == 0
    git(repository, "add", "plans/fjordvik.yaml")
    text = cli("--lang", "nb", "diff", "--staged")
    assert text.code == 0, text.output
    assert "1 ny plan. (1 større og 0 mindre endringer)" in text.stdout
    assert "annen endring" not in text.stdout
    assert changes(cli, "--staged") == [("plan-added", "fjordvik", None)]


def test_git_rm_of_the_last_plan_is_a_removed_plan(cli, tmp_path, monkeypatch):
    repo = scratch_repository(tmp_path, monkeypatch, {"lier.yaml": "lier"})
    git(repo, "rm", "-q", "plans/lier.yaml")
    assert not (repo / "plans").exists()
    for args in ([], ["--staged"]):
        result = cli("diff", *args, "--format", "json")
        assert result.code == 0, result.output
        [plan] = json.loads(result.stdout)["plans"]
        assert (plan["old"], plan["new"]) == ("HEAD:plans/lier.yaml", "–")
        assert [(c["change"], c["id"], c["name"]) for c in plan["changes"]] == [
            ("plan-removed", "lier", "Lier kommune")]
    text = cli("diff").stdout
    assert "1 plan removed." in text and "  Lier kommune: plan removed: Lier kommune\n" in text
    markdown = cli("--lang", "en", "diff", "--format", "markdown").stdout
    assert markdown == ("## Lier kommune\n\nCompared: HEAD:plans/lier.yaml → –\n\n**1 plan removed.** (1 major and 0 "
                        "minor changes)\n\n### Plan files\n\n- **Lier kommune**: plan removed: Lier kommune\n")


# -- reading from git within the limits ----------------------------------------------------------


def test_a_blob_over_the_limit_is_refused_by_its_size(cli, repository):
    big = repository / "plans" / "stor.yaml"
    size = MAX_BYTES + 4321
    big.write_text("schema_version: 1\n" + "#" * 80 + "\n" * (size - 99) + "\n", encoding="utf-8")
    assert big.stat().st_size == size
    git(repository, "add", "plans/stor.yaml")
    git(repository, "commit", "-qm", "stor")
    big.unlink()
    result = cli("diff", "HEAD:plans/stor.yaml", "plans/os.yaml")
    assert (result.code, result.stdout) == (2, "")
    assert "HEAD:plans/stor.yaml:1:1: error [FB" in result.stderr
    assert f"the file is {size:,} bytes" in result.stderr


def test_two_municipalities_are_compared_with_a_warning(cli, repository):
    result = cli("diff", "plans/lier.yaml", "plans/os.yaml", "--format", "json")
    assert result.code == 0
    assert result.stderr == ("warning: plans/lier.yaml and plans/os.yaml are plans of two municipalities "
                             "(Lier kommune and Os kommune), not two versions of one plan\n")
    assert cli("diff", "HEAD~1:plans/lier.yaml", "plans/lier.yaml").stderr == ""


# -- whole documents ---------------------------------------------------------------------------


def readme_markdown_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### diff", 1)[1]
    return section.split("```markdown\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_is_what_diff_writes(cli, tmp_path, monkeypatch):
    """The README's Markdown for a revision of Lier's plan (the intake team established, two measures moved
    and one added), word for word."""
    repo = scratch_repository(tmp_path, monkeypatch, {"lier.yaml": "lier"})

    def revise(data):
        add_measure(data)
        establish_arena(data)
        move_level(data)
        measure(data, "los")["level"] = "indicated"
    data = load_rt("lier")
    revise(data)
    dump(data, repo / "plans" / "lier.yaml")
    git(repo, "commit", "-qam", "revisjon")
    result = cli("--lang", "nb", "diff", "HEAD~1:plans/lier.yaml", "plans/lier.yaml", "--format", "markdown")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == readme_markdown_example()


def test_whole_documents_in_markdown_and_on_the_terminal(cli, repository):
    clean = cli("--lang", "en", "diff", "--format", "markdown")
    assert clean.stdout == "No plan files changed.\n"
    assert cli("diff").stdout == "No plan files changed.\n"
    same = cli("--lang", "en", "diff", "HEAD:plans/os.yaml", "plans/os.yaml", "--format", "markdown")
    assert same.stdout == "## Os kommune\n\nCompared: HEAD:plans/os.yaml → plans/os.yaml\n\n**No changes.**\n"
    for stem, measure_id, name in (("os", "mst", "MST-behandling"), ("lier", "los", "LOS-teamet")):
        data = roundtrip_yaml().load((repository / "plans" / f"{stem}.yaml").read_text(encoding="utf-8"))
        measure(data, measure_id)["name"] = name
        dump(data, repository / "plans" / f"{stem}.yaml")
    markdown = cli("--lang", "en", "diff", "--format", "markdown").stdout
    assert markdown == (
        "## Lier kommune\n\nCompared: HEAD:plans/lier.yaml → plans/lier.yaml\n\n"
        "**1 other change.** (0 major and 1 minor changes)\n\n"
        "### Other changes to measures\n\n- **LOS-teamet**: name: «LOS» → «LOS-teamet»\n\n"
        "## Os kommune\n\nCompared: HEAD:plans/os.yaml → plans/os.yaml\n\n"
        "**1 other change.** (0 major and 1 minor changes)\n\n"
        "### Other changes to measures\n\n- **MST-behandling**: name: «MST» → «MST-behandling»\n")
    text = cli("diff").stdout
    assert text == (
        "Lier kommune  HEAD:plans/lier.yaml → plans/lier.yaml\n1 other change. (0 major and 1 minor changes)\n\n"
        "Other changes to measures\n  LOS-teamet: name: «LOS» → «LOS-teamet»\n\n"
        "Os kommune  HEAD:plans/os.yaml → plans/os.yaml\n1 other change. (0 major and 1 minor changes)\n\n"
        "Other changes to measures\n  MST-behandling: name: «MST» → «MST-behandling»\n")
