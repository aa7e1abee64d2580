"""The rule catalogue, the § 15-1 completeness rules, --select/--ignore/--strict,
and the report formats (text, json, github, junit)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, PLANS, errors, findings
from forebygging_cli.catalogue import RULES
from forebygging_cli.checks import ACROSS_FILES, DOCUMENT_CHECKS, PLAN_CHECKS

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def variant(tmp_path, old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def rules_found(cli, path: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for f in findings(cli("validate", path).stdout):
        found.setdefault(f["rule"], []).append(f)
    return found


# -- the catalogue -----------------------------------------------------------------


def test_rules_lists_every_rule(cli):
    result = cli("rules")
    assert result.code == 0
    listed = re.findall(r"^(FB\d{3})\s+(error|warning)\s+(\S+)\s+(.+)$", result.stdout, re.M)
    assert len(listed) == len(RULES) >= 12
    assert {rule_id for rule_id, *_ in listed} == set(RULES)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_is_explained(cli, rule_id):
    result = cli("rules", rule_id.lower())
    rule = RULES[rule_id]
    assert result.code == 0
    assert result.stdout.startswith(f"{rule_id} {rule.name} ({rule.severity})")
    assert rule.summary in result.stdout and len(rule.explanation) > 60


def test_rules_by_name_and_unknown_rule(cli):
    assert cli("rules", "age-gap").stdout.startswith("FB312")
    result = cli("rules", "FB999")
    assert result.code == 2 and "no rule 'FB999'" in result.stderr


def test_every_semantic_rule_has_a_check():
    semantic = {r for r in RULES if r >= "FB200"}
    assert semantic == set(DOCUMENT_CHECKS) | set(PLAN_CHECKS) | set(ACROSS_FILES)


# -- completeness under § 15-1 -------------------------------------------------------


def test_minimal_plan_has_no_errors(cli):
    result = cli("validate", str(FIXTURES / "minimal.yaml"))
    assert result.code == 0 and errors(result.stdout) == []


@pytest.mark.parametrize(("old", "new", "rule", "words"), [
    ("  adopted:\n    by: kommunestyret\n    date: 2025-01-30\n", "", "FB301", "kommunestyret itself"),
    ("by: kommunestyret", "by: formannskapet", "FB301", "adopted by 'formannskapet'"),
    ("    date: 2025-01-30\n", "", "FB302", "no date"),
    ("goals:\n  - id: tidlig-innsats\n    title: Tidlig innsats\n", "", "FB303", "no goals"),
    ("responsible: [ppt]", "responsible: []", "FB304", "no responsible unit"),
    ("collaboration:\n  - id: ressursteam\n    name: Ressursteam\n    status: established\n", "", "FB305",
     "no collaboration arena"),
])
def test_what_the_law_demands_is_an_error(cli, tmp_path, old, new, rule, words):
    path = variant(tmp_path, old, new)
    result = cli("validate", path)
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert finding["rule"] == rule and words in finding["message"]


def test_guidance_warnings_on_the_minimal_plan(cli, tmp_path):
    found = rules_found(cli, str(FIXTURES / "minimal.yaml"))
    # one selected measure for grades 8-10: two empty levels, every band but 13-18 a gap
    assert len(found["FB311"]) == 2
    gaps = {re.search(r"covers (pregnancy|ages [\d-]+)", f["message"]).group(1) for f in found["FB312"]}
    assert gaps == {"pregnancy", "ages 0-2", "ages 3-5", "ages 6-12", "ages 19-25"}
    assert "FB314" in found and "FB315" in found and "FB313" not in found


def test_no_period_and_no_stated_age(cli, tmp_path):
    path = variant(tmp_path, "  period:\n    from: 2025\n    to: 2028\n", "")
    assert "FB313" in rules_found(cli, path)
    path = variant(tmp_path, "      grades: {from: 8, to: 10}\n", "")
    [finding] = rules_found(cli, path)["FB316"]
    assert "'kartlegging' states no age" in finding["message"]


SECOND_MEASURE = """  - id: kartlegging-2
    name: Kartlegging
    level: selected
    description: Kartlegging av elever på 8.-10. trinn.
    target:
      grades: {from: 8, to: 10}
      audience: [children]
    responsible: [ppt]
"""


def test_duplicate_name_without_group(cli, tmp_path):
    path = variant(tmp_path, "collaboration:\n", SECOND_MEASURE + "collaboration:\n")
    [finding] = rules_found(cli, path)["FB317"]
    assert "same name as the measure on line" in finding["message"]
    grouped = MINIMAL.replace("    level: selected\n", "    level: selected\n    group: Kartlegging\n")
    path = variant(tmp_path, "collaboration:\n", SECOND_MEASURE.replace("    level", "    group: Kartlegging\n    level")
                   + "collaboration:\n", grouped)
    assert "FB317" not in rules_found(cli, path)


def test_malformed_contacts_are_warnings(cli, tmp_path):
    path = variant(tmp_path, "    responsible: [ppt]\n", "    responsible: [ppt]\n    contacts:\n"
                   "      - {email: per.hansen@lier .kommune.no, phone: '94 50 04'}\n"
                   "      - {email: per@lier.kommune.no, phone: '+47 94 50 04 00'}\n")
    result = cli("validate", path)
    assert result.code == 0  # warnings only
    messages = [f["message"] for f in rules_found(cli, path)["FB318"]]
    assert len(messages) == 2
    assert any("per.hansen@lier .kommune.no" in m for m in messages) and any("'94 50 04'" in m for m in messages)


def test_unused_unit(cli, tmp_path):
    path = variant(tmp_path, "units:\n", "units:\n  - id: nav\n    name: NAV\n    service: nav\n")
    [finding] = rules_found(cli, path)["FB319"]
    assert "unit 'nav' (NAV)" in finding["message"]


# -- selecting rules -----------------------------------------------------------------


def test_select_and_ignore_by_id_and_prefix(cli):
    os_yaml = str(PLANS / "os.yaml")
    only_gaps = findings(cli("validate", os_yaml, "--select", "FB312").stdout)
    assert {f["rule"] for f in only_gaps} == {"FB312"}
    no_fb31 = findings(cli("validate", os_yaml, "--ignore", "FB31").stdout)
    assert no_fb31 == []
    assert cli("validate", os_yaml, "--select", "XX1").code == 2
    assert "not a rule id" in cli("validate", os_yaml, "--ignore", "FB9").stderr


# -- formats ----------------------------------------------------------------------


def test_json_report_shape(cli, tmp_path):
    bad = variant(tmp_path, "level: selected", "level: alle")
    result = cli("validate", bad, str(PLANS / "os.yaml"), str(tmp_path / "missing.yaml"), "--format", "json")
    assert result.code == 2
    report = json.loads(result.stdout)
    assert report["version"] == 1
    bad_file, os_file, missing = report["files"]
    assert bad_file["status"] == "findings" and bad_file["errors"] == 1
    finding = next(f for f in bad_file["findings"] if f["severity"] == "error")
    assert finding["rule"] == "FB104" and finding["name"] == "invalid-value"
    assert finding["path"] == "/measures/0/level" and finding["file"] == bad
    assert finding["line"] == MINIMAL.splitlines().index("    level: selected") + 1 and finding["column"] == 12
    assert os_file["suppressed"][0]["rule"] == "FB301" and os_file["errors"] == 0
    assert missing["status"] == "unreadable" and missing["reason"] == "no such file"
    assert report["summary"]["unreadable"] == 1 and report["summary"]["files"] == 3


GITHUB = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=(FB\d{3}) [a-z0-9-]+::(.+)$")


def test_github_annotations(cli, tmp_path):
    bad = variant(tmp_path, "level: selected", "level: alle")
    result = cli("validate", bad, "--format", "github")
    assert result.code == 1
    annotations = [GITHUB.match(line) for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(annotations)
    error = next(m for m in annotations if m.group(1) == "error")
    assert error.group(2) == bad and error.group(5) == "FB104"


def test_github_format_is_picked_automatically_in_actions(cli):
    result = cli("validate", str(PLANS / "os.yaml"), env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::warning file=")
    assert cli("validate", str(PLANS / "os.yaml"), "--format", "text", env={"GITHUB_ACTIONS": "true"}).stdout.startswith(
        f"{PLANS / 'os.yaml'}:")


def test_junit_report(cli, tmp_path):
    bad = variant(tmp_path, "level: selected", "level: alle")
    result = cli("validate", bad, str(PLANS / "lier.yaml"), "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [bad, str(PLANS / "lier.yaml")]
    assert root.get("failures") == "1"
    failure = suites[0].find("testcase/failure")
    assert failure.get("type") == "FB104"
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    strict = ET.fromstring(cli("validate", str(PLANS / "lier.yaml"), "--format", "junit", "--strict").stdout)
    assert int(strict.get("failures")) == int(strict.get("tests")) > 0


def test_text_report_groups_by_file_with_summaries(cli):
    result = cli("validate", str(PLANS / "lier.yaml"), str(PLANS / "os.yaml"))
    lines = result.stdout.splitlines()
    lier_summary = lines.index(next(l for l in lines if l.startswith(f"{PLANS / 'lier.yaml'}: ")))
    assert all(l.startswith(str(PLANS / "lier.yaml")) for l in lines[:lier_summary])
    assert re.match(r".*lier\.yaml: 0 errors, \d+ warnings$", lines[lier_summary])
    assert re.match(r"2 files checked: 0 errors, \d+ warnings, 1 suppressed by the plan files$", lines[-1])


def test_colour_only_when_forced_and_never_with_no_color(cli):
    os_yaml = str(PLANS / "os.yaml")
    assert "\x1b[" not in cli("validate", os_yaml).stdout
    assert "\x1b[33m" in cli("validate", os_yaml, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[33m" not in cli("validate", os_yaml, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_bad_format_is_a_usage_error(cli):
    result = cli("validate", "--format", "sarif")
    assert result.code == 2 and "text, json, github, junit" in result.stderr


# -- the schema command ------------------------------------------------------------


def test_schema_command_prints_the_bundled_schema(cli):
    path = cli("schema").stdout.strip()
    assert path.endswith("plan.schema.json")
    printed = json.loads(cli("schema", "--print").stdout)
    assert printed == json.loads(open(path, encoding="utf-8").read())
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_schema_property_has_norwegian_help():
    schema = json.loads((PLANS.parent / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    missing = []

    def walk(node, where):
        for name, prop in node.get("properties", {}).items():
            resolved = defs.get(prop.get("$ref", "").rsplit("/", 1)[-1], {}) if "$ref" in prop else {}
            if not ((prop.get("title") or resolved.get("title")) and (prop.get("description") or resolved.get("description"))):
                missing.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")
            walk(resolved, f"{where}.{name}")
            if "items" in prop:
                items = prop["items"]
                walk(defs.get(items.get("$ref", "").rsplit("/", 1)[-1], items), f"{where}.{name}[]")
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, where

    walk(schema, "")
    assert missing == []


def test_file_and_schema_findings_cannot_be_selected_away(cli, tmp_path):
    bad = variant(tmp_path, "level: selected", "level: alle")
    result = cli("validate", bad, "--select", "FB3")
    assert result.code == 1 and [f["rule"] for f in errors(result.stdout)] == ["FB104"]
    refused = cli("validate", bad, "--ignore", "FB1")
    assert refused.code == 2 and "cannot be ignored" in refused.stderr
    assert cli("validate", str(PLANS / "os.yaml"), "--select", "fb312").code == 0  # ids are case-insensitive


def test_suppressed_findings_show_in_github_and_junit(cli):
    os_yaml = str(PLANS / "os.yaml")
    github = cli("validate", os_yaml, "--format", "github").stdout
    assert "::notice file=" in github and "FB301 suppressed by the plan" in github
    junit = ET.fromstring(cli("validate", os_yaml, "--format", "junit").stdout)
    skipped = junit.find(".//testcase/skipped")
    assert skipped is not None and "Kildedokumentet" in skipped.get("message")


def test_same_file_named_twice_is_checked_once(cli, in_repo):
    result = cli("validate", "plans/os.yaml", "./plans/os.yaml")
    assert "1 file checked" in result.stdout


def test_a_plan_cannot_switch_off_structural_rules(cli, tmp_path):
    text = (PLANS / "os.yaml").read_text(encoding="utf-8").replace("    - rule: FB301\n", "    - rule: FB201\n")
    path = tmp_path / "os.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("validate", str(path))
    [finding] = errors(result.stdout)
    assert finding["rule"] == "FB105" and "only its completeness rules" in finding["message"]


# -- behaviours a deliberate bug once slipped past --------------------------------------

MODEL_AND_COORDINATOR = """coordinators:
  - id: ip-koordinator
    name: IP koordinator
    role: Koordinerer tjenestene.
    unit: ppt
models:
  - id: bti
    name: BTI
    units: [ppt]
"""


@pytest.mark.parametrize(("old", "new", "owner", "where"), [
    ("    service: ppt\n", "    service: ppt\n    part_of: skole\n", "unit 'ppt'", "    part_of: skole"),
    ("    status: established\n", "    status: established\n    units: [skole]\n", "arena 'ressursteam'",
     "    units: [skole]"),
    ("collaboration:\n", MODEL_AND_COORDINATOR.replace("unit: ppt", "unit: skole") + "collaboration:\n",
     "coordinator 'ip-koordinator'", "    unit: skole"),
    ("collaboration:\n", MODEL_AND_COORDINATOR.replace("units: [ppt]", "units: [skole]") + "collaboration:\n",
     "model 'bti'", "    units: [skole]"),
])
def test_undeclared_units_are_found_wherever_they_are_named(cli, tmp_path, old, new, owner, where):
    path = variant(tmp_path, old, new)
    text = open(path, encoding="utf-8").read().splitlines()
    result = cli("validate", path)
    assert result.code == 1
    [finding] = errors(result.stdout)
    assert finding["rule"] == "FB201" and int(finding["line"]) == text.index(where) + 1
    assert finding["message"].startswith(f"{owner} names unit 'skole', which is not declared")


def test_a_model_and_a_coordinator_naming_declared_units_are_fine(cli, tmp_path):
    path = variant(tmp_path, "collaboration:\n", MODEL_AND_COORDINATOR + "collaboration:\n")
    assert errors(cli("validate", path).stdout) == []


def test_duplicate_unit_id(cli, tmp_path):
    path = variant(tmp_path, "measures:\n", "  - id: ppt\n    name: PPT igjen\n    service: ppt\nmeasures:\n")
    [finding] = errors(cli("validate", path).stdout)
    assert finding["rule"] == "FB202"
    assert finding["message"].startswith("the unit id 'ppt' is already used on line 19")


def test_an_until_range_that_ends_before_it_starts(cli, tmp_path):
    path = variant(tmp_path, "      grades: {from: 8, to: 10}\n", "      ages: {from: 18, until: 16}\n")
    [finding] = errors(cli("validate", path).stdout)
    line = open(path, encoding="utf-8").read().splitlines().index("      ages: {from: 18, until: 16}") + 1
    assert (finding["rule"], int(finding["line"])) == ("FB203", line)
    assert "runs from age 18 until age 16, which ends before it starts" in finding["message"]


def test_junit_for_a_clean_file_is_one_passing_case(cli, tmp_path):
    path = variant(tmp_path, "  period:", "  follow_up: Rådmannen rapporterer årlig til kommunestyret.\n  period:")
    path = variant(tmp_path, "units:", "knowledge_base:\n  risk_and_protective_factors:\n    - domain: Individ\n"
                   "      risk: [Lav selvfølelse]\nunits:", open(path, encoding="utf-8").read())
    strict = cli("validate", path, "--select", "FB0", "--select", "FB1", "--select", "FB2", "--format", "junit")
    root = ET.fromstring(strict.stdout)
    [suite] = root.findall("testsuite")
    [case] = suite.findall("testcase")
    assert (case.get("name"), list(case)) == ("valid", [])
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")


def test_github_report_of_an_unreadable_file(cli, tmp_path):
    missing = str(tmp_path / "borte.yaml")
    result = cli("validate", missing, "--format", "github")
    assert result.code == 2
    assert result.stdout.splitlines()[0] == f"::error file={missing},title=unreadable::no such file"


def test_version_prints_the_package_version(cli):
    import tomllib

    from forebygging_cli import __version__

    project = tomllib.loads((PLANS.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    result = cli("--version")
    assert result.code == 0 and result.stdout == f"forebygging {__version__}\n"
    assert __version__ == project["version"]
