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


def joined_cells(stem: str) -> list[str]:
    """Every table cell of the source with its continuation joined on: a line that
    starts with a tab belongs to the row above (blank lines between them do not
    count), and each of its cells is appended, with one space, to the cell in the
    same column (Lier TAN, line 273 + 275: "... som de skulle" + "ønske i dagens ...")."""
    cells: list[str] = []
    row: list[str] | None = None
    for line in seed_text(stem).splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        if line.startswith("\t") and row is not None:
            for i, part in enumerate(parts):
                if i < len(row):
                    row[i] = f"{row[i]} {part}"
            cells.extend(squash(c) for c in row)
        elif len(parts) > 1:
            row = parts
            cells.extend(squash(c) for c in row)
        else:
            row = None
    return cells


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_target_text_is_verbatim(stem, lier, os_plan):
    """In the source text as it stands, or in one cell of a row that continues on a later line."""
    source = squash(seed_text(stem))
    cells = joined_cells(stem)
    wrong = [m.id for m in plan_of(stem, lier, os_plan).measures
             if m.target.text and squash(m.target.text) not in source
             and not any(squash(m.target.text) in cell for cell in cells)]
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
    assert m.target.span.rules == (("grades", 8, 10),)  # shown as "8.-10. trinn = 13-15 år (trinn N = N+5 år)"
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


# -- fidelity fixes from the audit against the source texts --------------------------


def by_id(plan, measure_id):
    found = [m for m in plan.measures if m.id == measure_id]
    assert len(found) == 1, f"{len(found)} measures with id {measure_id!r} in {plan.stem}"
    return found[0]


def seed_line(stem: str, number: int) -> str:
    return seed_text(stem).splitlines()[number - 1]


def plain(text: str) -> str:
    """`squash` plus the markdown of the extraction: heading marks (#), emphasis
    stars (*, **) and "- " list bullets at the start of a line; a heading's
    trailing colon goes too. This is the debris the encoders remove (docs/encoding.md)."""
    lines = [re.sub(r"^\s*(#+|-)\s+", "", line) for line in text.splitlines()]
    return squash(" ".join(lines).replace("*", ""))


def plain_lines(stem: str, first: int, last: int) -> str:
    return plain("\n".join(seed_text(stem).splitlines()[first - 1 : last]))


def raw(stem: str) -> dict:
    return read_document(str(PLANS / f"{stem}.yaml")).data


def test_lier_tan_target_is_the_whole_sentence_across_the_row_break(lier):
    m = only(lier, "Trygg av natur (TAN): naturskole")  # line 273 continues on line 275
    assert m.target.text.endswith("derfor ønsker seg en endring i hverdagen")
    assert m.target.text.startswith("elever i 6.-7. og 8.-10. trinn")
    assert seed_line("lier", 273).rstrip().split("\t")[1].endswith("som de skulle")
    assert "ønske i dagens situasjon, og derfor ønsker seg en endring i hverdagen" in squash(seed_line("lier", 275))
    assert squash(m.target.text) in squash(m.description)
    assert any(squash(m.target.text) in cell for cell in joined_cells("lier"))


@pytest.mark.parametrize(("stem", "measure_id", "field", "derived", "evidence", "line"), [
    # "Foreldreveiledningskurs (ICDP og CosP)": parents only from the course name (as Os COS P)
    ("lier", "foreldreveiledningskurs-helsetjenesten", "target.audience", True, "Foreldreveiledningskurs (ICDP og CosP)", 258),
    # PPT "Bistår skoler og barnehager": professionals inferred from the schools and kindergartens named
    ("os", "rad-og-veiledning-ppt", "target.audience", True, "Bistår skoler og barnehager", 235),
    # "ungdom 13-26" without "år"
    ("lier", "helsestasjon-for-ungdom", "target.ages", True, "Helsestasjon for ungdom 13-26", 262),
    # "tildeles barnet plass" names the child: read, not inferred
    ("lier", "mottaksbarnehage-dambratan", "target.audience", False, "tildeles barnet plass", 284),
])
def test_derived_marks_follow_what_the_row_says(stem, measure_id, field, derived, evidence, line, lier, os_plan):
    m = by_id(plan_of(stem, lier, os_plan), measure_id)
    assert m.source_line == line
    assert evidence in squash(seed_line(stem, line))
    assert m.is_derived(field) is derived
    assert m.encoder_note


def test_lier_ungdom_13_26_has_no_unit_in_the_row(lier):
    assert re.search(r"ungdom 13-26\s*\t", seed_line("lier", 262))  # the number range ends the cell: no "år"
    assert span(only(lier, "Helsestasjon for ungdom")) == (13, 26)


def test_lier_fact_ung_ages_are_the_stated_12_to_18(lier):
    m = only(lier, "Fact Ung")
    section = squash(seed_line("lier", 153))
    assert "barn og unge mellom 12 – 18 år, men med en mulig oppfølging frem til fylte 25 år" in section
    assert (m.target.ages, m.target.ages_until, span(m)) == ((12, 18), None, (12, 18))
    assert m.is_derived("target.ages")  # the row itself states no age; 4.5 does
    assert "fylte 25" in m.encoder_note and "153" in m.encoder_note


#: Words that place a measure in school or among its pupils (docs/encoding.md, `target.stages`). Compounds
#: such as "naturskole", "uteskole", "kulturskole" and "leirskole" name activities, not the school stage.
SCHOOL_WORDS = re.compile(r"\b(skole|skolen|skoler|skolene|lierskolen|nærskolen|skolegangen|skolevei|skolefravær|"
                          r"skoleløpet|elev|eleven|elever|elevene|elevers)\b", re.I)
#: rows that speak of school without being school measures, each with the reason
NOT_SCHOOL_ROWS = {
    # "helsetjenesten for barn og unge/skole/barnehage/PPT": "skole" names one of the services whose staff the
    # measure is for, next to services for every age, not a stage of the children
    ("lier", "samarbeid-med-utovende-virksomheter"),
    # "bedre ungdommens oppførsel ... hjemme, på skolen og i nærmiljøet": the school is one of the places where
    # the family treatment should show, not where or for whom the measure is given
    ("os", "mst"),
}
OTHER_SCHOOL_STAGES = {"barneskole", "ungdomsskole", "vgs", "sfo", "skolestart"}


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_rows_that_only_say_skole_all_read_it_as_grunnskole(stem, lier, os_plan):
    """A row whose name or description speaks of the school or its pupils, without grades or another school
    stage, gets grunnskole, marked derived where the row does not say "grunnskole" (Lier Velkomstklassen
    Høvik skole: "elever", "skolegangen på nærskolen sin"; Hjertesone: "trygg og aktiv skolevei")."""
    plan = plan_of(stem, lier, os_plan)
    school_rows = [m for m in plan.measures
                   if SCHOOL_WORDS.search(f"{m.name} {m.description}") and (stem, m.id) not in NOT_SCHOOL_ROWS
                   and m.target.grades is None and not OTHER_SCHOOL_STAGES & set(m.target.stages)]
    assert school_rows
    assert [m.id for m in school_rows if "grunnskole" not in m.target.stages] == []
    for m in plan.measures:
        if "grunnskole" in m.target.stages and "grunnskole" not in f"{m.name} {m.description}".casefold():
            assert m.is_derived("target.stages") and "grunnskole" in m.encoder_note, m.id
    assert {(stem, m.id) for m in plan.measures} >= {r for r in NOT_SCHOOL_ROWS if r[0] == stem}


def test_school_rows_found_by_the_third_audit(lier):
    velkomst = by_id(lier, "velkomstklassen-hovik-skole")
    assert "Velkomstklassen Høvik skole" in seed_line("lier", velkomst.source_line)
    assert "skolegangen på nærskolen sin" in seed_line("lier", velkomst.source_line)
    for measure_id in ("los", "pp-tjenesten-skolefravaer", "velkomstklassen-hovik-skole", "hjertesone",
                       "pp-tjenesten-kartlegging"):
        m = by_id(lier, measure_id)
        assert m.target.stages == ("grunnskole",) and span(m) == (6, 15), measure_id


def test_lier_hvordan_ta_vare_paa_seg_selv_is_one_measure_with_both_kinds_of_group(lier):
    m = only(lier, "«Hvordan ta vare på seg selv»")  # one row, one name, one provider, line 263
    assert m.source_line == 263
    assert [x.source_line for x in lier.measures].count(263) == 1
    assert m.target.text == "3.klassegrupper Ulike andre gruppetilbud i skolen (jentegrupper, mestringsgrupper osv.)"
    assert squash(m.target.text) in squash(seed_line("lier", 263))
    assert m.target.grades == (3, 3) and m.target.stages == ("grunnskole",)
    assert m.is_derived("target.stages") and not m.is_derived("target.grades")
    assert span(m) == (6, 15)
    assert "Ulike andre gruppetilbud" in m.encoder_note


# unit id -> are its aliases marked derived? (every alias is written in the plan; the question is
# whether the plan makes clear it is the same unit)
UNIT_ALIASES = {
    "lier": {
        "barnehager": False, "skoler": False, "ppt": False, "barnevernet": False,
        "helsetjenesten": True,  # "0-26" alone (line 141)
        "ung-kultur": True,  # "Kultur og fritid – ung fritid" is never said to be Ung Kultur
        "forvaltning-helse-og-bolig": False, "nav-16-30": False, "flyktningtjenesten": False,
    },
    "os": {
        "helsestasjon": True,  # "Helsestasjon", "Skolehelsetjeneste": one part named for the whole
        "jordmor": False, "barnevern": False,
        "helse-omsorg": True,  # "Helse" is never said to be Helse- og omsorgstjenesten
        "ppt": False, "kulturskole": False, "politi": False,
    },
}
INFERRED_ALIASES = {
    ("lier", "helsetjenesten"): ["0-26"],
    ("lier", "ung-kultur"): ["Kultur og fritid – ung fritid", "Kultur og fritid - ung fritid"],
    ("os", "helsestasjon"): ["Helsestasjon", "Helsestasjonen", "Skolehelsetjeneste"],
    ("os", "helse-omsorg"): ["Helse"],
}


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_unit_alias_is_written_in_the_plan_and_marked_when_inferred(stem, lier, os_plan):
    plan = plan_of(stem, lier, os_plan)
    source = squash(seed_text(stem)).casefold()
    with_aliases = {u.id: u for u in plan.units if u.aliases}
    assert set(with_aliases) == set(UNIT_ALIASES[stem])
    for unit_id, derived in UNIT_ALIASES[stem].items():
        unit = with_aliases[unit_id]
        assert all(squash(a).casefold() in source for a in unit.aliases), unit_id
        assert unit.is_derived("aliases") is derived, unit_id
        if derived:
            inferred = INFERRED_ALIASES[(stem, unit_id)]
            assert set(inferred) <= set(unit.aliases)
            assert all(a in unit.encoder_note for a in inferred), unit_id


def test_lier_ung_kultur_is_joined_to_ung_fritid_by_the_contact_person_only(lier):
    unit = lier.unit("ung-kultur")
    assert unit.is_derived("part_of")  # rests on the inferred alias
    rows = [seed_line("lier", n) for n in (230, 238, 242, 243, 246, 247, 248)]
    assert all("Rune Drangslund" in row for row in rows)
    assert not any("Ung Kultur" in row and "ung fritid" in row for row in seed_text("lier").splitlines())


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_derived_unit_value_has_a_note(stem, lier, os_plan):
    for unit in plan_of(stem, lier, os_plan).units:
        if unit.derived:
            assert unit.encoder_note, unit.id


def arena(plan, arena_id):
    [found] = [a for a in plan.arenas if a.id == arena_id]
    return found


def test_lier_inntaksteam_has_nav_only_as_needed(lier):
    team = arena(lier, "inntaksteam")
    assert "NAV" in team.members_as_needed and "NAV" not in team.members
    assert "nav" not in team.units
    lines = seed_text("lier").splitlines()
    assert lines[344 - 1].startswith("Oppmøte ved behov")
    assert "NAV" in lines[345 - 1].split("\t") and "NAV" not in lines[343 - 1]


@pytest.mark.parametrize(("arena_id", "as_needed", "unit_id"), [
    ("inntaksteam", "NAV", "nav"),
    # "barnevern og helsesykepleiere deltar når det er relevante temaer" (line 121)
    ("faglig-arena-barnehage-og-skole", "barnevern", "barnevernet"),
    ("faglig-arena-barnehage-og-skole", "helsesykepleiere", "helsetjenesten"),
    # "I enkelte møter vil det være behov for også å invitere ..." (line 141); "der det er relevante saker" (line 137)
    ("ressursteam-barnehage", "barneverntjenesten", "barnevernet"),
    ("ressursteam-barnehage", "0-26", "helsetjenesten"),
    ("ressursteam-barnehage", "flyktningetjenesten", "flyktningtjenesten"),
])
def test_lier_arena_units_are_the_regular_members_only(arena_id, as_needed, unit_id, lier):
    team = arena(lier, arena_id)
    assert as_needed in team.members_as_needed and as_needed not in team.members
    assert unit_id not in team.units


def test_os_barnekoordinator_is_only_required_by_law(os_plan):
    [role] = [c for c in os_plan.coordinators if c.id == "barnekoordinator"]
    assert role.status == "required-by-law"
    assert "pålegger alle kommuner å ha en barnekoordinator" in seed_line("os", 293)
    # nowhere else does the Os plan mention a barnekoordinator
    assert [n for n, line in enumerate(seed_text("os").splitlines(), 1) if "barnekoordinator" in line.casefold()] == [293]


def test_os_meetings_named_only_as_strategies_are_planned(os_plan):
    lines = seed_text("os").splitlines()
    for arena_id, words in (("koordinerende-enhet-moter", "Koordinerende enhet møter"), ("obs-moter", "OBS møter")):
        assert arena(os_plan, arena_id).status == "planned"
        assert [n for n, line in enumerate(lines, 1) if words in line] == [181]  # the strategies cell of sub-goal 4


def all_passages(plan):
    """(where, passage) for every principle and every goal passage."""
    yield from ((f"principle {p.title}", p) for p in plan.principles)
    for goal in plan.goals:
        yield from ((f"goal {goal.id}", p) for p in goal.passages)


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_passage_is_verbatim_at_its_source_line(stem, lier, os_plan):
    """Each paragraph of a passage stands in the source starting at its line (within 3 lines:
    a sentence cut by a page break continues two lines on); its section heading is in the source."""
    plan = plan_of(stem, lier, os_plan)
    headings = {plain(line).rstrip(":") for line in seed_text(stem).splitlines() if line.strip()}
    passages = list(all_passages(plan))
    assert passages
    for where, passage in passages:
        assert passage.source_line and passage.source_section, where
        assert passage.source_section in headings, (where, passage.source_section)
        paragraphs = passage.text.split("\n\n")
        window = plain_lines(stem, passage.source_line, passage.source_line + 3 + 2 * (len(paragraphs) - 1))
        assert plain(paragraphs[0]) in plain_lines(stem, passage.source_line, passage.source_line + 3), where
        position = 0
        for paragraph in paragraphs:  # in the source's order
            found = window.find(plain(paragraph), position)
            assert found >= 0, (where, paragraph[:60])
            position = found
        assert not re.search(r"[*•]|^- |</?(p|i|b|li|ul)\b", passage.text, re.M), where


def test_os_goal_descriptions_are_the_paragraph_under_the_heading(os_plan):
    for goal, heading, first in ((os_plan.goals[0], 157, 161), (os_plan.goals[1], 186, 190)):
        assert seed_line("os", heading).lstrip("# ").startswith("Hovedmål")
        assert "\n\n" not in goal.description  # one passage; the others are in goal.passages with their own lines
        assert plain(goal.description) == plain(seed_line("os", first))
        lines = [p.source_line for p in goal.passages]
        assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert not os_plan.goals[1].description.startswith("Trygge familien")  # the sub-heading's longer title form


def test_os_goal_passages_keep_their_own_places(os_plan):
    first, second = os_plan.goals
    where = {p.source_line: p.source_section for p in first.passages}
    assert where[148] == "Begrunnelse for valg av hovedmål" and where[175] == "Hovedmål 1"
    assert [p.text for p in first.passages if p.source_line == 175] == ["Målet er å styrke laget rundt barnet og være tett på"]
    assert {p.source_line: p.source_section for p in second.passages}[149] == "Begrunnelse for valg av hovedmål"
    # a sentence cut by a page break (lines 198 and 200) is one passage, joined with one space
    [cut] = [p for p in second.passages if p.source_line == 198]
    assert cut.text.endswith("gevinster for kommunene og samfunnet som helhet.")


def test_os_principle_barn_og_unges_behov_i_sentrum(os_plan):
    # the background "Kommunens oppgaver blir derfor" (line 37) comes first, in the source's order
    assert [p.source_line for p in os_plan.principles] == [37, 91]
    principle = principle_at(os_plan, 91)
    assert principle.title == "Barn og unges behov i sentrum"
    assert seed_line("os", 89) == "# Barn og unges behov i sentrum:"
    assert principle.source_line == 91
    paragraphs = principle.text.split("\n\n")
    assert len(paragraphs) == 3  # the lead sentence and the two bullet items (lines 93-94)
    assert paragraphs[1].startswith("Når behovene ikke dekkes") and paragraphs[2].startswith("Modellen har et tredelt fokus")


def test_lier_principles(lier):
    titles = {p.title: p for p in lier.principles}
    # with the background passages of lines 56 (no title) and 215 (test_lier_background_passages)
    assert list(titles) == [None, "Det krever en hel kommune for å oppdra et barn",
                            "Forebygging av omsorgssvikt og utvikling av atferdsproblemer",
                            "Pyramidmodell med strategier for god oppvekst"]
    section6 = titles["Det krever en hel kommune for å oppdra et barn"]
    assert seed_line("lier", 189) == "6. Det krever en hel kommune for å oppdra et barn"
    assert section6.source_line == 191
    assert "møte med barn og unge, det seg være via barnehage og skole" in section6.text  # lines 191 + 193, one space
    assert section6.text.endswith("Det kan utgjøre en forskjell!")
    levels = titles["Pyramidmodell med strategier for god oppvekst"]
    assert seed_line("lier", 219) == levels.title  # the caption above the line
    assert (levels.source_line, levels.text) == (221, seed_line("lier", 221))


def test_lier_ressursteam_skole_includes_the_pupils_right_to_be_heard(lier):
    team = arena(lier, "ressursteam-skole")
    assert "eleven har derfor rett til å uttale seg i alle forhold som berører dem" in team.description
    assert "rett til å uttale seg i alle forhold som berører dem" in seed_line("lier", 129)
    assert "bistanden rundt eleven koordineres og evalueres. Vi vektlegger" in team.description  # lines 127 + 129


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_arena_descriptions_are_source_paragraphs_in_source_order(stem, lier, os_plan):
    """No arena description joins paragraphs out of order or from outside the source."""
    source = squash(seed_text(stem))
    data = {a["id"]: a for a in raw(stem).get("collaboration", [])}
    for team in plan_of(stem, lier, os_plan).arenas:
        if not team.description:
            continue
        position = 0
        for paragraph in team.description.split("\n\n"):
            found = source.find(squash(paragraph), position)
            assert found >= 0, (team.id, paragraph[:60])
            position = found
        start = squash(seed_line(stem, data[team.id]["source"]["line"]))
        assert squash(team.description.split("\n\n")[0])[:40] in start, team.id


@pytest.mark.parametrize("arena_id", ["ressursteam-skole", "ressursteam-barnehage"])
def test_lier_resource_team_descriptions_hold_their_whole_section(arena_id, lier):
    heading = {"ressursteam-skole": "4.2 Ressursteam skole", "ressursteam-barnehage": "4.3 Ressursteam barnehage"}[arena_id]
    lines = seed_text("lier").splitlines()
    start = lines.index(heading) + 1
    end = next(n for n in range(start, len(lines)) if re.match(r"\d\.\d ", lines[n]))
    section = squash(" ".join(lines[start:end]))
    assert squash(arena(lier, arena_id).description) == section


def test_lier_sal_model_follows_heading_6_1(lier):
    [sal] = [m for m in lier.models if m.id == "sal"]
    assert seed_line("lier", 201) == "6.1 " + sal.name  # the table of contents (line 35) says "Liunger"
    assert "Liunger" in seed_line("lier", 35)


# -- the third audit against the source texts (issue 20) -------------------------------


def is_bare_link(line: str) -> bool:
    return bool(re.fullmatch(r"\s*(\[[^\]]*\]\([^)]*\)|<https?://\S+>)\s*", line))


def source_paragraphs(stem: str, first: int, last: int) -> list[tuple[int, str]]:
    """(line, text) of each paragraph of the source from line `first` to `last`, as `plain` text: a paragraph
    cut by a page break (it stops without a full stop and goes on in lower case two lines further down) is
    joined to its continuation with one space; headings (#), a goal's name set alone in italics, bare links and
    blank lines are left out. List items are paragraphs of their own."""
    found: list[tuple[int, str]] = []
    for number in range(first, last + 1):
        line = seed_line(stem, number)
        if not line.strip() or line.lstrip().startswith("#") or is_bare_link(line) or re.fullmatch(r"\s*\*[^*]+\*\s*", line):
            continue
        text = plain(line)
        if found and not re.search(r"[.!?:»\"]$", found[-1][1]) and text[:1].islower():
            found[-1] = (found[-1][0], f"{found[-1][1]} {text}")
        else:
            found.append((number, text))
    return found


def section_lines(stem: str, heading: str) -> tuple[int, int]:
    """The first and last line of the section under the markdown heading `heading` (up to the next heading of
    the same or a higher level)."""
    lines = seed_text(stem).splitlines()
    start = lines.index(heading) + 1
    depth = len(heading) - len(heading.lstrip("#"))
    end = next((n for n in range(start, len(lines))
                if re.match(r"#{1,%d} " % depth, lines[n])), len(lines))
    return start + 1, end  # 1-based: the line after the heading .. the line before the next heading


def paragraphs_of(text: str) -> list[str]:
    return [plain(p) for p in text.split("\n\n")]


def raw_coordinators(stem: str) -> dict:
    return {c["id"]: c for c in raw(stem).get("coordinators", [])}


def status_the_words_give(text: str) -> str | None:
    """docs/encoding.md, Coordinators: the status the plan's own words give the role."""
    if re.search(r"\bDet er ansatt\b", text):
        return "established"
    if re.search(r"\bpålegger\b", text):
        return "required-by-law"
    if re.search(r"\bskal (opprettes|etableres)\b", text):
        return "planned"
    return None  # described as part of today's work


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_coordinator_status_follows_the_plans_words(stem, lier, os_plan):
    """Lier 5.2 (line 177): "Det er ansatt en barnekoordinator i 100 % stilling": the role exists."""
    coordinators = {c.id: c for c in plan_of(stem, lier, os_plan).coordinators}
    for coordinator_id, data in raw_coordinators(stem).items():
        line = seed_line(stem, data["source"]["line"])
        assert coordinators[coordinator_id].status == status_the_words_give(line), coordinator_id


def test_lier_barnekoordinator_is_established(lier):
    assert seed_line("lier", 177).startswith("Det er ansatt en barnekoordinator")
    [role] = [c for c in lier.coordinators if c.id == "barnekoordinator"]
    assert role.status == "established"
    assert raw_coordinators("lier")["barnekoordinator"]["source"]["line"] == 177


def test_os_bti_description_is_its_sections_own_text_whole(os_plan):
    """All of "BTI – Bedre tverrfaglig innsats" (lines 107-124, the link on line 109 left out), in order, and
    nothing from another section (line 297 of "Hva vil innføring ..." ended it before)."""
    [bti] = [m for m in os_plan.models if m.id == "bti"]
    first, last = section_lines("os", "# BTI – Bedre tverrfaglig innsats")
    expected = [text for _, text in source_paragraphs("os", first, last)]
    assert [n for n, _ in source_paragraphs("os", first, last)] == [107, 111, 113, 116, 118, 120, 122, 124]
    assert paragraphs_of(bti.description) == expected


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_plan_purpose_is_whole_paragraphs_of_the_source(stem, lier, os_plan):
    """Each item of plan.purpose is one whole paragraph of the plan, never sentences picked out of one."""
    paragraphs = {plain(line) for line in seed_text(stem).splitlines() if line.strip()}
    purpose = plan_of(stem, lier, os_plan).purpose
    assert purpose
    assert [p for p in purpose if plain(p) not in paragraphs] == []


def test_lier_purpose_is_paragraphs_52_and_54(lier):
    assert [plain(p) for p in lier.purpose] == [plain(seed_line("lier", 52)), plain(seed_line("lier", 54))]
    assert "På den måten vil den være et godt arbeidsverktøy" in lier.purpose[1]  # the sentence dropped before


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_goal_descriptions_are_one_paragraph(stem, lier, os_plan):
    """A goal's description is the paragraph under its heading; every other paragraph is a passage of its own."""
    assert [g.id for g in plan_of(stem, lier, os_plan).goals if g.description and "\n\n" in g.description] == []


def test_lier_strategic_steps_paragraph_335_is_a_passage(lier):
    [goal] = [g for g in lier.goals if g.id == "strategiske-grep-fremover"]
    assert plain(goal.description) == plain(seed_line("lier", 333))
    [passage] = [p for p in goal.passages if p.source_line == 335]
    assert plain(passage.text) == plain(seed_line("lier", 335))
    assert passage.source_section == "7. Strategiske grep og tiltak for Lier kommune fremover"


def test_os_reasons_for_the_main_goals_are_passages_of_the_goals(os_plan):
    """ "Begrunnelse for valg av hovedmål" (lines 138-146) gives the reasons for both main goals ("Med bakgrunn i
    dette har Os kommune valgt to hovedmål"), then one bullet per goal (148, 149); line 291 names the
    prerequisites for reaching "våre hovedmål". Each reason is a passage of both goals at its own line, each
    bullet a passage of its own goal."""
    first, last = section_lines("os", "# Begrunnelse for valg av hovedmål")
    paragraphs = source_paragraphs("os", first, last)
    bullets = [(n, text) for n, text in paragraphs if seed_line("os", n).startswith("- ")]
    reasons = [(n, text) for n, text in paragraphs if (n, text) not in bullets]
    assert [n for n, _ in reasons] == [138, 140, 142, 146] and [n for n, _ in bullets] == [148, 149]
    later_first, later_last = section_lines("os", "# Hva vil innføring av oppvekstreformen bety for Os kommune")
    reasons += [(n, text) for n, text in source_paragraphs("os", later_first, later_last) if "hovedmål" in text]
    assert [n for n, _ in reasons][-1] == 291
    for goal, bullet in zip(os_plan.goals, bullets, strict=True):
        passages = {(p.source_line, plain(p.text)) for p in goal.passages}
        assert [r for r in reasons if r not in passages] == [], goal.id
        assert bullet in passages and not ({b for b in bullets if b != bullet} & passages), goal.id


def test_os_bti_for_every_unit_line_297_explains_the_first_goal(os_plan):
    """Line 297 ("Alle kommunens enheter ... skal bruke BTI som samhandlingsmodell") left the BTI model, whose
    own section it is not part of; it is kept with the goal whose bullet names BTI (line 148)."""
    first, second = os_plan.goals
    assert "BTI" in seed_line("os", 148) and "BTI" not in seed_line("os", 149)
    assert [plain(p.text) for p in first.passages if p.source_line == 297] == [plain(seed_line("os", 297))]
    assert 297 not in {p.source_line for p in second.passages}


def test_a_stated_under_n_years_is_read_not_derived(lier, os_plan):
    """ "under 18 år" states both ends (docs/encoding.md): from birth to 17, read, not derived (Lier
    Introprogram, line 308: "deltakere med barn under 18 år")."""
    checked = []
    for plan in (lier, os_plan):
        for m in plan.measures:
            stated = re.search(r"\bunder (\d+) år\b", seed_line(plan.stem, m.source_line))
            if stated:
                assert m.target.ages == (0, int(stated[1]) - 1), m.id
                assert not m.is_derived("target.ages"), m.id
                checked.append(m.id)
    assert checked == ["introprogram"]


def _named_units(plan, text: str) -> dict[str, str]:
    """Unit id -> "read" or "inferred" for each unit the ANSVARLIG cell names, by its name or an alias; where
    one name is part of a longer one ("Helse" in "Helse- og omsorgstjenesten"), the longer one counts. E-mail
    and web addresses are left out (hovik.skole@... names no unit), also one that goes on after a line break
    ("https://www.lier.kommune.no/skole-og- barnehage/...")."""
    text = re.sub(r"\S+@\S+|https?://\S+-\s\S+|https?://\S+", " ", squash(text)).casefold()
    spans = []
    for unit in plan.units:
        inferred = INFERRED_ALIASES.get((plan.stem, unit.id), ())
        for name in (unit.name, *unit.aliases):
            for found in re.finditer(r"(?<!\w)" + re.escape(squash(name).casefold()) + r"(?!\w)", text):
                spans.append((found.start(), found.end(), unit.id, "inferred" if name in inferred else "read"))
    kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in spans)]
    named: dict[str, str] = {}
    for _, _, unit_id, how in kept:
        if named.get(unit_id) != "read":
            named[unit_id] = how
    return named


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_responsible_is_derived_exactly_when_a_unit_is_not_read_from_the_cell(stem, lier, os_plan):
    """A responsible unit the ANSVARLIG cell names only through an inferred alias (Os "Helsestasjon",
    "Helsestasjonen", "Skolehelsetjeneste", "Helse"; Lier "Kultur og fritid – ung fritid"), or does not name at
    all (Lier Hjertesone), makes `responsible` derived, on every row alike; a row whose units are all named by
    their own names is not marked. And no unit the cell names is missing from `responsible`."""
    plan = plan_of(stem, lier, os_plan)
    wrong, missing = [], []
    for m in plan.measures:
        named = _named_units(plan, m.responsible_text)
        inferred = any(named.get(unit) != "read" for unit in m.responsible)
        if inferred != m.is_derived("responsible"):
            wrong.append(m.id)
        if inferred:
            assert m.encoder_note, m.id
        missing += [(m.id, unit) for unit in named if unit not in m.responsible]
    assert wrong == [] and missing == []


def test_os_helsestasjon_rows_are_marked_like_the_helse_rows(os_plan):
    """ "Helse" (Omsorgslønn, Avlastning) was marked; "Helsestasjon" (Barseltreff, line 216) was not."""
    assert seed_line("os", 216).split("\t")[3] == "Helsestasjon og Jordmortjeneste"
    for measure_id in ("omsorgslonn", "avlastning", "barseltreff", "fodselsforberedende-kurs", "i-trygge-hender",
                       "skolehelsetjeneste", "rad-og-veiledning-helsestasjon", "cos-p", "babysang"):
        m = by_id(os_plan, measure_id)
        assert m.is_derived("responsible"), measure_id
    assert not by_id(os_plan, "treffpunkt").is_derived("responsible")  # "Helsestasjon og skolehelsetjeneste"


def principle_at(plan, line: int):
    [found] = [p for p in plan.principles if p.source_line == line]
    return found


def test_lier_background_passages(lier):
    """Line 56 anchors the plan in the law (no heading of its own: it follows the purpose); line 215 introduces
    the three levels, under 6.2."""
    anchored = principle_at(lier, 56)
    assert (anchored.title, paragraphs_of(anchored.text)) == (None, [plain(seed_line("lier", 56))])
    assert anchored.source_section == plain(seed_line("lier", 46))
    levels = principle_at(lier, 215)
    assert paragraphs_of(levels.text) == [plain(seed_line("lier", 215))]
    assert seed_line("lier", 213).startswith("6.2 - ") and levels.title == plain(seed_line("lier", 213))[6:].rstrip(":")
    assert [p.source_line for p in lier.principles] == sorted(p.source_line for p in lier.principles)


def test_os_background_passage_the_municipalitys_tasks(os_plan):
    """ "Kommunens oppgaver blir derfor:" (line 35) and its two bullets (37-38), each a paragraph."""
    tasks = principle_at(os_plan, 37)
    heading = plain(seed_line("os", 35)).rstrip(":")
    assert (tasks.title, tasks.source_section) == (heading, heading)
    assert paragraphs_of(tasks.text) == [text for _, text in source_paragraphs("os", 36, 39)]
    assert len(paragraphs_of(tasks.text)) == 2


def _texts_with_a_source(stem: str):
    """(where, text, line) for every text of the plan file that carries a source line of its own, besides
    measures and passages: goals (their description), models, coordinators, definitions, arenas, organisation,
    escalation."""
    data = raw(stem)
    for key, field in (("goals", "description"), ("models", "description"), ("coordinators", "role"),
                       ("definitions", "text"), ("collaboration", "description")):
        for item in data.get(key, []):
            if field in item and "source" in item:
                yield f"{key} {item.get('id', item.get('term'))}", item[field], item["source"]["line"]
    for key in ("organisation", "escalation"):
        if key in data:
            yield key, data[key]["text"], data[key]["source"]["line"]


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_source_line_is_where_the_text_begins(stem):
    """`line` is where the text begins, not the heading above it (Lier SAL: 203 under the heading on 201; Os
    BTI pointed at its heading, line 105, while its text begins on line 107; Os's goals pointed at "Hovedmål
    1" and "Hovedmål 2", lines 157 and 186, while Lier's "Strategiske grep" points at its text, line 333)."""
    wrong = []
    for where, text, line in _texts_with_a_source(stem):
        first = plain(text.split("\n\n")[0])
        if first[:40] not in plain(seed_line(stem, line)) and first not in plain(seed_line(stem, line)):
            wrong.append((where, line))
    assert wrong == []
