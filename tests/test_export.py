"""`forebygging export`: the plans as one SQLite database or CSV files, checked
against what the plan files hold and what `query`, `coverage` and `plans`
answer; refusing to overwrite, --force, writing whole or not at all, and
every way the target can be wrong."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from conftest import PLANS, ROOT, is_environment_dependent, run_cli

DOCS = ROOT / "docs" / "export.md"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plan_data() -> dict[str, dict]:
    """Each plan file as plain data, read without the tool: what the export must hold."""
    return {path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for path in sorted(PLANS.glob("*.yaml"))}


def clean_run(*args: str) -> object:
    """run_cli for a module-scoped fixture, in the clean environment the cli fixture gives a test."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if is_environment_dependent(name):
                patch.delenv(name)
        patch.setenv("FOREBYGGING_LANG", "en")
        return run_cli("--no-cache", *args)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "plans.db"
    result = clean_run("export", str(PLANS), "-o", str(path))
    assert result.code == 0, result.output
    assert result.stdout == f"Exported 2 plans to {path}.\n" and result.stderr == ""
    return path


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def count(connection: sqlite3.Connection, table: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def query_json(cli, *args: str, lang: str = "en") -> list[dict]:
    result = cli("--lang", lang, "query", str(PLANS), "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def base_tables(connection: sqlite3.Connection) -> list[str]:
    """The tables of the export: not the full-text index and its shadow tables, nor SQLite's own statistics."""
    return [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'measures_fts%' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]


# -- the database holds the plans -------------------------------------------------------------


def test_foreign_keys_are_declared_and_hold(database):
    connection = connect(database)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    links = {(table, row["table"], row["from"]) for table in base_tables(connection)
             for row in connection.execute(f"PRAGMA foreign_key_list({table})")}
    assert {("measures", "plans", "plan"), ("measures", "levels", "level"), ("units", "plans", "plan"),
            ("units", "units", "part_of_id"), ("units", "services", "service"),
            ("measure_units", "measures", "measure_id"), ("measure_units", "units", "unit_id"),
            ("measure_bands", "age_bands", "band"), ("measure_ages", "measures", "measure_id"), ("goals", "plans", "plan"), ("sub_goals", "goals", "goal_id"),
            ("strategies", "sub_goals", "sub_goal_id"), ("arenas", "plans", "plan"),
            ("arena_units", "units", "unit_id"), ("coordinators", "units", "unit_id")} <= links
    # and they point where the plan files say: a part_of, a coordinator's unit, a responsible unit
    data = plan_data()
    for stem, plan in data.items():
        for unit in plan["units"]:
            if "part_of" in unit:
                parent = connection.execute("SELECT p.slug FROM units u JOIN units p ON p.id = u.part_of_id "
                                            "WHERE u.plan = ? AND u.slug = ?", (stem, unit["id"])).fetchone()
                assert parent[0] == unit["part_of"]
        for measure in plan["measures"]:
            linked = [row[0] for row in connection.execute(
                "SELECT u.slug FROM measure_units mu JOIN units u ON u.id = mu.unit_id JOIN measures m "
                "ON m.id = mu.measure_id WHERE m.plan = ? AND m.slug = ? ORDER BY mu.position",
                (stem, measure["id"]))]
            assert linked == list(dict.fromkeys(measure["responsible"])), measure["id"]


def test_row_counts_are_the_plans(database):
    data = plan_data()
    connection = connect(database)

    def total(items) -> int:
        return sum(items(plan) for plan in data.values())

    measures = total(lambda p: len(p["measures"]))
    assert count(connection, "measures") == measures == 114  # Lier 76 and Os 38, as the README says
    assert count(connection, "plans") == len(data)
    assert count(connection, "units") == total(lambda p: len(p["units"]))
    assert count(connection, "goals") == total(lambda p: len(p.get("goals", [])))
    assert count(connection, "sub_goals") == total(lambda p: sum(len(g.get("sub_goals", [])) for g in p["goals"]))
    assert count(connection, "strategies") == total(lambda p: sum(
        len(g.get("strategies", [])) + sum(len(s.get("strategies", [])) for s in g.get("sub_goals", []))
        for g in p["goals"]))
    assert count(connection, "arenas") == total(lambda p: len(p.get("collaboration", [])))
    assert count(connection, "arena_units") == total(lambda p: sum(len(set(a.get("units", [])))
                                                                   for a in p.get("collaboration", [])))
    assert count(connection, "coordinators") == total(lambda p: len(p.get("coordinators", [])))
    assert count(connection, "measure_units") == total(lambda p: sum(len(set(m["responsible"]))
                                                                     for m in p["measures"]))
    assert count(connection, "measure_contacts") == total(lambda p: sum(len(m.get("contacts", []))
                                                                        for m in p["measures"]))
    assert count(connection, "passages") == total(lambda p: len(p.get("principles", [])) + sum(
        len(g.get("passages", [])) for g in p["goals"]))
    assert count(connection, "work_models") == total(lambda p: len(p.get("models", [])))
    assert count(connection, "definitions") == total(lambda p: len(p.get("definitions", [])))
    assert count(connection, "sources") == total(lambda p: len(p.get("sources", [])))
    assert count(connection, "ignored_rules") == total(lambda p: len(p.get("validation", {}).get("ignore", [])))
    assert count(connection, "measures_fts") == measures


#: query's JSON key -> the measures column that holds it
RECORD_COLUMNS = {
    "id": "slug", "name": "name", "group": "group_name", "level": "level", "level_label": "level_label",
    "level_derived": "level_derived", "target": "target_text", "age_min": "age_from", "age_max": "age_to",
    "prenatal": "prenatal", "age_stated": "age_stated", "age_derived": "age_derived",
    "age_unknown": "age_unknown", "staff_only": "staff_only", "requires_decision": "requires_decision",
    "requires_decision_label": "requires_decision_label", "source_line": "source_line",
}
JSON_COLUMNS = {"audience": "audience", "responsible": "responsible", "responsible_ids": "responsible_ids",
                "services": "services", "derived": "derived"}


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_each_measure_is_what_query_says_and_what_the_plan_says(cli, tmp_path, lang):
    """The computed ages, the rule, the labels and the marks are query's; the words are the plan file's."""
    path = tmp_path / "plans.db"
    assert cli("--lang", lang, "export", str(PLANS), "-o", str(path)).code == 0
    records = query_json(cli, lang=lang)
    connection = connect(path)
    rows = connection.execute("SELECT m.*, p.path, p.municipality FROM measures m JOIN plans p ON p.plan = m.plan "
                              "ORDER BY p.position, m.position").fetchall()
    assert [(r["plan"], r["slug"]) for r in rows] == [(r["plan"], r["id"]) for r in records]
    for row, record in zip(rows, records):
        for key, column in RECORD_COLUMNS.items():
            assert row[column] == record[key], (record["id"], key)
        for key, column in JSON_COLUMNS.items():
            assert json.loads(row[column]) == record[key], (record["id"], key)
        assert row["age_rule"] == ("; ".join(record["age_rule"]) or None)
        assert (row["path"], row["municipality"]) == (record["path"], record["municipality"])
    assert dict(connection.execute("SELECT key, value FROM export_info").fetchall())["language"] == lang
    data = plan_data()
    for row in rows:
        measure = data[row["plan"]]["measures"][row["position"] - 1]
        target = measure["target"]
        assert (row["slug"], row["name"], row["description"]) == (measure["id"], measure["name"],
                                                                  measure["description"])
        assert row["target_text"] == target.get("text")
        ages, grades = target.get("ages", {}), target.get("grades", {})
        assert (row["stated_ages_from"], row["stated_ages_to"], row["stated_ages_until"]) == (
            ages.get("from"), ages.get("to"), ages.get("until"))
        assert (row["stated_grades_from"], row["stated_grades_to"]) == (grades.get("from"), grades.get("to"))
        assert json.loads(row["stated_stages"]) == target.get("stages", [])
        assert row["responsible_text"] == measure.get("responsible_text")
        assert row["source_section"] == measure.get("source", {}).get("section")
        for field in ("level", "group", "responsible", "requires_decision", "target.ages", "target.grades",
                      "target.stages", "target.audience"):
            assert row[field.replace(".", "_") + "_derived"] == (field in measure.get("derived", [])), field


def test_derived_marks_of_units_are_columns(database):
    connection = connect(database)
    for stem, plan in plan_data().items():
        for unit in plan["units"]:
            row = connection.execute("SELECT * FROM units WHERE plan = ? AND slug = ?", (stem, unit["id"])).fetchone()
            assert (row["name"], json.loads(row["aliases"]), row["service"]) == (
                unit["name"], unit.get("aliases", []), unit["service"])
            for field in ("aliases", "service", "part_of", "external"):
                assert row[f"{field}_derived"] == (field in unit.get("derived", [])), (unit["id"], field)


# -- the views ----------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [13, 0, 5, 18, 24, 25, 60, 120])
def test_the_age_view_answers_as_query(cli, database, age):
    records = query_json(cli, "--age", str(age))
    connection = connect(database)
    rows = connection.execute("SELECT * FROM measures_by_age WHERE age = ?", (age,)).fetchall()
    assert [(r["plan"], r["slug"]) for r in rows] == [(r["plan"], r["id"]) for r in records]
    assert [(r["name"], r["level"], r["age_from"], r["age_to"]) for r in rows] == [
        (r["name"], r["level"], r["age_min"], r["age_max"]) for r in records]
    if age == 13:
        assert len(rows) > 20


def test_the_coverage_view_is_coverage(cli, database):
    result = cli("coverage", str(PLANS), "--format", "json")
    assert result.code == 0
    document = json.loads(result.stdout)
    expected = {(plan["plan"], level, band): plan["cells"][level][band]
                for plan in document["plans"] for level in document["rows"] for band in document["columns"]}
    connection = connect(database)
    got = {(r["plan"], r["level"], r["band"]): r["measures"] for r in connection.execute("SELECT * FROM coverage")}
    assert got == expected
    assert any(value == 0 for value in got.values()) and any(value > 10 for value in got.values())
    by_band = {}
    for row in connection.execute("SELECT plan, level, band FROM measures_by_band"):
        by_band[tuple(row)] = by_band.get(tuple(row), 0) + 1
    assert by_band == {key: value for key, value in expected.items() if value and key[1] != "all"}


def test_the_plan_overview_is_plans(cli, database):
    result = cli("plans", str(PLANS), "--format", "json")
    records = json.loads(result.stdout)
    rows = connect(database).execute("SELECT * FROM plan_overview").fetchall()
    assert [r["plan"] for r in rows] == [r["plan"] for r in records]
    for row, record in zip(rows, records):
        assert {level: row[level] for level in ("universal", "selected", "indicated")} == {
            level: record["measures"][level] for level in ("universal", "selected", "indicated")}
        assert (row["measures"], row["units"], row["levels_derived"]) == (
            record["measures"]["total"], record["units"], record["levels_derived"])


# -- full-text search -----------------------------------------------------------------------------


def fts(connection: sqlite3.Connection, match: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in connection.execute(
        "SELECT m.plan, m.slug FROM measures_fts JOIN measures m ON m.id = measures_fts.rowid "
        "WHERE measures_fts MATCH ? ORDER BY m.id", (match,))]


def test_the_full_text_index_finds_fritidsklubb_as_query_does(cli, database):
    found = [(r["plan"], r["id"]) for r in query_json(cli, "--text", "fritidsklubb")]
    assert found
    connection = connect(database)
    assert set(found) <= set(fts(connection, "fritidsklubb"))
    # in the columns query searches, exactly what query finds; any case
    assert fts(connection, "{name description target_text group_name}: fritidsklubb") == found
    assert fts(connection, "{name description target_text group_name}: FRITIDSKLUBB") == found


def test_the_full_text_index_finds_a_measure_by_its_responsible_units(database):
    connection = connect(database)
    rows = connection.execute("SELECT plan, slug, name, description, target_text, responsible FROM measures").fetchall()
    checked = 0
    for row in rows:
        for unit in json.loads(row["responsible"]):
            words = " ".join(filter(None, (row["name"], row["description"], row["target_text"])))
            if len(unit) < 3 or unit.casefold() in words.casefold():
                continue
            phrase = '"' + unit.replace('"', '""') + '"'
            assert (row["plan"], row["slug"]) in fts(connection, phrase), unit
            checked += 1
    assert checked > 50


# -- CSV ----------------------------------------------------------------------------------------


def stored_order(connection: sqlite3.Connection, table: str) -> str:
    """The order a table keeps its rows in: its rowid, or the primary key of a table WITHOUT ROWID."""
    try:
        connection.execute(f"SELECT rowid FROM {table} LIMIT 1")
        return "rowid"
    except sqlite3.OperationalError:
        key = sorted((row[5], row[1]) for row in connection.execute(f"PRAGMA table_info({table})") if row[5])
        return ", ".join(name for _position, name in key)


def expected_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def read_csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8")), path  # Excel shows æøå
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_csv_files_are_the_tables(cli, tmp_path, database, delimiter):
    directory = tmp_path / "tabeller"
    result = cli("export", str(PLANS), "--format", "csv", "-o", str(directory), "--delimiter", delimiter)
    assert result.code == 0, result.output
    assert result.stdout == f"Exported 2 plans to {directory}.\n"
    connection = sqlite3.connect(database)
    tables = base_tables(connection)
    assert sorted(p.name for p in directory.iterdir()) == sorted(f"{table}.csv" for table in tables)
    for table in tables:
        rows = read_csv(directory / f"{table}.csv", delimiter)
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        assert rows[0] == columns, table
        stored = connection.execute(f"SELECT * FROM {table} ORDER BY {stored_order(connection, table)}").fetchall()
        assert rows[1:] == [[expected_cell(value) for value in row] for row in stored], table
    assert len(read_csv(directory / "measures.csv", delimiter)) == 1 + 114


def test_a_cell_excel_would_run_is_escaped_in_csv_but_kept_in_the_database(cli, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    text = (PLANS / "lier.yaml").read_text(encoding="utf-8")
    assert text.count("name: Tranby Fritidsklubb\n") == 1
    (plans / "lier.yaml").write_text(text.replace("name: Tranby Fritidsklubb\n", 'name: "=HYPERLINK(1)"\n'),
                                     encoding="utf-8")
    assert cli("export", str(plans), "--format", "csv", "-o", str(tmp_path / "csv")).code == 0
    assert cli("export", str(plans), "-o", str(tmp_path / "plans.db")).code == 0
    rows = read_csv(tmp_path / "csv" / "measures.csv")
    name = rows[0].index("name")
    [row] = [row for row in rows if row[rows[0].index("slug")] == "tranby-fritidsklubb"]
    assert row[name] == "'=HYPERLINK(1)"
    stored = sqlite3.connect(tmp_path / "plans.db").execute(
        "SELECT name FROM measures WHERE slug = 'tranby-fritidsklubb'").fetchone()
    assert stored == ("=HYPERLINK(1)",)


# -- where the export goes ------------------------------------------------------------------------


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".forebygging-")]


def test_an_existing_file_is_not_replaced_without_force(cli, tmp_path):
    target = tmp_path / "plans.db"
    target.write_bytes(b"an analyst's own database")
    result = cli("export", str(PLANS), "-o", str(target))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr == f"error: {target} exists; add --force to replace it\n"
    assert target.read_bytes() == b"an analyst's own database" and leftovers(tmp_path) == []


def test_force_replaces_the_file_and_keeps_its_permissions(cli, tmp_path, database):
    target = tmp_path / "plans.db"
    target.write_bytes(b"old")
    target.chmod(0o600)
    result = cli("export", str(PLANS), "-o", str(target), "--force")
    assert result.code == 0, result.output
    assert count(connect(target), "measures") == count(connect(database), "measures")
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans.db"]


def test_the_database_is_built_beside_the_target_and_renamed_into_place(cli, tmp_path, monkeypatch):
    from forebygging_cli.export import database as module

    target = tmp_path / "plans.db"
    target.write_bytes(b"old")
    seen = {}
    original = module.build

    def watching(connection, data):
        seen["target"] = target.read_bytes()
        seen["beside"] = leftovers(tmp_path)
        original(connection, data)

    monkeypatch.setattr(module, "build", watching)
    assert cli("export", str(PLANS), "-o", str(target), "--force").code == 0
    assert seen["target"] == b"old" and len(seen["beside"]) == 1  # the old file stays until the new one is whole
    assert leftovers(tmp_path) == [] and count(connect(target), "plans") == 2


def test_a_failure_while_building_leaves_the_old_file_and_no_trace(cli, tmp_path, monkeypatch):
    from forebygging_cli.export import schema

    monkeypatch.setattr(schema, "FTS_TOKENIZER", "no-such-tokenizer")  # as an SQLite without trigram says
    target = tmp_path / "plans.db"
    target.write_bytes(b"old")
    result = cli("export", str(PLANS), "-o", str(target), "--force")
    assert result.code == 2 and len(result.stderr.splitlines()) == 1
    assert "cannot build the full-text index" in result.stderr and "no-such-tokenizer" in result.stderr
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_a_link_is_never_replaced(cli, tmp_path):
    real = tmp_path / "real.db"
    real.write_bytes(b"old")
    link = tmp_path / "plans.db"
    link.symlink_to(real)
    result = cli("export", str(PLANS), "-o", str(link), "--force")
    assert result.code == 2 and len(result.stderr.splitlines()) == 1
    assert str(link) in result.stderr and "link" in result.stderr
    assert link.is_symlink() and real.read_bytes() == b"old"


@pytest.mark.parametrize("where", ["missing/plans.db", "file.txt/plans.db"])
@pytest.mark.parametrize("output_format", ["sqlite", "csv"])
def test_an_unwritable_target_is_one_line_and_exit_2(cli, tmp_path, where, output_format):
    (tmp_path / "file.txt").write_text("not a directory", encoding="utf-8")
    target = tmp_path / where
    result = cli("export", str(PLANS), "--format", output_format, "-o", str(target))
    assert result.code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    reason = "No such file or directory" if where.startswith("missing") else "Not a directory"
    assert line == f"error: cannot write {target}: {reason}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_directory_is_not_a_database_file_and_a_file_is_not_a_directory(cli, tmp_path):
    result = cli("export", str(PLANS), "-o", str(tmp_path))
    assert result.code == 2 and f"{tmp_path} is a directory" in result.stderr
    (tmp_path / "plans.db").write_bytes(b"old")
    result = cli("export", str(PLANS), "--format", "csv", "-o", str(tmp_path / "plans.db"), "--force")
    assert result.code == 2 and "is not a directory" in result.stderr
    assert (tmp_path / "plans.db").read_bytes() == b"old"


def test_csv_goes_into_a_directory_that_is_not_empty_only_with_force(cli, tmp_path):
    directory = tmp_path / "tabeller"
    directory.mkdir()
    (directory / "notater.txt").write_text("mine", encoding="utf-8")
    (directory / "measures.csv").write_text("old", encoding="utf-8")
    result = cli("export", str(PLANS), "--format", "csv", "-o", str(directory))
    assert result.code == 2
    assert result.stderr == (f"error: {directory} is not empty; add --force to write the CSV files into it (files "
                             "of the same name are replaced)\n")
    assert sorted(p.name for p in directory.iterdir()) == ["measures.csv", "notater.txt"]
    result = cli("export", str(PLANS), "--format", "csv", "-o", str(directory), "--force")
    assert result.code == 0, result.output
    assert (directory / "notater.txt").read_text(encoding="utf-8") == "mine"
    assert len(read_csv(directory / "measures.csv")) == 1 + 114
    assert leftovers(directory) == [] and leftovers(tmp_path) == []


def test_csv_into_an_empty_directory_needs_no_force(cli, tmp_path):
    directory = tmp_path / "tom"
    directory.mkdir()
    assert cli("export", str(PLANS), "--format", "csv", "-o", str(directory)).code == 0
    assert (directory / "plans.csv").is_file()


def test_no_output_and_a_wrong_format_are_usage_errors(cli, tmp_path):
    result = cli("export", str(PLANS))
    assert result.code == 2 and result.stderr.startswith("error: export needs --output")
    result = cli("export", str(PLANS), "--format", "xlsx", "-o", str(tmp_path / "x"))
    assert result.code == 2
    assert result.stderr == "error: --format 'xlsx' is not a format of export; use one of: sqlite, csv\n"
    result = cli("export", str(PLANS), "--format", "csv", "--delimiter", "x", "-o", str(tmp_path / "x"))
    assert result.code == 2 and "--delimiter" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_formats_come_from_the_registry(cli):
    from forebygging_cli.render.formats import names

    assert names("export") == ("sqlite", "csv")
    result = cli("export", "--help", env={"COLUMNS": "200"})
    assert all(f"{name}: " in result.stdout for name in names("export"))


# -- plans that cannot be read ------------------------------------------------------------------------


def test_a_plan_that_does_not_validate_is_named_and_the_others_exported(cli, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    text = (PLANS / "os.yaml").read_text(encoding="utf-8").replace("name: Os kommune", "name: Broken kommune")
    (plans / "broken.yaml").write_text(text.replace("level: universal", "level: alle", 1), encoding="utf-8")
    target = tmp_path / "plans.db"
    result = cli("export", str(plans), "-o", str(target))
    queried = cli("query", str(plans), "--format", "json")
    assert result.code == queried.code == 2
    assert result.stderr == queried.stderr and str(plans / "broken.yaml") in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == f"Exported 2 plans to {target}.\n"
    connection = connect(target)
    assert count(connection, "measures") == 114
    assert [row[0] for row in connection.execute("SELECT stem FROM plans ORDER BY position")] == ["lier", "os"]


def test_nothing_is_written_when_no_plan_can_be_read(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("schema_version: 2\n", encoding="utf-8")
    result = cli("export", str(tmp_path / "bad.yaml"), "-o", str(tmp_path / "plans.db"))
    assert result.code == 2 and "is not a valid plan" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_two_files_with_one_stem_are_told_apart_by_path(cli, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(PLANS / "os.yaml", tmp_path / folder / "os.yaml")
    target = tmp_path / "plans.db"
    result = cli("export", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(target))
    assert result.code == 0, result.output
    connection = connect(target)
    assert [row[0] for row in connection.execute("SELECT plan FROM plans ORDER BY position")] == [
        str(tmp_path / "a" / "os.yaml"), str(tmp_path / "b" / "os.yaml")]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert count(connection, "measures") == 2 * 38


# -- the documentation ------------------------------------------------------------------------------------


def documented_columns() -> dict[str, set[str]]:
    """docs/export.md: table or view -> the columns its section lists."""
    text = DOCS.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for section in text.split("\n### ")[1:]:
        heading, _newline, body = section.partition("\n")
        names = re.findall(r"`([a-z_]+)`", heading)
        for line in body.splitlines():
            if not line.startswith("| `"):
                continue
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            table = names[0] if len(names) == 1 else cells[0].strip("`")
            column_cell = cells[0] if len(names) == 1 else cells[1]
            found.setdefault(table, set()).update(re.findall(r"`([a-z_]+)`", column_cell))
    return found


def test_the_docs_describe_every_table_view_and_column(database):
    connection = connect(database)
    names = base_tables(connection) + [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'view'")]
    actual = {name: {row[1] for row in connection.execute(f"PRAGMA table_info({name})")} for name in names}
    assert documented_columns() == actual


def test_the_docs_examples_run_and_answer(database):
    text = DOCS.read_text(encoding="utf-8")
    examples = re.findall(r"```sql\n(.*?)```", text, re.S)
    assert len(examples) >= 3
    connection = connect(database)
    for sql in examples:
        assert connection.execute(sql).fetchall(), sql
    assert "datasette plans.db" in text and "datasette plans.db" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- Datasette --------------------------------------------------------------------------------------------


def test_datasette_opens_it_with_links_search_and_views(database):
    """What `datasette plans.db` shows, through Datasette's own Python API (in-process, no server)."""
    import asyncio

    from datasette.app import Datasette

    async def look() -> dict:
        datasette = Datasette(files=[str(database)])
        await datasette.invoke_startup()
        got = {}
        for name, path in {
            "database": "/plans.json",
            "search": "/plans/measures.json?_search=fritidsklubb&_shape=array&_col=slug",
            "age": "/plans/measures_by_age.json?age=13&_shape=array&_size=max",
            "labels": "/plans/measure_units.json?_labels=on&_shape=array&_size=1",
        }.items():
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            got[name] = response.json()
        return got

    got = asyncio.run(look())
    tables = {table["name"]: table for table in got["database"]["tables"]}
    connection = connect(database)
    for name in base_tables(connection):
        assert tables[name]["count"] == count(connection, name) and not tables[name]["hidden"], name
    assert tables["measures"]["fts_table"] == "measures_fts"
    assert {view["name"] for view in got["database"]["views"]} == {
        "measures_by_age", "measures_by_band", "coverage", "plan_overview"}
    assert [row["slug"] for row in got["search"]] == [slug for _plan, slug in fts(connection, "fritidsklubb")]
    assert len(got["age"]) == len(connection.execute("SELECT * FROM measures_by_age WHERE age = 13").fetchall())
    [link] = got["labels"]
    assert set(link["unit_id"]) == {"value", "label"} and link["unit_id"]["label"]  # a unit's name, linked
