"""`forebygging validate`: exit codes, finding positions and messages, on the real
plans and on broken copies of them."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, PLANS, errors, findings


def break_copy(tmp_path, stem: str, old: str, new: str, occurrence: int = 1):
    """Copy plans/<stem>.yaml with the n-th line containing `old` changed; return (path, line, col)."""
    lines = (PLANS / f"{stem}.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) >= occurrence, f"{old!r} not found {occurrence} times in {stem}.yaml"
    index = hits[occurrence - 1]
    column = lines[index].index(old) + 1
    lines[index] = lines[index].replace(old, new, 1)
    path = tmp_path / f"{stem}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, index + 1, column


def test_the_plan_repository_validates_without_errors(cli, in_repo):
    result = cli("validate")
    assert result.code == 0, result.output
    assert "2 files checked: 0 errors" in result.stdout
    assert not [f for f in findings(result.stdout) if f["severity"] == "error"]


def test_the_real_plans_get_the_warnings_they_deserve(cli, in_repo):
    """Lier states no period, risk factors or follow-up and has two rows named "IP koordinator";
    Os states no follow-up, nothing for ages 19-25, and two rows named "Trivselstiltak"."""
    found = findings(cli("validate").stdout)
    rules = {stem: {f["rule"] for f in found if f["file"] == f"plans/{stem}.yaml"} for stem in ("lier", "os")}
    assert rules["lier"] == {"FB313", "FB314", "FB315", "FB316", "FB317"}
    assert rules["os"] == {"FB312", "FB315", "FB316", "FB317"}
    gap = next(f for f in found if f["rule"] == "FB312")
    assert "19-25" in gap["message"]


def test_os_missing_adoption_is_suppressed_by_the_plan_with_its_reason(cli):
    result = cli("validate", str(PLANS / "os.yaml"))
    assert "suppressed by the plan: [FB301]" in result.stdout
    assert "Kildedokumentet sier ikke" in result.stdout
    assert "1 suppressed by the plan files" in result.stdout


def test_strict_makes_warnings_fail(cli, in_repo):
    assert cli("validate", "--strict").code == 1
    assert cli("validate", "--strict", "--select", "FB0", "--select", "FB1", "--select", "FB2").code == 0


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_each_plan_validates_clean_on_its_own(cli, stem):
    result = cli("validate", str(PLANS / f"{stem}.yaml"))
    assert result.code == 0, result.output


def test_bad_level_in_lier_is_reported_at_its_exact_line(cli, tmp_path):
    path, line, column = break_copy(tmp_path, "lier", "level: selected", "level: everything", occurrence=3)
    result = cli("validate", str(path))
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert finding["file"] == str(path)
    assert int(finding["line"]) == line
    assert int(finding["col"]) == column + len("level: ")
    assert finding["rule"] == "FB104"
    assert "'everything'" in finding["message"] and "universal, selected, indicated" in finding["message"]
    assert "1 error" in result.stdout


def test_norwegian_level_word_gets_the_english_key_as_advice(cli, tmp_path):
    path, line, _ = break_copy(tmp_path, "lier", "level: indicated", "level: indikerte")
    [finding] = errors(cli("validate", str(path)).stdout)
    assert int(finding["line"]) == line
    assert "write `indicated`" in finding["message"]


def test_undeclared_unit_is_reported_with_a_suggestion(cli, tmp_path):
    path, line, column = break_copy(tmp_path, "os", "- ppt", "- pptt")
    result = cli("validate", str(path))
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert (finding["rule"], int(finding["line"]), int(finding["col"])) == ("FB201", line, column + 2)
    assert "'pptt'" in finding["message"] and "did you mean 'ppt'" in finding["message"]


def test_duplicate_measure_id_names_the_first_line(cli, tmp_path):
    lines = (PLANS / "lier.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("measures:\n")
    first, second = [i for i in range(start, len(lines)) if lines[i].startswith("  - id: ")][:2]
    lines[second] = lines[first]  # the second measure now repeats the first one's id
    path = tmp_path / "lier.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("validate", str(path))
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert (finding["rule"], int(finding["line"]), int(finding["col"])) == ("FB202", second + 1, 9)
    assert f"already used on line {first + 1}" in finding["message"]


def test_reversed_grades_are_reported(cli, tmp_path):
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("from: 8, to: 10", "from: 10, to: 8")
    path = tmp_path / "reversed.yaml"
    path.write_text(text, encoding="utf-8")
    [finding] = errors(cli("validate", str(path)).stdout)
    assert finding["rule"] == "FB203"
    assert "from: 8, to: 10" in finding["message"]


def test_misspelt_field_is_unknown_and_required_one_missing(cli, tmp_path):
    path, line, column = break_copy(tmp_path, "os", "responsible:", "responsibel:")
    result = cli("validate", str(path))
    rules = {f["rule"]: f for f in errors(result.stdout)}
    assert set(rules) == {"FB101", "FB102"}
    assert (int(rules["FB101"]["line"]), int(rules["FB101"]["col"])) == (line, column)
    assert "did you mean `responsible`" in rules["FB101"]["message"]


def test_one_broken_file_does_not_hide_the_others(cli, tmp_path):
    broken, line, _ = break_copy(tmp_path, "lier", "level: universal", "level: alle")
    result = cli("validate", str(broken), str(PLANS / "os.yaml"), str(FIXTURES / "minimal.yaml"))
    assert result.code == 1
    assert [f["file"] for f in errors(result.stdout)] == [str(broken)]
    assert "3 files checked: 1 error" in result.stdout


def test_missing_file_exits_2_but_still_checks_the_rest(cli, tmp_path):
    broken, _, _ = break_copy(tmp_path, "lier", "level: universal", "level: alle")
    result = cli("validate", str(tmp_path / "nope.yaml"), str(broken))
    assert result.code == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in result.stderr
    assert len(errors(result.stdout)) == 1


def test_yaml_syntax_error_is_a_finding_with_a_position(cli, tmp_path):
    path, line, _ = break_copy(tmp_path, "os", "name: Os kommune", "name: [Os kommune")
    result = cli("validate", str(path))
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert finding["rule"] == "FB001"
    # the unclosed [ swallows the next line's key; the parser stops at its colon
    following = (PLANS / "os.yaml").read_text(encoding="utf-8").splitlines()[line]
    assert (int(finding["line"]), int(finding["col"])) == (line + 1, following.index(":") + 1)


def test_directory_argument_finds_plans(cli, tmp_path):
    shutil.copy(PLANS / "os.yaml", tmp_path / "os.yaml")
    result = cli("validate", str(tmp_path))
    assert result.code == 0
    assert "1 file checked" in result.stdout


def test_no_plans_directory_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("validate")
    assert result.code == 2
    assert "no plans/ directory" in result.stderr


def test_unknown_option_is_a_usage_error(cli):
    result = cli("validate", "--no-such-option")
    assert result.code == 2
    assert "error: no such option: --no-such-option" in result.stderr
