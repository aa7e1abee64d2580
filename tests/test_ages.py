"""The age rules: grades and stages to ages, and how a span is labelled."""

from __future__ import annotations

import pytest

from forebygging_cli.ages import compute, grade_ages


@pytest.mark.parametrize(
    ("grades", "expected"),
    [((1, 1), (6, 6)), ((1, 4), (6, 9)), ((5, 7), (10, 12)), ((8, 10), (13, 15)), ((1, 10), (6, 15))],
)
def test_grade_n_is_age_n_plus_5(grades, expected):
    low, high, rule = grade_ages(*grades)
    assert (low, high) == expected
    assert "N+5" in rule


def test_stage_ages_follow_the_design_conventions():
    assert (compute(None, None, ("barnehage",)).low, compute(None, None, ("barnehage",)).high) == (1, 5)
    assert (compute(None, None, ("sfo",)).low, compute(None, None, ("sfo",)).high) == (6, 9)
    assert (compute(None, None, ("vgs",)).low, compute(None, None, ("vgs",)).high) == (16, 18)
    assert (compute(None, None, ("ettervern",)).low, compute(None, None, ("ettervern",)).high) == (18, 24)


def test_pregnancy_is_a_stage_not_age_zero():
    span = compute(None, None, ("pregnancy",))
    assert span.prenatal and span.low is None and span.high is None
    assert not span.overlaps(0, 0)
    assert span.label() == "svangerskap"


def test_stated_ages_need_no_rule_and_union_with_grades():
    span = compute((13, 26), None, ())
    assert (span.low, span.high, span.rules, span.stated) == (13, 26, (), True)
    both = compute((16, 18), (8, 10), ())
    assert (both.low, both.high, both.stated) == (13, 18, False)
    assert both.label() == "13-18 år"


def test_no_stated_age_is_unknown_and_matches_no_age():
    span = compute(None, None, ())
    assert not span.known
    assert not span.overlaps(0, 120)
    assert span.label() == ""
