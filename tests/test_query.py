"""`forebygging query` and `show`: hand-made expectations checked against the
source plans (including measures that must NOT match and the age edges), every
Norwegian level form, every output format, and bad filters."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import PLANS


LIER_TITLE = "PLAN FOR FOREBYGGING AV OMSORGSSVIKT OG ATFERDSPROBLEMER"  # the plan's front page


@pytest.fixture
def bokmal():
    from forebygging_cli import i18n

    i18n.activate("nb")
    yield
    i18n.activate("en")


def query(cli, *args: str) -> list[dict]:
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def names(records: list[dict], plan: str | None = None) -> set[str]:
    return {r["name"] for r in records if plan is None or r["plan"] == plan}


def ids(records: list[dict]) -> list[str]:
    return [f'{r["plan"]}:{r["id"]}' for r in records]


# -- ages ------------------------------------------------------------------------


def test_age_13_in_lier(cli):
    got = names(query(cli, "--age", "13"), "lier")
    # 8.-10.trinn; "13-26 år"; "8. trinns elever"; "Helsestasjon for ungdom 13-26"; "ungdomsskole og videregående elever"
    # LOS: "elever i lierskolen", read as grunnskole (6-15, derived)
    assert {"Tranby Fritidsklubb", "Ungdomshuset V2", "Bli kjent aktiviteter", "Helsestasjon for ungdom",
            "Avlastning før og etter skoletid", "LOS"} <= got
    # 5.-7.trinn (10-12), 9. trinn (14), 10. trinn (15), ettervern (18-24), no stated age, pregnancy
    assert not {"Åpen møteplass Tranby", "Markering av verdensdagen for psykisk helse", "Stressmestring",
                "Ettervern", "Familie-koordinatorer", "Sårbare gravide"} & got


def test_age_13_in_os(cli):
    got = names(query(cli, "--age", "13"), "os")
    # grunnskolen (6-15), FFT 11-18, ICDP 0-18, Aktivitetskort 2-18, Treffpunkt "barn og unge" (= under 18 by the plan's definition)
    assert {"Skolehelsetjeneste", "FFT", "ICDP", "Aktivitetskort", "Treffpunkt"} <= got
    # PMTO 3-12, Barseltreff (newborns), Mestringsteam barnehage, MST (no age stated)
    assert not {"PMTO", "Barseltreff", "Mestringsteam barnehage", "MST"} & got


def test_grade_boundary_between_7_and_8_trinn(cli):
    age_12 = names(query(cli, "--age", "12"), "lier")
    assert {"Åpen møteplass Tranby", "Friluftsliv for 7. trinn"} <= age_12
    assert not {"Tranby Fritidsklubb", "Bli kjent aktiviteter"} & age_12


def test_grade_filter_is_the_age_filter_with_n_plus_5(cli):
    assert ids(query(cli, "--grade", "8")) == ids(query(cli, "--age", "13"))
    assert ids(query(cli, "--grade", "1-4")) == ids(query(cli, "--age", "6-9"))


def test_age_range_overlaps(cli):
    got = names(query(cli, "--age", "16-17"), "lier")
    assert {"NAV i VGS", "Ungdomshuset V2"} <= got  # videregående 16-18; 13-26
    assert "Tranby Fritidsklubb" not in got  # 13-15


def test_ettervern_ends_before_the_25th_birthday(cli):
    assert "Ettervern" in names(query(cli, "--age", "24"), "lier")
    age_25 = names(query(cli, "--age", "25"), "lier")
    assert "Ettervern" not in age_25  # "fra 18 til 25 år" = til fylte 25
    assert {"Ungdomshuset V2", "Helsestasjon for ungdom"} <= age_25  # 13-26


def test_pregnancy_is_a_stage_not_age_zero(cli):
    pregnancy = query(cli, "--stage", "pregnancy")
    assert {"Sårbare gravide"} <= names(pregnancy, "lier")
    assert {"Fødselsforberedende kurs", "Jordmortjeneste", "I trygge hender", "Tidlig inn"} <= names(pregnancy, "os")
    assert "Barseltreff" not in names(pregnancy)  # "Nybakte foreldre": after birth
    age_0 = names(query(cli, "--age", "0"), "os")
    assert "Barseltreff" in age_0
    assert not {"Fødselsforberedende kurs", "Jordmortjeneste"} & age_0
    assert names(query(cli, "--stage", "gravide")) == names(pregnancy)


def test_stage_filters(cli):
    barnehage = names(query(cli, "--stage", "barnehage"))
    assert {"Mestringsteam barnehage", "Observasjon i barnehage"} <= barnehage
    assert "Tranby Fritidsklubb" not in barnehage
    assert "Tranby Fritidsklubb" in names(query(cli, "--stage", "ungdomsskole"))


def test_unknown_ages_only_on_request_and_marked(cli):
    plain = query(cli, "--age", "13", "--plan", "lier")
    assert all(not r["age_unknown"] for r in plain)
    wider = query(cli, "--age", "13", "--plan", "lier", "--include-unknown-age")
    unknown = {r["name"] for r in wider if r["age_unknown"]}
    assert {"Familie-koordinatorer", "Gjeldsrådgiver"} <= unknown
    assert "Sårbare gravide" not in names(wider)  # pregnancy is a known stage, not an unknown age
    assert set(ids(plain)) < set(ids(wider))


# -- levels ------------------------------------------------------------------------

LEVEL_FORMS = {
    "universal": ["universal", "universell", "Universelle", "universelt", "Bra for alle", "BRA FOR ALLE"],
    "selected": ["selected", "selektert", "selekterte", "selektiv", "nyttig for noen"],
    "indicated": ["indicated", "indikert", "indikerte", "indisert", "nødvendig for enkelte", "nodvendig for enkelte"],
}


@pytest.mark.parametrize("level", list(LEVEL_FORMS))
def test_every_norwegian_level_form_gives_the_english_result(cli, level):
    english = ids(query(cli, "--level", level))
    assert english and all(r["level"] == level for r in query(cli, "--level", level))
    for form in LEVEL_FORMS[level]:
        assert ids(query(cli, "--level", form)) == english, form


def test_lier_level_counts_and_own_labels(cli):
    for level, label, count in [("universal", "Bra for alle", 30), ("selected", "Nyttig for noen", 21),
                                ("indicated", "Nødvendig for enkelte", 25)]:
        records = query(cli, "--plan", "lier", "--level", level)
        assert len(records) == count
        assert {r["level_label"] for r in records} == {label}
        assert not any(r["level_derived"] for r in records)


def test_os_levels_are_marked_derived(cli):
    records = query(cli, "--plan", "os", "--level", "indikerte")
    assert records and all(r["level_derived"] and "level" in r["derived"] for r in records)


def test_indicated_measures_in_os_that_need_a_decision(cli):
    got = names(query(cli, "--plan", "os", "--level", "indicated", "--requires-decision"))
    assert {"Omsorgslønn", "Familieråd", "PMTO", "MST", "Støttekontakt"} <= got
    assert "Individuell plan" not in got  # KREVER VEDTAK: Nei


def test_requires_decision_semantics(cli):
    no = names(query(cli, "--no-requires-decision"))
    assert {"Treffpunkt", "COS P"} <= no  # Nei; Ja/nei counts for both
    assert "Omsorgslønn" not in no
    assert "COS P" in names(query(cli, "--requires-decision"))
    assert names(query(cli, "--requires-decision"), "lier") == set()  # Lier does not say


# -- units, services, audience, text -------------------------------------------------


def test_unit_by_alias_name_and_id(cli):
    ppt = query(cli, "--unit", "PPT")
    assert {"LOS", "Mobbeombudet", "PP-tjenesten"} <= names(ppt, "lier")  # "PPT v/ Sissel Østberg"; "PP-tjenesten Helsetjenesten barn og unge"
    assert {r["id"] for r in ppt if r["plan"] == "os"} == {"rad-og-veiledning-ppt"}
    lier_ppt = [i for i in ids(ppt) if i.startswith("lier:")]
    assert ids(query(cli, "--unit", "pp-tjenesten")) == lier_ppt  # Os calls its unit "PPT" only
    assert ids(query(cli, "--unit", "PP-TJENESTEN")) == lier_ppt


def test_unit_matches_whole_words_only(cli):
    skole = names(query(cli, "--unit", "skole"), "os")
    assert "Mestringsteam skole" in skole
    assert "Treffpunkt" not in skole  # Helsestasjon og skolehelsetjeneste is not "skole"


def test_service_works_across_plans(cli):
    barnevern = query(cli, "--service", "barnevern")
    assert "Ettervern" in names(barnevern, "lier") and "Familieråd" in names(barnevern, "os")
    assert "LOS" not in names(barnevern)
    helsestasjon = query(cli, "--service", "helsestasjon")
    assert "Helsestasjon for ungdom" in names(helsestasjon, "lier") and "Barseltreff" in names(helsestasjon, "os")


def test_audience(cli):
    staff = names(query(cli, "--audience", "professionals"))
    assert "Workshop for SFO ansatte" in staff and "Tranby Fritidsklubb" not in staff
    assert "Sårbare gravide" in names(query(cli, "--audience", "gravide"))


def test_text_is_accent_and_case_insensitive(cli):
    assert names(query(cli, "--text", "FRITIDSKLUBB"), "lier") == {"Tranby Fritidsklubb", "Åpen møteplass Tranby"}
    assert "Omsorgslønn" in names(query(cli, "--text", "omsorgslonn"))


def test_filters_combine_with_and_and_repeat_with_or(cli):
    both = names(query(cli, "--age", "13", "--service", "kultur-fritid", "--plan", "lier"))
    assert both == {"Ungdomshuset V2", "Tranby Fritidsklubb", "Ferieaktiviteter"}
    either = ids(query(cli, "--age", "3", "--age", "24"))
    assert set(ids(query(cli, "--age", "3"))) | set(ids(query(cli, "--age", "24"))) == set(either)


def test_plan_filter(cli):
    assert {r["plan"] for r in query(cli, "--plan", "os")} == {"os"}
    result = cli("query", str(PLANS), "--plan", "oslo")
    assert result.code == 2 and "no such plan" in result.stderr and "lier, os" in result.stderr


# -- output ----------------------------------------------------------------------


def test_json_has_the_documented_keys(cli):
    records = query(cli, "--age", "13")
    required = {"plan", "id", "name", "level", "level_label", "age_min", "age_max", "audience", "responsible",
                "requires_decision", "derived"}
    assert records and all(required <= set(r) for r in records)
    tranby = next(r for r in records if r["id"] == "tranby-fritidsklubb")
    assert (tranby["age_min"], tranby["age_max"], tranby["age_stated"]) == (13, 15, False)
    assert tranby["age_rule"] == ["8.-10. trinn = 13-15 år (trinn N = N+5 år)"]
    assert tranby["responsible"] == ["Ung Kultur"]


def test_csv_parses_with_norwegian_letters_intact(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "csv", "--text", "møteplass")
    assert result.code == 0
    assert result.stdout.startswith("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert "Åpen møteplass Tranby" in {r["tiltak"] for r in rows}  # the headers are in the run's language
    assert {r["deltakere"] for r in rows} == {"barn og unge"}
    semicolon = cli("--lang", "nb", "query", str(PLANS), "--format", "csv", "--delimiter", ";", "--text", "møteplass")
    rows2 = list(csv.DictReader(io.StringIO(semicolon.stdout.lstrip("\ufeff")), delimiter=";"))
    assert [r["id"] for r in rows2] == [r["id"] for r in rows]


def test_markdown_has_a_table_per_level(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "markdown", "--age", "13", "--plan", "lier")
    assert "## Lier kommune" in result.stdout and "### Bra for alle" in result.stdout
    assert "| Tranby Fritidsklubb | 8.-10.trinn for Tranby skoles elever | 13-15 år (8.-10. trinn: trinn N = N+5 år" in result.stdout


def test_terminal_table_shows_labels_rules_and_marks(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--age", "13", env={"COLUMNS": "200"})
    assert result.code == 0
    out = result.stdout
    assert "Lier kommune" in out and "Bra for alle" in out and "Os kommune" in out
    assert "13-15 år (8.-10. trinn)" in out and "Aldersregler: trinn N = N+5 år" in out
    assert "†" in out and "utledet" in out  # Os levels are derived
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_exit_code_when_nothing_matches(cli):
    assert cli("query", str(PLANS), "--text", "finnes-ikke", "--exit-code").code == 1
    assert cli("query", str(PLANS), "--text", "finnes-ikke").code == 0
    assert cli("query", str(PLANS), "--age", "13", "--exit-code").code == 0


@pytest.mark.parametrize(("args", "accepted"), [
    (["--age", "tretten"], "whole number of years"),
    (["--age", "15-13"], "lower age first"),
    (["--grade", "14"], "grades run from 1 to 13"),
    (["--level", "everything"], "universal (universell, universelle"),
    (["--stage", "ungdom"], "pregnancy, newborn, barnehage, skolestart, sfo, barneskole, ungdomsskole, grunnskole, vgs, ettervern"),
    (["--audience", "kids"], "children, parents, pregnant, families, professionals"),
    (["--service", "xyz"], "ppt"),
    (["--format", "xml"], "text, json, csv, markdown"),
])
def test_malformed_filters_exit_2_and_list_what_is_accepted(cli, args, accepted):
    result = cli("query", str(PLANS), *args)
    assert result.code == 2
    assert accepted in result.stderr
    assert result.stdout == ""


def test_invalid_plan_stops_the_query(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("schema_version: 2\n", encoding="utf-8")
    result = cli("query", str(tmp_path / "bad.yaml"))
    assert result.code == 2 and "is not a valid plan" in result.stderr and "forebygging validate" in result.stderr


# -- Python API and show -----------------------------------------------------------


def test_python_api_gives_the_terminal_answers(cli):
    from forebygging_cli.query import Filters, select
    from forebygging_cli.repository import load_plans

    plans, problems = load_plans([str(PLANS)])
    assert problems == []
    api = [f"{m.plan.stem}:{m.measure.id}" for m in select(plans, Filters(ages=((13, 13),), levels=("indicated",)))]
    assert api == ids(query(cli, "--age", "13", "--level", "indicated"))


def test_show_prints_a_measure_in_full(cli):
    result = cli("--lang", "nb", "show", "ettervern", str(PLANS), env={"COLUMNS": "200"})
    assert result.code == 0
    out = result.stdout
    assert "Frivillig hjelpetiltak for ungdom fra 18 til 25 år" in out
    assert "18 til fylte 25 år" in out and "18-24 år †" in out and "Regel" in out
    assert f"«{LIER_TITLE}», 6.4 Nødvendig for enkelte – indikerte tiltak, linje 323" in out
    assert "Nødvendig for enkelte" in out and "(indicated)" not in out


def test_show_json_and_plan_prefix(cli):
    result = cli("show", "os:cos-p", str(PLANS), "--format", "json")
    [record] = json.loads(result.stdout)
    assert record["requires_decision"] == "varies" and record["level_derived"] is True
    assert record["group"] == "Ulike foreldreveiledningsprogram"


def test_show_unknown_id_suggests(cli):
    result = cli("show", "tranby-fritidsklub", str(PLANS))
    assert result.code == 2 and "did you mean 'tranby-fritidsklubb'" in result.stderr


def test_age_grade_and_stage_filters_combine_with_and(cli):
    both = names(query(cli, "--age", "13", "--stage", "pregnancy"))
    assert both == {"Tidlig inn"}  # "Det ufødte barnet, nyfødt, spedbarn, barn og unge"
    grade_8 = set(ids(query(cli, "--grade", "8")))
    assert ids(query(cli, "--age", "6", "--grade", "8")) == [i for i in ids(query(cli, "--age", "6")) if i in grade_8]


def test_python_api_normalises_words_like_the_terminal():
    from forebygging_cli.query import FilterError, Filters

    assert Filters(levels=("Nødvendig for enkelte",), stages=("gravide",)).levels == ("indicated",)
    assert Filters(stages=("gravide",)).stages == ("pregnancy",)
    with pytest.raises(FilterError):
        Filters(levels=("everything",))


def test_level_label_with_tiltak_is_accepted(cli):
    assert ids(query(cli, "--level", "Indikerte tiltak")) == ids(query(cli, "--level", "indicated"))


def test_a_draft_not_yet_adopted_can_still_be_queried(cli, tmp_path):
    text = (PLANS / "lier.yaml").read_text(encoding="utf-8")
    draft = text.replace('  adopted:\n    by: kommunestyret\n    date: "2024-06-12"\n    text: Godkjent av kommunestyret 12.6.2024\n', "")
    assert draft != text
    (tmp_path / "utkast.yaml").write_text(draft, encoding="utf-8")
    assert cli("validate", str(tmp_path / "utkast.yaml")).code == 1  # FB301
    result = cli("query", str(tmp_path / "utkast.yaml"), "--age", "13", "--format", "json")
    assert result.code == 0 and "Tranby Fritidsklubb" in names(json.loads(result.stdout))


def test_csv_has_every_record_key(cli):
    from forebygging_cli.render.csvout import COLUMNS
    from forebygging_cli.render.records import measure_record
    from forebygging_cli.query import Filters, select
    from forebygging_cli.repository import load_plans

    plans, _problems = load_plans([str(PLANS)])
    record = measure_record(select(plans, Filters())[0])
    # requires_decision's column shows the label, in the language of the run
    assert {key for key, _header in COLUMNS} == set(record) - {"requires_decision_label"}


def test_bad_delimiter_and_unknown_plan_in_show(cli):
    assert cli("query", str(PLANS), "--format", "csv", "--delimiter", '"').code == 2
    result = cli("show", "cos-p", str(PLANS), "--plan", "nope")
    assert result.code == 2 and "no such plan: nope" in result.stderr


def test_derived_mark_sits_on_the_derived_value_not_on_verbatim_text(bokmal):
    from forebygging_cli.query import Filters, select
    from forebygging_cli.render.text import target_words
    from forebygging_cli.repository import load_plans

    plans, _ = load_plans([str(PLANS / "lier.yaml")])
    by_id = {m.measure.id: m for m in select(plans, Filters())}
    # the plan's words are verbatim even where the audience behind them was inferred
    assert target_words(by_id["pp-tjenesten-observasjon-1-trinn"]) == "alle 1. trinn på de ulike skolene"
    # no words in the plan: the inferred audience is shown, and marked
    assert target_words(by_id["los"]) == "barn og unge †"


# -- behaviours a deliberate bug once slipped past --------------------------------------


def test_repeated_text_filters_combine_with_or(cli):
    one, other = names(query(cli, "--text", "fritidsklubb")), names(query(cli, "--text", "omsorgslønn"))
    assert one and other and not one & other
    assert names(query(cli, "--text", "fritidsklubb", "--text", "omsorgslønn")) == one | other


def test_unit_includes_its_sub_units(cli):
    # SAL-veiledere is part_of Forebyggende tjenester; neither name contains the other
    parent = names(query(cli, "--unit", "Forebyggende tjenester", "--plan", "lier"))
    child = names(query(cli, "--unit", "SAL-veiledere", "--plan", "lier"))
    assert child and child <= parent


def test_an_empty_unit_is_a_usage_error(cli):
    result = cli("query", str(PLANS), "--unit", " ")
    assert result.code == 2 and "--unit is empty" in result.stderr


@pytest.mark.parametrize(("word", "english"), [("foreldre", "parents"), ("foresatte", "parents"),
                                               ("ansatte", "professionals"), ("familier", "families"),
                                               ("gravide", "pregnant"), ("barn", "children"), ("unge", "children")])
def test_norwegian_audience_words(cli, word, english):
    assert ids(query(cli, "--audience", word)) == ids(query(cli, "--audience", english))


def test_grade_13_is_vg3_age_18(cli):
    assert ids(query(cli, "--grade", "13")) == ids(query(cli, "--age", "18"))
    assert "NAV i VGS" in names(query(cli, "--grade", "13"))


def test_one_year_is_printed_as_one_age(cli):
    markdown = cli("--lang", "nb", "query", str(PLANS), "--format", "markdown", "--plan", "lier", "--text", "Bli kjent").stdout
    assert "| 13 år (8. trinn: trinn N = N+5 år) |" in markdown
    assert "13-13" not in markdown


def test_ages_from_a_stage_are_not_ages_stated_in_years(cli):
    records = {r["name"]: r for r in query(cli, "--plan", "lier")}
    assert records["Trygg i vann"]["age_stated"] is False  # skolestartere: a stage
    assert records["Trygg i vann"]["age_rule"] == ["skolestartere = 5-6 år (begynner i 1. trinn det året de fyller 6)"]
    assert records["Sårbare gravide"]["age_stated"] is False  # gravide: a stage, not an age
    assert records["Ungdomshuset V2"]["age_stated"] is True  # "13-26 år"


def test_a_derived_responsible_unit_is_marked(cli):
    from forebygging_cli.load import build_plan, read_document

    lier = build_plan(read_document(str(PLANS / "lier.yaml")))
    measure = next(m for m in lier.measures if m.is_derived("responsible"))
    unit_names = ", ".join(lier.unit(u).name for u in measure.responsible)
    markdown = cli("--lang", "nb", "query", str(PLANS), "--plan", "lier", "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith(f"| {measure.name} |"))
    assert row.endswith(f"| {unit_names} † | `{measure.id}` |")


# -- show ---------------------------------------------------------------------------------


def show_rows(cli, *args: str) -> dict[str, str]:
    result = cli("--lang", "nb", "show", *args, str(PLANS), env={"COLUMNS": "300"})
    assert result.code == 0, result.output
    rows = {}
    for line in result.stdout.splitlines():
        label, _, value = line.strip().partition("  ")
        if label and value:
            rows.setdefault(label, value.strip())
    return rows


def test_show_marks_derived_values(cli):
    rows = show_rows(cli, "os:mst")
    assert rows["Nivå"].endswith("† utledet")


def test_show_has_the_decision_and_group_rows(cli):
    rows = show_rows(cli, "os:cos-p")
    assert rows["Krever vedtak"] == "Ja/nei"
    assert rows["Gruppe"] == "Ulike foreldreveiledningsprogram"
    assert "Gruppe" not in show_rows(cli, "os:omsorgslonn")


def test_text_finds_what_a_unit_does_by_the_units_name(cli):
    """Words also search the responsible units' names and aliases: every measure of Lier's child welfare
    service is found by `--text barnevern` (the service's name, in no measure's own words but one)."""
    by_unit = ids(query(cli, "--unit", "barneverntjenesten", "--plan", "lier"))
    by_text = ids(query(cli, "--text", "barnevern", "--plan", "lier"))
    assert len(by_unit) == 11 and set(by_unit) <= set(by_text)
    # an alias counts as the name does: Lier's PPT is "PP-tjenesten" with the alias "PPT"
    assert set(ids(query(cli, "--unit", "PPT"))) <= set(ids(query(cli, "--text", "ppt")))
    # every word must still occur: a unit's name does not make an unrelated word match
    assert not set(ids(query(cli, "--text", "barnevern fritidsklubb", "--plan", "lier"))) & set(by_unit)


# -- what a filter accepts, and what it says when it does not ----------------------------------------------

STAGE_LIST = "pregnancy, newborn, barnehage, skolestart, sfo, barneskole, ungdomsskole, grunnskole, vgs, ettervern"
SERVICE_LIST = ("barnehage, skole, kulturskole, helsestasjon, jordmor, ppt, barnevern, nav, kultur-fritid, folkehelse, "
                "helse-omsorg, koordinerende-enhet, psykisk-helse-rus, flyktning, lege, spesialisthelsetjeneste, "
                "politi, frivillig, annet")


@pytest.mark.parametrize(("args", "message"), [
    (["--grade", "14"], "--grade '14': grades run from 1 to 13, lower grade first"),
    (["--grade", "0"], "--grade '0': grades run from 1 to 13, lower grade first"),
    (["--grade", "10-8"], "--grade '10-8': grades run from 1 to 13, lower grade first"),
    (["--grade", "vg4"], "--grade 'vg4' is not a school grade; write 1 to 13 (vg1-vg3 are 11-13), or a range (8-10)"),
    (["--stage", "ungdomskole"], "--stage 'ungdomskole' is not a stage; did you mean ungdomsskole? The stages are: "
                                 + STAGE_LIST),
    (["--stage", "xyz"], "--stage 'xyz' is not a stage; use one of: " + STAGE_LIST),
    (["--level", "everything"], "--level 'everything' is not a prevention level; use universal (universell, "
                                "universelle, 'bra for alle'), selected (selektert, selekterte, selektiv, 'nyttig for "
                                "noen') or indicated (indikert, indikerte, indisert, 'nødvendig for enkelte')"),
    (["--audience", "kids"], "--audience 'kids' is not an audience; use one of: children, parents, pregnant, families, "
                             "professionals (or barn, foreldre, gravide, familier, ansatte)"),
    (["--service", "xyz"], "--service 'xyz' is not in the shared service vocabulary; use one of: " + SERVICE_LIST),
    (["--service", "helse"], "--service 'helse' is not in the shared service vocabulary; use one of: " + SERVICE_LIST),
    (["--plan", "nope"], "no such plan: nope; the plans are: lier, os"),
])
def test_a_filter_it_cannot_read_is_one_line_naming_the_value_and_what_it_takes(cli, args, message):
    """The whole line, as the user reads it: the value as typed, and every word the filter takes."""
    result = cli("--lang", "en", "query", str(PLANS), *args)
    assert (result.code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


@pytest.mark.parametrize(("text", "grades"), [
    ("8", (8, 8)), ("8.", (8, 8)), ("8. trinn", (8, 8)), ("8-10", (8, 10)), ("8–10", (8, 10)), (" 8 - 10 ", (8, 10)),
    ("8.-10. trinn", (8, 10)), ("1", (1, 1)), ("13", (13, 13)), ("vg1", (11, 11)), ("vg3", (13, 13)),
    ("VG1-VG3", (11, 13)), ("vg2-vg3", (12, 13)), ("10-vg1", (10, 11)), ("vg1-12", (11, 12)),
])
def test_the_grades_people_write(text, grades):
    from forebygging_cli.query import parse_grade

    assert parse_grade(text) == grades


@pytest.mark.parametrize(("args", "same_as"), [
    (["--grade", "vg1"], ["--age", "16"]), (["--grade", "8-10"], ["--grade", "8", "--grade", "9", "--grade", "10"]),
    (["--audience", "born"], ["--audience", "children"]), (["--audience", "føresette"], ["--audience", "parents"]),
    (["--audience", "Tilsette"], ["--audience", "professionals"]),
    (["--service", "barnev"], ["--service", "barnevern"]), (["--service", "pp"], ["--service", "ppt"]),
    (["--stage", "Ungdomsskulen"], ["--stage", "ungdomsskole"]), (["--stage", "gravide"], ["--stage", "pregnancy"]),
    (["--level", "Nødvendig for enkelte"], ["--level", "indicated"]), (["--level", "selektiv"], ["--level", "selected"]),
])
def test_the_words_a_filter_takes_answer_as_its_own_name_does(cli, args, same_as):
    """A nynorsk word, a unique prefix of a service, a grade and its age: each finds what the plain form finds."""
    found = ids(query(cli, *args))
    assert found and found == ids(query(cli, *same_as))


def test_the_counts_are_the_measures_per_plan_and_level(cli):
    for args in ([], ["--age", "13"], ["--level", "indicated", "--text", "foreldre"]):
        result = cli("query", str(PLANS), "--count", "--format", "json", *args)
        assert result.code == 0, result.output
        counted = {(row["plan"], level): row[level] for row in json.loads(result.stdout) for level in
                   ("universal", "selected", "indicated")}
        expected: dict[tuple[str, str], int] = {}
        for record in query(cli, *args):
            expected[record["plan"], record["level"]] = expected.get((record["plan"], record["level"]), 0) + 1
        assert {key: n for key, n in counted.items() if n} == expected
        assert {row["plan"]: row["total"] for row in json.loads(result.stdout)} == \
            {plan: sum(n for (p, _level), n in expected.items() if p == plan) for plan, _level in expected}


def test_two_plans_of_one_file_name_are_named_by_their_paths(cli, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "lier.yaml").write_text((PLANS / "lier.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    first, second = str(tmp_path / "a" / "lier.yaml"), str(tmp_path / "b" / "lier.yaml")
    paths = [first, second, str(PLANS / "os.yaml")]
    result = cli("--lang", "en", "query", *paths, "--plan", "lier")
    assert (result.code, result.stderr) == (2, f"error: --plan lier is ambiguous: {first} and {second} both have the "
                                                f"file name lier; name the file instead (--plan {first})\n")
    result = cli("--lang", "en", "query", *paths, "--plan", "nope")
    assert result.stderr == f"error: no such plan: nope; the plans are: {first}, {second}, os\n"
    result = cli("query", *paths, "--plan", second, "--format", "json")
    assert result.code == 0 and {record["path"] for record in json.loads(result.stdout)} == {second}


def test_every_audience_word_is_taken_as_written():
    """AUDIENCE_WORDS is looked up in its written form (fold_words): each of its words, in any case, is taken."""
    from forebygging_cli.query import parse_audience
    from forebygging_cli.vocab import AUDIENCE_WORDS

    for word, audience in AUDIENCE_WORDS.items():
        assert parse_audience(word.upper()) == audience, word


@pytest.mark.parametrize(("text", "years"), [
    ("13", (13, 13)), ("13-15", (13, 15)), ("13–15", (13, 15)), (" 13 - 15 ", (13, 15)), ("13 år", (13, 13)),
    ("13 ÅR", (13, 13)), ("13 Years", (13, 13)), ("1 year", (1, 1)), ("13-", (13, 120)), ("13+", (13, 120)),
    ("0", (0, 0)), ("120", (120, 120)),
])
def test_the_ages_people_write(text, years):
    from forebygging_cli.query import parse_age

    assert parse_age(text) == years


@pytest.mark.parametrize(("value", "message"), [
    ("13+15", "--age '13+15' is not an age; write a whole number of years (13), a range (13-15), or 13- for 13 and "
              "older"),
    ("tretten", "--age 'tretten' is not an age; write a whole number of years (13), a range (13-15), or 13- for 13 "
                "and older"),
    ("15-13", "--age '15-13' ends before it starts; write the lower age first (13-15)"),
    ("121", "--age '121' is not a plausible age; ages run from 0 to 120"),
])
def test_an_age_it_cannot_read_is_one_line_naming_the_value(cli, value, message):
    result = cli("--lang", "en", "query", str(PLANS), "--age", value)
    assert (result.code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_a_unit_brings_its_sub_units_and_theirs():
    """--unit takes a unit with every unit under it, however deep (a service, its department, its team)."""
    from types import SimpleNamespace

    from forebygging_cli.query import matching_units

    def unit(ident: str, part_of: str | None = None) -> SimpleNamespace:
        return SimpleNamespace(id=ident, name=ident.capitalize(), aliases=(), part_of=part_of)

    plan = SimpleNamespace(units=[unit("team", "avdeling"), unit("avdeling", "tjeneste"), unit("tjeneste"),
                                  unit("annen"), unit("gruppe", "team")])
    assert matching_units(plan, ["tjeneste"]) == {"tjeneste", "avdeling", "team", "gruppe"}
    assert matching_units(plan, ["avdeling"]) == {"avdeling", "team", "gruppe"}
    assert matching_units(plan, ["annen"]) == {"annen"}


def test_the_facts_of_a_plan_are_its_own_values():
    """query.facts (what the store keeps of a plan) holds each value the Plan holds, field by field."""
    from forebygging_cli.query import facts, search_text
    from forebygging_cli.repository import load_plans
    from forebygging_cli.vocab import LEVELS

    from conftest import FIXTURES

    plans, problems = load_plans([str(PLANS), str(FIXTURES / "fjellvik.yaml")], use_cache=False)
    assert not problems and len(plans) == 3  # Fjellvik's adoption has a case number
    for plan in plans:
        found = facts(plan)
        assert (found.stem, found.path, found.municipality, found.title, found.language, found.period) == \
            (plan.stem, plan.path, plan.municipality, plan.title, plan.language, plan.period)
        if plan.adopted is None:
            assert found.adopted is None
        else:
            assert (found.adopted.by, found.adopted.date, found.adopted.case_number) == \
                (plan.adopted.by, plan.adopted.date, plan.adopted.case_number)
        assert [found.level_label(level) for level in LEVELS] == [plan.level_label(level) for level in LEVELS]
        assert [(u.id, u.name, u.service, u.aliases, u.part_of, u.external, u.derived) for u in found.units] == \
            [(u.id, u.name, u.service, u.aliases, u.part_of, u.external, u.derived) for u in plan.units]
        assert [(m.id, m.name, m.level, m.audience, m.span, m.text, m.responsible, m.index, m.services, m.group,
                 m.requires_decision, m.source_line, m.derived, m.age_derived) for m in found.measures] == \
            [(m.id, m.name, m.level, m.target.audience, m.target.span, m.target.text, m.responsible, m.index,
              tuple(sorted(plan.services(m))), m.group, m.requires_decision, m.source_line, m.derived,
              m.age_derived) for m in plan.measures]
        assert [found.services(m) for m in found.measures] == [plan.services(m) for m in plan.measures]
        assert found.texts == tuple(search_text(plan, m) for m in plan.measures)
        assert facts(plan, texts=False).texts is None
    # the values that tell a field from its neighbour's are there to be compared
    assert any(plan.adopted is not None and plan.adopted.case_number for plan in plans)
    assert any(plan.period for plan in plans)
    assert any(u.part_of for plan in plans for u in plan.units) and any(u.derived for plan in plans for u in plan.units)
    assert any(m.group for plan in plans for m in plan.measures)
    assert any(m.requires_decision for plan in plans for m in plan.measures)


@pytest.mark.parametrize("sort", ["name", "level", "age"])
def test_each_order_sorts_within_each_plan_and_keeps_the_plans_order(cli, sort):
    from forebygging_cli.vocab import LEVELS, fold

    unsorted = query(cli)
    records = query(cli, "--sort", sort)
    assert sorted(ids(records)) == sorted(ids(unsorted))
    plans = list(dict.fromkeys(r["plan"] for r in unsorted))
    assert list(dict.fromkeys(r["plan"] for r in records)) == plans
    position = {(r["plan"], r["id"]): number for number, r in enumerate(unsorted)}

    def key(r: dict) -> tuple:
        if sort == "name":
            return (fold(r["name"]),)
        if sort == "level":
            return LEVELS.index(r["level"]), position[r["plan"], r["id"]]
        unknown = r["age_min"] is None and not r["prenatal"]
        return (unknown, not r["prenatal"], 999 if r["age_min"] is None else r["age_min"],
                999 if r["age_max"] is None else r["age_max"], fold(r["name"]))

    for plan in plans:
        rows = [r for r in records if r["plan"] == plan]
        assert [key(r) for r in rows] == sorted(key(r) for r in rows), (plan, sort)
    assert records != unsorted  # the order did change
    if sort == "age":  # pregnancy first, no stated age last
        lier = [r for r in records if r["plan"] == "lier"]
        assert lier[0]["prenatal"] and lier[-1]["age_min"] is None and not lier[-1]["prenatal"]


@pytest.mark.parametrize(("text", "terms"), [
    ('foreldre "de skulle"', ["foreldre", "de skulle"]), ("Barn  Unge", ["barn", "unge"]),
    ('foreldre "de skulle', ["foreldre", "de", "skulle"]), ("barn's tid", ["barn", "s", "tid"]),
    ("'", []),
])
def test_the_words_of_a_text_search(text, terms):
    """Words fold; a quoted phrase stays a phrase; an unbalanced quote leaves the words as they are."""
    from forebygging_cli.query import search_terms

    assert search_terms(text) == terms


def test_a_word_of_a_responsible_units_name_finds_its_measures(cli):
    """--text also searches the names of the units responsible: a word that stands only in a unit's name
    finds the measures that unit is responsible for."""
    from forebygging_cli.repository import load_plans

    plans, _problems = load_plans([str(PLANS / "lier.yaml")], use_cache=False)
    [plan] = plans
    unit = next(u for u in plan.units if any(u.id in m.responsible for m in plan.measures)
                and " " not in u.name.strip() and not any(u.name.lower() in (m.name + m.description + (m.target.text
                or "") + (m.group or "")).lower() for m in plan.measures))
    expected = sorted(f"lier:{m.id}" for m in plan.measures if unit.id in m.responsible)
    found = sorted(ids(query(cli, "--plan", "lier", "--text", unit.name)))
    assert expected and set(expected) <= set(found)


@pytest.mark.parametrize(("word", "sort"), [("navn", "name"), ("Nivå", "level"), ("alder", "age"), ("NAME", "name")])
def test_the_orders_have_norwegian_names(cli, word, sort):
    assert ids(query(cli, "--sort", word)) == ids(query(cli, "--sort", sort))


def test_an_order_it_does_not_know_is_one_line_naming_the_orders(cli):
    result = cli("--lang", "en", "query", str(PLANS), "--sort", "xyz")
    assert (result.code, result.stdout, result.stderr) == (2, "", "error: --sort 'xyz': sort by one of: plan, name, "
                                                                  "level, age\n")


def test_the_python_api_counts_what_an_age_filter_leaves_out_from_the_plan_files():
    """search() over Plans and over their facts (as the store gives them), several plans at once: an age filter
    leaves out exactly the measures whose plan file states no age (plan_ages.py reads them from the YAML), and
    --include-unknown-age brings them back marked; a plans filter keeps that plan's measures."""
    from plan_ages import NO_AGE, expected_bands, read_plan

    from forebygging_cli.query import Filters, facts, search
    from forebygging_cli.repository import load_plans

    plans, _problems = load_plans([str(PLANS)], use_cache=False)
    unknown = sorted(f"{plan.stem}:{m['id']}" for plan in plans for m in read_plan(PLANS / f"{plan.stem}.yaml")["measures"]
                     if expected_bands(m["target"]) == [NO_AGE])
    assert unknown
    for given in (plans, [facts(plan) for plan in plans]):
        left = search(given, Filters(ages=((13, 13),)))
        assert left.left_out == len(unknown)
        assert not any(m.age_unknown for m in left.matches)
        marked = search(given, Filters(ages=((13, 13),), include_unknown_age=True))
        assert marked.left_out == 0
        assert sorted(f"{m.plan.stem}:{m.measure.id}" for m in marked.matches if m.age_unknown) == unknown
        assert len(marked.matches) == len(left.matches) + len(unknown)
        everything = search(given)
        assert len(everything.matches) == sum(len(plan.measures) for plan in plans) == 114
        assert {m.plan.stem for m in everything.matches} == {"lier", "os"}
        only_os = search(given, Filters(plans=("os",)))
        assert only_os.left_out == 0  # a plan not chosen leaves nothing out: it is not searched
        assert [m.measure.id for m in only_os.matches] == [m.measure.id for m in everything.matches
                                                          if m.plan.stem == "os"]


def test_facts_made_without_the_texts_cannot_answer_a_text_search():
    from forebygging_cli.query import Filters, facts, find
    from forebygging_cli.repository import load_plans

    plans, _problems = load_plans([str(PLANS / "os.yaml")], use_cache=False)
    with pytest.raises(ValueError, match="^the facts of this plan were worked out without the texts --text "
                                         "searches$"):
        find(facts(plans[0], texts=False), Filters(texts=("foreldre",)))
    assert find(facts(plans[0], texts=False), Filters(levels=("indicated",)))[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", ""], "--unit is empty; give a unit's name, alias or id (PPT, helsestasjon)"),
    (["--text", " "], "--text is empty; give the words to look for"),
])
def test_an_empty_unit_or_text_is_one_line_saying_what_to_give(cli, args, message):
    result = cli("--lang", "en", "query", str(PLANS), *args)
    assert (result.code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


@pytest.mark.parametrize(("given", "message"), [
    ({"ages": ((15, 13),)}, "age range 15-13: write the lower age first, from 0"),
    ({"grades": ((10, 8),)}, "grade range 10-8: grades run from 1 to 13, lower grade first"),
    ({"grades": ((0, 3),)}, "grade range 0-3: grades run from 1 to 13, lower grade first"),
])
def test_the_python_api_refuses_a_range_in_words(given, message):
    from forebygging_cli import i18n
    from forebygging_cli.query import FilterError, Filters

    i18n.activate("en")
    with pytest.raises(FilterError) as refused:
        Filters(**given)
    assert str(refused.value) == message


def test_an_age_with_no_upper_bound_sorts_by_its_lower_one(cli, tmp_path):
    """A measure for "16 and older" (ages from 16, no upper bound) sorts among the others by age, after those
    that start younger, and before those that state no age."""
    import yaml
    from plan_ages import read_plan

    data = read_plan(PLANS / "lier.yaml")
    measure = next(m for m in data["measures"] if "ages" in m["target"])
    measure["target"] = {**{k: v for k, v in measure["target"].items() if k not in ("grades", "stages")},
                         "ages": {"from": 16}}
    path = tmp_path / "plans" / "lier.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("--lang", "nb", "query", str(path), "--sort", "age", "--format", "json")
    assert result.code == 0, result.output
    records = json.loads(result.stdout)
    position = next(number for number, r in enumerate(records) if r["id"] == measure["id"])
    assert records[position]["age_min"] == 16 and records[position]["age_max"] is None
    known = [r for r in records if r["age_min"] is not None and not r["prenatal"]]
    assert all(r["age_min"] <= 16 for r in known[:known.index(records[position])])
    assert all(r["age_min"] >= 16 for r in known[known.index(records[position]) + 1:])
    assert all(r["age_min"] is not None or r["prenatal"] for r in records[:position])


def test_a_unit_no_plan_has_is_named_even_after_one_that_is_found(cli):
    """Each --unit is checked on its own: a known one before it does not hide an unknown one."""
    result = cli("--lang", "en", "query", str(PLANS), "--unit", "PPT", "--unit", "helsestasjonn")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == ("error: no unit called 'helsestasjonn' in lier, os; the closest are: Helsestasjonen, "
                             "Helsestasjon, Helsetjenesten; `forebygging units` lists them\n")
