"""Age rules: how school grades and life stages become ages.

Plans write "8.-10. trinn", "skolestartere", "gravide" or "13-26 år". The plan
file stores what the plan says; this module computes the age range and the
rule it used, so a reader can check every derived age. Pure functions only.

Conventions (Norwegian children start 1. trinn in the August of the calendar
year they turn 6):

* grade N is age N+5 (1.-4. trinn 6-9, 5.-7. trinn 10-12, 8.-10. trinn 13-15);
* barnehage is ages 1-5, SFO is grades 1-4, videregående is 16-18;
* "til fylte 25" ends before the 25th birthday (highest age 24);
* pregnancy is not age 0: it is a stage of its own, outside every age range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

GRADE_TO_AGE_OFFSET = 5

#: stage -> (lowest age, highest age, the rule in words). Pregnancy has no ages.
STAGE_AGES: Mapping[str, tuple[int, int, str]] = {
    "newborn": (0, 0, "nyfødt/spedbarn = 0 år"),
    "barnehage": (1, 5, "barnehage = 1-5 år"),
    "skolestart": (5, 6, "skolestartere = 5-6 år (begynner i 1. trinn det året de fyller 6)"),
    "sfo": (6, 9, "SFO = 1.-4. trinn = 6-9 år"),
    "barneskole": (6, 12, "barneskole = 1.-7. trinn = 6-12 år"),
    "ungdomsskole": (13, 15, "ungdomsskole = 8.-10. trinn = 13-15 år"),
    "grunnskole": (6, 15, "grunnskole = 1.-10. trinn = 6-15 år"),
    "vgs": (16, 18, "videregående = ca. 16-18 år"),
    "ettervern": (18, 24, "ettervern = 18 år til fylte 25 (18-24 år)"),
}

#: The overview bands used by INSUM, the national measures catalogue.
BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("svangerskap", None, None),
    ("0-2", 0, 2),
    ("3-5", 3, 5),
    ("6-12", 6, 12),
    ("13-18", 13, 18),
    ("19-25", 19, 25),
)


@dataclass(frozen=True, slots=True)
class AgeSpan:
    """The ages a measure is for, as the tool computed them.

    `low`/`high` are None when the plan states no age. `prenatal` is true when
    the measure covers pregnancy. `rules` says how each part was computed;
    `stated` is true when every part came from ages the plan wrote in years
    (a grade or a stage, pregnancy included, is not an age in years).
    """

    low: int | None
    high: int | None
    prenatal: bool
    rules: tuple[str, ...]
    stated: bool

    @property
    def known(self) -> bool:
        return self.low is not None or self.prenatal

    def overlaps(self, low: int, high: int) -> bool:
        return self.low is not None and self.high is not None and self.low <= high and low <= self.high

    def label(self) -> str:
        """"13-15 år", "svangerskap, 0-17 år", or "" when no age is stated."""
        parts = ["svangerskap"] if self.prenatal else []
        if self.low is not None:
            parts.append(f"{self.low} år" if self.low == self.high else f"{self.low}-{self.high} år")
        return ", ".join(parts)


def grade_ages(low_grade: int, high_grade: int) -> tuple[int, int, str]:
    """Ages for a grade range, with the rule in words."""
    low, high = low_grade + GRADE_TO_AGE_OFFSET, high_grade + GRADE_TO_AGE_OFFSET
    if low_grade == high_grade:
        return low, high, f"{low_grade}. trinn = {low} år (trinn N = N+5 år)"
    return low, high, f"{low_grade}.-{high_grade}. trinn = {low}-{high} år (trinn N = N+5 år)"


def compute(
    ages: tuple[int, int] | None,
    grades: tuple[int, int] | None,
    stages: tuple[str, ...],
) -> AgeSpan:
    """The age span of a target from what the plan states.

    `ages` is (from, highest) with "til fylte N" already turned into N-1 by the
    loader; the union of all parts is returned.
    """
    lows: list[int] = []
    highs: list[int] = []
    rules: list[str] = []
    stated = True
    if ages is not None:
        lows.append(ages[0])
        highs.append(ages[1])
    if grades is not None:
        low, high, rule = grade_ages(*grades)
        lows.append(low)
        highs.append(high)
        rules.append(rule)
        stated = False
    prenatal = False
    for stage in stages:
        stated = False  # a stage is the plan's word for a group, not ages in years
        if stage == "pregnancy":
            prenatal = True
            continue
        low, high, rule = STAGE_AGES[stage]
        lows.append(low)
        highs.append(high)
        rules.append(rule)
        stated = False
    return AgeSpan(
        low=min(lows) if lows else None,
        high=max(highs) if highs else None,
        prenatal=prenatal,
        rules=tuple(rules),
        stated=stated,
    )


def stage_range(stage: str) -> tuple[int, int] | None:
    """The age range a stage stands for, None for pregnancy."""
    if stage == "pregnancy":
        return None
    low, high, _ = STAGE_AGES[stage]
    return low, high
