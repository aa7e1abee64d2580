"""The rule catalogue: every check `validate` makes, with an id, a severity, a
one-line summary and an explanation with an example of the fix.

Pure data. `validate` registers one check function per semantic rule; file and
schema rules are raised by the loader and the schema step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: str
    summary: str
    explanation: str


_RULES = (
    # -- the file itself ---------------------------------------------------
    Rule("FB001", "yaml-syntax", ERROR, "The file is not valid YAML.",
         "The YAML parser stopped at the position given. Common causes: a missing\n"
         "space after a colon, an unclosed quote or bracket, or a value that contains\n"
         "`: ` without quotes.\n\n"
         "Fix:   description: Åpent: mandag-torsdag\n"
         "  ->   description: \"Åpent: mandag-torsdag\""),
    Rule("FB002", "not-utf8", ERROR, "The file is not UTF-8 text.",
         "Plan files are UTF-8, so that æ, ø and å survive every editor and tool. The\n"
         "finding points at the first byte that is not UTF-8. Fix: open the file in\n"
         "your editor and save it with the encoding 'UTF-8'."),
    Rule("FB003", "empty-file", ERROR, "The file is empty.",
         "A plan file holds at least `schema_version`, `municipality`, `plan`, `units`\n"
         "and `measures`. Fix: start from a copy of plans/lier.yaml."),
    Rule("FB004", "binary-file", ERROR, "The file is binary, not text.",
         "The file contains NUL bytes, so it is not a YAML text file (perhaps a Word\n"
         "document or a PDF saved with a .yaml name). Fix: export the plan as YAML."),
    Rule("FB005", "file-too-large", ERROR, "The file is too large to be a plan.",
         "Plan files are tens of kilobytes; files over 5 MB are refused unread so a\n"
         "wrong file cannot exhaust memory. Fix: check that the path names a plan."),
    Rule("FB006", "duplicate-key", ERROR, "The same key appears twice in one mapping.",
         "YAML tools disagree on which of two equal keys wins, so a duplicate key\n"
         "loses data silently. Fix: keep one of them.\n\n"
         "Fix:   level: universal\n"
         "       level: selected      <- remove one"),
    Rule("FB007", "yaml-alias", ERROR, "The file uses YAML anchors and aliases (&name / *name).",
         "Aliases make one part of the file stand for another, which hides what a plan\n"
         "says and can make a tiny file expand into billions of values. Fix: write the\n"
         "value out in full where the alias stands."),
    Rule("FB008", "nesting-too-deep", ERROR, "The YAML nests deeper than any plan does.",
         "A plan nests about six levels (measures -> measure -> target -> ages -> from).\n"
         "Fix: check the indentation around the position given."),
    # -- the schema ----------------------------------------------------------
    Rule("FB101", "unknown-field", ERROR, "A field the schema does not know.",
         "Every object in a plan file has a fixed set of fields, so a misspelt field\n"
         "is caught instead of ignored. Fix: correct the spelling, or remove it.\n\n"
         "Fix:   responsibel: [ppt]\n"
         "  ->   responsible: [ppt]"),
    Rule("FB102", "missing-field", ERROR, "A required field is missing.",
         "Some fields must always be there: a measure needs `id`, `name`, `level`,\n"
         "`description`, `target` and `responsible`. Fix: add the field named."),
    Rule("FB103", "wrong-type", ERROR, "A value has the wrong type (text, number, list, ...).",
         "Fix:   grades: {from: \"8\", to: 10}\n"
         "  ->   grades: {from: 8, to: 10}"),
    Rule("FB104", "invalid-value", ERROR, "A value is not one of those allowed.",
         "Levels, audiences, stages, services and other choices come from fixed lists,\n"
         "so that plans can be queried and compared. Norwegian words are accepted on\n"
         "the command line, but plan files use the English keys.\n\n"
         "Fix:   level: universelle\n"
         "  ->   level: universal"),
    Rule("FB105", "invalid-format", ERROR, "A value does not have the required form (id, date, e-mail, ...).",
         "Ids are lowercase slugs (`tranby-fritidsklubb`), dates are YYYY-MM-DD, web\n"
         "addresses start with http:// or https://, and text may not be empty.\n\n"
         "Fix:   id: Tranby Fritidsklubb\n"
         "  ->   id: tranby-fritidsklubb"),
    Rule("FB106", "out-of-range", ERROR, "A number or list is outside its allowed range.",
         "Ages are 0-120, school grades 1-13, years 1990-2100, and lists that must not\n"
         "repeat a value do not. Fix: correct the value named."),
    Rule("FB107", "schema", ERROR, "Any other violation of the plan schema.",
         "The file breaks a rule of schemas/plan.schema.json not covered by a more\n"
         "specific rule. The message names the rule."),
    # -- consistency ---------------------------------------------------------
    Rule("FB201", "unknown-unit", ERROR, "A reference to a unit that is not declared under `units`.",
         "Responsible units are declared once, under `units`, and referred to by id.\n"
         "A reference to an undeclared id means nobody is responsible.\n\n"
         "Fix:   responsible: [pp-tjenesten]\n"
         "  ->   responsible: [ppt]       (the id declared under units)"),
    Rule("FB202", "duplicate-id", ERROR, "Two items of the same kind share an id.",
         "Ids identify measures, units, goals and teams across versions of the plan\n"
         "(`diff` matches measures by id), so each must be unique in its list. Names\n"
         "may repeat; ids may not.\n\n"
         "Fix:   id: pp-tjenesten   (twice)\n"
         "  ->   id: pp-tjenesten-kartlegging / pp-tjenesten-skolefravaer"),
    Rule("FB203", "age-range-order", ERROR, "An age or grade range ends before it starts.",
         "Fix:   ages: {from: 18, to: 13}\n"
         "  ->   ages: {from: 13, to: 18}"),
)

RULES: Mapping[str, Rule] = {rule.id: rule for rule in _RULES}
BY_NAME: Mapping[str, Rule] = {rule.name: rule for rule in _RULES}
