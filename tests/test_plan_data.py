"""The plan files against their sources: every measure is there, counted per
level, every name and description is in the source text, every source line
points at its row, and hand-checked values match what the plans say.

The source texts are read from ../shared/seeds/; without them the source
checks are skipped with a reason (counts and spot values still run).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import PLANS, seed_text, squash
from forebygging_cli.load import build_plan, read_document


@pytest.fixture(scope="module")
def lier():
    return build_plan(read_document(str(PLANS / "lier.yaml")))


@pytest.fixture(scope="module")
def os_plan():
    return build_plan(read_document(str(PLANS / "os.yaml")))


def plan_of(stem, lier, os_plan):
    return {"lier": lier, "os": os_plan}[stem]


def only(plan, name, **where):
    """The one measure called `name` (and matching `where`, e.g. level=...)."""
    found = [m for m in plan.measures if m.name == name and all(getattr(m, k) == v for k, v in where.items())]
    assert len(found) == 1, f"{len(found)} measures named {name!r} {where} in {plan.stem}"
    return found[0]


def services(plan, measure):
    return {plan.unit(u).service for u in measure.responsible}


# -- counts ---------------------------------------------------------------------


def test_lier_has_all_76_measures_by_level(lier):
    assert len(lier.measures) == 76
    assert Counter(m.level for m in lier.measures) == {"universal": 30, "selected": 21, "indicated": 25}


def test_os_has_all_38_measures(os_plan):
    assert len(os_plan.measures) == 38


def test_os_rows_with_several_providers_become_one_measure_each(os_plan):
    groups = Counter(m.group for m in os_plan.measures if m.group)
    assert groups == {"Råd og veiledning": 3, "Ulike foreldreveiledningsprogram": 7}


def test_os_measures_come_from_the_31_named_rows(os_plan):
    """Lines that start with a tab hold another programme or provider of the row above."""
    lines = seed_text("os").splitlines()
    named_rows = {m.source_line for m in os_plan.measures if not lines[m.source_line - 1].startswith("\t")}
    assert len(named_rows) == 31


def test_os_levels_are_all_marked_derived_and_lier_levels_never(lier, os_plan):
    assert all(m.is_derived("level") for m in os_plan.measures)
    assert not any(m.is_derived("level") for m in lier.measures)


def test_ids_are_unique_slugs(lier, os_plan):
    for plan in (lier, os_plan):
        ids = [m.id for m in plan.measures]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


# -- against the source text ------------------------------------------------------


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_name_occurs_in_the_source(stem, lier, os_plan):
    source = squash(seed_text(stem))
    missing = [m.name for m in plan_of(stem, lier, os_plan).measures if squash(m.name) not in source]
    assert missing == []


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", squash(text).casefold())


def _in_order(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(word == other for other in it) for word in needle)


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_description_is_verbatim_from_its_source_row(stem, lier, os_plan):
    """The description's words stand, in order, in the source row it cites (cells
    of a continued row are interleaved in the text, so contiguity is not required)."""
    lines = seed_text(stem).splitlines()
    plan = plan_of(stem, lier, os_plan)
    wrong = []
    for measure in plan.measures:
        row = " ".join(lines[measure.source_line - 1 : measure.source_line + 3])
        if not _in_order(_tokens(measure.description), _tokens(row)):
            wrong.append(measure.id)
    assert wrong == []


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_target_text_is_verbatim(stem, lier, os_plan):
    source = squash(seed_text(stem))
    wrong = [m.id for m in plan_of(stem, lier, os_plan).measures
             if m.target.text and squash(m.target.text) not in source]
    assert wrong == []


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_source_line_points_at_the_measures_row(stem, lier, os_plan):
    lines = seed_text(stem).splitlines()
    wrong = []
    for measure in plan_of(stem, lier, os_plan).measures:
        line = lines[measure.source_line - 1]
        named_here = measure.name.casefold() in line.casefold()
        in_group_row = measure.group is not None and line.startswith("\t") or (
            measure.group is not None and measure.group in line
        )
        if not (named_here or in_group_row):
            wrong.append((measure.id, measure.source_line))
    assert wrong == []


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_no_extraction_debris_in_texts(stem, lier, os_plan):
    for measure in plan_of(stem, lier, os_plan).measures:
        for text in (measure.name, measure.description, measure.target.text or "", measure.responsible_text or ""):
            assert not re.search(r"</?(p|i|b|li|ul)\b", text), (measure.id, text)
            assert "\t" not in text and "  " not in text, (measure.id, text)


def test_os_requires_decision_matches_the_kreve_vedtak_column(os_plan):
    """Every Os row's KREVER VEDTAK cell (Ja/Nei/Ja/nei), in source order, equals the encoded value."""
    lines = seed_text("os").splitlines()
    expected = {"Ja": "yes", "Nei": "no", "Ja/nei": "varies"}
    for measure in os_plan.measures:
        cells = lines[measure.source_line - 1].split("\t")
        assert expected[cells[2].strip()] == measure.requires_decision, measure.id


# -- hand-checked spot values (each checked by reading the source text) -----------


def span(measure):
    s = measure.target.span
    return (s.low, s.high)


def test_lier_plan_metadata(lier):
    assert lier.municipality == "Lier kommune"
    assert (lier.adopted.by, lier.adopted.date) == ("kommunestyret", "2024-06-12")  # "Godkjent av kommunestyret 12.6.2024"
    assert lier.level_label("universal") == "Bra for alle"
    assert lier.level_label("selected") == "Nyttig for noen"
    assert lier.level_label("indicated") == "Nødvendig for enkelte"
    assert lier.period is None  # the plan states no period
    assert all(m.requires_decision is None for m in lier.measures)  # Lier has no KREVER VEDTAK column


def test_lier_ungdomshuset_v2_is_13_to_26(lier):
    m = only(lier, "Ungdomshuset V2")  # "Gratis fritidstilbud, 13-26 år."
    assert (m.level, span(m), m.target.span.stated) == ("universal", (13, 26), True)
    assert services(lier, m) == {"kultur-fritid"}


def test_lier_tranby_fritidsklubb_grades_8_to_10_are_ages_13_to_15(lier):
    m = only(lier, "Tranby Fritidsklubb")  # "8.-10.trinn for Tranby skoles elever."
    assert m.target.grades == (8, 10)
    assert span(m) == (13, 15)
    assert m.target.span.rules == ("8.-10. trinn = 13-15 år (trinn N = N+5 år)",)
    assert m.staffing == "to voksne på jobb hver gang"


def test_lier_grade_rows(lier):
    assert span(only(lier, "Åpen møteplass Tranby")) == (10, 12)  # 5.-7.trinn
    assert span(only(lier, "Futsal Hegg skole")) == (11, 12)  # 6.-7.trinn
    assert span(only(lier, "Friluftsliv for 5. trinn")) == (10, 10)
    assert span(only(lier, "Stressmestring")) == (15, 15)  # 10. trinn
    assert span(only(lier, "Ferieaktiviteter")) == (6, 15)  # 1-10 trinn


def test_lier_trygg_i_vann_is_for_school_starters(lier):
    m = only(lier, "Trygg i vann")  # "svømmeopplæring til skolestartere"
    assert m.target.stages == ("skolestart",)
    assert services(lier, m) == {"folkehelse"}  # Samfunnsmedisinsk enhet


def test_lier_sfo_workshop_is_for_staff_of_sfo_age_children(lier):
    m = only(lier, "Workshop for SFO ansatte")
    assert m.target.audience == ("professionals",)
    assert span(m) == (6, 9)


def test_lier_helsestasjon_for_ungdom(lier):
    m = only(lier, "Helsestasjon for ungdom")  # "Drop-in tilbud, Helsestasjon for ungdom 13-26"
    assert span(m) == (13, 26)
    assert services(lier, m) == {"helsestasjon"}


def test_lier_ettervern_ends_at_24(lier):
    m = only(lier, "Ettervern")  # "for ungdom fra 18 til 25 år" = til fylte 25
    assert (m.level, span(m), m.target.ages_until) == ("indicated", (18, 24), 25)
    assert m.is_derived("target.ages")
    assert services(lier, m) == {"barnevern"}


def test_lier_saarbare_gravide_is_pregnancy_not_age_zero(lier):
    m = only(lier, "Sårbare gravide")
    assert m.level == "selected"
    assert m.target.span.prenatal and m.target.span.low is None
    assert "pregnant" in m.target.audience


def test_lier_responsible_units(lier):
    assert services(lier, only(lier, "LOS")) == {"ppt"}  # "PPT v/ Sissel Østberg"
    assert services(lier, only(lier, "Mobbeombudet")) == {"ppt", "helsestasjon"}
    assert services(lier, only(lier, "Ressursteam for barnehagene og skolene")) == {
        "barnehage", "skole", "helsestasjon", "barnevern", "ppt"}
    assert services(lier, only(lier, "Gjeldsrådgiver")) == {"nav"}
    ip = [m for m in lier.measures if m.name == "IP koordinator"]
    assert len(ip) == 2 and len({m.id for m in ip}) == 2  # same name, two rows, two ids


def test_lier_merged_name_cells_share_a_group(lier):
    pp = [m for m in lier.measures if m.name == "PP-tjenesten; tidlig innsats og forebyggende arbeid"]
    assert len(pp) == 3 and {m.group for m in pp} == {"PP-tjenesten; tidlig innsats og forebyggende arbeid"}


def test_os_plan_metadata(os_plan):
    assert os_plan.municipality == "Os kommune"
    assert os_plan.period == (2023, 2028)  # "Oppvekstreform 2023-2028"
    assert os_plan.adopted is None  # the document does not say when (or that) kommunestyret adopted it
    assert dict(os_plan.level_labels) == {}
    assert [g.title for g in os_plan.goals] == ["Tidlig innsats til barn og unge", "Trygge foreldrene i foreldrerollen"]
    assert [len(g.sub_goals) for g in os_plan.goals] == [5, 3]
    assert len(os_plan.risk_and_protective_factors) == 3


def test_os_kreve_vedtak_spot_values(os_plan):
    assert only(os_plan, "Omsorgslønn").requires_decision == "yes"
    assert only(os_plan, "Treffpunkt").requires_decision == "no"
    assert only(os_plan, "COS P").requires_decision == "varies"  # "Ja/nei"
    assert only(os_plan, "Familieråd").requires_decision == "yes"
    assert only(os_plan, "Aktivitetskort").requires_decision == "no"


def test_os_programme_ages(os_plan):
    assert span(only(os_plan, "PMTO")) == (3, 12)  # "foreldre til barn mellom 3 og 12 år"
    assert span(only(os_plan, "FFT")) == (11, 18)  # "ungdom mellom 11 og 18 år"
    assert span(only(os_plan, "ICDP")) == (0, 18)  # "barn i alderen 0 – 18 år"
    assert span(only(os_plan, "Aktivitetskort")) == (2, 18)  # "fra 2-18 år"
    assert only(os_plan, "MST").target.span.known is False  # "ungdom": no age stated


def test_os_pregnancy_and_school(os_plan):
    kurs = only(os_plan, "Fødselsforberedende kurs")  # "Gravide med partner"
    assert kurs.target.span.prenatal and "pregnant" in kurs.target.audience
    skole = only(os_plan, "Skolehelsetjeneste")  # "Alle barn og unge i grunnskolen"
    assert skole.target.stages == ("grunnskole",) and span(skole) == (6, 15)


def test_os_raad_og_veiledning_has_three_providers(os_plan):
    rows = [m for m in os_plan.measures if m.group == "Råd og veiledning"]
    assert [services(os_plan, m) for m in rows] == [{"helsestasjon"}, {"ppt"}, {"barnevern"}]


def test_os_nav_row(os_plan):
    m = only(os_plan, "Tjenesten opplysning, råd og veiledning")
    assert services(os_plan, m) == {"nav"} and m.requires_decision == "yes"


def test_os_pyc_is_kept_cut_off_as_in_the_source(os_plan):
    assert only(os_plan, "PYC").description.endswith("Fordi programmet er konkret egner det seg")
