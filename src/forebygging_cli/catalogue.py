"""The rule catalogue: every rule `validate` checks, in one place.

The file and schema rules (FB0xx, FB1xx) are declared in `rules.py`, the
reference and completeness rules (FB2xx, FB3xx) beside their checks in
`checks.py`; this module puts them together for what lists, explains or
reports rules: `forebygging rules`, `--select`/`--ignore`, and the report
formats. Summaries and explanations are English message ids: show them with
`i18n._(rule.summary)`.
"""

from __future__ import annotations

from .checks import CHECK_RULES
from .rules import FILE_RULES, Rule

#: every rule by id, in id order
RULES: dict[str, Rule] = dict(sorted({**FILE_RULES, **CHECK_RULES}.items()))
#: every rule by name (yaml-syntax, age-gap, ...)
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES.values()}
assert len(RULES) == len(FILE_RULES) + len(CHECK_RULES) == len(BY_NAME), "a rule id or name is declared twice"


def sorted_rules() -> list[Rule]:
    return list(RULES.values())
