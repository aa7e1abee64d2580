"""Every kind of change in diff.KINDS, made by one edit of a real plan, in all
three formats: the JSON change list and its message, the terminal's line
under its section, and the Markdown's line or table row (before and after the
right way round; an added measure as the new plan has it, a removed one as the
old plan had it). Values the plans hold are read from them, not written here.

plan-added and plan-removed come from git and are checked in test_diff_git.py."""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from conftest import PLANS
from forebygging_cli.diff import KINDS
from forebygging_cli.load import build_plan, read_document
from test_diff import dump, load_rt, measure

LIER_PLAN = build_plan(read_document(PLANS / "lier.yaml"))
OS_PLAN = build_plan(read_document(PLANS / "os.yaml"))


def item(data, key: str, item_id: str):
    return next(x for x in data[key] if x["id"] == item_id)


def unit_name(plan, unit_id: str) -> str:
    return plan.unit(unit_id).name


def ages_text(plan, measure_id: str) -> str:
    span = next(m for m in plan.measures if m.id == measure_id).target.span
    return f"{span.low}-{span.high} years"


@dataclass
class Case:
    kind: str
    stem: str
    edit: Callable[[Any], None]
    #: (change, id, field) of every change, in order
    changes: list[tuple]
    #: the subject and message of the first change, as the terminal and JSON show them
    subject: str
    message: str
    #: the Markdown row of the first change, for the kinds shown as a table
    row: list[str] | None = None
    #: compare the edited plan with the plan (an addition turned into a removal)
    reverse: bool = False


def _tranby():
    return next(m for m in LIER_PLAN.measures if m.id == "tranby-fritidsklubb")


def add_measure(data):
    new = copy.deepcopy(measure(data, "tranby-fritidsklubb"))
    new.update(id="ny-fritidsklubb", name="Ny fritidsklubb", description="Ny møteplass for ungdom på Hegg.")
    data["measures"].append(new)


def add_unit(data):
    data["units"].append({"id": "fritidsklubbene", "name": "Fritidsklubbene", "service": "kultur-fritid"})


def add_goal(data):
    data["goals"].append({"id": "trygge-fritidsarenaer", "title": "Alle unge har en trygg fritidsarena."})


def add_arena(data):
    data["collaboration"].append({"id": "utadrettet-team", "name": "Utadrettet team", "status": "planned"})


def add_coordinator(data):
    data["coordinators"].append({"id": "fritidskoordinator", "name": "Fritidskoordinator",
                                 "role": "Koordinerer fritidstilbudet for barn og unge."})


def set_path(*keys, value):
    def edit(data):
        node = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value(node[keys[-1]]) if callable(value) else value
    return edit


TRANBY = _tranby()
LIER_LEVEL = LIER_PLAN.level_label
MST = next(m for m in OS_PLAN.measures if m.id == "mst")
ARENA = OS_PLAN.arenas[0]
SUB_GOAL = OS_PLAN.goals[0].sub_goals[0]
LIER_DEFINITION = LIER_PLAN.definitions[1]
FIRST_WORD = LIER_DEFINITION.text.split()[0]
COORDINATOR = LIER_PLAN.coordinators[1]
STATUS_LABELS = {"established": "established", "planned": "planned", "required-by-law": "required by law"}
OTHER_STATUS = "planned" if COORDINATOR.status != "planned" else "established"
REASON_WORDS = OS_PLAN.ignored_rules["FB301"].split()

CASES = [
    Case("measure-added", "lier", add_measure, [("measure-added", "ny-fritidsklubb", None)], "Ny fritidsklubb",
         f"new measure on {LIER_LEVEL('universal')}",
         row=["Ny fritidsklubb", LIER_LEVEL("universal"), ages_text(LIER_PLAN, "tranby-fritidsklubb"),
              unit_name(LIER_PLAN, "ung-kultur")]),
    Case("measure-removed", "lier", lambda d: d["measures"].remove(measure(d, "tranby-fritidsklubb")),
         [("measure-removed", "tranby-fritidsklubb", None)], TRANBY.name, f"removed from {LIER_LEVEL('universal')}",
         row=[TRANBY.name, LIER_LEVEL(TRANBY.level), ages_text(LIER_PLAN, "tranby-fritidsklubb"),
              unit_name(LIER_PLAN, TRANBY.responsible[0])]),
    Case("measure-renamed", "lier", set_path("measures", TRANBY.index, "id", value="tranby-klubb"),
         [("measure-renamed", "tranby-klubb", "id")], TRANBY.name, "id tranby-fritidsklubb → tranby-klubb"),
    Case("measure-level", "lier", set_path("measures", TRANBY.index, "level", value="selected"),
         [("measure-level", "tranby-fritidsklubb", "level")], TRANBY.name,
         f"{LIER_LEVEL('universal')} → {LIER_LEVEL('selected')}",
         row=[TRANBY.name, LIER_LEVEL("universal"), LIER_LEVEL("selected")]),
    Case("measure-responsible", "lier", set_path("measures", TRANBY.index, "responsible", value=["ppt"]),
         [("measure-responsible", "tranby-fritidsklubb", "responsible")], TRANBY.name,
         f"added: {unit_name(LIER_PLAN, 'ppt')}; removed: {unit_name(LIER_PLAN, 'ung-kultur')}",
         row=[TRANBY.name, unit_name(LIER_PLAN, "ung-kultur"), unit_name(LIER_PLAN, "ppt")]),
    Case("measure-ages", "lier", set_path("measures", TRANBY.index, "target", "grades", "to", value=13),
         [("measure-ages", "tranby-fritidsklubb", "ages")], TRANBY.name, "13-15 years → 13-18 years",
         row=[TRANBY.name, "13-15 years", "13-18 years"]),
    Case("measure-audience", "lier",
         set_path("measures", TRANBY.index, "target", "audience", value=lambda a: [*a, "parents"]),
         [("measure-audience", "tranby-fritidsklubb", "audience")], TRANBY.name,
         "children and young people → children and young people, parents and guardians"),
    Case("measure-requires-decision", "os", set_path("measures", MST.index, "requires_decision", value="no"),
         [("measure-requires-decision", "mst", "requires_decision")], MST.name,
         "requires a formal decision: Yes → No"),
    Case("measure-target", "lier",
         set_path("measures", TRANBY.index, "target", "text", value="8.-10.trinn for elevene ved Tranby skole"),
         [("measure-target", "tranby-fritidsklubb", "target")], TRANBY.name,
         f"target group: «{TRANBY.target.text}» → «8.-10.trinn for elevene ved Tranby skole»"),
    Case("measure-age-basis", "lier",
         lambda d: measure(d, "tranby-fritidsklubb")["target"].update(grades=None, ages={"from": 13, "to": 15})
         or measure(d, "tranby-fritidsklubb")["target"].pop("grades"),
         [("measure-age-basis", "tranby-fritidsklubb", "age_basis")], TRANBY.name,
         "the ages are stated differently: grades 8-10 → 13-15 years; the age range is the same (13-15 years)"),
    Case("measure-name", "lier", set_path("measures", TRANBY.index, "name", value="Tranby fritidsklubb"),
         [("measure-name", "tranby-fritidsklubb", "name")], "Tranby fritidsklubb",
         f"name: «{TRANBY.name}» → «Tranby fritidsklubb»"),
    Case("measure-description", "lier",
         set_path("measures", TRANBY.index, "description",
                  value=lambda text: text.replace("Åpen møteplass", "Åpen og trygg møteplass")),
         [("measure-description", "tranby-fritidsklubb", "description")], TRANBY.name,
         "description: … Tranby skoles elever. Åpen {+og trygg+} møteplass lokalisert på Lier …"),
    Case("measure-group", "os", set_path("measures", MST.index, "group", value="Foreldreveiledning"),
         [("measure-group", "mst", "group")], MST.name, f"group: «{MST.group}» → «Foreldreveiledning»"),
    Case("measure-contacts", "lier",
         set_path("measures", TRANBY.index, "contacts", 0, "email", value="rune@lier.kommune.no"),
         [("measure-contacts", "tranby-fritidsklubb", "contacts.email")], TRANBY.name,
         f"{TRANBY.contacts[0].name}, e-mail address: added «rune@lier.kommune.no»"),
    Case("measure-derived", "lier", set_path("measures", TRANBY.index, "derived", value=["target.audience"]),
         [("measure-derived", "tranby-fritidsklubb", "derived")], TRANBY.name, "derived values: added: participants"),
    Case("measure-notes", "lier", set_path("measures", TRANBY.index, "source", "line", value=lambda n: n + 1),
         [("measure-notes", "tranby-fritidsklubb", "source.line")], TRANBY.name,
         f"line in the source: {TRANBY.source_line} → {TRANBY.source_line + 1}"),
    Case("unit-added", "lier", add_unit, [("unit-added", "fritidsklubbene", None)], "Fritidsklubbene", "new"),
    Case("unit-removed", "lier", add_unit, [("unit-removed", "fritidsklubbene", None)], "Fritidsklubbene",
         "removed", reverse=True),
    Case("unit-renamed", "lier",
         lambda d: next(u for u in d["units"] if u["id"] == "ung-kultur").update(name="Ung kultur og fritid"),
         [("unit-renamed", "ung-kultur", "name")], "Ung kultur og fritid",
         f"name: «{unit_name(LIER_PLAN, 'ung-kultur')}» → «Ung kultur og fritid»"),
    Case("unit-changed", "lier",
         lambda d: next(u for u in d["units"] if u["id"] == "ung-kultur").update(service="frivillig"),
         [("unit-changed", "ung-kultur", "service")], unit_name(LIER_PLAN, "ung-kultur"),
         "service: Culture and leisure → Voluntary and external partners"),
    Case("goal-added", "lier", add_goal, [("goal-added", "trygge-fritidsarenaer", None)],
         "Alle unge har en trygg fritidsarena.", "new"),
    Case("goal-removed", "lier", add_goal, [("goal-removed", "trygge-fritidsarenaer", None)],
         "Alle unge har en trygg fritidsarena.", "removed", reverse=True),
    Case("goal-changed", "os",
         lambda d: d["goals"][0]["sub_goals"][0]["strategies"].append("Foreldremøter om skjermbruk"),
         [("goal-changed", OS_PLAN.goals[0].id, "sub_goals.strategies")], OS_PLAN.goals[0].title,
         f"{SUB_GOAL.number}. {SUB_GOAL.title}, strategy: added «Foreldremøter om skjermbruk»"),
    Case("arena-added", "lier", add_arena, [("arena-added", "utadrettet-team", None)], "Utadrettet team",
         "new (planned)"),
    Case("arena-removed", "lier", add_arena, [("arena-removed", "utadrettet-team", None)], "Utadrettet team",
         "removed", reverse=True),
    Case("arena-status", "lier", lambda d: item(d, "collaboration", "inntaksteam").update(status="established"),
         [("arena-status", "inntaksteam", "status")], "Inntaksteam", "planned → established"),
    Case("arena-changed", "os", lambda d: d["collaboration"][0]["meets"].update(text="kvar veke"),
         [("arena-changed", ARENA.id, "meets")], ARENA.name, f"meetings: «{ARENA.meets}» → «kvar veke»"),
    Case("coordinator-added", "lier", add_coordinator, [("coordinator-added", "fritidskoordinator", None)],
         "Fritidskoordinator", "new"),
    Case("coordinator-removed", "lier", add_coordinator, [("coordinator-removed", "fritidskoordinator", None)],
         "Fritidskoordinator", "removed", reverse=True),
    Case("coordinator-changed", "lier", lambda d: d["coordinators"][1].update(status=OTHER_STATUS),
         [("coordinator-changed", COORDINATOR.id, "status")], COORDINATOR.name,
         f"status: {STATUS_LABELS[COORDINATOR.status]} → {OTHER_STATUS}" if COORDINATOR.status
         else f"status: added {OTHER_STATUS}"),
    Case("adoption", "lier", set_path("plan", "adopted", "date", value="2025-03-20"),
         [("adoption", None, "plan.adopted.date")], "the plan",
         f"date of adoption: {LIER_PLAN.adopted.date} → 2025-03-20"),
    Case("period", "os", set_path("plan", "period", "from", value=lambda year: year + 1),
         [("period", None, "plan.period")], "the plan",
         f"plan period: {OS_PLAN.period[0]}–{OS_PLAN.period[1]} → {OS_PLAN.period[0] + 1}–{OS_PLAN.period[1]}"),
    Case("escalation", "lier", set_path("escalation", "to", value="kommunedirektøren"),
         [("escalation", None, "escalation.to")], "the plan",
         f"escalated to: «{LIER_PLAN.escalation_to}» → «kommunedirektøren»"),
    Case("definitions", "lier",
         set_path("definitions", 1, "text", value=lambda text: text.replace(FIRST_WORD, "Bufdir", 1)),
         [("definitions", None, "definitions.text")], "the plan",
         f"{LIER_DEFINITION.term}, definition: [-{FIRST_WORD}-] {{+Bufdir+}} "
         f"{' '.join(LIER_DEFINITION.text.split()[1:5])} …"),
    Case("plan-text", "lier", set_path("levels", "universal", "label", value="Bra for alle barn"),
         [("plan-text", None, "levels.universal.label")], "the plan",
         f"Universal measures, name of the level: «{LIER_LEVEL('universal')}» → «Bra for alle barn»"),
    Case("validation", "os",
         set_path("validation", "ignore", 0, "reason", value=lambda reason: reason + " Se saken i 2025."),
         [("validation", None, "validation.ignore.reason")], "the plan",
         f"FB301, reason: … {' '.join(REASON_WORDS[-4:])} {{+Se saken i 2025.+}}"),
]


def test_every_kind_is_made_by_an_edit():
    made = {case.kind for case in CASES} | {"plan-added", "plan-removed"}  # those two in test_diff_git.py
    assert made == set(KINDS)


#: the terminal's and the Markdown's section of each kind, in English
SECTIONS = {
    "measure-added": "New measures", "measure-removed": "Removed measures",
    "measure-renamed": "Measures with a new id", "measure-level": "Measures moved to another level",
    "measure-responsible": "New responsibility", "measure-ages": "New age group", "adoption": "Adoption and plan period",
    "period": "Adoption and plan period", "goal-added": "Goals", "goal-removed": "Goals", "goal-changed": "Goals",
    "unit-added": "Units", "unit-removed": "Units", "unit-renamed": "Units", "unit-changed": "Units",
    "coordinator-added": "Coordinators", "coordinator-removed": "Coordinators", "coordinator-changed": "Coordinators",
    "escalation": "Other text of the plan", "definitions": "Other text of the plan", "plan-text": "Other text of the plan",
    "validation": "Other text of the plan",
}


def section_of(kind: str) -> str:
    if kind.startswith("arena-"):
        return "Collaboration arenas and teams"
    return SECTIONS.get(kind, "Other changes to measures")


def unescaped(markdown: str) -> str:
    """Markdown as a reader sees its text: backslash escapes and HTML entities undone."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.kind)
def test_each_kind_in_every_format(cli, tmp_path, case):
    data = load_rt(case.stem)
    case.edit(data)
    edited = dump(data, tmp_path / f"{case.stem}.yaml")
    real = str(PLANS / f"{case.stem}.yaml")
    old, new = (edited, real) if case.reverse else (real, edited)

    result = cli("diff", old, new, "--format", "json")
    assert result.code == 0, result.output
    [plan] = json.loads(result.stdout)["plans"]
    assert [(c["change"], c["id"], c["field"]) for c in plan["changes"]] == case.changes
    first = plan["changes"][0]
    spec = KINDS[case.kind]
    assert (first["kind"], first["severity"], first["subject"]) == (spec.kind, spec.severity, spec.subject)
    assert first["message"] == case.message
    assert plan["summary"][spec.severity] >= 1 and plan["summary"]["by_kind"][case.kind] == len(case.changes)

    text = cli("diff", old, new).stdout
    section = section_of(case.kind)
    assert f"\n\n{section}\n" in text, text
    after_section = text.split(f"\n\n{section}\n", 1)[1]
    assert f"  {case.subject}: {case.message}\n" in after_section, text

    markdown = cli("--lang", "en", "diff", old, new, "--format", "markdown").stdout
    assert f"\n### {section}\n" in markdown
    body = unescaped(markdown.split(f"\n### {section}\n", 1)[1])
    if case.row is not None:
        assert f"| {' | '.join(case.row)} |" in body, markdown
    else:
        words = case.message.replace("[-", "~~").replace("-]", "~~").replace("{+", "**").replace("+}", "**")
        assert f"- **{case.subject}**: {words}" in body, markdown
    assert "`" not in markdown.split("\n", 3)[3]  # after the heading and the compared files: no key in backticks


def test_the_tables_put_before_and_after_the_right_way_round_in_bokmal(cli, tmp_path):
    def edit(data):
        target = measure(data, "tranby-fritidsklubb")
        target["responsible"] = ["ppt"]
        target["target"]["grades"]["to"] = 13
        data["measures"].remove(measure(data, "los"))
    los = next(m for m in LIER_PLAN.measures if m.id == "los")
    data = load_rt("lier")
    edit(data)
    path = dump(data, tmp_path / "lier.yaml")
    markdown = unescaped(cli("--lang", "nb", "diff", str(PLANS / "lier.yaml"), path, "--format", "markdown").stdout)
    responsibility = markdown.split("### Endret ansvar\n", 1)[1].split("###", 1)[0]
    assert "| Tiltak | Før | Etter |" in responsibility
    assert f"| Tranby Fritidsklubb | {unit_name(LIER_PLAN, 'ung-kultur')} | {unit_name(LIER_PLAN, 'ppt')} |" \
        in responsibility
    ages = markdown.split("### Endret aldersgruppe\n", 1)[1].split("###", 1)[0]
    assert "| Tranby Fritidsklubb | 13-15 år | 13-18 år |" in ages
    removed = markdown.split("### Fjernede tiltak\n", 1)[1].split("###", 1)[0]
    span = los.target.span
    age = f"{span.low}-{span.high} år" if span.low is not None else "alder ikke oppgitt"
    assert f"| {los.name} | {LIER_PLAN.level_label(los.level)} | {age} | " \
           f"{', '.join(unit_name(LIER_PLAN, u) for u in los.responsible)} |" in removed
