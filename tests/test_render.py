"""`coverage` and `render`: the matrix agrees with query and with validate's
age-gap rule, the documents hold every measure, templates can be replaced,
and output files are written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from conftest import PLANS, findings
from forebygging_cli.ages import BANDS
from forebygging_cli.load import build_plan, read_document

STEMS = ("lier", "os")
PLAN = {stem: build_plan(read_document(str(PLANS / f"{stem}.yaml"))) for stem in STEMS}


def query_count(cli, *args: str) -> int:
    result = cli("query", str(PLANS), "--format", "json", *args)
    assert result.code == 0, result.output
    return len(json.loads(result.stdout))


def coverage_json(cli, *args: str) -> dict:
    result = cli("coverage", str(PLANS), "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


# -- coverage ----------------------------------------------------------------------------


def test_every_cell_is_what_query_counts(cli):
    document = coverage_json(cli)
    assert document["rows"] == ["universal", "selected", "indicated", "all"]
    assert document["columns"] == [b.name for b in BANDS] + ["no-age"]
    for plan in document["plans"]:
        stem = plan["plan"]
        for level in ("universal", "selected", "indicated"):
            cells = plan["cells"][level]
            for band in BANDS:
                age = ["--stage", "pregnancy"] if band.prenatal else ["--age", band.name]
                assert cells[band.name] == query_count(cli, "--plan", stem, "--level", level, *age), (stem, level, band)
            no_age = sum(1 for m in PLAN[stem].measures if m.level == level and not m.target.span.known)
            assert cells["no-age"] == no_age


def test_coverage_gaps_are_validates_age_gaps(cli):
    document = coverage_json(cli)
    for plan in document["plans"]:
        gaps = [f["message"] for f in findings(cli("validate", plan["path"]).stdout) if f["rule"] == "FB312"]
        expected = sorted(re.search(r"covers (pregnancy|ages [\d-]+)", m).group(1).removeprefix("ages ") for m in gaps)
        assert sorted(plan["gaps"]) == expected
    assert {p["plan"]: p["gaps"] for p in document["plans"]} == {"lier": [], "os": ["19-25"]}


def test_side_by_side_the_cells_one_plan_lacks_stand_out(cli):
    document = coverage_json(cli)
    contrasts = {(c["path"].rsplit("/", 1)[-1], c["row"], c["column"]) for c in document["contrasts"]}
    assert ("os.yaml", "all", "19-25") in contrasts  # Lier has 19-25 measures, Os none
    assert ("lier.yaml", "universal", "pregnancy") in contrasts  # Os has universal pregnancy measures
    assert not any(column == "no-age" for _p, _r, column in contrasts)
    text = cli("--lang", "nb", "coverage", str(PLANS)).stdout
    assert "◆" in text and "Hull i Os kommune (ingen tiltak på noe nivå): 19-25." in text
    single = cli("--lang", "nb", "coverage", str(PLANS / "os.yaml")).stdout
    assert "◆" not in single and "Bra for alle" not in single


def test_by_service_counts_what_query_counts(cli):
    document = coverage_json(cli, "--by", "service")
    assert document["columns"] == ["universal", "selected", "indicated", "all"]
    for plan in document["plans"]:
        for service in document["rows"]:
            for level in ("universal", "selected", "indicated"):
                assert plan["cells"][service][level] == query_count(cli, "--plan", plan["plan"], "--service", service,
                                                                      "--level", level)


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
def test_coverage_formats(cli, fmt):
    result = cli("--lang", "nb", "coverage", str(PLANS), "--format", fmt)
    assert result.code == 0
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        assert rows[0][:3] == ["plan", "nivå", "svangerskap"] and len(rows) == 1 + 4 * 2
    else:
        assert "Alle nivåer" in result.stdout and "ingen oppgitt alder" in result.stdout
    assert cli("coverage", str(PLANS), "--by", "district").code == 2


# -- render ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_the_markdown_document_holds_the_whole_plan(cli, stem):
    result = cli("--lang", "nb", "render", str(PLANS / f"{stem}.yaml"), "--format", "markdown")
    assert result.code == 0
    out = result.stdout
    plan = PLAN[stem]
    for measure in plan.measures:
        assert measure.name.replace("|", "\\|") in out, measure.id
    for heading in ("## Mål", "## Organisering", "### Ansvarlige enheter", "### Samarbeidsarenaer og team",
                    "## Tiltak", "## Dekning"):
        assert f"\n{heading}\n" in out, heading
    from forebygging_cli import i18n

    i18n.activate("nb")
    try:
        labels = [plan.level_label(level) for level in ("universal", "selected", "indicated")]
    finally:
        i18n.activate("en")
    for label in labels:
        assert f"\n### {label}" in out
    for goal in plan.goals:
        assert f"### {goal.title}" in out
    for arena in plan.arenas:
        assert arena.name in out
    assert "† = utledet: står ikke i planen, men er vurdert av den som la inn planen." in out
    if plan.risk_and_protective_factors:
        assert "## Risiko- og beskyttelsesfaktorer" in out
    assert "13-15 år (8.-10. trinn: trinn N = N+5 år)" in out or stem == "os"


def test_the_terminal_view_has_the_pyramid_and_groups(cli):
    out = cli("--lang", "nb", "render", str(PLANS / "lier.yaml"), env={"COLUMNS": "200"}).stdout
    lines = out.splitlines()
    pyramid = [line for line in lines if "▇" in line]
    assert [re.sub(r"[▇\s]+", " ", line).strip() for line in pyramid] == [
        "Nødvendig for enkelte 25", "Nyttig for noen 21", "Bra for alle 30"]
    assert len(pyramid[0].strip().split()[0]) < len(pyramid[2].strip().split()[0])  # narrow top, wide base
    by_age = cli("--lang", "nb", "render", str(PLANS / "lier.yaml"), "--by", "age", env={"COLUMNS": "200"}).stdout
    assert "13-18" in by_age and "ingen oppgitt alder" in by_age
    by_unit = cli("--lang", "nb", "render", str(PLANS / "lier.yaml"), "--by", "unit", env={"COLUMNS": "200"}).stdout
    assert "PP-tjenesten" in by_unit and cli("render", str(PLANS / "lier.yaml"), "--by", "colour").code == 2


def test_a_template_can_be_replaced(cli, tmp_path):
    (tmp_path / "plan.md.j2").write_text("# {{ plan.municipality }}: {{ measures | length }} {{ _('Measures') }}\n",
                                         encoding="utf-8")
    (tmp_path / "page.css").write_text("body { color: #000; } /* egen stil */\n", encoding="utf-8")
    markdown = cli("--lang", "nb", "render", str(PLANS / "os.yaml"), "--format", "markdown", "--template", str(tmp_path))
    assert markdown.stdout == "# Os kommune: 38 Tiltak\n"
    html = cli("render", str(PLANS / "os.yaml"), "--format", "html", "--template", str(tmp_path)).stdout
    assert "/* egen stil */" in html and "tiltak-mst" in html  # the shipped page with the replaced style


def test_a_broken_template_is_one_line(cli, tmp_path):
    (tmp_path / "plan.md.j2").write_text("{{ plan.nosuch }}\n", encoding="utf-8")
    result = cli("render", str(PLANS / "os.yaml"), "--format", "markdown", "--template", str(tmp_path))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: the template plan.md.j2") and len(result.stderr.splitlines()) == 1
    missing = cli("render", str(PLANS / "os.yaml"), "--format", "markdown", "--template", str(tmp_path / "nope"))
    assert missing.code == 2 and "is not a directory of templates" in missing.stderr


def test_output_files_are_written_whole_with_their_mode(cli, tmp_path):
    target = tmp_path / "plan.html"
    target.write_text("gammel", encoding="utf-8")
    target.chmod(0o640)
    assert cli("render", str(PLANS / "os.yaml"), "--format", "html", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]  # no temporary file left
    plain = tmp_path / "plan.txt"
    assert cli("render", str(PLANS / "os.yaml"), "-o", str(plain)).code == 0
    assert "▇" in plain.read_text(encoding="utf-8") and "\x1b[" not in plain.read_text(encoding="utf-8")


def test_an_unwritable_output_is_one_line_and_exit_2(cli, tmp_path):
    result = cli("render", str(PLANS / "os.yaml"), "--format", "html", "-o", str(tmp_path / "nope" / "plan.html"))
    assert result.code == 2
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'nope' / 'plan.html'}: ")
    assert not os.path.exists(tmp_path / "nope")


def test_render_takes_one_plan(cli):
    result = cli("render", str(PLANS))
    assert result.code == 2 and "render takes one plan file" in result.stderr
