"""What a rule is, and the rules about the file (FB0xx) and the schema (FB1xx):
each with an id, a name, a severity, a one-line summary and an explanation
with an example of the fix. The loader and the schema step raise these.

Rules about references (FB2xx) and what a plan must hold (FB3xx) are declared
next to their checks in `checks.py`, as ruff keeps a rule's documentation
beside its code; `catalogue.py` puts both together for those who list or look
up any rule. Neither this module nor `checks.py` needs the other's rules to
exist: the catalogue imports both, and nothing here imports the checks.

Summaries and explanations are English message ids: show them with
`i18n._(rule.summary)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from .findings import ERROR
from .i18n import N_, _


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the catalogue: id, name, severity, what it checks and why."""

    id: str
    name: str
    severity: str
    summary: str
    explanation: str

    @property
    def severity_word(self) -> str:
        """The severity in the run's language, for people (the finding lines keep the English word)."""
        return _("error") if self.severity == "error" else _("warning")


#: the file and schema rules (FB0xx, FB1xx) by id, and by name (the kind a PlanFileError carries)
FILE_RULES: dict[str, Rule] = {}
FILE_RULES_BY_NAME: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    assert rule.id not in FILE_RULES and rule.name not in FILE_RULES_BY_NAME, rule.id
    FILE_RULES[rule.id] = rule
    FILE_RULES_BY_NAME[rule.name] = rule
    return rule


# -- the file itself ---------------------------------------------------
register(Rule("FB001", "yaml-syntax", ERROR, N_("The file is not valid YAML."),
         N_("The YAML parser stopped at the position given. Common causes: a missing\n"
            "space after a colon, an unclosed quote or bracket, or a value that contains\n"
            "`: ` without quotes.\n\n"
            "Fix:   description: Åpent: mandag-torsdag\n"
            "  ->   description: \"Åpent: mandag-torsdag\"")))
register(Rule("FB002", "not-utf8", ERROR, N_("The file is not UTF-8 text."),
         N_("Plan files are UTF-8, so that æ, ø and å survive every editor and tool. The\n"
            "finding points at the first byte that is not UTF-8. Fix: open the file in\n"
            "your editor and save it with the encoding 'UTF-8'.")))
register(Rule("FB003", "empty-file", ERROR, N_("The file is empty."),
         N_("A plan file holds at least `schema_version`, `municipality`, `plan`, `units`\n"
            "and `measures`. Fix: start from a copy of plans/lier.yaml.")))
register(Rule("FB004", "binary-file", ERROR, N_("The file is binary, not text."),
         N_("The file contains NUL bytes, so it is not a YAML text file (perhaps a Word\n"
            "document or a PDF saved with a .yaml name). Fix: export the plan as YAML.")))
register(Rule("FB005", "file-too-large", ERROR, N_("The file is too large to be a plan."),
         N_("Plan files are tens of kilobytes and hold a few thousand values. Files over\n"
            "1 MB are refused unread; a line over 10,000 characters or more than 50,000\n"
            "lines are refused before parsing, and reading stops after 20,000 values, so\n"
            "a wrong file cannot keep the tool busy or exhaust memory. Fix: check that\n"
            "the path names a plan; break a very long text over several lines with a\n"
            "folded block (`description: >-`).")))
register(Rule("FB006", "duplicate-key", ERROR, N_("The same key appears twice in one mapping."),
         N_("YAML tools disagree on which of two equal keys wins, so a duplicate key\n"
            "loses data silently. Fix: keep the right one and remove the other.\n\n"
            "Example:   level: universal\n"
            "           level: selected      <- one of them must go")))
register(Rule("FB007", "yaml-alias", ERROR, N_("The file uses YAML anchors and aliases (&name / *name)."),
         N_("Aliases make one part of the file stand for another, which hides what a plan\n"
            "says and can make a tiny file expand into billions of values. Fix: write the\n"
            "value out in full where the alias stands.")))
register(Rule("FB008", "nesting-too-deep", ERROR, N_("The YAML nests deeper than any plan does."),
         N_("A plan nests about six levels (measures -> measure -> target -> ages -> from).\n"
            "Fix: check the indentation around the position given.")))
register(Rule("FB009", "control-character", ERROR, N_("Plan text holds a control character (such as ESC)."),
         N_("A quoted YAML text can carry control characters as escapes (\"\\e[2J\",\n"
            "\"\\x07\"). They are invisible in an editor, but a terminal obeys them and\n"
            "a spreadsheet or web page may show them differently, so a plan text could\n"
            "hide or change what a reader sees. Tabs and line breaks are allowed.\n\n"
            "Fix:   name: \"Tranby\\e[2J\"\n"
            "  ->   name: Tranby")))
# -- the schema ----------------------------------------------------------
register(Rule("FB101", "unknown-field", ERROR, N_("A field the schema does not know."),
         N_("Every object in a plan file has a fixed set of fields, so a misspelt field\n"
            "is caught instead of ignored. Fix: correct the spelling, or remove it.\n\n"
            "Fix:   responsibel: [ppt]\n"
            "  ->   responsible: [ppt]")))
register(Rule("FB102", "missing-field", ERROR, N_("A required field is missing."),
         N_("Some fields must always be there: a measure needs `id`, `name`, `level`,\n"
            "`description`, `target` and `responsible`. Fix: add the field named.")))
register(Rule("FB103", "wrong-type", ERROR, N_("A value has the wrong type (text, number, list, ...)."),
         N_("Fix:   grades: {from: \"8\", to: 10}\n"
            "  ->   grades: {from: 8, to: 10}")))
register(Rule("FB104", "invalid-value", ERROR, N_("A value is not one of those allowed."),
         N_("Levels, audiences, stages, services and other choices come from fixed lists,\n"
            "so that plans can be queried and compared. Norwegian words are accepted on\n"
            "the command line, but plan files use the English keys.\n\n"
            "Fix:   level: universelle\n"
            "  ->   level: universal")))
register(Rule("FB105", "invalid-format", ERROR, N_("A value does not have the required form (id, date, e-mail, ...)."),
         N_("Ids are lowercase slugs (`tranby-fritidsklubb`), dates are YYYY-MM-DD, web\n"
            "addresses start with http:// or https://, and text may not be empty.\n\n"
            "Fix:   id: Tranby Fritidsklubb\n"
            "  ->   id: tranby-fritidsklubb")))
register(Rule("FB106", "out-of-range", ERROR, N_("A number or list is outside its allowed range."),
         N_("Ages are 0-120, school grades 1-13 and years 1990-2100; a list that may\n"
            "not repeat a value (audience, stages, aliases) names each value once.\n"
            "Fix: correct the value named.")))
register(Rule("FB107", "schema", ERROR, N_("Any other violation of the plan schema."),
         N_("The file breaks a rule of schemas/plan.schema.json that no more specific\n"
            "rule covers. The message names the field and the form it must have;\n"
            "`forebygging schema --print` shows the schema.\n\n"
            "Fix:   ages: {from: 18, to: 25, until: 25}\n"
            "  ->   ages: {from: 18, until: 25}      <- `to` or `until`, not both")))
