"""The plan files as data, and the ages, bands and services of their measures
worked out here by the documented rules (docs/encoding.md, DESIGN.md), so that
tests can check what the tool computes against an account of their own
(tests/test_ages_rules.py, tests/test_coverage_matrix.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: the stages' ages by the conventions: barnehage 1-5, SFO = grades 1-4, videregående 16-18, "til fylte 25" = 24
STAGE_AGES = {"newborn": (0, 0), "barnehage": (1, 5), "skolestart": (5, 6), "sfo": (6, 9), "barneskole": (6, 12),
              "ungdomsskole": (13, 15), "grunnskole": (6, 15), "vgs": (16, 18), "ettervern": (18, 24)}
#: the bands of the overviews (INSUM's): pregnancy, then ages
BANDS = {"pregnancy": None, "0-2": (0, 2), "3-5": (3, 5), "6-12": (6, 12), "13-18": (13, 18), "19-25": (19, 25)}
NO_AGE = "no-age"
LEVELS = ("universal", "selected", "indicated")


#: PyYAML's C parser (a dependency of the tool) where it is built, for speed: the plans are large
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_plan(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def targets(paths: list[Path]) -> dict[tuple[str, str], dict[str, Any]]:
    """(plan, measure id) -> the measure's target as the plan file writes it."""
    return {(path.stem, measure["id"]): measure["target"] for path in paths for measure in read_plan(path)["measures"]}


def stated_stages(target: dict[str, Any]) -> list[str]:
    """The stages that have ages, in the plan's order (pregnancy is a stage of its own, outside every age)."""
    return [stage for stage in target.get("stages", []) if stage != "pregnancy"]


def prenatal(target: dict[str, Any]) -> bool:
    return "pregnancy" in target.get("stages", [])


def expected_span(target: dict[str, Any]) -> tuple[int | None, int | None]:
    """(lowest, highest) age of a target: the union of its stated ages ("til fylte N" ends at N-1; no end is
    open), its grades (grade N = age N+5) and its stages; (None, None) when it states no age."""
    parts: list[tuple[int, int | None]] = []
    if "ages" in target:
        stated = target["ages"]
        until = stated.get("until")
        parts.append((stated["from"], until - 1 if until is not None else stated.get("to")))
    if "grades" in target:
        parts.append((target["grades"]["from"] + 5, target["grades"]["to"] + 5))
    parts += [STAGE_AGES[stage] for stage in stated_stages(target)]
    if not parts:
        return None, None
    highs = [high for _low, high in parts]
    return min(low for low, _high in parts), None if None in highs else max(highs)


def expected_bands(target: dict[str, Any]) -> list[str]:
    """The columns of the coverage matrix a measure counts in: every band its ages overlap, pregnancy when it
    is for pregnancy, and the column of its own when it states no age at all."""
    low, high = expected_span(target)
    found = [name for name, ages in BANDS.items()
             if (prenatal(target) if ages is None else
                 low is not None and low <= ages[1] and (high is None or ages[0] <= high))]
    return found if found or low is not None or prenatal(target) else [NO_AGE]


def expected_services(plan: dict[str, Any], measure: dict[str, Any]) -> set[str]:
    """The services of the units responsible for a measure."""
    service_of = {unit["id"]: unit["service"] for unit in plan.get("units", [])}
    return {service_of[unit] for unit in measure.get("responsible", [])}
