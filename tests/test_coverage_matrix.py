"""`coverage` cell by cell: which measures each cell holds (levels by age band,
services by level), which rows and columns there are, which cells stand out
beside another plan's, and what a measure whose ages lie beyond every band
counts as. The expected matrix is worked out from the plan files
(tests/plan_ages.py), not from the tool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import PLANS
from forebygging_cli.coverage import age_cells, by_age, by_service, service_cells
from forebygging_cli.load import build_plan, read_document
from forebygging_cli.vocab import SERVICES
from plan_ages import BANDS, LEVELS, NO_AGE, expected_bands, expected_services, read_plan

ALL = "all"
PLAN_FILES = sorted(PLANS.glob("*.yaml"))


@pytest.fixture
def beyond_every_band(tmp_path) -> Path:
    """Lier's plan with one measure for ages 30-40: its age is stated, and no band holds it."""
    data = read_plan(PLANS / "lier.yaml")
    measure = next(m for m in data["measures"] if "ages" in m["target"])
    measure["target"] = {**{k: v for k, v in measure["target"].items() if k not in ("grades", "stages")},
                         "ages": {"from": 30, "to": 40}}
    path = tmp_path / "plans" / "lier.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def expected_age_cells(path: Path) -> dict[tuple[str, str], set[str]]:
    """(level or all, band or no-age) -> the ids of the measures in that cell, from the plan file."""
    cells: dict[tuple[str, str], set[str]] = {}
    for measure in read_plan(path)["measures"]:
        for column in expected_bands(measure["target"]):
            for row in (measure["level"], ALL):
                cells.setdefault((row, column), set()).add(measure["id"])
    return cells


def expected_service_cells(path: Path) -> dict[tuple[str, str], set[str]]:
    plan = read_plan(path)
    cells: dict[tuple[str, str], set[str]] = {}
    for measure in plan["measures"]:
        for service in expected_services(plan, measure):
            for column in (measure["level"], ALL):
                cells.setdefault((service, column), set()).add(measure["id"])
    return cells


def coverage_json(cli, *args: str) -> dict:
    result = cli("coverage", "--format", "json", *args)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


def loaded(path: Path):
    return build_plan(read_document(str(path)))


def test_each_cell_holds_the_measures_whose_ages_meet_its_band(cli):
    for path in PLAN_FILES:
        expected = expected_age_cells(path)
        plan = loaded(path)
        matrix, cells = by_age(plan), age_cells(plan)
        columns = [*BANDS, NO_AGE]
        assert (matrix.rows, matrix.columns) == ((*LEVELS, ALL), tuple(columns))
        for row in matrix.rows:
            for column in columns:
                held = [m.id for m in cells.get((row, column), [])]
                assert matrix.count(row, column) == len(held)
                assert sorted(held) == sorted(expected.get((row, column), ())), (path.stem, row, column)
        [document] = coverage_json(cli, str(path))["plans"]
        assert document["cells"] == {row: {column: len(expected.get((row, column), ())) for column in columns}
                                     for row in matrix.rows}


def test_a_measure_whose_ages_no_band_holds_counts_in_no_column(cli, beyond_every_band):
    measure = next(m for m in read_plan(beyond_every_band)["measures"]
                   if m["target"].get("ages") == {"from": 30, "to": 40})
    expected = expected_age_cells(beyond_every_band)
    assert not any(measure["id"] in ids for ids in expected.values())  # its age is stated: not "no stated age"
    [document] = coverage_json(cli, str(beyond_every_band))["plans"]
    for row, counts in document["cells"].items():
        for column, count in counts.items():
            assert count == len(expected.get((row, column), ())), (row, column)


def test_services_by_level_hold_the_measures_of_each_service(cli):
    for path in PLAN_FILES:
        expected = expected_service_cells(path)
        used = [s for s in SERVICES if (s, ALL) in expected]
        plan = loaded(path)
        matrix, cells = by_service(plan), service_cells(plan)
        assert matrix.rows == tuple(used)  # the services it uses, in the vocabulary's order
        for row in used:
            for column in (*LEVELS, ALL):
                held = [m.id for m in cells.get((row, column), [])]
                assert matrix.count(row, column) == len(held)
                assert sorted(held) == sorted(expected.get((row, column), ())), (path.stem, row, column)


@pytest.mark.parametrize("chosen", [["lier"], ["os"], ["lier", "os"]])
def test_the_service_rows_are_the_services_the_chosen_plans_use(cli, chosen):
    document = coverage_json(cli, str(PLANS), "--by", "service", *(f"--plan={stem}" for stem in chosen))
    expected = {}
    for stem in chosen:
        expected.update({key: 0 for key in expected_service_cells(PLANS / f"{stem}.yaml")})
    services = {service for service, _level in expected}
    assert document["by"] == "service"
    assert document["rows"] == [s for s in SERVICES if s in services]
    assert document["columns"] == [*LEVELS, ALL]
    for plan in document["plans"]:
        cells = expected_service_cells(PLANS / f"{plan['plan']}.yaml")
        assert plan["cells"] == {row: {column: len(cells.get((row, column), ())) for column in document["columns"]}
                                 for row in document["rows"]}
        assert plan["gaps"] == []  # gaps are age bands with no measure: there are none to speak of by service


def test_the_title_says_what_the_rows_are(cli):
    by_age_title = cli("--lang", "nb", "coverage", str(PLANS), "--format", "markdown").stdout.splitlines()[0]
    by_service_title = cli("--lang", "nb", "coverage", str(PLANS), "--by", "service",
                           "--format", "markdown").stdout.splitlines()[0]
    assert (by_age_title, by_service_title) == ("**Tiltak per forebyggingsnivå og aldersgruppe**",
                                                "**Tiltak per tjeneste og forebyggingsnivå**")
    assert coverage_json(cli, str(PLANS))["by"] == "age"


@pytest.mark.parametrize("by", ["age", "service"])
def test_a_cell_stands_out_exactly_where_another_plan_has_measures(cli, by):
    document = coverage_json(cli, str(PLANS), "--by", by)
    contrasts = {(c["path"], c["row"], c["column"]) for c in document["contrasts"]}
    expected = set()
    for row in document["rows"]:
        for column in document["columns"]:
            counts = {plan["path"]: plan["cells"][row][column] for plan in document["plans"]}
            if column != NO_AGE and any(counts.values()):
                expected |= {(path, row, column) for path, count in counts.items() if count == 0}
    assert contrasts == expected
    # both plans empty in a cell (no indicated measure for pregnancy): nothing stands out there
    both_empty = [(row, column) for row in document["rows"] for column in document["columns"]
                  if not any(plan["cells"][row][column] for plan in document["plans"])]
    assert both_empty or by == "service"
    assert expected  # and cells where one plan has measures and the other none were checked


def test_one_plan_alone_has_no_cell_that_stands_out(cli):
    for by in ("age", "service"):
        assert coverage_json(cli, str(PLANS / "os.yaml"), "--by", by)["contrasts"] == []


@pytest.fixture
def one_measure(tmp_path) -> Path:
    """Lier's plan with only its first measure, for ages 3-5 (stated, no grade or stage): every other band,
    pregnancy included, has no measure, and no measure lacks an age."""
    data = read_plan(PLANS / "lier.yaml")
    measure = data["measures"][0]
    measure["target"] = {**{k: v for k, v in measure["target"].items() if k not in ("grades", "stages", "ages")},
                         "ages": {"from": 3, "to": 5}}
    data["measures"] = [measure]
    path = tmp_path / "one-measure" / "lier.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def expected_gaps(path: Path) -> list[str]:
    """The bands (pregnancy first) no measure on any level covers, in the bands' order; never 'no stated age'."""
    cells = expected_age_cells(path)
    return [band for band in BANDS if not cells.get((ALL, band))]


def test_the_gaps_are_the_bands_no_measure_covers(cli, one_measure, beyond_every_band):
    paths = [*PLAN_FILES, one_measure, beyond_every_band]
    assert expected_gaps(one_measure) == [band for band in BANDS if band != "3-5"]
    assert any(expected_gaps(path) for path in PLAN_FILES) and not all(expected_gaps(path) for path in PLAN_FILES)
    for path in paths:
        [document] = coverage_json(cli, str(path))["plans"]
        assert document["gaps"] == expected_gaps(path), path


def test_the_legend_names_each_plans_gaps(cli, one_measure):
    for path in [*PLAN_FILES, one_measure]:
        result = cli("--lang", "en", "coverage", str(path), "--format", "markdown")
        assert result.code == 0, result.output
        municipality = read_plan(path)["municipality"]["name"]
        lines = [line for line in result.stdout.splitlines() if line.startswith("Gaps in ")]
        gaps = expected_gaps(path)  # in English the bands' labels are their names
        expected = [f"Gaps in {municipality} (no measure on any level): {', '.join(gaps)}."] if gaps else []
        assert lines == expected, path


def test_a_matrix_keeps_the_head_it_is_given_and_the_levels_the_plan_does_not_set_itself():
    """coverage keeps each plan's head (not its measures) and which levels were derived (Os sorts no measure
    into levels: all three are the encoder's; Lier sets every level itself), from the plan file."""
    from forebygging_cli.coverage import matrix
    from forebygging_cli.query import facts

    for path in PLAN_FILES:
        plan = loaded(path)
        data = read_plan(path)
        derived = {m["level"] for m in data["measures"] if "level" in m.get("derived", [])}
        head = facts(plan).head()
        for by in ("age", "service"):
            kept = matrix(plan, by, head=head)
            assert kept.plan is head and kept.by == by
            assert kept.derived_levels == derived, (path.stem, by)
            assert matrix(plan, by).plan is plan
        assert by_age(plan).derived_levels == by_service(plan).derived_levels == derived
    assert by_age(loaded(PLANS / "os.yaml")).derived_levels == set(LEVELS)
    assert not by_age(loaded(PLANS / "lier.yaml")).derived_levels


def test_plans_side_by_side_share_the_service_rows_any_of_them_uses():
    """matrices/aligned: each plan's own services are its rows until several plans are laid side by side; then
    every matrix has the services any of them uses, in the vocabulary's order, and keeps its own counts."""
    from forebygging_cli.coverage import aligned, matrices

    plans = [loaded(path) for path in PLAN_FILES]
    own = [by_service(plan) for plan in plans]
    for plan, alone in zip(plans, own):
        assert alone.rows == tuple(s for s in SERVICES if (s, ALL) in expected_service_cells(PLANS / f"{plan.stem}.yaml"))
    union = tuple(s for s in SERVICES if any(s in m.rows for m in own))
    together = matrices(plans, "service")
    assert [m.rows for m in together] == [union] * len(plans) and len(union) > max(len(m.rows) for m in own)
    for alone, side in zip(own, together):
        assert side.counts == alone.counts and side.plan is alone.plan
    assert aligned(own) == together
    assert [m.rows for m in matrices(plans, "age")] == [by_age(plan).rows for plan in plans]
    assert aligned([]) == []
