"""The age rules as a reader meets them, for every measure of both plans: what
the plan stated beside the computed ages in query's table ("6 år (1. trinn)"),
the rule beside it in its Markdown ("(1. trinn: trinn N = N+5 år)"), the rules
each table used under it, and the rules and flags of its JSON. The expected
values come from what each measure's target states in the plan files."""

from __future__ import annotations

import functools
import json

import pytest

from conftest import PLANS
from plan_ages import STAGE_AGES, expected_span, read_plan, stated_stages
from plan_ages import targets as plan_targets

#: how a stage is named beside the ages in bokmål (what the plan stated, in short)
STAGE_WORDS = {"newborn": "nyfødt", "barnehage": "barnehage", "skolestart": "skolestart", "sfo": "SFO",
               "barneskole": "barneskole", "ungdomsskole": "ungdomsskole", "grunnskole": "grunnskole",
               "vgs": "videregående skole", "ettervern": "ettervern"}
#: each stage's rule, as the tables print it once underneath (bokmål) and the JSON gives it (English)
STAGE_RULES_NB = {"newborn": "nyfødt/spedbarn = 0 år", "barnehage": "barnehage = 1-5 år",
                  "skolestart": "skolestartere = 5-6 år (begynner i 1. trinn det året de fyller 6)",
                  "sfo": "SFO = 1.-4. trinn = 6-9 år", "barneskole": "barneskole = 1.-7. trinn = 6-12 år",
                  "ungdomsskole": "ungdomsskole = 8.-10. trinn = 13-15 år",
                  "grunnskole": "grunnskole = 1.-10. trinn = 6-15 år", "vgs": "videregående = ca. 16-18 år",
                  "ettervern": "ettervern = 18 år til fylte 25 (18-24 år)"}
STAGE_RULES_EN = {"newborn": "newborn/infant = age 0", "barnehage": "kindergarten (barnehage) = ages 1-5",
                  "skolestart": "school starters = ages 5-6 (they start grade 1 in the year they turn 6)",
                  "sfo": "after-school care (SFO) = grades 1-4 = ages 6-9",
                  "barneskole": "primary school (barneskole) = grades 1-7 = ages 6-12",
                  "ungdomsskole": "lower secondary school (ungdomsskole) = grades 8-10 = ages 13-15",
                  "grunnskole": "compulsory school (grunnskole) = grades 1-10 = ages 6-15",
                  "vgs": "upper secondary school (videregående) = about ages 16-18",
                  "ettervern": "aftercare (ettervern) = from 18 until the 25th birthday (ages 18-24)"}
GRADE_RULE_NB = "trinn N = N+5 år"


def targets() -> dict[tuple[str, str], dict]:
    """(plan, measure id) -> the measure's target, for every measure of the plan files."""
    return plan_targets(sorted(PLANS.glob("*.yaml")))


def grade_words(grades: dict) -> str:
    low, high = grades["from"], grades["to"]
    return f"{low}. trinn" if low == high else f"{low}.-{high}. trinn"


def measures_with_rules() -> dict[tuple[str, str], dict]:
    found = {key: target for key, target in targets().items() if "grades" in target or stated_stages(target)}
    # both plans state grades and stages, single grades and ranges, and pregnancy before another stage
    assert {"grades" in t for t in found.values()} == {True, False}
    assert any(t["grades"]["from"] == t["grades"]["to"] for t in found.values() if "grades" in t)
    assert any(t.get("stages", [""])[0] == "pregnancy" and stated_stages(t) for t in found.values())
    return found


@functools.cache
def municipality_of(stem: str) -> str:
    return read_plan(PLANS / f"{stem}.yaml")["municipality"]["name"]


def row_of(output: str, stem: str, measure_id: str) -> str:
    """The measure's row of query's Markdown, in its plan's part of the document."""
    municipality = municipality_of(stem)
    part = output.split(f"## {municipality}\n", 1)[1].split("\n## ", 1)[0]
    [line] = [line for line in part.splitlines() if line.endswith(f"| `{measure_id}` |")]
    return line


def test_the_markdown_table_gives_each_rule_beside_the_age(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "markdown")
    assert result.code == 0, result.output
    for (stem, measure_id), target in measures_with_rules().items():
        notes = ([f"{grade_words(target['grades'])}: {GRADE_RULE_NB}"] if "grades" in target else [])
        notes += [STAGE_WORDS[stage] for stage in stated_stages(target)]
        age_cell = row_of(result.stdout, stem, measure_id).split(" | ")[-3]
        assert age_cell.endswith(f" ({'; '.join(notes)})"), (stem, measure_id, age_cell)


def test_each_table_names_the_rules_its_rows_used_once_underneath(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "markdown")
    assert result.code == 0, result.output
    plans = targets()
    seen_rules = set()
    for stem in sorted({stem for stem, _id in plans}):
        municipality = municipality_of(stem)
        part = result.stdout.split(f"## {municipality}\n", 1)[1].split("\n## ", 1)[0]
        blocks = part.split("\n\n")
        for index, table in enumerate(blocks):
            if not table.startswith("| "):
                continue
            expected: list[str] = []
            for line in table.splitlines()[2:]:
                target = plans[(stem, line.rsplit("`", 2)[-2])]
                expected += [GRADE_RULE_NB] if "grades" in target else []
                expected += [STAGE_RULES_NB[stage] for stage in stated_stages(target)]
            expected = list(dict.fromkeys(expected))
            seen_rules |= set(expected)
            following = blocks[index + 1].rstrip("\n") if index + 1 < len(blocks) else ""
            if expected:
                assert following == f"Aldersregler: {'; '.join(expected)}", (stem, table, following)
            else:
                assert not following.startswith("Aldersregler:"), (stem, table, following)
    assert GRADE_RULE_NB in seen_rules and len(seen_rules) > 1  # the grade rule and stage rules were checked


def test_the_terminal_table_says_what_the_plan_stated(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--color", "never")
    assert result.code == 0, result.output
    lines = result.stdout.splitlines()
    for (stem, measure_id), target in measures_with_rules().items():
        stated = ([grade_words(target["grades"])] if "grades" in target else [])
        stated += [STAGE_WORDS[stage] for stage in stated_stages(target)]
        # the id stands on the row's second line, under the name; the ages on the first
        [index] = [i for i, line in enumerate(lines) if f"│ {measure_id} " in line]
        assert f" ({', '.join(stated)}) " in lines[index - 1], (stem, measure_id, lines[index - 1])


def test_the_json_gives_each_rule_in_full_and_true_or_false_flags(cli):
    result = cli("query", str(PLANS), "--format", "json")
    assert result.code == 0, result.output
    records = {(r["plan"], r["id"]): r for r in json.loads(result.stdout)}
    plans = targets()
    assert records.keys() == plans.keys()
    for key, target in plans.items():
        record = records[key]
        expected = []
        if "grades" in target:
            low, high = target["grades"]["from"], target["grades"]["to"]
            grades = f"grade {low}" if low == high else f"grades {low}-{high}"
            ages = f"{low + 5} years" if low == high else f"{low + 5}-{high + 5} years"
            expected.append(f"{grades} = {ages} (grade N = age N+5)")
        expected += [STAGE_RULES_EN[stage] for stage in stated_stages(target)]
        assert record["age_rule"] == expected, key
        # JSON booleans, never null: a program tests them with `is false`
        assert record["prenatal"] is ("pregnancy" in target.get("stages", [])), key
        assert record["age_stated"] in (True, False), key
        if target.get("stages") or "grades" in target:
            assert record["age_stated"] is False, key  # a grade or a stage is not an age in years


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_single_grade_is_one_grade_in_both_languages(cli, lang):
    single = {key: t for key, t in measures_with_rules().items()
              if "grades" in t and t["grades"]["from"] == t["grades"]["to"]}
    result = cli("--lang", lang, "query", str(PLANS), "--format", "markdown")
    assert result.code == 0, result.output
    for (stem, measure_id), target in single.items():
        grade = target["grades"]["from"]
        words = f"{grade}. trinn: trinn N = N+5 år" if lang == "nb" else f"grade {grade}: grade N = age N+5"
        assert f"({words}" in row_of(result.stdout, stem, measure_id), measure_id


# -- which ages a measure is for ------------------------------------------------------


def query_ids(cli, *args: str) -> set[tuple[str, str]]:
    result = cli("query", str(PLANS), "--format", "json", *args)
    assert result.code in (0, 1), result.output
    return {(r["plan"], r["id"]) for r in json.loads(result.stdout or "[]")}


def test_the_ages_of_every_measure_follow_the_rules(cli):
    result = cli("query", str(PLANS), "--format", "json")
    assert result.code == 0, result.output
    plans = targets()
    for record in json.loads(result.stdout):
        target = plans[(record["plan"], record["id"])]
        assert (record["age_min"], record["age_max"]) == expected_span(target), record["id"]


def test_an_age_finds_the_measures_whose_range_holds_it_at_both_ends(cli):
    plans = targets()
    spans = {key: expected_span(target) for key, target in plans.items()}
    for age in range(0, 27):
        expected = {key for key, (low, high) in spans.items()
                    if low is not None and low <= age and (high is None or age <= high)}
        assert query_ids(cli, "--age", str(age)) == expected, age
    assert any(high == low for low, high in spans.values() if low is not None)  # one age: both ends at once


@pytest.mark.parametrize("stage", ["pregnancy", *STAGE_AGES])
def test_a_stage_finds_the_measures_whose_ages_meet_its_own(cli, stage):
    plans = targets()
    if stage == "pregnancy":
        expected = {key for key, target in plans.items() if "pregnancy" in target.get("stages", [])}
    else:
        first, last = STAGE_AGES[stage]
        expected = {key for key, target in plans.items()
                    if (span := expected_span(target))[0] is not None and span[0] <= last
                    and (span[1] is None or first <= span[1])}
    assert expected
    assert query_ids(cli, "--stage", stage) == expected


def age_words_nb(target: dict) -> str:
    """The ages as the tables write them in bokmål: "svangerskap, 0-17 år", "13 år", "alder ikke oppgitt"."""
    low, high = expected_span(target)
    parts = ["svangerskap"] if "pregnancy" in target.get("stages", []) else []
    if low is not None:
        parts.append(f"{low} år og eldre" if high is None else f"{low} år" if low == high else f"{low}-{high} år")
    return ", ".join(parts) or "alder ikke oppgitt"


def test_the_age_cell_names_pregnancy_and_the_ages_together(cli):
    result = cli("--lang", "nb", "query", str(PLANS), "--format", "markdown")
    assert result.code == 0, result.output
    plans = targets()
    for (stem, measure_id), target in plans.items():
        age_cell = row_of(result.stdout, stem, measure_id).split(" | ")[-3]
        assert age_cell.split(" †")[0].split(" (")[0] == age_words_nb(target), (stem, measure_id, age_cell)
    # a measure for pregnancy and for ages after birth was among them
    assert any(age_words_nb(target).startswith("svangerskap, ") for target in plans.values())


def test_the_overviews_name_the_bands_and_pregnancy_in_the_runs_language(cli):
    for lang, pregnancy in (("nb", "svangerskap"), ("en", "pregnancy")):
        result = cli("--lang", lang, "coverage", str(PLANS), "--format", "markdown")
        assert result.code == 0, result.output
        heading = next(line for line in result.stdout.splitlines() if line.startswith("| "))
        assert heading.split(" | ")[2:8] == [pregnancy, "0-2", "3-5", "6-12", "13-18", "19-25"], heading
