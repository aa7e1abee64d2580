"""`forebygging import`: a council document becomes a draft plan file.

The source texts (../shared/seeds) are imported and paired with the curated
plans field by field; Word documents are built here with python-docx for each
layout a plan uses; hostile documents are refused with one line and exit 2;
every draft validates with completeness findings only and is in fmt's shape."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import PLANS, ROOT, SEED_FILES, SEEDS, findings, seed_text
from docx_fixtures import bullet, build, heading, page_break, paragraph, table, title
from import_pairing import pair, report


def imported(cli, source: str | Path, tmp_path: Path, name: str = "utkast.yaml", *extra: str):
    target = tmp_path / "plans" / name
    result = cli("import", str(source), "-o", str(target), *extra)
    assert result.code == 0, result.output
    return yaml.safe_load(target.read_text(encoding="utf-8")), target, result


def completeness_only(cli, path: Path) -> None:
    found = findings(cli("validate", str(path)).stdout)
    assert all(f["rule"] >= "FB300" for f in found), [f for f in found if f["rule"] < "FB300"]
    assert cli("fmt", "--check", str(path)).code == 0, path.read_text(encoding="utf-8")[:2000]


# -- the source texts ---------------------------------------------------------------------------------


@pytest.fixture
def seed_path():
    def path(stem: str) -> Path:
        seed_text(stem)  # skips with a reason when the seeds are not beside the repository
        return SEEDS / SEED_FILES[stem]
    return path


def test_lier_is_recovered_from_its_source_text(cli, tmp_path, seed_path):
    data, path, result = imported(cli, seed_path("lier"), tmp_path, "lier.yaml")
    curated = yaml.safe_load((PLANS / "lier.yaml").read_text(encoding="utf-8"))
    pairing, figures = pair(curated, data)
    shown = "Lier: " + report(figures) + "\n" + "\n".join(f"{k}: {m}" for k, ms in pairing.misses.items() for m in ms)
    assert figures["found by name"][0] >= 74, shown
    assert figures["level"][0] == figures["level"][1], shown  # every found measure on its curated level
    assert figures["target text"][0] >= 0.9 * figures["target text"][1], shown
    assert figures["responsible units"][0] >= 0.9 * figures["responsible units"][1], shown
    assert not pairing.invented, shown
    assert data["municipality"]["name"] == curated["municipality"]["name"]
    assert data["plan"]["title"] == curated["plan"]["title"]
    assert data["plan"]["adopted"] == curated["plan"]["adopted"]
    assert {level: value["label"] for level, value in data["levels"].items()} == \
        {level: value["label"] for level, value in curated["levels"].items()}
    assert data["plan"]["language"] == "nb"
    completeness_only(cli, path)
    assert "Bra for alle: 30" in result.stdout and "Nyttig for noen: 21" in result.stdout


def test_os_is_recovered_from_its_source_text(cli, tmp_path, seed_path):
    data, path, result = imported(cli, seed_path("os"), tmp_path, "os.yaml")
    curated = yaml.safe_load((PLANS / "os.yaml").read_text(encoding="utf-8"))
    pairing, figures = pair(curated, data)
    shown = "Os: " + report(figures) + "\n" + "\n".join(f"{k}: {m}" for k, ms in pairing.misses.items() for m in ms)
    assert figures["found by name"][0] >= 31, shown
    assert figures["rows found"] == (38, 38), shown  # the seven programme rows under one name cell too
    assert figures["requires decision"][0] == figures["requires decision"][1], shown
    assert figures["target text"][0] >= 0.9 * figures["target text"][1], shown
    assert figures["responsible units"][0] >= 0.9 * figures["responsible units"][1], shown
    assert not pairing.invented, shown
    # Os sorts no measure into a level: each level is guessed and marked derived, with the reason
    assert all("level" in m["derived"] and m["encoder_note"] for m in data["measures"])
    programmes = [m for m in data["measures"] if m.get("group") == "Ulike foreldreveiledningsprogram"]
    assert [m["name"] for m in programmes] == [m["name"] for m in curated["measures"]
                                               if m.get("group") == "Ulike foreldreveiledningsprogram"]
    assert data["plan"]["period"] == curated["plan"]["period"]
    assert [g["title"] for g in data["goals"]] == ["Tidlig innsats til barn og unge",
                                                   "Trygge foreldrene i foreldrerollen"]
    assert [s["title"] for s in data["goals"][0]["sub_goals"]] == [s["title"] for s in
                                                                   curated["goals"][0]["sub_goals"]]
    completeness_only(cli, path)
    assert "every level is guessed" in result.stdout
    text = path.read_text(encoding="utf-8")
    # the draft is the plan's own text: its notes speak the document's language (bokmål), the summary the run's
    assert "level: selected  # gjettet" in text or "level: universal  # gjettet" in text


def test_pasted_text_from_standard_input_to_standard_output(cli, tmp_path, seed_path):
    raw = seed_path("os").read_text(encoding="utf-8")
    result = cli("import", "-", "-o", "-", stdin=raw)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(result.stdout)["plan"]["source"]["file"] == "stdin"
    assert "38 measures" in result.stderr  # the summary goes to stderr when the draft goes to stdout


# -- Word documents -------------------------------------------------------------------------------------

HEADER = ["Tiltak", "Beskrivelse", "Målgruppe", "Ansvarlig", "Krever vedtak"]


def fjordvik(tmp_path: Path) -> Path:
    return build(tmp_path / "fjordvik.docx", [
        title("Plan for forebygging av omsorgssvikt og atferdsproblemer"),
        paragraph("Fjordvik kommune"),
        paragraph("Vedtatt av kommunestyret 12.6.2024, sak PS 45/24. Planperiode 2025–2028."),
        table([["Innhold", "Side"], ["Mål", "2"], ["Tiltak", "3"]]),
        heading(1, "Mål"),
        bullet("Alle barn i Fjordvik skal ha en trygg oppvekst"),
        bullet("Tidlig hjelp til familier som trenger det", 1),
        bullet("Foreldre skal være trygge i foreldrerollen"),
        heading(1, "Tiltak"),
        heading(2, "Universelle tiltak"),
        paragraph("Tiltak for alle barn og unge i kommunen."),
        table([HEADER,
               ["Fritidsklubben", "Åpen møteplass fredager.", "8.-10. trinn", "Kultur og fritid", "Nei"],
               ["", "", "", "", ""],
               ["Barseltreff", "Treff for nybakte foreldre.", "Nybakte foreldre", ["Helsestasjonen", "Jordmortjenesten"],
                "Nei"]], repeat_header=True),
        heading(2, "Selekterte tiltak"),
        table([["Ansvarlig", "Tiltak", "Målgruppe", "Beskrivelse"],
               ["PPT, Barnevernet", "Foreldrekurs", "Foreldre til barn 3-12 år", "Kurs over åtte kvelder."],
               ["barneverntjenesten", "Ungdomsgruppe", "ungdomsskolen", "Gruppe etter skoletid."]]),
        page_break(),
        heading(2, "Indikerte tiltak"),
        table([HEADER,
               ["Ettervern", "Oppfølging etter barnevern.", "fra 18 år til fylte 25 år", "Barneverntjenesten",
                "Ja"],
               HEADER,
               ["Familieveiledning", "Veiledning i hjemmet.", "gravide", "Helsestasjon og skolehelsetjeneste",
                "Ja/nei"]], repeat_header=True),
        page_break(),
        table([["Hjemmebesøk", "Besøk hjemme.", "familier med barn 0-5 år", "Barnevernstjenesten", "Ja"]]),
        heading(1, "Kontakter"),
        table([["Navn", "Stilling", "Telefon", "E-post"], ["Kari Nordmann", "Leder", "12 34 56 78",
                                                          "kari@fjordvik.kommune.no"]]),
    ])


def test_a_word_document_with_level_headings_over_its_tables(cli, tmp_path):
    data, path, result = imported(cli, fjordvik(tmp_path), tmp_path)
    measures = {m["name"]: m for m in data["measures"]}
    assert list(measures) == ["Fritidsklubben", "Barseltreff", "Foreldrekurs", "Ungdomsgruppe", "Ettervern",
                              "Familieveiledning", "Hjemmebesøk"]
    assert [m["level"] for m in data["measures"]] == ["universal"] * 2 + ["selected"] * 2 + ["indicated"] * 3
    assert not any("derived" in m and "level" in m["derived"] for m in data["measures"])
    assert data["municipality"]["name"] == "Fjordvik kommune"
    assert data["plan"]["adopted"] == {"by": "kommunestyret", "date": "2024-06-12", "case_number": "PS 45/24",
                                       "text": "Vedtatt av kommunestyret 12.6.2024, sak PS 45/24"}
    assert data["plan"]["period"] == {"from": 2025, "to": 2028}
    assert data["plan"]["title"] == "Plan for forebygging av omsorgssvikt og atferdsproblemer"
    assert [g["title"] for g in data["goals"]] == ["Alle barn i Fjordvik skal ha en trygg oppvekst",
                                                   "Foreldre skal være trygge i foreldrerollen"]
    assert data["goals"][0]["sub_goals"] == [{"title": "Tidlig hjelp til familier som trenger det"}]
    club = measures["Fritidsklubben"]
    assert club["target"] == {"text": "8.-10. trinn", "grades": {"from": 8, "to": 10}, "audience": ["children"]}
    assert club["requires_decision"] == "no"
    assert club["description"] == "Åpen møteplass fredager."
    assert club["source"] == {"section": "Universelle tiltak", "table": 2, "row": 2}
    # a cell of several paragraphs: one unit per line
    units = {u["id"]: u for u in data["units"]}
    assert [units[i]["name"] for i in measures["Barseltreff"]["responsible"]] == ["Helsestasjonen",
                                                                                   "Jordmortjenesten"]
    assert measures["Barseltreff"]["target"]["stages"] == ["newborn"]
    # columns in another order; a cell naming two units; one unit written two ways is one unit
    course = measures["Foreldrekurs"]
    assert course["description"] == "Kurs over åtte kvelder."
    assert course["target"]["ages"] == {"from": 3, "to": 12}
    assert course["target"]["audience"] == ["parents"]
    assert [units[i]["service"] for i in course["responsible"]] == ["ppt", "barnevern"]
    assert measures["Ungdomsgruppe"]["responsible"] == [course["responsible"][1]]
    welfare = units[course["responsible"][1]]
    assert "barneverntjenesten" in welfare["aliases"] and "aliases" in welfare["derived"]
    assert measures["Ungdomsgruppe"]["target"]["stages"] == ["ungdomsskole"]
    assert measures["Ettervern"]["target"]["ages"] == {"from": 18, "until": 25}
    assert measures["Familieveiledning"]["requires_decision"] == "varies"
    assert measures["Familieveiledning"]["target"]["audience"] == ["pregnant"]
    # the table split in two after a page break, its header not repeated: the same columns
    home = measures["Hjemmebesøk"]
    assert home["level"] == "indicated" and home["requires_decision"] == "yes"
    assert home["target"]["ages"] == {"from": 0, "to": 5} and home["source"]["table"] == 5
    # the contacts table and the table of contents are not measures; the empty row is named
    assert "Kari Nordmann" not in path.read_text(encoding="utf-8")
    assert "table 6: a table of contacts, not measures" in result.stdout
    assert "table 1: a table of contents" in result.stdout
    assert "table 2, row 3: an empty row" in result.stdout
    assert "7 measures (Universelle tiltak: 2, Selekterte tiltak: 2, Indikerte tiltak: 3)" in result.stdout
    completeness_only(cli, path)


def test_a_level_column_merged_across_rows(cli, tmp_path):
    source = build(tmp_path / "niva.docx", [
        paragraph("Plan for forebygging i Nordvik kommune"),
        heading(1, "Tiltaksoversikt"),
        table([["Forebyggingsnivå", "Navn på tiltak", "Beskrivelse", "Alder", "Ansvarlig"],
               ["Universelt nivå", "Babysang", "Sang for de minste.", "0-1 år", "Kulturskolen"],
               ["", "Leksehjelp", "Hjelp med lekser.", "1.-4. trinn", "Skole"],
               ["Indikert", "MST", "Terapi for familier.", "12-17 år", "Barneverntjenesten"]],
              merges=[(0, 1, 2)]),
    ])
    data, path, _result = imported(cli, source, tmp_path)
    assert [(m["name"], m["level"]) for m in data["measures"]] == [
        ("Babysang", "universal"), ("Leksehjelp", "universal"), ("MST", "indicated")]
    assert [m["target"].get("ages") or m["target"].get("grades") for m in data["measures"]] == [
        {"from": 0, "to": 1}, {"from": 1, "to": 4}, {"from": 12, "to": 17}]
    assert all("derived" not in m or "level" not in m["derived"] for m in data["measures"])
    completeness_only(cli, path)


def test_a_nynorsk_document_gives_a_nynorsk_plan(cli, tmp_path):
    source = build(tmp_path / "vestby.docx", [
        title("Plan for førebygging av omsorgssvikt og åtferdsvanskar"),
        paragraph("Vestby kommune"),
        paragraph("Vedteken av kommunestyret 3.10.2023, sak 55/23."),
        paragraph("Kommunen skal ikkje vente og sjå. Kva tenester skulen og barnehagen har, er sagt her."),
        heading(1, "Tiltak for alle"),
        table([["Tiltak", "Skildring", "Målgruppe", "Ansvarleg", "Krev vedtak"],
               ["Open hall", "Aktivitetar for ungdom.", "ungdom 13-18 år", "Kultur og fritid", "Nei"]]),
        heading(1, "Tiltak for nokre"),
        table([["Tiltak", "Skildring", "Målgruppe", "Ansvarleg", "Krev vedtak"],
               ["Foreldrerettleiing", "Rettleiing til føresette.", "føresette", "Helsestasjonen", "Nei"]]),
        heading(1, "Tiltak for einskilde"),
        table([["Tiltak", "Skildring", "Målgruppe", "Ansvarleg", "Krev vedtak"],
               ["Støttekontakt", "Ein vaksen for barnet.", "barn med vedtak", "Barnevernstenesta", "Ja"]]),
    ])
    data, path, result = imported(cli, source, tmp_path)
    assert data["plan"]["language"] == "nn"
    assert data["plan"]["adopted"]["date"] == "2023-10-03" and data["plan"]["adopted"]["case_number"] == "55/23"
    assert [m["level"] for m in data["measures"]] == ["universal", "selected", "indicated"]
    assert {level: value["label"] for level, value in data["levels"].items()} == {
        "universal": "Tiltak for alle", "selected": "Tiltak for nokre", "indicated": "Tiltak for einskilde"}
    assert [m["requires_decision"] for m in data["measures"]] == ["no", "no", "yes"]
    assert data["measures"][1]["description"] == "Rettleiing til føresette."
    assert data["measures"][1]["target"]["audience"] == ["parents"]
    assert data["measures"][2]["responsible_text"] == "Barnevernstenesta"
    assert "(nynorsk)" in result.stdout
    completeness_only(cli, path)
    # the draft's own words speak the document's language; the review summary the run's (English here)
    text = path.read_text(encoding="utf-8")
    assert "# UTKAST importert av forebygging import frå vestby.docx" in text and "Wrote " in result.stdout


def test_a_bokmal_document_is_not_taken_for_nynorsk(cli, tmp_path):
    data, _path, _result = imported(cli, fjordvik(tmp_path), tmp_path)
    assert data["plan"]["language"] == "nb"


def test_the_draft_says_what_it_is_and_marks_what_needs_an_eye(cli, tmp_path):
    _data, path, _result = imported(cli, fjordvik(tmp_path), tmp_path, "utkast.yaml", "--lang", "en")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/plan.schema.json" or \
        lines[0].startswith("# yaml-language-server: $schema=")
    assert "DRAFT imported by forebygging import from fjordvik.docx" in lines[1]
    assert "    aliases:  # merged: check that these name the same unit" in lines
    assert "    derived:  # inferred, not read: check each value named here" in lines


def test_the_modeline_is_relative_inside_a_plan_repository(cli, tmp_path, monkeypatch):
    (tmp_path / "plans").mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "plan.schema.json").write_bytes((ROOT / "schemas" / "plan.schema.json").read_bytes())
    monkeypatch.chdir(tmp_path)
    source = fjordvik(tmp_path)
    result = cli("import", str(source))
    assert result.code == 0, result.output
    text = (tmp_path / "plans" / "fjordvik.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/plan.schema.json\n")
    again = cli("import", str(source))
    assert again.code == 2
    assert again.stderr == "error: plans/fjordvik.yaml already exists; import never overwrites a plan: choose " \
                           "another file with -o\n"
    assert (tmp_path / "plans" / "fjordvik.yaml").read_text(encoding="utf-8") == text


def test_show_names_a_word_documents_table_and_row(cli, tmp_path):
    _data, path, _result = imported(cli, fjordvik(tmp_path), tmp_path, "fjordvik.yaml")
    shown = cli("show", "fritidsklubben", str(path))
    assert shown.code == 0, shown.output
    assert "Universelle tiltak, table 2, row 2" in shown.stdout


# -- wrong usage and hostile documents ----------------------------------------------------------------


def refused(cli, path: Path) -> str:
    result = cli("import", str(path), "-o", str(path.parent / "ut.yaml"))
    assert result.code == 2, result.output
    assert not (path.parent / "ut.yaml").exists()
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_file_that_is_not_there_or_of_an_unknown_kind(cli, tmp_path):
    assert refused(cli, tmp_path / "borte.docx") == f"error: {tmp_path / 'borte.docx'}: no such file"
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7")
    assert "import reads Word documents (.docx) and pasted text" in refused(cli, tmp_path / "plan.pdf")


@pytest.mark.parametrize(("content", "message"), [
    (b"just some text", "this is not a Word document (.docx): a .docx is a zip archive, and this file is not one"),
    (b"%PDF-1.7 ...", "this is a PDF; import reads the Word document the PDF was made from"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "this is an old Word document (.doc) or an encrypted one"),
    (b"PK\x03\x04" + bytes(40), "this is not a Word document (.docx): the zip archive is damaged"),
])
def test_a_file_that_is_not_a_word_document(cli, tmp_path, content, message):
    path = tmp_path / "plan.docx"
    path.write_bytes(content)
    line = refused(cli, path)
    assert line.startswith(f"error: {path}: {message}"), line


def _zip(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _docx_parts(tmp_path: Path) -> dict[str, bytes]:
    source = fjordvik(tmp_path)
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_xml_that_declares_an_entity_is_never_read(cli, tmp_path):
    parts = _docx_parts(tmp_path)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            + parts["word/document.xml"].split(b"?>", 1)[1])
    path = _zip(tmp_path / "entity.docx", {**parts, "word/document.xml": bomb})
    assert refused(cli, path) == f"error: {path}: the part word/document.xml declares a DOCTYPE or an ENTITY; Word " \
                                 "never writes one, and import does not read XML that does"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cli, tmp_path):
    parts = _docx_parts(tmp_path)
    path = _zip(tmp_path / "bomb.docx", {**parts, "word/media/image1.png": bytes(20 * 1024 * 1024)})
    assert path.stat().st_size < 1024 * 1024
    line = refused(cli, path)
    assert "the part word/media/image1.png unpacks" in line and "times larger than it is packed" in line


def test_an_archive_with_too_many_entries(cli, tmp_path):
    parts = _docx_parts(tmp_path)
    many = {**parts, **{f"customXml/item{i}.bin": b"x" for i in range(2001)}}
    path = _zip(tmp_path / "many.docx", many, zipfile.ZIP_STORED)
    assert "a Word document has at most 2,000" in refused(cli, path)


def test_a_document_over_the_size_limit_is_not_read(cli, tmp_path):
    path = tmp_path / "stor.docx"
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * 1024 * 1024)  # sparse: nothing is written
    assert "a Word document to import is at most 52,428,800" in refused(cli, path)


def test_a_zip_without_a_document_part(cli, tmp_path):
    path = _zip(tmp_path / "tom.docx", {"[Content_Types].xml": b"<Types/>"})
    assert refused(cli, path).endswith("this zip archive is not a Word document: it has no word/document.xml")


def test_xml_nested_too_deep_for_the_parser(cli, tmp_path):
    parts = _docx_parts(tmp_path)
    deep = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * 300, 1)
    deep = deep.replace(b"</w:body>", b"</w:sdtContent></w:sdt>" * 300 + b"</w:body>", 1)
    path = _zip(tmp_path / "dyp.docx", {**parts, "word/document.xml": deep})
    assert "this Word document cannot be read" in refused(cli, path)


@pytest.mark.parametrize(("content", "message"), [
    ("Tiltak\tBeskrivelse".encode("utf-16"), "the text is UTF-16"),
    (b"Tiltak \xe6\xf8\xe5", "the text is not UTF-8 (byte 8); save it as UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "this is not text: it holds binary data"),
])
def test_pasted_text_that_is_not_utf8_text(cli, tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    assert message in refused(cli, path)


def test_a_draft_in_bokmal(cli, tmp_path):
    target = tmp_path / "ut.yaml"
    result = cli("--lang", "nb", "import", str(fjordvik(tmp_path)), "-o", str(target))
    assert result.code == 0, result.output
    assert "7 tiltak" in result.stdout
    assert "UTKAST" in target.read_text(encoding="utf-8").splitlines()[1]
