"""The JSON Schema step (FB1xx) and the text check (FB009): a parsed document ->
findings in a planner's words.

Each schema error becomes a finding at the offending value's position that
says what is wrong and what would be right, with an example of the form the
schema expects; never the schema's own wording ("should not be valid under
{...}"). A Norwegian word where the schema wants an English key gets the key
suggested (`requires_decision: Nei` -> `no`), an id with capitals, spaces or
æøå gets the slug suggested, and a unit's name written where its id belongs
gets the declared id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .findings import Finding, sort_key
from .i18n import N_, SOURCE_LANGUAGE, _, current
from .load import Document
from .model import DataPath
from .controls import CONTROL_CHARACTER, printable
from .catalogue import RULES
from .schemafile import schema as plan_schema
from .vocab import closest, english_value, fold, slug


def make_finding(rule_id: str, file: str, line: int, column: int, message: str, path: DataPath = ()) -> Finding:
    return Finding(rule_id, RULES[rule_id].severity, file, line, column, message, path)


# ---------------------------------------------------------------------------
# FB009: control characters in text


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


_CONTROL_NAMES = {"\x1b": "ESC", "\x07": "BEL", "\x08": N_("backspace"), "\r": N_("carriage return"),
                  "\x00": "NUL", "\x7f": "DEL"}


def _control(document: Document, path: DataPath, text: str, key: bool = False) -> Finding:
    character = CONTROL_CHARACTER.search(text).group()  # type: ignore[union-attr]
    what = _("the key {key}").format(key=show(text)) if key else describe(document.data, path)
    line, column = document.position(path, key=key)
    return make_finding("FB009", document.path, line, column, _(
        "{what} contains the control character U+{code}{name}; remove it (control characters can hide or change "
        "what a reader sees in a terminal, a spreadsheet or a web page)").format(
        what=what, code=f"{ord(character):04X}",
        name=f" ({_(_CONTROL_NAMES[character])})" if character in _CONTROL_NAMES else ""), path)


# ---------------------------------------------------------------------------
# JSON Schema


@lru_cache(maxsize=1)
def validator() -> Any:
    """The schema validator, built once per run."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    # JSON Schema counts 13.0 as an integer; in a plan file an age of 13.0 is a typo
    strict_integers = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    extended = jsonschema.validators.extend(base, type_checker=strict_integers)
    return extended(plan_schema(), format_checker=jsonschema.FormatChecker(["date"]))


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """jsonschema-rs's validator of the same schema (compiled Rust, about fifty
    times faster than jsonschema), or None where it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a platform without its wheel
        return None
    try:
        return jsonschema_rs.validator_for(plan_schema(), validate_formats=True)
    except Exception:  # noqa: BLE001 - a schema it cannot compile: jsonschema alone
        return None


#: the whole numbers JSON (and jsonschema-rs) hold exactly
_EXACT = 2**53
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def certainly_valid(data: Any) -> bool:
    """True only when the data matches the schema for certain, so jsonschema
    (the one whose errors become findings) would find nothing: jsonschema-rs
    says it is valid, and the data holds none of the values where the two
    disagree: floats (jsonschema-rs takes 13.0 as an integer, the plan schema
    does not), whole numbers past 2**53, control characters (Python's regular
    expressions count U+001C-U+001F as white space, Rust's do not), and
    date-shaped texts that are no date in Python (jsonschema-rs accepts the
    year 0000). When it returns False, jsonschema decides, as before."""
    fast = _fast_validator()
    if fast is None:
        return False
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            for key, value in node.items():
                if CONTROL_CHARACTER.search(key):
                    return False
                stack.append(value)
        elif kind is list:
            stack.extend(node)
        elif kind is str:
            if CONTROL_CHARACTER.search(node) or (len(node) == 10 and _DATE_SHAPE.fullmatch(node)
                                                  and not _is_date(node)):
                return False
        elif kind is int:
            if not -_EXACT < node < _EXACT:
                return False
        elif kind is not bool and node is not None:
            return False  # a float, or anything else JSON does not hold
    try:
        return bool(fast.is_valid(data))
    except Exception:  # noqa: BLE001 - a value it cannot take: jsonschema decides
        return False


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def schema_findings(document: Document) -> list[Finding]:
    """One finding per schema violation, at the position of the offending value."""
    if certainly_valid(document.data):
        return []
    findings: dict[Finding, None] = {}  # ordered set: one error can be reached twice
    for error in validator().iter_errors(document.data):
        findings.update(dict.fromkeys(_translate(document, error)))
    return sorted(findings, key=sort_key)


#: The form the schema expects, by the name of the field, for messages.
EXAMPLES = {
    "ages": "ages: {from: 12, to: 15}",
    "grades": "grades: {from: 8, to: 10}",
    "stages": "stages: [barnehage]",
    "audience": "audience: [children, parents]",
    "target": "target: {text: 8.-10. trinn, grades: {from: 8, to: 10}, audience: [children]}",
    "responsible": "responsible: [ppt]",
    "adopted": "adopted: {by: kommunestyret, date: 2024-06-12, case_number: PS 45/24}",
    "period": "period: {from: 2024, to: 2028}",
    "source": "source: {section: 6.3 Tiltak for alle, line: 230}",
    "contacts": "contacts: [{name: Kari Nordmann, phone: 94 50 04 00}]",
    "meets": "meets: {text: annenhver uke, per_year: 26}",
    "municipality": "municipality: {name: Fjordvik kommune}",
    "plan": "plan: {title: Plan for forebygging av omsorgssvikt og atferdsproblemer, source: {file: plan.txt}}",
    "units": "units: [{id: ppt, name: PP-tjenesten, service: ppt}]",
    "measures": "measures: [{id: apen-barnehage, name: Åpen barnehage, level: universal, ...}]",
    "requires_decision": "requires_decision: \"yes\"",
    "goals": "goals: [{id: tidlig-innsats, title: Tidlig innsats}]",
    "collaboration": "collaboration: [{id: ressursteam, name: Ressursteam, status: established}]",
    "sub_goals": "sub_goals: [{number: 1, title: Tidlig inn, strategies: [Tidlig oppdagelse]}]",
    "aliases": "aliases: [PPT, PP-rådgivere]",
    "derived": "derived: [target.audience]",
    "ignore": "ignore: [{rule: FB301, reason: Kildedokumentet sier ikke når planen ble vedtatt.}]",
}


def field_for_word(word: Any, properties: dict[str, Any]) -> str | None:
    """The field a Norwegian word written as a key stands for, by the schema's own Norwegian titles:
    `nivå` -> level (Forebyggingsnivå), `beskrivelse` -> description, `ansvarlig` -> responsible."""
    if not isinstance(word, str):
        return None
    wanted = fold(word).replace("_", " ")
    if len(wanted) < 3:
        return None
    for name, spec in properties.items():
        title = fold(str(spec.get("title", "")) if isinstance(spec, dict) else "")
        words = title.replace("(", " ").replace(")", " ").split()
        if title == wanted or (words and (words[0] == wanted or words[0].endswith(wanted) and len(wanted) >= 4)):
            return name
    return None


def _example(path: DataPath, extra: str | None = None) -> str:
    """"; for example `ages: {from: 12, to: 15}`", for the nearest field on the path that has an example."""
    names = [p for p in (*path, extra) if isinstance(p, str)]
    # the nearest field with an example, but the example of a whole record (a measure, a unit) only for
    # that field itself: never a whole measure as the fix of one of its fields
    for distance, name in enumerate(reversed(names)):
        if name in EXAMPLES and (distance == 0 or name not in _RECORD_EXAMPLES):
            return _("; for example `{example}`").format(example=EXAMPLES[name])
    return ""


#: examples that show a whole record, not the form of one field
_RECORD_EXAMPLES = frozenset(("measures", "units", "goals", "collaboration", "sub_goals", "plan", "municipality",
                              "contacts", "ignore", "target"))


def _translate(document: Document, error: Any) -> Iterator[Finding]:
    path: DataPath = tuple(error.absolute_path)
    where = describe(document.data, path)
    kind = error.validator
    value = error.instance
    file = document.path

    def at(rule: str, message: str, target: DataPath = path, key: bool = False) -> Finding:
        line, column = document.position(target, key=key)
        return make_finding(rule, file, line, column, message, target)

    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed), key=lambda k: document.position(path + (k,), key=True)):
            hint = field_for_word(extra, error.schema.get("properties", {})) or closest(extra, allowed)
            suggestion = (_("did you mean `{field}`?").format(field=hint) if hint
                          else _("allowed fields are: {fields}").format(fields=", ".join(allowed)))
            yield at("FB101", _("unknown field `{field}` in {where}; {suggestion}").format(
                field=printable(extra), where=where, suggestion=suggestion), path + (extra,), key=True)
    elif kind == "required":
        for missing in [r for r in error.validator_value if isinstance(value, dict) and r not in value]:
            if f"'{missing}'" in error.message:  # jsonschema reports each missing field as its own error
                yield at("FB102", _("{where} has no `{field}`; add it ({help}){example}").format(
                    where=where, field=missing, help=_field_help(error.schema, missing),
                    example=_example(path, missing)))
    elif kind == "type":
        if not path:
            yield at("FB103", _("the file must be a mapping of fields (schema_version, municipality, plan, units, "
                                "measures, ...), but it is {value}").format(value=kind_of(value)))
        else:
            yield at("FB103", _("{where} must be {expected}, but it is {value}{example}").format(
                where=where, expected=_type_words(error.validator_value), value=kind_of(value),
                example=_example(path)))
    elif kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        yield at("FB104", _("{where} is {value}; {hint}").format(where=where, value=show(value),
                                                                  hint=_enum_hint(value, allowed, path)))
    elif kind in ("pattern", "minLength", "format"):
        yield at("FB105", _("{where} is {value}; {hint}").format(
            where=where, value=show(value), hint=_format_help(document, error.schema, value, path)))
    elif kind in ("minimum", "maximum", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties"):
        yield at("FB106", _("{where} is {value}; {hint}").format(where=where, value=show(value),
                                                                  hint=_range_help(kind, error.validator_value)))
    elif kind == "not" and isinstance(value, dict) and {"to", "until"} <= set(value):
        yield at("FB105", _("{where} has both `to` and `until`; give one: `to` is the highest age, `until` the "
                            "birthday the measure ends at (\"til fylte 25\"), for example `ages: {{from: 18, until: "
                            "25}}`").format(where=where))
    else:  # a schema rule this module does not know: name the field and its expected form, not the schema
        yield at("FB107", _("{where} does not have the form the plan schema expects{example}; `forebygging schema "
                            "--print` shows the schema").format(where=where, example=_example(path)))


def describe(data: Any, path: DataPath) -> str:
    """`level` of measure 'tranby-fritidsklubb' — what a planner recognises."""
    from .checks import OWNER_WORDS, owner

    if not path:
        return _("the file")
    owner_words = ""
    node = data
    for depth, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if depth == 1 and isinstance(node, dict) and path[0] in OWNER_WORDS and isinstance(part, int):
            label = node.get("id") if isinstance(node.get("id"), str) else None
            if label is None:
                label = next((node[k] for k in ("name", "term", "title") if isinstance(node.get(k), str)), None)
            if label is not None:
                owner_words = owner(str(path[0]), {"id": label}, part)
            else:
                owner_words = owner(str(path[0]), {}, part)
    rest = path[2:] if owner_words else path
    field_name = ".".join(f"[{p}]" if isinstance(p, int) else printable(str(p)) for p in rest).replace(".[", "[")
    if owner_words and field_name:
        return _("`{field}` of {owner}").format(field=field_name, owner=owner_words)
    return owner_words or f"`{field_name}`"


def show(value: Any) -> str:
    if isinstance(value, str):
        short = value if len(value) <= 60 else value[:57] + "..."
        return f"'{printable(short)}'"
    if isinstance(value, (dict, list)):
        return kind_of(value)
    return json.dumps(value, ensure_ascii=False)


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=json.dumps(value))
    if value is None:
        return _("empty (null)")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    return _("the text {value}").format(value=show(value))


def _type_words(expected: Any) -> str:
    words = {"string": _("text"), "integer": _("a whole number"), "number": _("a number"),
             "object": _("a mapping"), "array": _("a list"), "boolean": _("true or false"), "null": _("empty")}
    if isinstance(expected, list):
        return _(" or ").join(words.get(t, t) for t in expected)
    return words.get(expected, str(expected))


def _field_help(schema: dict[str, Any], name: str) -> str:
    """A short hint for a missing field: its title (the schema's titles are
    bokmål), and its choices when it has them."""
    prop = schema.get("properties", {}).get(name, {})
    if "$ref" in prop:
        resolved = validator().schema["$defs"].get(prop["$ref"].rsplit("/", 1)[-1], {})
        prop = {**resolved, **{k: v for k, v in prop.items() if k != "$ref"}}
    # the schema's titles are bokmål: shown only in a bokmål run
    title = prop.get("title", name) if current() != SOURCE_LANGUAGE else name
    if "enum" in prop:
        return _("{title}: one of {choices}").format(title=title, choices=", ".join(map(str, prop["enum"])))
    return title


def _enum_hint(value: Any, allowed: list[Any], path: DataPath) -> str:
    shown = ", ".join(str(a) for a in allowed)
    field = next((p for p in reversed(path) if isinstance(p, str)), "")
    if isinstance(value, str):
        english = english_value(field, value)
        if english in allowed:
            return _("write `{key}` (plan files use the English value; allowed: {choices})").format(
                key=english, choices=shown)
        hint = closest(value, [str(a) for a in allowed])
        if hint:
            return _("did you mean `{key}`? (allowed: {choices})").format(key=hint, choices=shown)
    return _("allowed: {choices}").format(choices=shown)


def _format_help(document: Document, schema: dict[str, Any], value: Any, path: DataPath) -> str:
    from .checks import unit_named

    pattern = schema.get("pattern", "")
    if schema.get("format") == "date":
        return _("write a real date as YYYY-MM-DD, for example 2024-06-12")
    if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*"):
        if isinstance(value, str):
            named = unit_named(document.data, value) if _is_unit_reference(path) else None
            if named:
                return _("write the unit's id, `{id}`: the unit named '{name}' is declared under `units` with that "
                         "id").format(id=named, name=printable(value))
            items = value.split(" - ")
            if len(items) > 1 and all(slug(item) == item for item in items):
                # `- barnevern` and `  - helsestasjon` a line below, indented further: YAML reads one text
                return _("`{value}` is read as one text: the list item `- {second}` is indented further than "
                         "`- {first}` above it, so YAML joins the two lines; indent every `- ` of the list alike, "
                         "one id on each").format(value=printable(value), first=items[0], second=items[1])
            suggestion = slug(value)
            if suggestion:
                return _("an id is lowercase letters, digits and single hyphens: write `{slug}`").format(slug=suggestion)
        return _("an id is lowercase letters, digits and single hyphens, for example 'tranby-fritidsklubb'")
    if pattern.startswith("^[0-9]{4}-"):
        return _("write a date as YYYY-MM-DD, for example 2024-06-12")
    if pattern.startswith("^https?://"):
        return _("write a web address starting with http:// or https://")
    if pattern.startswith("^FB3"):
        return _("a plan can switch off only its completeness rules, FB3xx (`forebygging rules` lists them)")
    if pattern == "\\S" or "minLength" in schema:
        return _("the text is empty; write the plan's words, or leave the field out")
    return _("it does not have the form the schema expects")


def _is_unit_reference(path: DataPath) -> bool:
    names = [p for p in path if isinstance(p, str)]
    return bool(names) and (names[-1] in ("responsible", "part_of", "unit", "units") and names[0] != "units"
                            or names == ["units", "part_of"])


def _range_help(kind: str, limit: Any) -> str:
    if kind == "minimum":
        return _("the lowest allowed is {limit}").format(limit=limit)
    if kind == "maximum":
        return _("the highest allowed is {limit}").format(limit=limit)
    if kind == "maxLength":
        return _("text is at most {limit} characters").format(limit=limit)
    if kind == "minItems":
        from .i18n import ngettext

        return ngettext("list at least {limit} value", "list at least {limit} values", limit).format(limit=limit)
    if kind == "maxItems":
        return _("list at most {limit} values").format(limit=limit)
    if kind == "uniqueItems":
        return _("a value is listed twice; list each once")
    return _("it is empty; fill in at least one field or leave it out")
