"""Hostile input: for each, one clear line naming the file (and line:col where
there is one), exit 1 or 2, no traceback, in seconds and with bounded memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import PLANS, findings, subprocess_env

pytestmark = pytest.mark.timeout(120)  # a guard against hangs; the benchmark measures the time


def write(tmp_path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def one_finding(result, path: str, rule: str) -> dict[str, str]:
    assert result.code == 1, result.output
    found = findings(result.stdout)
    assert len(found) == 1, result.output
    [finding] = found
    assert finding["file"] == path
    assert finding["rule"] == rule
    return finding


def test_missing_file(cli, tmp_path):
    path = str(tmp_path / "absent.yaml")
    result = cli("validate", path)
    assert result.code == 2
    assert f"{path}: no such file" in result.stderr


def test_directory_with_no_plans(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = cli("validate", str(tmp_path))
    assert result.code == 2
    assert f"{tmp_path}: directory holds no plan files" in result.stderr


def test_glob_matching_nothing(cli, tmp_path):
    result = cli("validate", str(tmp_path / "*.yaml"))
    assert result.code == 2
    assert "matches no files" in result.stderr


def test_empty_file(cli, tmp_path):
    path = write(tmp_path, "empty.yaml", "")
    finding = one_finding(cli("validate", path), path, "FB003")
    assert (finding["line"], finding["col"]) == ("1", "1")


def test_comment_only_file(cli, tmp_path):
    path = write(tmp_path, "comments.yaml", "# nothing here\n\n")
    one_finding(cli("validate", path), path, "FB003")


def test_not_utf8_names_the_byte_position(cli, tmp_path):
    text = (PLANS / "lier.yaml").read_text(encoding="utf-8").encode("latin-1", errors="replace")
    path = write(tmp_path, "latin1.yaml", text)
    finding = one_finding(cli("validate", path), path, "FB002")
    first_bad = next(i for i, b in enumerate(text) if b >= 0x80)
    assert int(finding["line"]) == text[:first_bad].count(b"\n") + 1
    assert "UTF-8" in finding["message"]


def test_binary_file(cli, tmp_path):
    path = write(tmp_path, "word.yaml", b"PK\x03\x04\x00\x00binary\x00\xff")
    one_finding(cli("validate", path), path, "FB004")


def test_yaml_syntax_error_at_the_end_of_a_truncated_file_is_placed_on_its_last_line(cli, tmp_path):
    path = write(tmp_path, "syntax.yaml", "schema_version: 1\nmunicipality: {name: Lier\n")
    finding = one_finding(cli("validate", path), path, "FB001")
    assert (finding["line"], finding["col"]) == ("2", "26")  # the end of the file, not a line past it


def test_tab_indentation(cli, tmp_path):
    path = write(tmp_path, "tabs.yaml", "schema_version: 1\nmunicipality:\n\tname: Lier kommune\n")
    finding = one_finding(cli("validate", path), path, "FB001")
    assert (finding["line"], finding["col"]) == ("3", "1")
    assert "tab" in finding["message"]


def test_duplicate_keys(cli, tmp_path):
    text = (PLANS / "os.yaml").read_text(encoding="utf-8").replace(
        "schema_version: 1\n", "schema_version: 1\nschema_version: 1\n", 1)
    path = write(tmp_path, "dup.yaml", text)
    finding = one_finding(cli("validate", path), path, "FB006")
    line = text.splitlines().index("schema_version: 1") + 2
    assert int(finding["line"]) == line
    assert "`schema_version` appears twice" in finding["message"]


@pytest.mark.parametrize(("content", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "the text"), ("42\n", "the number 42")])
def test_top_level_list_or_scalar(cli, tmp_path, content, kind):
    path = write(tmp_path, "top.yaml", content)
    finding = one_finding(cli("validate", path), path, "FB103")
    assert (finding["line"], finding["col"]) == ("1", "1")
    assert "must be a mapping" in finding["message"] and kind in finding["message"]


def test_alias_bomb_is_refused_without_expanding(cli, tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    finding = one_finding(cli("validate", path), path, "FB007")
    assert (finding["line"], finding["col"]) == ("2", "10")


def test_nesting_thousands_deep(cli, tmp_path):
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 4000 + "]" * 4000 + "\n")
    finding = one_finding(cli("validate", path), path, "FB008")
    assert finding["line"] == "1"


def test_nesting_thousands_deep_block_style(cli, tmp_path):
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(600)) + "  " * 600 + "end\n"
    path = write(tmp_path, "deep-block.yaml", text)
    finding = one_finding(cli("validate", path), path, "FB008")
    # the root mapping is level 1, so the mapping under k63 (line 65, `k64:`) is level 65
    assert (finding["line"], finding["col"]) == ("65", "129")


def test_fifty_megabyte_file_is_refused_unread(cli, tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.write(b"schema_version: 1\n")
        handle.truncate(50 * 1024 * 1024)
    finding = one_finding(cli("validate", str(path)), str(path), "FB005")
    assert "52,428,800 bytes (50.0 MB)" in finding["message"]


def test_symlink_loop(cli, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    result = cli("validate", str(a))
    assert result.code == 2
    assert f"{a}: cannot be read: Too many levels of symbolic links" in result.stderr


def test_symlink_loop_inside_a_directory_does_not_hang(cli, tmp_path):
    shutil.copy(PLANS / "os.yaml", tmp_path / "os.yaml")
    (tmp_path / "loop").symlink_to(tmp_path)
    result = cli("validate", str(tmp_path))
    assert result.code == 0, result.output
    assert "1 file checked" in result.stdout


def test_file_without_read_permission(tmp_path):
    """Run as a user would (not in-process: the test harness itself must not read the file); as root, the
    capabilities that let root read any file are dropped, so the test checks the same thing either way."""
    path = tmp_path / "secret.yaml"
    shutil.copy(PLANS / "os.yaml", path)
    path.chmod(0)
    command = [sys.executable, "-m", "forebygging_cli", "--lang", "en", "validate", str(path)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert done.returncode == 2
    assert f"{path}: permission denied" in done.stderr and "Traceback" not in done.stderr


def test_installed_command_never_shows_a_traceback(tmp_path):
    """The real console script, on a hostile file and on bad usage."""
    bad = write(tmp_path, "bad.yaml", "a: [\n")
    for args, code in ((["validate", bad], 1), (["validate", "--nope"], 2), (["query", "--age", "tretten"], 2)):
        done = subprocess.run([sys.executable, "-m", "forebygging_cli", *args], capture_output=True, text=True,
                              timeout=60, env=subprocess_env())
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr


def test_a_bug_in_the_tool_is_one_line_not_a_traceback(monkeypatch, capsys):
    from forebygging_cli import batch, cli

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(batch, "check_files", broken)
    monkeypatch.setattr(sys, "argv", ["forebygging", "validate", str(PLANS / "os.yaml")])
    monkeypatch.delenv("FOREBYGGING_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err and "Traceback" not in err


# -- values that ruamel cannot or should not construct ------------------------------


def plan_with(tmp_path, old: str, new: str, stem: str = "lier") -> str:
    text = (PLANS / f"{stem}.yaml").read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, f"{stem}.yaml", text.replace(old, new, 1))


def test_impossible_date_is_a_finding(cli, tmp_path):
    path = plan_with(tmp_path, 'date: "2024-06-12"', "date: 2024-02-30")
    finding = one_finding(cli("validate", path), path, "FB105")
    assert "'2024-02-30'" in finding["message"] and "YYYY-MM-DD" in finding["message"]


@pytest.mark.parametrize(("value", "words"), [("!!int abc", "explicit YAML tag"), ("!!omap [x: 1]", "explicit YAML tag"),
                                              ("!custom x", "explicit YAML tag")])
def test_explicit_tags_are_refused(cli, tmp_path, value, words):
    path = plan_with(tmp_path, "name: Lier kommune", f"name: {value}")
    finding = one_finding(cli("validate", path), path, "FB001")
    assert words in finding["message"]


def test_merge_keys_are_refused(cli, tmp_path):
    path = plan_with(tmp_path, "  name: Lier kommune\n", "  <<: {name: Lier kommune}\n")
    finding = one_finding(cli("validate", path), path, "FB001")
    assert "merge key" in finding["message"]


def test_whole_number_written_as_float_is_a_type_error(cli, tmp_path):
    path = plan_with(tmp_path, "        from: 8\n", "        from: 8.0\n")
    finding = one_finding(cli("validate", path), path, "FB103")
    assert "whole number" in finding["message"]


def test_two_missing_fields_are_two_findings(cli, tmp_path):
    path = write(tmp_path, "m.yaml", "schema_version: 1\nmunicipality: {name: X}\nplan: {title: T, source: {file: f}}\n"
                 "units: []\nmeasures:\n  - {id: a, name: A, target: {audience: [children]}, responsible: []}\n")
    found = [f for f in findings(cli("validate", path).stdout) if f["rule"] == "FB102"]
    assert sorted(f["message"].split("`")[1] for f in found) == ["description", "level"]


def test_plan_text_is_never_read_as_markup(cli, tmp_path):
    path = plan_with(tmp_path, "name: Tranby Fritidsklubb", 'name: "[red]Tranby[/red] [/b] :warning:"')
    query = cli("query", path, "--text", "tranby skoles", env={"COLUMNS": "200"})
    assert query.code == 0
    assert "[red]Tranby[/red] [/b] :warning:" in query.stdout
    show = cli("show", "tranby-fritidsklubb", path, env={"COLUMNS": "200"})
    assert "[red]Tranby[/red] [/b] :warning:" in show.stdout


def test_escape_codes_in_a_key_are_shown_not_obeyed(cli, tmp_path):
    path = plan_with(tmp_path, "schema_version: 1\n", 'schema_version: 1\n"x\\e[2J": 1\n')
    result = cli("validate", path)
    assert result.code == 1 and "\x1b" not in result.stdout
    assert {f["rule"] for f in findings(result.stdout)} == {"FB009", "FB101"}
    assert "x\\x1b[2J" in result.stdout


def test_control_characters_keep_junit_parseable(cli, tmp_path):
    import xml.etree.ElementTree as ET

    path = plan_with(tmp_path, "schema_version: 1\n", 'schema_version: 1\n"bad\\x01key": 1\n')
    result = cli("validate", path, "--format", "junit")
    assert result.code == 1
    ET.fromstring(result.stdout)
    assert "bad\\x01key" in result.stdout


def test_control_character_in_text_is_placed(cli, tmp_path):
    path = write(tmp_path, "ctrl.yaml", 'schema_version: 1\nmunicipality: {name: "a\x01b"}\n')
    finding = one_finding(cli("validate", path), path, "FB001")
    assert (finding["line"], finding["col"]) == ("2", "24")
    assert "U+0001" in finding["message"]


def test_a_terminal_that_cannot_show_norwegian_letters_gets_escapes_not_a_crash():
    env = subprocess_env(PYTHONIOENCODING="ascii", FOREBYGGING_LANG="nb")
    done = subprocess.run([sys.executable, "-m", "forebygging_cli", "query", str(PLANS), "--plan", "os", "--age", "13"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "niv\\xe5et er utledet" in done.stdout


@pytest.mark.parametrize("content", [
    "".join(f"k{i}: v\n" for i in range(40_000)),  # under 1 MB, but 80,000 values
    "a: [" + ",\n  ".join(["1"] * 30_000) + "]\n",  # one flow list of 30,000 items (indented: YAML 1.2, 9C9N)
])
def test_a_small_file_packed_with_values_is_refused(cli, tmp_path, content):
    path = write(tmp_path, "packed.yaml", content)
    finding = one_finding(cli("validate", path), path, "FB005")
    assert "more than 20,000 values" in finding["message"]
