"""Defects found by probing the tool with hostile and odd input: shapes that are
slow for a YAML parser, odd terminals, closed pipes and full disks, two plans
with one file name, spreadsheet formulas and control characters in plan text,
and globs through symbolic link loops."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PLANS, errors, findings, subprocess_env

OS_TEXT = (PLANS / "os.yaml").read_text(encoding="utf-8")


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def only_finding(result, path: str) -> dict[str, str]:
    assert result.code == 1, result.output
    [finding] = findings(result.stdout)
    assert finding["file"] == path
    return finding


# -- shapes that are slow for a YAML parser are refused before parsing --------------
# (the time each takes is measured by the benchmark; the tests hold the finding)

pytestmark = pytest.mark.timeout(120)


def test_a_long_comment_line_is_refused_at_its_line(cli, tmp_path):
    path = write(tmp_path, "os.yaml", "#" + "x" * 900_000 + "\n" + OS_TEXT)  # under 1 MB in all
    finding = only_finding(cli("validate", path), path)
    assert (finding["rule"], finding["line"], finding["col"]) == ("FB005", "1", "10001")
    assert finding["message"].startswith("line 1 is 900,001 characters long; a line in a plan file is at most 10,000")


def test_a_long_line_inside_the_plan_is_refused_at_its_line(cli, tmp_path):
    lines = OS_TEXT.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    description: "))
    lines[index] = lines[index].rstrip("\n") + " ord" * 3000 + "\n"
    path = write(tmp_path, "os.yaml", "".join(lines))
    finding = only_finding(cli("validate", path), path)
    assert (finding["rule"], int(finding["line"]), finding["col"]) == ("FB005", index + 1, "10001")


def test_many_blank_lines_are_refused(cli, tmp_path):
    path = write(tmp_path, "os.yaml", "\n" * 900_000 + OS_TEXT)
    finding = only_finding(cli("validate", path), path)
    assert (finding["rule"], finding["line"], finding["col"]) == ("FB005", "50001", "1")
    assert finding["message"].startswith(f"the file has {900_000 + OS_TEXT.count(chr(10)) + 1:,} lines; a plan file has at most 50,000")


def test_a_long_flow_list_stops_at_the_value_limit(cli, tmp_path):
    rows = ["  " + ", ".join(["abc"] * 100) for _ in range(300)]  # 30,000 values, short lines
    path = write(tmp_path, "flow.yaml", "a: [\n" + ",\n".join(rows) + "]\n")
    finding = only_finding(cli("validate", path), path)
    # values 1-3 are the document, the key `a` and the list; the 20,001st is item 19,998: row 200, item 98
    assert (finding["rule"], finding["line"], finding["col"]) == ("FB005", "201", str(3 + 97 * 5))
    assert "more than 20,000 values" in finding["message"]


def test_many_small_keys_stop_at_the_value_limit(cli, tmp_path):
    path = write(tmp_path, "keys.yaml", "".join(f"k{i}: v\n" for i in range(40_000)))
    finding = only_finding(cli("validate", path), path)
    # value 1 is the document, then two a line; the 20,001st is the value on line 10,000
    assert (finding["rule"], finding["line"], finding["col"]) == ("FB005", "10000", "8")


def test_a_file_just_over_a_megabyte_says_bytes_not_rounded_megabytes(cli, tmp_path):
    path = write(tmp_path, "big.yaml", "#" * 1_048_576 + "\n")
    finding = only_finding(cli("validate", path), path)
    assert finding["rule"] == "FB005"
    assert "the file is 1,048,577 bytes (1.0 MB); a plan file is at most 1,048,576 bytes" in finding["message"]


# -- width: COLUMNS=0 or junk means "unknown", never "print nothing" -------------------


@pytest.mark.parametrize("columns", ["0", "junk", "-5", ""])
def test_unusable_columns_is_unknown_width(cli, columns):
    args = ("query", str(PLANS), "--age", "13")
    expected = cli(*args).stdout
    got = cli(*args, env={"COLUMNS": columns})
    assert got.code == 0 and got.stdout == expected and "Tranby Fritidsklubb" in got.stdout
    show = cli("show", "mst", str(PLANS), env={"COLUMNS": columns})
    assert show.code == 0 and "MST" in show.stdout
    validate = cli("validate", str(PLANS), env={"COLUMNS": columns})
    assert validate.code == 0 and "2 files checked" in validate.stdout


def test_a_broken_file_with_zero_columns_still_shows_its_finding(cli, tmp_path):
    path = write(tmp_path, "os.yaml", OS_TEXT.replace("level: universal", "level: alle", 1))
    result = cli("validate", path, env={"COLUMNS": "0"})
    assert result.code == 1
    assert [f["rule"] for f in errors(result.stdout)] == ["FB104"]


def test_a_pipe_gets_whole_lines_not_a_table_cut_to_80_columns(cli):
    result = cli("query", str(PLANS), "--plan", "lier", "--text", "TAN")
    longest = max(len(line) for line in result.stdout.splitlines())
    assert longest > 120  # the target text of TAN is on one line
    assert "ønsker seg en endring i hverdagen" in result.stdout


# -- a full disk and a closed pipe ---------------------------------------------------------

COMMANDS = [
    ["validate", str(PLANS)],
    ["query", str(PLANS), "--age", "13"],
    ["query", str(PLANS), "--format", "json"],
    ["show", "mst", str(PLANS)],
    ["rules"],
    ["--help"],
]


def run_real(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "forebygging_cli", *args], env=subprocess_env(),
                          capture_output=False, timeout=120, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_a_full_disk_is_one_line_and_exit_2(args):
    with open("/dev/full", "w") as full:
        done = run_real(args, stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == ["forebygging: cannot write output: No space left on device"]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_a_closed_pipe_ends_quietly_with_141_for_every_command(args):
    process = subprocess.Popen([sys.executable, "-m", "forebygging_cli", *args], env=subprocess_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the command writes: `| head -0`
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == b""


def test_head_reading_one_line_of_validate(tmp_path):
    done = subprocess.run(["bash", "-c", f'set -o pipefail; "{sys.executable}" -m forebygging_cli validate '
                                         f'"{PLANS}" | head -1; echo "status=$?"'],
                          env=subprocess_env(), capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] in ("status=0", "status=141")  # 0 when all output fitted the pipe
    assert "Traceback" not in done.stderr and done.stderr == ""


# -- two plans with the same file name ---------------------------------------------------


@pytest.fixture
def two_os(tmp_path):
    for directory in ("a", "b"):
        (tmp_path / directory).mkdir()
        shutil.copy(PLANS / "os.yaml", tmp_path / directory / "os.yaml")
    return tmp_path / "a" / "os.yaml", tmp_path / "b" / "os.yaml"


def test_an_ambiguous_plan_name_is_refused_naming_both_files(cli, two_os):
    a, b = map(str, two_os)
    for args in (["query", a, b, "--plan", "os"], ["show", "os:mst", a, b]):
        result = cli(*args)
        assert result.code == 2, result.output
        assert f"--plan os is ambiguous: {a} and {b} both have the file name os" in result.stderr
        assert result.stdout == ""


def test_a_plan_is_named_by_its_path_where_stems_collide(cli, two_os):
    a, b = map(str, two_os)
    records = json.loads(cli("query", a, b, "--plan", b, "--format", "json").stdout)
    assert records and {r["path"] for r in records} == {b}
    shown = json.loads(cli("show", f"{a}:mst", a, b, "--format", "json").stdout)
    assert [r["path"] for r in shown] == [a]


def test_json_records_carry_the_file_path(cli):
    records = json.loads(cli("query", str(PLANS), "--format", "json").stdout)
    assert {r["path"] for r in records} == {str(PLANS / "lier.yaml"), str(PLANS / "os.yaml")}


def test_two_files_for_one_municipality_are_a_warning_in_each(cli, two_os):
    a, b = map(str, two_os)
    result = cli("validate", a, b)
    assert result.code == 0  # a warning: the files themselves are fine
    fb320 = [f for f in findings(result.stdout) if f["rule"] == "FB320"]
    line = OS_TEXT.splitlines().index("  name: Os kommune") + 1
    assert [(f["file"], int(f["line"]), f["col"]) for f in fb320] == [(a, line, "9"), (b, line, "9")]
    assert fb320[0]["message"].startswith(f"{b} also describes Os kommune")
    assert fb320[1]["message"].startswith(f"{a} also describes Os kommune")
    single = cli("validate", a)
    assert not [f for f in findings(single.stdout) if f["rule"] == "FB320"]


# -- spreadsheet formulas and control characters in plan text ----------------------------


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","MST")', "+47 1234", "-MST", "@SUM(A1)"])
def test_csv_cells_that_excel_would_run_are_escaped(cli, tmp_path, name):
    path = write(tmp_path, "os.yaml", OS_TEXT.replace("    name: MST\n", f"    name: '{name}'\n", 1))
    assert cli("validate", path).code == 0  # such a name is legal text
    result = cli("query", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    [row] = [r for r in rows if r["id"] == "mst"]
    assert row["measure"] == "'" + name
    assert all(not value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())


def test_an_escape_character_in_plan_text_is_a_finding(cli, tmp_path):
    path = write(tmp_path, "os.yaml", OS_TEXT.replace("    name: MST\n", '    name: "MST\\e[2J"\n', 1))
    result = cli("validate", path)
    [finding] = errors(result.stdout)
    line = OS_TEXT.splitlines().index("    name: MST") + 1
    assert (finding["rule"], int(finding["line"]), finding["col"]) == ("FB009", line, "11")
    assert "`name` of measure 'mst' contains the control character U+001B (ESC)" in finding["message"]
    assert cli("query", path).code == 2  # a plan with control characters is not queried


def test_tabs_and_line_breaks_in_text_are_not_control_characters(cli, tmp_path):
    path = write(tmp_path, "os.yaml", OS_TEXT.replace("    name: MST\n", '    name: "MST\\tny\\nlinje"\n', 1))
    assert not [f for f in findings(cli("validate", path).stdout) if f["rule"] == "FB009"]


# -- globs and directories through symbolic link loops -------------------------------------


@pytest.fixture
def looped(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(40):
        (plans / f"p{i:02}.yaml").write_text("", encoding="utf-8")  # empty: FB003, quickly
    (plans / "self").symlink_to(".")
    (plans / "up").symlink_to("..")
    (tmp_path / "elsewhere.yaml").write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("argument", ["plans", "plans/**/*.yaml", "**/*.yaml"])
def test_each_real_file_is_checked_once_through_link_loops(cli, looped, monkeypatch, argument):
    monkeypatch.chdir(looped)
    result = cli("validate", argument, "--format", "json")
    files = [entry["path"] for entry in json.loads(result.stdout)["files"]]
    real = [os.path.realpath(f) for f in files]
    assert len(real) == len(set(real))
    expected = {os.path.realpath(looped / "plans" / f"p{i:02}.yaml") for i in range(40)}
    expected.add(os.path.realpath(looped / "elsewhere.yaml"))  # reached through plans/up -> ..
    assert set(real) == expected


def test_every_character_is_shown_as_the_control_character_rule_says():
    """printable() lets text through untouched where str.isprintable() says it may (nearly all plan text);
    for every code point, alone and inside a word, that is what escaping the characters of
    controls.CONTROL_CHARACTER gives."""
    import sys

    from forebygging_cli.controls import CONTROL_CHARACTER, printable

    def escaped(text: str) -> str:
        return CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                     else f"\\u{ord(m.group()):04x}", text)

    shown = [c for c in map(chr, range(sys.maxunicode + 1)) if printable(f"a{c}b") != escaped(f"a{c}b")]
    assert shown == []
    assert printable("Bø\u202ek\x1b[2J\n") == "Bø\\u202ek\\x1b[2J\n"
