"""The age rules: grades and stages to ages, the rule printed beside a derived
age, and how a span is labelled."""

from __future__ import annotations

import pytest

from forebygging_cli import i18n
from forebygging_cli.ages import BANDS, band_covers, compute, grade_ages, rule_basis, rule_text


@pytest.fixture
def bokmal():
    i18n.activate("nb")
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("grades", "expected"),
    [((1, 1), (6, 6)), ((1, 4), (6, 9)), ((5, 7), (10, 12)), ((8, 10), (13, 15)), ((1, 10), (6, 15)),
     ((11, 13), (16, 18))],
)
def test_grade_n_is_age_n_plus_5(grades, expected):
    assert grade_ages(*grades) == expected
    span = compute(None, grades, ())
    assert (span.low, span.high) == expected
    assert span.rules == (("grades", *grades),)


def test_the_rule_in_words_in_both_languages(bokmal):
    span = compute(None, (8, 10), ())
    assert rule_text(span.rules[0]) == "8.-10. trinn = 13-15 år (trinn N = N+5 år)"
    assert rule_basis(span.rules[0]) == "trinn N = N+5 år"
    assert span.label() == "13-15 år"
    i18n.activate("en")
    assert rule_text(span.rules[0]) == "grades 8-10 = 13-15 years (grade N = age N+5)"
    assert span.label() == "13-15 years"


def test_stage_ages_follow_the_design_conventions():
    for stage, expected in [("barnehage", (1, 5)), ("sfo", (6, 9)), ("vgs", (16, 18)), ("ettervern", (18, 24)),
                            ("barneskole", (6, 12)), ("ungdomsskole", (13, 15)), ("grunnskole", (6, 15))]:
        span = compute(None, None, (stage,))
        assert (span.low, span.high) == expected, stage


def test_pregnancy_is_a_stage_not_age_zero(bokmal):
    span = compute(None, None, ("pregnancy",))
    assert span.prenatal and span.low is None and span.high is None
    assert not span.overlaps(0, 0)
    assert span.label() == "svangerskap"
    assert not span.stated  # a stage is not an age in years


def test_stated_ages_need_no_rule_and_union_with_grades(bokmal):
    span = compute((13, 26), None, ())
    assert (span.low, span.high, span.rules, span.stated) == (13, 26, (), True)
    both = compute((16, 18), (8, 10), ())
    assert (both.low, both.high, both.stated) == (13, 18, False)
    assert both.label() == "13-18 år"
    assert compute((13, 13), None, ()).label() == "13 år"


def test_an_open_range_has_no_upper_end(bokmal):
    span = compute((16, None), None, ())
    assert (span.low, span.high) == (16, None)
    assert span.overlaps(40, 40) and not span.overlaps(0, 15)
    assert span.label() == "16 år og eldre"


def test_no_stated_age_is_unknown_and_matches_no_age():
    span = compute(None, None, ())
    assert not span.known
    assert not span.overlaps(0, 120)
    assert span.label() == ""


def test_bands_and_the_rule_that_puts_a_measure_in_a_band():
    assert [b.name for b in BANDS] == ["pregnancy", "0-2", "3-5", "6-12", "13-18", "19-25"]
    prenatal, toddlers, *_rest, youth, adults = BANDS
    assert band_covers(prenatal, compute(None, None, ("pregnancy",)))
    assert not band_covers(toddlers, compute(None, None, ("pregnancy",)))
    assert band_covers(youth, compute(None, (8, 10), ()))  # 13-15 overlaps 13-18
    assert band_covers(adults, compute((18, 24), None, ()))  # 18-24 overlaps 19-25
    assert not band_covers(adults, compute((13, 18), None, ()))
