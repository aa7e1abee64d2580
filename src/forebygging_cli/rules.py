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
         "Plan files are tens of kilobytes and hold a few thousand values; files over\n"
         "1 MB are refused unread, and reading stops after 20,000 values, so a wrong\n"
         "file cannot keep the tool busy or exhaust memory. Fix: check that the path\n"
         "names a plan."),
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
    Rule("FB009", "control-character", ERROR, "Plan text holds a control character (such as ESC).",
         "A quoted YAML text can carry control characters as escapes (\"\\e[2J\",\n"
         "\"\\x07\"). They are invisible in an editor, but a terminal obeys them and\n"
         "a spreadsheet or web page may show them differently, so a plan text could\n"
         "hide or change what a reader sees. Tabs and line breaks are allowed.\n\n"
         "Fix:   name: \"Tranby\\e[2J\"\n"
         "  ->   name: Tranby"),
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
    # -- what barnevernsloven § 15-1 demands of a plan --------------------------
    Rule("FB301", "not-adopted-by-council", ERROR, "The plan is not adopted by the municipal council (kommunestyret).",
         "Barnevernsloven § 15-1 second paragraph: the municipal council itself\n"
         "(kommunestyret selv) adopts the plan. A plan adopted by a committee or the\n"
         "administration, or with no adoption recorded, does not meet the law.\n\n"
         "Fix:   plan:\n"
         "         adopted: {by: kommunestyret, date: 2024-06-12, case_number: PS 45/24}"),
    Rule("FB302", "no-adoption-date", ERROR, "The plan's adoption has no date.",
         "Without the date of the council's decision nobody can tell which version is\n"
         "in force. Fix: add `date` (YYYY-MM-DD) under plan.adopted."),
    Rule("FB303", "no-goals", ERROR, "The plan states no goals.",
         "§ 15-1 requires the plan to describe the goals of the preventive work.\n\n"
         "Fix:   goals:\n"
         "         - id: tidlig-innsats\n"
         "           title: Tidlig innsats til barn og unge"),
    Rule("FB304", "no-responsible-unit", ERROR, "A measure has no responsible unit.",
         "§ 15-1 requires the plan to say how the work is divided between the\n"
         "municipality's services; a measure nobody is responsible for is not divided.\n\n"
         "Fix:   responsible: []\n"
         "  ->   responsible: [helsestasjon]"),
    Rule("FB305", "no-collaboration-arena", ERROR, "The plan describes no collaboration arena.",
         "§ 15-1 requires the plan to describe how the services cooperate: teams,\n"
         "meetings, networks. Fix: add them under `collaboration`, each with its\n"
         "members, how often it meets and whether it is established or planned."),
    # -- what the guidance (Bufdir, KoRus) expects ---------------------------------
    Rule("FB311", "empty-level", WARNING, "A prevention level has no measures.",
         "The guidance expects measures on all three levels (universal, selected,\n"
         "indicated). An empty level is either a gap in the services or measures\n"
         "filed under the wrong level."),
    Rule("FB312", "age-gap", WARNING, "An age band has no measure on any level (a gap).",
         "Bands: pregnancy, 0-2, 3-5, 6-12, 13-18, 19-25 (as in INSUM, the national\n"
         "measures catalogue). A band nothing covers is worth a look before the plan\n"
         "goes to the council: either the municipality offers nothing there, or the\n"
         "plan does not say what it offers. Measures with no stated age cover no band."),
    Rule("FB313", "no-plan-period", WARNING, "The plan states no plan period.",
         "A period says when the plan is to be revised. Fix:\n"
         "  plan:\n"
         "    period: {from: 2024, to: 2028}"),
    Rule("FB314", "no-risk-factors", WARNING, "The plan lists no risk and protective factors.",
         "The guidance asks for a knowledge base: which risk factors the measures\n"
         "work against and which protective factors they build. Fix: add\n"
         "knowledge_base.risk_and_protective_factors."),
    Rule("FB315", "no-follow-up", WARNING, "The plan does not say how it is followed up or evaluated.",
         "Fix: add plan.follow_up with who reports on the plan, to whom and how often."),
    Rule("FB316", "no-stated-age", WARNING, "A measure states no age, grade or stage.",
         "Such a measure never shows up when someone asks for the measures for a\n"
         "given age, and it cannot close an age gap. Fix: add target.ages, grades or\n"
         "stages when the plan says who the measure is for (and only then)."),
    Rule("FB317", "duplicate-name", WARNING, "Two measures share a name and no group.",
         "Readers cannot tell them apart. When one table row or merged cell holds\n"
         "several measures, give them a common `group`; otherwise make the names say\n"
         "how they differ."),
    Rule("FB318", "malformed-contact", WARNING, "An e-mail address or phone number looks malformed.",
         "Fix:   email: rune.drangslund@lier .kommune.no\n"
         "  ->   email: rune.drangslund@lier.kommune.no\n"
         "Phone numbers are eight digits (spaces allowed), with an optional +47."),
    Rule("FB319", "unused-unit", WARNING, "A unit is declared but nothing refers to it.",
         "Every declared unit should be responsible for a measure or take part in an\n"
         "arena, coordinator role or model. Fix: refer to it, or remove it."),
    Rule("FB320", "duplicate-municipality", WARNING, "Two plan files describe the same municipality.",
         "Each municipality has one plan in force, so a plan repository holds one file\n"
         "per municipality. Two files for one municipality (a draft beside the adopted\n"
         "plan, or a copy in another directory) make every query count its measures\n"
         "twice. Keep older versions in git history (`forebygging diff` compares\n"
         "them), keep drafts outside the plans directory, or correct the name under\n"
         "`municipality`."),
)

RULES: Mapping[str, Rule] = {rule.id: rule for rule in _RULES}
BY_NAME: Mapping[str, Rule] = {rule.name: rule for rule in _RULES}
