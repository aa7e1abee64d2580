"""The tool as Norwegian advisors and planners meet it: one language per run
(bokmål by default, English on request), query as an advisor expects it,
`plans` and `units`, `show` of several measures, finding the plans from
anywhere, one broken plan not silencing the others, validate as linters do it,
and messages in the planner's words with the fix."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, PLANS, ROOT, errors, findings, subprocess_env
from forebygging_cli.load import build_plan, read_document

LIER = build_plan(read_document(str(PLANS / "lier.yaml")))
OS = build_plan(read_document(str(PLANS / "os.yaml")))
OS_TEXT = (PLANS / "os.yaml").read_text(encoding="utf-8")
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def records(cli, *args: str) -> list[dict]:
    result = cli("query", str(PLANS), "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def ids(found: list[dict]) -> list[str]:
    return [f'{r["plan"]}:{r["id"]}' for r in found]


def write(tmp_path, text: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- one language per run ----------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "nb"),
    ({"LANG": "C"}, "nb"),
    ({"LANG": "C.UTF-8"}, "nb"),
    ({"LANG": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "nn_NO.UTF-8"}, "nb"),
    ({"LANG": "no_NO"}, "nb"),
    ({"LANG": "de_DE.UTF-8"}, "nb"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "nb_NO.UTF-8"}, "nb"),
    ({"LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "FOREBYGGING_LANG": "nb"}, "nb"),
    ({"LANG": "nb_NO.UTF-8", "FOREBYGGING_LANG": "en"}, "en"),
])
def test_the_language_comes_from_the_environment(cli, monkeypatch, env, expected):
    monkeypatch.delenv("FOREBYGGING_LANG")
    result = cli("validate", str(PLANS / "os.yaml"), env=env)
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith({"nb": "1 fil kontrollert", "en": "1 file checked"}[expected]), summary


def test_lang_beats_the_environment_and_works_after_the_command(cli):
    environment = {"FOREBYGGING_LANG": "en", "LANG": "en_US.UTF-8"}
    assert "1 fil kontrollert" in cli("--lang", "nb", "validate", str(PLANS / "os.yaml"), env=environment).stdout
    assert "1 fil kontrollert" in cli("validate", str(PLANS / "os.yaml"), "--lang", "nb", env=environment).stdout
    assert "1 fil kontrollert" in cli("validate", str(PLANS / "os.yaml"), "--lang=nb", env=environment).stdout
    assert "1 file checked" in cli("validate", str(PLANS / "os.yaml"), "--lang", "EN").stdout


def test_an_unknown_language_is_a_usage_error(cli):
    result = cli("--lang", "sv", "rules")
    assert result.code == 2
    assert result.stderr == "feil: --lang sv er ikke et språk i forebygging; bruk ett av: nb, nn, en\n"
    bad_env = cli("rules", env={"FOREBYGGING_LANG": "xx"})
    assert bad_env.code == 2 and "FOREBYGGING_LANG xx" in bad_env.stderr


def test_help_speaks_bokmal(cli):
    result = cli("--lang", "nb", "query", "--help")
    assert result.code == 0
    out = result.stdout
    assert out.startswith("Bruk: forebygging query [VALG] [PLAN]...")
    assert "Finn tiltak" in out and "Valg" in out and "Argumenter" in out
    assert "Vis denne hjelpen og avslutt." in out
    assert "Show this message" not in out and "Usage:" not in out and "Options" not in out
    top = cli("--lang", "nb", "--help").stdout
    assert "Kommandoer" in top and "Språk" in top


def test_usage_errors_speak_bokmal(cli):
    result = cli("--lang", "nb", "validate", "--nope")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert lines[:3] == ["Bruk: forebygging validate [VALG] [PLAN]...",
                         "Prøv «forebygging validate --help» for hjelp.", ""]
    assert lines[3].startswith("feil: ukjent valg: --nope") and len(lines) == 4
    close = cli("--lang", "nb", "validate", "--strikt")
    assert close.stderr.splitlines()[3] == "feil: ukjent valg: --strikt (mente du --strict?)"
    flag = cli("--lang", "nb", "query", "--requires-decision=yes")
    assert flag.code == 2 and flag.stderr.endswith("feil: --requires-decision tar ingen verdi\n")
    extra = cli("--lang", "nb", "rules", "FB301", "FB302")
    assert extra.code == 2 and extra.stderr.endswith("feil: uventet ekstra argument: FB302\n")
    typo = cli("--lang", "nb", "quer", "--age", "13")
    assert typo.code == 2 and typo.stderr.endswith("feil: Kommandoen 'quer' finnes ikke. Mente du 'query'?\n")
    assert cli("--lang", "en", "quer").stderr.endswith("error: No such command 'quer'. Did you mean 'query'?\n")
    short = cli("--lang", "nb", "query", "-h")
    assert short.code == 0 and short.stdout.startswith("Bruk: forebygging query")
    missing = cli("--lang", "nb", "query", "--age")
    assert missing.code == 2 and missing.stderr.endswith("feil: --age må ha en verdi\n")


def test_json_keeps_english_keys_and_its_messages_follow_the_language(cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("level: selected", "level: alle"))
    nb = json.loads(cli("--lang", "nb", "validate", path, "--format", "json").stdout)
    en = json.loads(cli("--lang", "en", "validate", path, "--format", "json").stdout)
    assert set(nb) == set(en) == {"version", "files", "problems", "summary"}
    [nb_finding], [en_finding] = nb["files"][0]["findings"], en["files"][0]["findings"]
    assert {k: v for k, v in nb_finding.items() if k != "message"} == \
        {k: v for k, v in en_finding.items() if k != "message"}
    assert en_finding["message"].startswith("`level` of measure 'kartlegging' is 'alle'")
    assert nb_finding["message"].startswith("`level` i tiltaket 'kartlegging' er 'alle'")
    query_nb = json.loads(cli("--lang", "nb", "query", str(PLANS), "--format", "json", "--text", "Tranby Fritidsklubb").stdout)
    assert query_nb[0]["level"] == "universal" and query_nb[0]["audience"] == ["children"]
    assert query_nb[0]["age_rule"] == ["8.-10. trinn = 13-15 år (trinn N = N+5 år)"]


# -- query as an advisor expects --------------------------------------------------------


def no_age(plan) -> int:
    return sum(1 for m in plan.measures if not m.target.span.known)


def test_the_footer_says_how_many_measures_have_no_age_and_how_to_see_them(cli):
    expected = no_age(LIER) + no_age(OS)
    nb = cli("--lang", "nb", "query", str(PLANS), "--age", "13").stdout
    assert f"{expected} tiltak er utelatt fordi de ikke oppgir alder; legg til --include-unknown-age for å se " \
           "dem." in nb
    en = cli("query", str(PLANS), "--age", "13", "--format", "markdown").stdout
    assert f"{expected} measures were left out because they state no age" in en
    wider = cli("query", str(PLANS), "--age", "13", "--include-unknown-age").stdout
    assert "left out" not in wider
    assert len(records(cli, "--age", "13", "--include-unknown-age")) == len(records(cli, "--age", "13")) + expected


def test_the_left_out_count_respects_the_other_filters(cli):
    expected = sum(1 for m in OS.measures if not m.target.span.known and m.level == "indicated")
    out = cli("query", str(PLANS), "--plan", "os", "--level", "indicated", "--age", "13").stdout
    assert f"{expected} measures were left out" in out


def test_rows_show_the_id_so_repeated_names_can_be_told_apart(cli):
    out = cli("query", str(PLANS), "--plan", "os", "--text", "Råd og veiledning").stdout
    for measure in OS.measures:
        if measure.name == "Råd og veiledning":
            assert measure.id in out
    assert len([m for m in OS.measures if m.name == "Råd og veiledning"]) >= 3


@pytest.mark.parametrize("forms", [
    ["barnevern", "barnevernet", "barneverntjenesten", "barnevernstjenesten", "Barnevernstjeneste"],
    ["helsestasjon", "helsestasjonen", "Helsestasjonen"],
    ["PPT", "ppt"],
])
def test_unit_matches_the_forms_people_type_across_plans(cli, forms):
    results = [ids(records(cli, "--unit", form)) for form in forms]
    assert results[0] and all(r == results[0] for r in results)
    if forms[0] == "barnevern":
        assert {i.split(":")[0] for i in results[0]} == {"lier", "os"}  # Barneverntjenesten, Barnevernstjenesten


def test_an_unknown_unit_exits_2_with_the_closest_names(cli):
    result = cli("query", str(PLANS), "--unit", "helsestasjonn")
    assert result.code == 2 and result.stdout == ""
    assert "no unit called 'helsestasjonn'" in result.stderr and "Helsestasjon" in result.stderr


def test_text_words_must_all_occur_and_a_quoted_phrase_stays_a_phrase(cli):
    both = set(ids(records(cli, "--text", "fritidsklubb tranby")))
    assert both == set(ids(records(cli, "--text", "fritidsklubb"))) & set(ids(records(cli, "--text", "tranby")))
    assert both and both != set(ids(records(cli, "--text", "tranby")))
    phrase = records(cli, "--text", '"de skulle"')
    assert [r["id"] for r in phrase] == ["trygg-av-natur-naturskole"]
    together = {r["id"] for r in records(cli, "--text", '"skole og barnehage"')}
    apart = {r["id"] for r in records(cli, "--text", "barnehage skole og")}  # the words anywhere: more measures
    assert together and together < apart


def test_word_options_ignore_case(cli):
    assert ids(records(cli, "--plan", "LIER")) == ids(records(cli, "--plan", "lier"))
    assert ids(records(cli, "--level", "INDIKERTE")) == ids(records(cli, "--level", "indicated"))
    assert ids(records(cli, "--audience", "Foreldre")) == ids(records(cli, "--audience", "parents"))
    upper = cli("query", str(PLANS), "--format", "JSON", "--plan", "os")
    assert upper.code == 0 and json.loads(upper.stdout)


@pytest.mark.parametrize(("vg", "grade", "age"), [("vg1", "11", "16"), ("VG2", "12", "17"), ("vg3", "13", "18")])
def test_vg_grades(cli, vg, grade, age):
    assert ids(records(cli, "--grade", vg)) == ids(records(cli, "--grade", grade)) == ids(records(cli, "--age", age))


def test_staff_only_measures_are_marked(cli):
    staff = [m for m in LIER.measures if m.target.audience == ("professionals",)]
    out = cli("--lang", "nb", "query", str(PLANS), "--plan", "lier", "--format", "markdown").stdout
    for measure in staff[:3]:
        line = next(line for line in out.splitlines() if f"`{measure.id}`" in line)
        assert "(for ansatte)" in line
    child = next(m for m in LIER.measures if m.name == "Tranby Fritidsklubb")
    assert "(for ansatte)" not in next(line for line in out.splitlines() if f"`{child.id}`" in line)
    terminal = cli("--lang", "nb", "query", str(PLANS), "--plan", "lier", env={"COLUMNS": "400"}).stdout
    assert terminal.count("(for ansatte)") == len(staff)
    assert records(cli, "--plan", "lier", "--text", "Workshop for SFO")[0]["staff_only"] is True


def test_the_age_rule_is_printed_once_per_table(cli):
    out = cli("--lang", "nb", "query", str(PLANS), "--plan", "lier", "--level", "universal").stdout
    assert out.count("trinn N = N+5 år") == 1
    assert "Aldersregler: " in out
    assert "13-15 år (8.-10. trinn)" in out


def test_sort_and_count(cli):
    by_name = [r["name"] for r in records(cli, "--plan", "os", "--sort", "name")]
    assert by_name == sorted(by_name, key=lambda n: n.casefold().replace("ø", "o").replace("å", "a"))
    by_level = [r["level"] for r in records(cli, "--plan", "lier", "--sort", "level")]
    assert by_level == sorted(by_level, key=["universal", "selected", "indicated"].index)
    by_age = [r for r in records(cli, "--plan", "lier", "--sort", "age") if not r["age_unknown"]]
    assert [r["age_min"] for r in by_age if r["age_min"] is not None] == \
        sorted(r["age_min"] for r in by_age if r["age_min"] is not None)
    assert by_age[0]["prenatal"]  # pregnancy first
    count = json.loads(cli("query", str(PLANS), "--count", "--format", "json", "--age", "13").stdout)
    expected = {r["plan"]: r for r in count}
    for record in records(cli, "--age", "13"):
        expected[record["plan"]][record["level"]] -= 1
    assert all(row[level] == 0 for row in expected.values() for level in ("universal", "selected", "indicated"))
    text = cli("--lang", "nb", "query", str(PLANS), "--count").stdout
    assert "Universelle" in text and "Lier kommune" in text and "Tranby" not in text
    assert cli("query", str(PLANS), "--sort", "size").code == 2


# -- plans and units ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_plans_lists_each_plan(cli, fmt):
    result = cli("--lang", "nb", "plans", str(PLANS), "--format", fmt)
    assert result.code == 0, result.output
    out = result.stdout
    assert "Lier kommune" in out and "Os kommune" in out
    if fmt == "json":
        found = {r["plan"]: r for r in json.loads(out)}
        assert found["lier"]["measures"] == {"universal": 30, "selected": 21, "indicated": 25, "total": 76}
        assert found["lier"]["adopted"]["date"] == "2024-06-12" and found["os"]["adopted"] is None
        assert found["os"]["period"] == [2023, 2028] and found["os"]["levels_derived"] is True
    else:
        assert "2023–2028" in out and "12.6.2024" in out and "–" in out
    if fmt == "csv":
        rows = out.lstrip("\ufeff").splitlines()
        assert rows[0].endswith(",Totalt,nivåer utledet") and rows[2].endswith(",14,12,12,38,ja")


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_units_lists_units_with_their_measures(cli, fmt):
    result = cli("--lang", "nb", "units", str(PLANS), "--plan", "os", "--format", fmt)
    assert result.code == 0, result.output
    if fmt == "json":
        found = {u["id"]: u for u in json.loads(result.stdout)}
        assert set(found) == {u.id for u in OS.units}
        assert found["barnevern"]["measures"] == sum(1 for m in OS.measures if "barnevern" in m.responsible)
        assert found["ppt"]["aliases"] == ["PPT (Pedagogisk psykologisk tjeneste)"]
        assert "aliases" in found["helse-omsorg"]["derived"]
    else:
        barnevern = sum(1 for m in OS.measures if "barnevern" in m.responsible)
        line = next(line for line in result.stdout.splitlines()
                    if line.lstrip("│| ").startswith(("barnevern ", "barnevern,", "os,barnevern,")))
        assert "Barnevernstjenesten" in line and re.search(rf"\b{barnevern}\b", line)
        assert "Lier" not in result.stdout


# -- show ------------------------------------------------------------------------------------


def test_show_takes_several_ids_and_separates_them(cli):
    result = cli("--lang", "nb", "show", "os:mst", "tranby-fritidsklubb", str(PLANS))
    assert result.code == 0
    out = result.stdout
    assert out.index("MST (os:mst)") < out.index("Tranby Fritidsklubb (lier:tranby-fritidsklubb)")
    assert out.count("────") >= 2
    shown = json.loads(cli("show", "os:mst", "lier:tranby-fritidsklubb", str(PLANS), "--format", "json").stdout)
    assert [r["id"] for r in shown] == ["mst", "tranby-fritidsklubb"]


def test_show_names_the_source_by_title_section_and_line(cli):
    measure = next(m for m in LIER.measures if m.id == "tranby-fritidsklubb")
    out = cli("--lang", "nb", "show", "tranby-fritidsklubb", str(PLANS), env={"COLUMNS": "300"}).stdout
    line = next(line for line in out.splitlines() if line.strip().startswith("Kilde"))
    assert f"«{LIER.title}», {measure.source_section}, linje {measure.source_line}" in line
    assert LIER.source_file not in out


def test_show_unknown_id_says_which_plan_was_searched(cli):
    result = cli("show", "os:mts", str(PLANS))
    assert result.code == 2
    assert f"no measure with id 'mts' in os ({PLANS / 'os.yaml'}); did you mean 'mst'?" in result.stderr


# -- finding the plans -------------------------------------------------------------------------


def test_commands_work_from_a_subdirectory_of_the_plan_repository(cli, monkeypatch):
    monkeypatch.chdir(ROOT / "tests" / "fixtures")
    result = cli("query", "--plan", "os", "--format", "json")
    assert result.code == 0 and {r["plan"] for r in json.loads(result.stdout)} == {"os"}
    assert cli("validate").code == 0


def test_forebygging_plans_names_the_directory_from_anywhere(cli, monkeypatch, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = cli("plans", "--format", "json", env={"FOREBYGGING_PLANS": str(PLANS)})
    assert [r["plan"] for r in json.loads(result.stdout)] == ["lier", "os"]


def test_outside_a_plan_repository_one_line_says_what_was_looked_for(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = cli("query", "--age", "13")
    assert result.code == 2
    assert result.stderr == (f"error: plans: no plans/ directory in {tmp_path} or any directory above it; run inside "
                             "a plan repository, name the files, or set FOREBYGGING_PLANS to the plans directory\n")


# -- one broken plan does not silence the others ---------------------------------------------------


@pytest.fixture
def one_broken(tmp_path):
    shutil.copy(PLANS / "lier.yaml", tmp_path / "lier.yaml")
    (tmp_path / "os.yaml").write_text(OS_TEXT.replace("level: universal", "level: alle", 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [["query", "--age", "13"], ["show", "tranby-fritidsklubb"], ["plans"], ["units"]])
def test_the_plans_that_load_answer_and_the_broken_one_is_named(cli, one_broken, args):
    result = cli(*args[:1], str(one_broken), *args[1:]) if args[0] != "show" else cli(*args, str(one_broken))
    assert result.code == 2
    assert "Lier kommune" in result.stdout or "Tranby" in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {one_broken / 'os.yaml'}: is not a valid plan (1 error, at line ")
    assert "'alle'" in line


# -- validate as linters do it ----------------------------------------------------------------------


def test_validate_reads_standard_input(cli):
    result = cli("validate", "-", "--stdin-filename", "plans/os.yaml", stdin=OS_TEXT.replace("level: universal",
                                                                                            "level: alle", 1))
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert finding["file"] == "plans/os.yaml" and finding["rule"] == "FB104"
    assert int(finding["line"]) == OS_TEXT.splitlines().index("    level: universal") + 1
    plain = cli("validate", "-", stdin=OS_TEXT)
    assert plain.code == 0 and "<stdin>: 0 errors" in plain.stdout


def test_color_option_and_no_color(cli):
    path = str(PLANS / "os.yaml")
    assert "\x1b[" in cli("validate", path, "--color", "always").stdout
    assert "\x1b[" not in cli("validate", path, "--color", "never", env={"FORCE_COLOR": "1"}).stdout
    no_color = cli("validate", path, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in no_color  # no colour, no bold, no dim
    assert "\x1b[1m" in cli("validate", path, env={"FORCE_COLOR": "1"}).stdout  # bold file names
    assert "\x1b[" in cli("query", str(PLANS), "--age", "13", "--color", "always").stdout
    assert cli("validate", path, "--color", "sometimes").code == 2


def test_quiet_prints_errors_and_the_summary_only(cli, tmp_path):
    # no goals: an error (FB303), and the warnings the minimal plan always gets
    path = write(tmp_path, MINIMAL.replace("goals:\n  - id: tidlig-innsats\n    title: Tidlig innsats\n", ""))
    loud = findings(cli("validate", path).stdout)
    assert {f["severity"] for f in loud} == {"error", "warning"}
    quiet = cli("validate", path, "-q").stdout.splitlines()
    assert [f["rule"] for f in findings("\n".join(quiet))] == ["FB303"]
    assert quiet[-1].startswith("1 file checked: 1 error, ")
    assert len(quiet) == 2


def test_statistics_counts_findings_per_rule(cli):
    result = cli("validate", str(PLANS), "--statistics")
    expected = {}
    for f in findings(cli("validate", str(PLANS)).stdout):
        expected[f["rule"]] = expected.get(f["rule"], 0) + 1
    got = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*(\d+)  (FB\d{3})  ", result.stdout, re.M)}
    assert got == expected and got["FB316"] > 10
    assert not findings(result.stdout)


def test_shell_completion_is_switched_on(cli):
    top = cli("--help").stdout
    assert "--install-completion" in top and "--show-completion" in top
    script = subprocess.run([sys.executable, "-m", "forebygging_cli", "--show-completion", "bash"],
                            capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert script.returncode == 0 and "_FOREBYGGING_COMPLETE" in script.stdout


# -- messages in the planner's words, with the fix ----------------------------------------------------


def one_error(cli, tmp_path, text: str) -> dict[str, str]:
    result = cli("validate", write(tmp_path, text))
    found = errors(result.stdout)
    assert len(found) == 1, result.stdout
    return found[0]


def test_no_schema_wording_and_the_expected_form_with_an_example(cli, tmp_path):
    both = one_error(cli, tmp_path, MINIMAL.replace("grades: {from: 8, to: 10}", "ages: {from: 12, to: 15, until: 16}"))
    assert "should not be valid" not in both["message"] and "{'required'" not in both["message"]
    assert "has both `to` and `until`" in both["message"] and "ages: {from: 18, until: 25}" in both["message"]
    missing = one_error(cli, tmp_path, MINIMAL.replace("grades: {from: 8, to: 10}", "ages: {to: 15}"))
    assert missing["rule"] == "FB102" and "for example `ages: {from: 12, to: 15}`" in missing["message"]
    wrong = one_error(cli, tmp_path, MINIMAL.replace("grades: {from: 8, to: 10}", "grades: 8-10"))
    assert wrong["rule"] == "FB103" and "for example `grades: {from: 8, to: 10}`" in wrong["message"]


@pytest.mark.parametrize(("old", "new", "english"), [
    ("    responsible: [ppt]\n", "    responsible: [ppt]\n    requires_decision: Nei\n", "no"),
    ("    responsible: [ppt]\n", "    responsible: [ppt]\n    requires_decision: ja\n", "yes"),
    ("    responsible: [ppt]\n", "    responsible: [ppt]\n    requires_decision: Ja/nei\n", "varies"),
    ("audience: [children]", "audience: [barn]", "children"),
    ("audience: [children]", "audience: [foreldre]", "parents"),
    ("      grades: {from: 8, to: 10}\n", "      stages: [gravide]\n", "pregnancy"),
    ("      grades: {from: 8, to: 10}\n", "      stages: [videregående]\n", "vgs"),
    ("    status: established", "    status: etablert", "established"),
    ("    status: established", "    status: planlagt", "planned"),
    ("    status: established", "    status: established\n    kind: møte", "meeting"),
    ("    service: ppt", "    service: PP-tjenesten (PPT)", "ppt"),
    ("    level: selected", "    level: Nyttig for noen", "selected"),
])
def test_norwegian_values_get_the_english_key(cli, tmp_path, old, new, english):
    finding = one_error(cli, tmp_path, MINIMAL.replace(old, new))
    assert finding["rule"] == "FB104"
    assert f"write `{english}` (plan files use the English value" in finding["message"]


def test_an_id_gets_its_slug_suggested(cli, tmp_path):
    finding = one_error(cli, tmp_path, MINIMAL.replace("  - id: kartlegging", "  - id: Åpen barnehage"))
    assert finding["rule"] == "FB105" and "write `apen-barnehage`" in finding["message"]


def test_a_units_name_where_its_id_belongs_gets_the_id(cli, tmp_path):
    finding = one_error(cli, tmp_path, MINIMAL.replace("responsible: [ppt]", "responsible: [PP-tjenesten]"))
    assert finding["rule"] == "FB105"
    assert "write the unit's id, `ppt`: the unit named 'PP-tjenesten' is declared" in finding["message"]
    lower = one_error(cli, tmp_path, MINIMAL.replace("responsible: [ppt]", "responsible: [pp-tjenesten]"))
    assert lower["rule"] == "FB201" and "(it is the name of the unit 'ppt'; write its id)" in lower["message"]


def test_an_indentation_slip_is_called_so_and_names_the_line_above(cli, tmp_path):
    text = MINIMAL.replace("    level: selected\n", "   level: selected\n")
    finding = one_error(cli, tmp_path, text)
    line = text.splitlines().index("   level: selected") + 1
    assert finding["rule"] == "FB001" and int(finding["line"]) == line
    assert finding["message"].startswith(f"most likely an indentation slip: line {line} does not line up with line "
                                         f"{line - 1} above it")


def test_a_tab_inside_a_value_is_not_called_indentation(cli, tmp_path):
    finding = one_error(cli, tmp_path, MINIMAL.replace("    name: Kartlegging\n", "    name: Kart\tlegging: x\n"))
    assert "indentation" not in finding["message"]
    indented = one_error(cli, tmp_path, MINIMAL.replace("    name: Kartlegging\n", "\tname: Kartlegging\n"))
    assert "tab character is used for indentation" in indented["message"]


def test_a_file_of_only_null_is_not_called_comments(cli, tmp_path):
    finding = findings(cli("validate", write(tmp_path, "# en plan\nnull\n")).stdout)[0]
    assert finding["rule"] == "FB003" and "only an empty value (null)" in finding["message"]
    assert (finding["line"], finding["col"]) == ("2", "1")


@pytest.mark.parametrize(("text", "words"), [("~: x\n", "an empty key (null)"), ("? {a: 1}\n: x\n", "a key that is a mapping"),
                                             ("1: x\n", "the key 1 (a number)")])
def test_keys_that_are_not_text_are_described_in_words(cli, tmp_path, text, words):
    finding = findings(cli("validate", write(tmp_path, text)).stdout)[0]
    assert words in finding["message"] and "None" not in finding["message"] and "ordereddict" not in finding["message"]


def test_json_path_is_filled_for_a_duplicate_key(cli, tmp_path):
    text = MINIMAL.replace("    name: Kartlegging\n", "    name: Kartlegging\n    name: Kartlegging 2\n")
    report = json.loads(cli("validate", write(tmp_path, text), "--format", "json").stdout)
    [finding] = report["files"][0]["findings"]
    assert finding["rule"] == "FB006" and finding["path"] == "/measures/0/name"


def test_reference_rules_run_where_the_schema_fails_elsewhere(cli, tmp_path):
    text = MINIMAL.replace("level: selected", "level: alle").replace("responsible: [ppt]", "responsible: [nav]")
    rules = sorted(f["rule"] for f in errors(cli("validate", write(tmp_path, text)).stdout))
    assert rules == ["FB104", "FB201"]


def test_rules_are_explained_in_bokmal(cli):
    out = cli("--lang", "nb", "rules", "FB301").stdout
    assert out.startswith("FB301 not-adopted-by-council (feil)")
    assert "kommunestyret" in out and "Rettelse:" in out and "Fix:" not in out
    listing = cli("--lang", "nb", "rules").stdout
    assert "advarsel" in listing and "warning" not in listing


# -- from the review: odd streams, narrow terminals, show's words ------------------------------


def test_standard_input_that_is_not_utf8_is_a_finding_not_a_crash(cli):
    import forebygging_cli.cli  # noqa: F401

    result = cli("validate", "-", "--stdin-filename", "os.yaml", stdin_bytes=OS_TEXT.encode("latin-1", "replace"))
    assert result.code == 1
    [finding] = findings(result.stdout)
    assert (finding["file"], finding["rule"]) == ("os.yaml", "FB002")


@pytest.mark.parametrize(("args", "redirect", "code", "words"), [
    (["validate", "-"], "<&-", 2, "standard input is closed"),
    (["query", "--age", "13"], ">&-", 2, "cannot write output: standard output is closed"),
])
def test_closed_standard_streams(args, redirect, code, words):
    command = " ".join([f'"{sys.executable}"', "-m", "forebygging_cli", *args, redirect])
    done = subprocess.run(["bash", "-c", command], env=subprocess_env(FOREBYGGING_LANG="en", FOREBYGGING_PLANS=str(PLANS)),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == code and words in done.stderr and "Traceback" not in done.stderr


def test_a_closed_stderr_keeps_the_exit_code():
    command = f'"{sys.executable}" -m forebygging_cli query "{PLANS}" --plan nosuch 2>&-'
    done = subprocess.run(["bash", "-c", command], env=subprocess_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2


def test_quiet_applies_to_github_annotations(cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("goals:\n  - id: tidlig-innsats\n    title: Tidlig innsats\n", ""))
    loud = cli("validate", path, "--format", "github").stdout
    quiet = cli("validate", path, "--format", "github", "-q").stdout
    assert "::warning" in loud and "::warning" not in quiet and "::error" in quiet
    assert cli("validate", path, "--format", "json", "--statistics").code == 2


@pytest.mark.parametrize(("command", "columns"), [
    (["query", "--age", "13"], 80), (["plans"], 80), (["units"], 80), (["query", "--count"], 80),
    (["query", "--age", "13"], 50),  # a phone's terminal: the measures still fold, nothing is cut
])
def test_nothing_is_cut_at_80_columns(cli, command, columns):
    result = cli("--lang", "nb", *command[:1], str(PLANS), *command[1:], env={"COLUMNS": str(columns)})
    assert result.code == 0
    assert "…" not in result.stdout.replace("- …", "")
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    # a table wider than the terminal is cropped at its right edge: every row must end in its border
    rows = [line.rstrip() for line in result.stdout.splitlines() if line and line[0] in "│┃┏┡└"]
    assert rows and all(row[-1] in "│┃┓┩┘" for row in rows), [row for row in rows if row[-1] not in "│┃┓┩┘"][:3]


@pytest.mark.parametrize("columns", [100, 120])
def test_each_id_stands_whole_on_its_line_where_there_is_room(cli, columns):
    """The id is what `show` takes: in a terminal of ordinary width it is copied in one piece
    (up to two fifths of the table's room; longer ids fold, the table never passes the width)."""
    from forebygging_cli.render.terminal import id_room

    result = cli("--lang", "nb", "query", str(PLANS), "--age", "13", "--format", "json")
    ids = {record["id"] for record in json.loads(result.stdout)}
    fitting = {id_ for id_ in ids if len(id_) <= id_room(columns)}
    assert max(map(len, fitting)) > 25  # ids that a column of a quarter of the width would fold
    table = cli("--lang", "nb", "query", str(PLANS), "--age", "13", env={"COLUMNS": str(columns)}).stdout
    cells = {cell.strip() for line in table.splitlines() for cell in line.split("│")}
    assert fitting <= cells, sorted(fitting - cells)
    assert max(len(line) for line in table.splitlines()) <= columns


def test_a_wide_terminal_keeps_each_name_on_one_line(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--age", "13", "--format", "json")
    names = {record["name"] for record in json.loads(result.stdout)}
    assert max(map(len, names)) > 50
    table = cli("--lang", "nb", "query", str(PLANS), "--age", "13", env={"COLUMNS": "400"}).stdout
    cells = {cell.strip() for line in table.splitlines() for cell in line.split("│")}
    assert names <= cells, sorted(names - cells)


def test_show_speaks_bokmal_about_derived_fields(cli):
    out = cli("--lang", "nb", "show", "os:fft", str(PLANS), env={"COLUMNS": "200"}).stdout
    rows = {line.split("  ")[0].strip(): line for line in out.splitlines() if line.strip()}
    assert rows["Utledet"].split()[-1] == "nivå"
    assert "(indicated)" not in out
    assert "Oppgitt" not in rows  # "11-18 år" is both what the plan states and the age: once
    assert "Alder" in rows


def test_no_match_counts_the_plans_searched(cli):
    out = cli("--lang", "nb", "query", str(PLANS), "--text", "finnes-ikke-noe-sted").stdout
    assert "Fant 0 tiltak. 2 planer ble søkt i." in out


def test_norwegian_without_a_written_form_gives_bokmal_and_nn_gives_nynorsk(cli):
    assert "1 fil kontrollert: 0 feil, 17 advarsler" in cli("--lang", "no", "validate", str(PLANS / "os.yaml")).stdout
    for code in ("nn", "nn_NO.UTF-8"):
        result = cli("--lang", code, "validate", str(PLANS / "os.yaml"))
        assert "1 fil kontrollert: 0 feil, 17 åtvaringar" in result.stdout, code


def test_bidirectional_overrides_are_control_characters(cli, tmp_path):
    path = write(tmp_path, OS_TEXT.replace("    name: MST\n", '    name: "MST\\u202egnilleber"\n', 1))
    finding = errors(cli("validate", path).stdout)[0]
    assert finding["rule"] == "FB009" and "U+202E" in finding["message"]


def test_a_reversed_plan_period_is_an_error(cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("    from: 2025\n    to: 2028\n", "    from: 2028\n    to: 2025\n"))
    [finding] = errors(cli("validate", path).stdout)
    assert finding["rule"] == "FB203" and "from 2028 to 2025" in finding["message"]


def test_adoption_dates_are_written_the_norwegian_way(cli):
    assert "12.6.2024" in cli("--lang", "nb", "plans", str(PLANS)).stdout
    assert "2024-06-12" in cli("--lang", "en", "plans", str(PLANS)).stdout
