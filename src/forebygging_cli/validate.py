"""Validation: JSON Schema and the checks a schema cannot express -> Findings.

Every finding names a rule from `rules.RULES`, a file, a 1-based line and
column, the data path and a message that says what is wrong and what would be
right. Semantic checks are small functions registered in `CHECKS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .load import Document, PlanFileError, UnreadableFile, build_plan, read_document
from .parse import CONTROL_CHARACTER
from .model import DataPath, Plan
from .ages import BANDS
from .rules import BY_NAME, ERROR, RULES
from .schemafile import schema_path
from .vocab import LEVELS, closest, fold, parse_level


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    file: str
    line: int
    column: int
    message: str
    path: DataPath = ()

    @property
    def pointer(self) -> str:
        """The data path as a JSON Pointer: /measures/12/level."""
        return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in self.path)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} [{self.rule}] {self.message}"


@dataclass(frozen=True)
class FileReport:
    """What validation found in one file. `unreadable` is set when it could not be read at all."""

    path: str
    findings: tuple[Finding, ...] = ()
    plan: Plan | None = None
    unreadable: str | None = None
    #: findings the plan file itself switched off (validation.ignore), with its reason
    suppressed: tuple[tuple[Finding, str], ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def _finding(rule_id: str, file: str, line: int, column: int, message: str, path: DataPath = ()) -> Finding:
    return Finding(rule_id, RULES[rule_id].severity, file, line, column, message, path)


# ---------------------------------------------------------------------------
# files


def validate_file(path: str) -> FileReport:
    """Read, parse and check one plan file; never raises for bad input."""
    try:
        document = read_document(path)
    except UnreadableFile as exc:
        return FileReport(path, unreadable=exc.reason)
    except PlanFileError as exc:
        rule = BY_NAME[exc.kind]
        return FileReport(path, (_finding(rule.id, path, exc.line, exc.column, exc.message),))
    return validate_document(document)


def validate_document(document: Document) -> FileReport:
    findings = text_findings(document) + schema_findings(document)
    if findings:
        return FileReport(document.path, tuple(findings))
    plan = build_plan(document)
    kept, suppressed = [], []
    for finding in plan_findings(plan):
        if finding.rule in plan.ignored_rules:
            suppressed.append((finding, plan.ignored_rules[finding.rule]))
        else:
            kept.append(finding)
    return FileReport(document.path, tuple(kept), plan, suppressed=tuple(suppressed))


#: Rules below this id (the file and the schema) always count: a file that is not
#: YAML or breaks the schema was not checked at all, whatever is selected.
FIRST_SELECTABLE = "FB200"


def select_rules(report: FileReport, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileReport:
    """Keep only findings whose rule starts with one of `select` (all when empty)
    and with none of `ignore`: "FB3" selects every FB3xx rule. File and schema
    findings (FB0xx, FB1xx) are always kept."""

    def wanted(rule: str) -> bool:
        if rule < FIRST_SELECTABLE:
            return True
        return (not select or rule.startswith(tuple(select))) and not rule.startswith(tuple(ignore))

    return replace(report, findings=tuple(f for f in report.findings if wanted(f.rule)))


# ---------------------------------------------------------------------------
# text


def text_findings(document: Document) -> list[Finding]:
    """FB009: control characters in any key or text of the plan."""
    found: list[Finding] = []

    def visit(node: Any, path: DataPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                child = path + (key,)
                if CONTROL_CHARACTER.search(key):
                    found.append(_control(document, child, key, key=True))
                visit(value, child)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, path + (index,))
        elif isinstance(node, str) and CONTROL_CHARACTER.search(node):
            found.append(_control(document, path, node))

    visit(document.data, ())
    return found


def _control(document: Document, path: DataPath, text: str, key: bool = False) -> Finding:
    character = CONTROL_CHARACTER.search(text).group()  # type: ignore[union-attr]
    name = _CONTROL_NAMES.get(character, "")
    what = f"the key {_show(printable_escape(text))}" if key else _describe(document.data, path)
    line, column = document.position(path, key=key)
    return _finding("FB009", document.path, line, column,
                    f"{what} contains the control character U+{ord(character):04X}{name}; remove it (control "
                    "characters can hide or change what a reader sees in a terminal, a spreadsheet or a web page)",
                    path)


_CONTROL_NAMES = {"\x1b": " (ESC)", "\x07": " (BEL)", "\x08": " (backspace)", "\r": " (carriage return)",
                  "\x00": " (NUL)", "\x7f": " (DEL)"}


def printable_escape(text: str) -> str:
    return CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# ---------------------------------------------------------------------------
# JSON Schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    with open(schema_path(), encoding="utf-8") as handle:
        schema = json.load(handle)
    base = jsonschema.Draft202012Validator
    # JSON Schema counts 13.0 as an integer; in a plan file an age of 13.0 is a typo
    strict_integers = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    validator = jsonschema.validators.extend(base, type_checker=strict_integers)
    return validator(schema, format_checker=jsonschema.FormatChecker(["date"]))


def schema_findings(document: Document) -> list[Finding]:
    """One finding per schema violation, at the position of the offending value."""
    findings: dict[Finding, None] = {}  # ordered set: one error can be reached twice
    for error in _validator().iter_errors(document.data):
        findings.update(dict.fromkeys(_translate(document, error)))
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule))


def _translate(document: Document, error: Any) -> Iterator[Finding]:
    path: DataPath = tuple(error.absolute_path)
    where = _describe(document.data, path)
    kind = error.validator
    value = error.instance
    file = document.path

    def at(rule: str, message: str, target: DataPath = path, key: bool = False) -> Finding:
        line, column = document.position(target, key=key)
        return _finding(rule, file, line, column, message, target)

    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed), key=lambda k: document.position(path + (k,), key=True)):
            hint = closest(extra, allowed)
            suggestion = f"did you mean `{hint}`?" if hint else f"allowed fields are: {', '.join(allowed)}"
            yield at("FB101", f"unknown field `{extra}` in {where}; {suggestion}", path + (extra,), key=True)
    elif kind == "required":
        for missing in [r for r in error.validator_value if isinstance(value, dict) and r not in value]:
            if f"'{missing}'" in error.message:  # jsonschema reports each missing field as its own error
                yield at("FB102", f"{where} has no `{missing}`; add it ({_field_help(error.schema, missing)})")
    elif kind == "type":
        if not path:
            yield at("FB103", "the file must be a mapping of fields (schema_version, municipality, plan, units,"
                     f" measures, ...), but it is {_kind_of(value)}")
        else:
            yield at("FB103", f"{where} must be {_type_words(error.validator_value)}, but it is {_kind_of(value)}")
    elif kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        yield at("FB104", f"{where} is {_show(value)}; {_enum_hint(value, allowed, path)}")
    elif kind in ("pattern", "minLength", "format"):
        yield at("FB105", f"{where} is {_show(value)}; {_format_help(error.schema, value)}")
    elif kind in ("minimum", "maximum", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties"):
        yield at("FB106", f"{where} is {_show(value)}; {_range_help(kind, error.validator_value)}")
    elif kind == "not" and isinstance(value, dict) and {"to", "until"} <= set(value):
        yield at("FB105", f"{where} has both `to` and `until`; give one: `to` is the highest age,"
                 " `until` the birthday the measure ends at (\"til fylte 25\")")
    else:
        yield at("FB107", f"{where}: {error.message}")


def _describe(data: Any, path: DataPath) -> str:
    """`level` of measure 'tranby-fritidsklubb' — what a planner recognises."""
    if not path:
        return "the file"
    owner = ""
    node = data
    for depth, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if depth == 1 and isinstance(node, dict) and isinstance(path[0], str) and isinstance(part, int):
            label = node.get("id") or node.get("name") or node.get("term") or node.get("title")
            kind = {"measures": "measure", "units": "unit", "goals": "goal", "collaboration": "arena",
                    "coordinators": "coordinator", "models": "model"}.get(path[0], path[0])
            owner = f"{kind} {_show(label)}" if isinstance(label, str) else f"{kind} #{part + 1}"
    rest = path[2:] if owner else path
    field_name = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in rest).replace(".[", "[")
    if owner and field_name:
        return f"`{field_name}` of {owner}"
    return owner or f"`{field_name}`"


def _show(value: Any) -> str:
    if isinstance(value, str):
        short = value if len(value) <= 60 else value[:57] + "..."
        return f"'{short}'"
    if isinstance(value, (dict, list)):
        return _kind_of(value)
    return json.dumps(value, ensure_ascii=False)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {json.dumps(value)}"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {_show(value)}"


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping",
               "array": "a list", "boolean": "true or false", "null": "empty"}


def _type_words(expected: Any) -> str:
    if isinstance(expected, list):
        return " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
    return _TYPE_WORDS.get(expected, str(expected))


def _field_help(schema: dict[str, Any], name: str) -> str:
    """A short hint for a missing field: its title, and its choices when it has them."""
    prop = schema.get("properties", {}).get(name, {})
    if "$ref" in prop:
        resolved = _validator().schema["$defs"].get(prop["$ref"].rsplit("/", 1)[-1], {})
        prop = {**resolved, **{k: v for k, v in prop.items() if k != "$ref"}}
    title = prop.get("title", name)
    if "enum" in prop:
        return f"{title}: one of {', '.join(map(str, prop['enum']))}"
    return title


def _enum_hint(value: Any, allowed: list[Any], path: DataPath) -> str:
    shown = ", ".join(str(a) for a in allowed)
    if path and path[-1] == "level" and isinstance(value, str) and parse_level(value):
        return f"write `{parse_level(value)}` (plan files use the English key; allowed: {shown})"
    hint = closest(value, [str(a) for a in allowed]) if isinstance(value, str) else None
    if hint:
        return f"did you mean `{hint}`? (allowed: {shown})"
    return f"allowed: {shown}"


def _format_help(schema: dict[str, Any], value: Any) -> str:
    pattern = schema.get("pattern", "")
    if schema.get("format") == "date":
        return "write a real date as YYYY-MM-DD, for example 2024-06-12"
    if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*"):
        return "an id is lowercase letters, digits and single hyphens, for example 'tranby-fritidsklubb'"
    if pattern.startswith("^[0-9]{4}-"):
        return "write a date as YYYY-MM-DD, for example 2024-06-12"
    if pattern.startswith("^https?://"):
        return "write a web address starting with http:// or https://"
    if pattern.startswith("^FB3"):
        return "a plan can switch off only its completeness rules, FB3xx (`forebygging rules` lists them)"
    if pattern == "\\S" or "minLength" in schema:
        return "the text is empty; write the plan's words, or leave the field out"
    return f"it must match the pattern {pattern}"


def _range_help(kind: str, limit: Any) -> str:
    return {
        "minimum": f"the lowest allowed is {limit}",
        "maximum": f"the highest allowed is {limit}",
        "maxLength": f"text is at most {limit} characters",
        "minItems": f"list at least {limit} value{'s' if limit != 1 else ''}",
        "maxItems": f"list at most {limit} values",
        "uniqueItems": "a value is listed twice; list each once",
        "minProperties": "it is empty; fill in at least one field or leave it out",
    }[kind]


# ---------------------------------------------------------------------------
# semantic checks on a schema-valid Plan

Check = Callable[[Plan], Iterable[tuple[DataPath, str]]]
CHECKS: dict[str, Check] = {}


def check(rule_id: str) -> Callable[[Check], Check]:
    """Register a semantic check under a rule of the catalogue."""

    def register(function: Check) -> Check:
        assert rule_id in RULES, rule_id
        CHECKS[rule_id] = function
        return function

    return register


def plan_findings(plan: Plan) -> list[Finding]:
    findings = []
    for rule_id, function in CHECKS.items():
        for path, message in function(plan):
            position = plan.position(path)
            findings.append(_finding(rule_id, plan.path, position.line, position.column, message, path))
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


@check("FB201")
def unknown_units(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    declared = [u.id for u in plan.units]

    def problem(unit_id: str, owner: str) -> str:
        hint = closest(unit_id, declared)
        also = f" (did you mean '{hint}'?)" if hint else ""
        return (f"{owner} names unit '{unit_id}', which is not declared under `units`; "
                f"declare it there or use a declared id{also}")

    for m in plan.measures:
        for i, unit_id in enumerate(m.responsible):
            if unit_id not in declared:
                yield m.path + ("responsible", i), problem(unit_id, f"measure '{m.id}'")
    for index, unit in enumerate(plan.units):
        if unit.part_of and unit.part_of not in declared:
            yield ("units", index, "part_of"), problem(unit.part_of, f"unit '{unit.id}'")
    for index, arena in enumerate(plan.arenas):
        for i, unit_id in enumerate(arena.units):
            if unit_id not in declared:
                yield ("collaboration", index, "units", i), problem(unit_id, f"arena '{arena.id}'")
    for index, coordinator in enumerate(plan.coordinators):
        if coordinator.unit and coordinator.unit not in declared:
            yield ("coordinators", index, "unit"), problem(coordinator.unit, f"coordinator '{coordinator.id}'")
    for index, model in enumerate(plan.models):
        for i, unit_id in enumerate(model.units):
            if unit_id not in declared:
                yield ("models", index, "units", i), problem(unit_id, f"model '{model.id}'")


@check("FB202")
def duplicate_ids(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    lists = {
        "measures": ("measure", plan.measures),
        "units": ("unit", plan.units),
        "goals": ("goal", plan.goals),
        "collaboration": ("arena", plan.arenas),
        "coordinators": ("coordinator", plan.coordinators),
        "models": ("model", plan.models),
    }
    for key, (kind, items) in lists.items():
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first:
                earlier = plan.position((key, first[item.id], "id"))
                yield (key, index, "id"), (
                    f"the {kind} id '{item.id}' is already used on line {earlier.line}; "
                    f"ids must be unique, so give this {kind} its own (e.g. '{item.id}-2' or a word saying how it differs)"
                )
            else:
                first[item.id] = index


@check("FB203")
def age_range_order(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        target = m.target
        if target.ages and target.ages[1] < target.ages[0]:
            low, high = target.ages
            if target.ages_until is not None:
                yield m.path + ("target", "ages", "until"), (
                    f"measure '{m.id}' runs from age {low} until age {target.ages_until}, which ends before it starts; "
                    f"`until` must be greater than `from`"
                )
            else:
                yield m.path + ("target", "ages", "to"), (
                    f"measure '{m.id}' has ages from {low} to {high}; write the lower age first "
                    f"(from: {high}, to: {low})"
                )
        if target.grades and target.grades[1] < target.grades[0]:
            low, high = target.grades
            yield m.path + ("target", "grades", "to"), (
                f"measure '{m.id}' has grades from {low} to {high}; write the lower grade first "
                f"(from: {high}, to: {low})"
            )


# -- § 15-1: what the law demands ----------------------------------------------------


@check("FB301")
def adopted_by_council(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.adopted is None:
        yield ("plan",), (
            "the plan does not say that the municipal council adopted it; barnevernsloven § 15-1 requires "
            "kommunestyret itself to adopt the plan: add plan.adopted with by: kommunestyret and the date"
        )
    elif plan.adopted.by != "kommunestyret":
        yield ("plan", "adopted", "by"), (
            f"the plan is adopted by '{plan.adopted.by}', but barnevernsloven § 15-1 requires kommunestyret "
            "itself to adopt it; have it adopted by kommunestyret and write by: kommunestyret"
        )


@check("FB302")
def adoption_date(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.adopted is not None and not plan.adopted.date:
        yield ("plan", "adopted"), (
            "the adoption has no date, so nobody can tell which version is in force; "
            "add date: YYYY-MM-DD under plan.adopted"
        )


@check("FB303")
def has_goals(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.goals:
        yield ("goals",), (
            "the plan states no goals; barnevernsloven § 15-1 requires the plan to describe the goals of the "
            "preventive work: add them under `goals`"
        )


@check("FB304")
def has_responsible(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        if not m.responsible:
            yield m.path + ("responsible",), (
                f"measure '{m.id}' has no responsible unit, so the plan does not say who carries it out "
                "(§ 15-1 asks how the work is divided between services): add the unit's id to `responsible`"
            )


@check("FB305")
def has_arena(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.arenas:
        yield ("collaboration",), (
            "the plan describes no collaboration arena; § 15-1 requires it to say how the services cooperate: "
            "add the teams and meetings under `collaboration`"
        )


# -- what the guidance expects ---------------------------------------------------------


@check("FB311")
def empty_levels(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    present = {m.level for m in plan.measures}
    for level in LEVELS:
        if level not in present:
            yield ("measures",), (
                f"no measure is on the level '{plan.level_label(level)}' ({level}); the guidance expects measures "
                "on all three levels: add them, or check that measures are filed under the right level"
            )


@check("FB312")
def age_gaps(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    spans = [m.target.span for m in plan.measures]
    for band, low, high in BANDS:
        if low is None:
            covered = any(s.prenatal for s in spans)
        else:
            covered = any(s.overlaps(low, high) for s in spans)
        if not covered:
            what = "pregnancy" if low is None else f"ages {low}-{high}"
            yield ("measures",), (
                f"gap: no measure on any level covers {what}; if the municipality offers something there, "
                "add it (with its target ages), otherwise the council should see the gap"
            )


@check("FB313")
def has_period(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if plan.period is None:
        yield ("plan",), (
            "the plan states no plan period, so it is unclear when it is to be revised: "
            "add plan.period with from and to years"
        )


@check("FB314")
def has_factors(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.risk_and_protective_factors:
        yield ("knowledge_base",), (
            "the plan lists no risk and protective factors, so readers cannot see what the measures work "
            "against: add knowledge_base.risk_and_protective_factors"
        )


@check("FB315")
def has_follow_up(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    if not plan.follow_up:
        yield ("plan",), (
            "the plan does not say how it is followed up or evaluated: add plan.follow_up "
            "(who reports on it, to whom, how often)"
        )


@check("FB316")
def stated_age(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        if not m.target.span.known:
            yield m.path + ("target",), (
                f"measure '{m.id}' states no age, grade or stage, so it never shows up in a query by age: "
                "add target.ages, grades or stages if the plan says who it is for"
            )


@check("FB317")
def duplicate_names(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    first: dict[str, int] = {}
    for m in plan.measures:
        if m.group:
            continue
        if m.name in first:
            earlier = plan.position(("measures", first[m.name], "name"))
            yield m.path + ("name",), (
                f"measure '{m.id}' has the same name as the measure on line {earlier.line} ('{m.name}') and no "
                "group, so readers cannot tell them apart: give both a common `group` or distinct names"
            )
        else:
            first[m.name] = m.index


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"(\+47 ?)?(\d ?){7}\d")


@check("FB318")
def contact_format(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for m in plan.measures:
        for i, contact in enumerate(m.contacts):
            if contact.email and not EMAIL.fullmatch(contact.email):
                yield m.path + ("contacts", i, "email"), (
                    f"the e-mail address '{contact.email}' of measure '{m.id}' looks malformed; "
                    "write it as name@domain, e.g. navn.etternavn@lier.kommune.no"
                )
            if contact.phone and not PHONE.fullmatch(contact.phone.strip()):
                yield m.path + ("contacts", i, "phone"), (
                    f"the phone number '{contact.phone}' of measure '{m.id}' looks malformed; "
                    "write eight digits (spaces allowed, optional +47), e.g. 94 50 04 00"
                )


@check("FB319")
def unused_units(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    used = {u for m in plan.measures for u in m.responsible}
    used |= {u for a in plan.arenas for u in a.units}
    used |= {c.unit for c in plan.coordinators if c.unit}
    used |= {u for model in plan.models for u in model.units}
    used |= {u.part_of for u in plan.units if u.part_of}
    for index, unit in enumerate(plan.units):
        if unit.id not in used:
            yield ("units", index, "id"), (
                f"unit '{unit.id}' ({unit.name}) is declared but no measure, arena, coordinator or model refers "
                "to it: refer to it, or remove it"
            )


@dataclass(frozen=True)
class Summary:
    files: int
    checked: int
    errors: int
    warnings: int
    unreadable: int
    suppressed: int

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def summarize(reports: Sequence[FileReport]) -> Summary:
    unreadable = sum(1 for r in reports if r.unreadable)
    return Summary(
        files=len(reports),
        checked=len(reports) - unreadable,
        errors=sum(r.errors for r in reports),
        warnings=sum(r.warnings for r in reports),
        unreadable=unreadable,
        suppressed=sum(len(r.suppressed) for r in reports),
    )


def validate_paths(paths: Iterable[str]) -> list[FileReport]:
    """Validate each file on its own (one bad file never hides another's
    findings), then the checks across files (FB320)."""
    reports = [validate_file(path) for path in paths]
    return across_files(reports)


#: Rules checked across the files of one run, not within one plan.
ACROSS_FILES = ("FB320",)


def across_files(reports: Sequence[FileReport]) -> list[FileReport]:
    """Add FB320 to each plan that describes the same municipality as another file."""
    by_municipality: dict[str, list[int]] = {}
    for index, report in enumerate(reports):
        if report.plan is not None:
            by_municipality.setdefault(fold(report.plan.municipality), []).append(index)
    result = list(reports)
    for indexes in by_municipality.values():
        if len(indexes) < 2:
            continue
        for index in indexes:
            report = reports[index]
            plan = report.plan
            assert plan is not None
            others = [reports[i].path for i in indexes if i != index]
            position = plan.position(("municipality", "name"))
            finding = _finding("FB320", plan.path, position.line, position.column,
                               f"{', '.join(others)} also describes {plan.municipality}; keep one plan per municipality "
                               "in the plan repository (a draft or an older version belongs in git history or outside "
                               "the plans directory), or correct the municipality's name",
                               ("municipality", "name"))
            if finding.rule in plan.ignored_rules:
                result[index] = replace(report, suppressed=report.suppressed + ((finding, plan.ignored_rules[finding.rule]),))
            else:
                findings = sorted(report.findings + (finding,), key=lambda f: (f.line, f.column, f.rule))
                result[index] = replace(report, findings=tuple(findings))
    return result
