"""Age rules: how school grades and life stages become ages, and the age bands
overviews use. One definition of each, shared by query, validate's age-gap
rule (FB312), coverage and the published page.

Plans write "8.-10. trinn", "skolestartere", "gravide" or "13-26 år". The plan
file stores what the plan says; this module computes the age range and the
rule it used, so a reader can check every derived age. Pure functions only.

Conventions (Norwegian children start 1. trinn in the August of the calendar
year they turn 6):

* grade N is age N+5 (1.-4. trinn 6-9, 5.-7. trinn 10-12, 8.-10. trinn 13-15,
  VG1-VG3 = grades 11-13 = 16-18);
* barnehage is ages 1-5, SFO is grades 1-4, videregående is 16-18;
* "til fylte 25" ends before the 25th birthday (highest age 24);
* pregnancy is not age 0: it is a stage of its own, outside every age range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .i18n import N_, _, pgettext

GRADE_TO_AGE_OFFSET = 5
HIGHEST_GRADE = 13

#: stage -> (lowest age, highest age). Pregnancy has no ages.
STAGE_AGES: Mapping[str, tuple[int, int]] = {
    "newborn": (0, 0),
    "barnehage": (1, 5),
    "skolestart": (5, 6),
    "sfo": (6, 9),
    "barneskole": (6, 12),
    "ungdomsskole": (13, 15),
    "grunnskole": (6, 15),
    "vgs": (16, 18),
    "ettervern": (18, 24),
}
STAGES: tuple[str, ...] = ("pregnancy", *STAGE_AGES)

#: The rule for each stage, in words (translated where shown).
STAGE_RULES: Mapping[str, str] = {
    "newborn": N_("newborn/infant = age 0"),
    "barnehage": N_("kindergarten (barnehage) = ages 1-5"),
    "skolestart": N_("school starters = ages 5-6 (they start grade 1 in the year they turn 6)"),
    "sfo": N_("after-school care (SFO) = grades 1-4 = ages 6-9"),
    "barneskole": N_("primary school (barneskole) = grades 1-7 = ages 6-12"),
    "ungdomsskole": N_("lower secondary school (ungdomsskole) = grades 8-10 = ages 13-15"),
    "grunnskole": N_("compulsory school (grunnskole) = grades 1-10 = ages 6-15"),
    "vgs": N_("upper secondary school (videregående) = about ages 16-18"),
    "ettervern": N_("aftercare (ettervern) = from 18 until the 25th birthday (ages 18-24)"),
}

#: What each stage is called (translated where shown).
STAGE_LABELS: Mapping[str, str] = {
    "pregnancy": N_("pregnancy"),
    "newborn": N_("newborn"),
    "barnehage": N_("kindergarten"),
    "skolestart": N_("school start"),
    "sfo": N_("after-school care (SFO)"),
    "barneskole": N_("primary school"),
    "ungdomsskole": N_("lower secondary school"),
    "grunnskole": N_("compulsory school"),
    "vgs": N_("upper secondary school"),
    "ettervern": N_("aftercare"),
}

GRADE_RULE = N_("grade N = age N+5")


@dataclass(frozen=True, slots=True)
class Band:
    """An age band of the overviews: pregnancy, or ages low-high."""

    name: str
    low: int | None = None
    high: int | None = None

    @property
    def prenatal(self) -> bool:
        return self.low is None

    def label(self) -> str:
        return _("pregnancy") if self.prenatal else self.name


#: The bands INSUM, the national measures catalogue, uses.
BANDS: tuple[Band, ...] = (
    Band("pregnancy"),
    Band("0-2", 0, 2),
    Band("3-5", 3, 5),
    Band("6-12", 6, 12),
    Band("13-18", 13, 18),
    Band("19-25", 19, 25),
)


#: How a part of a span was computed: ("grades", low, high) or ("stage", name).
AgeRule = tuple


@dataclass(frozen=True)  # no slots: see model.py
class AgeSpan:
    """The ages a measure is for, as the tool computed them.

    `low`/`high` are None when the plan states no age; `high` alone is None for
    an open range ("fra 16 år": 16 and older). `prenatal` is true when
    the measure covers pregnancy. `rules` says how each part was computed;
    `stated` is true when every part came from ages the plan wrote in years
    (a grade or a stage, pregnancy included, is not an age in years).
    """

    low: int | None
    high: int | None
    prenatal: bool
    rules: tuple[AgeRule, ...]
    stated: bool

    @property
    def known(self) -> bool:
        return self.low is not None or self.prenatal

    def overlaps(self, low: int, high: int) -> bool:
        return self.low is not None and self.low <= high and (self.high is None or low <= self.high)

    def label(self) -> str:
        """"13-15 år", "svangerskap, 0-17 år", "13 år", "16 år og eldre", or "" when no age is stated."""
        parts = [_("pregnancy")] if self.prenatal else []
        if self.low is not None:
            parts.append(age_range_label(self.low, self.high))
        return ", ".join(parts)


def age_range_label(low: int, high: int | None) -> str:
    if high is None:
        return _("{age} years and older").format(age=low)
    if low == high:
        return _("{age} years").format(age=low)
    return _("{low}-{high} years").format(low=low, high=high)


def band_covers(band: Band, span: AgeSpan) -> bool:
    """Whether a measure with ages `span` belongs in `band` (the one rule
    coverage, FB312 and the page use)."""
    if band.prenatal:
        return span.prenatal
    return span.overlaps(band.low, band.high)  # type: ignore[arg-type]


def grade_ages(low_grade: int, high_grade: int) -> tuple[int, int]:
    return low_grade + GRADE_TO_AGE_OFFSET, high_grade + GRADE_TO_AGE_OFFSET


def grade_label(low: int, high: int) -> str:
    """"8.-10. trinn" / "grades 8-10"."""
    if low == high:
        return pgettext("grade", "grade {grade}").format(grade=low)
    return pgettext("grade", "grades {low}-{high}").format(low=low, high=high)


def rule_text(rule: AgeRule) -> str:
    """One rule as it applies to a measure: "8.-10. trinn = 13-15 år (trinn N = N+5 år)"."""
    if rule[0] == "grades":
        low, high = rule[1], rule[2]
        age_low, age_high = grade_ages(low, high)
        return _("{grades} = {ages} ({rule})").format(grades=grade_label(low, high),
                                                      ages=age_range_label(age_low, age_high), rule=_(GRADE_RULE))
    return _(STAGE_RULES[rule[1]])


def rule_note(rule: AgeRule) -> str:
    """One rule beside the age it gave, without saying the age again: "8.-10. trinn: trinn N = N+5 år", and
    for a stage what the plan stated ("grunnskole"; the stage's rule stands once under the table)."""
    if rule[0] == "grades":
        return _("{grades}: {rule}").format(grades=grade_label(rule[1], rule[2]), rule=_(GRADE_RULE))
    return rule_source(rule)


def rule_basis(rule: AgeRule) -> str:
    """The general rule behind it, printed once under a table: "trinn N = N+5 år"."""
    return _(GRADE_RULE) if rule[0] == "grades" else _(STAGE_RULES[rule[1]])


def rule_source(rule: AgeRule) -> str:
    """What the plan stated, in short: "8.-10. trinn", "barnehage"."""
    return grade_label(rule[1], rule[2]) if rule[0] == "grades" else _(STAGE_LABELS[rule[1]])


def compute(
    ages: tuple[int, int | None] | None,
    grades: tuple[int, int] | None,
    stages: tuple[str, ...],
) -> AgeSpan:
    """The age span of a target from what the plan states.

    `ages` is (from, highest) with "til fylte N" already turned into N-1 by the
    loader; the union of all parts is returned.
    """
    lows: list[int] = []
    highs: list[int | None] = []
    rules: list[AgeRule] = []
    stated = True
    if ages is not None:
        lows.append(ages[0])
        highs.append(ages[1])
    if grades is not None:
        low, high = grade_ages(*grades)
        lows.append(low)
        highs.append(high)
        rules.append(("grades", *grades))
        stated = False
    prenatal = False
    for stage in stages:
        stated = False  # a stage is the plan's word for a group, not ages in years
        if stage == "pregnancy":
            prenatal = True
            continue
        low, high = STAGE_AGES[stage]
        lows.append(low)
        highs.append(high)
        rules.append(("stage", stage))
    return AgeSpan(
        low=min(lows) if lows else None,
        high=None if not highs or None in highs else max(h for h in highs if h is not None),
        prenatal=prenatal,
        rules=tuple(rules),
        stated=stated,
    )


def stage_range(stage: str) -> tuple[int, int] | None:
    """The age range a stage stands for, None for pregnancy."""
    return STAGE_AGES.get(stage)
