"""diff misses nothing: every value of both plans, changed one at a time (within
the schema), gives at least one change, and every change reads as words, with
the value before and after and no key of the plan file.

The values are every leaf reachable in plans/lier.yaml and plans/os.yaml, so a
field added to the plans (or the schema) without a place in diff fails here.
The only value with no other valid value is `schema_version` (the schema says
it is 1)."""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema_rs
import pytest

from conftest import PLANS
from forebygging_cli.diff import KINDS, PlanDiff, diff_plans
from forebygging_cli.load import Document, build_plan, read_document
from forebygging_cli.render import diff_json, diff_markdown
from forebygging_cli.render.diff_words import FIELD_LABELS, describe, field_key, subject_name
from forebygging_cli.schemafile import schema

pytestmark = pytest.mark.timeout(600)


def leaves(node: Any, path: tuple = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path, node


def enums(node: Any) -> list[list[str]]:
    """Every enumeration of the schema."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            found.append(node["enum"])
        for value in node.values():
            found += enums(value)
    elif isinstance(node, list):
        for value in node:
            found += enums(value)
    return found


ENUMS = enums(schema())
#: the schema's verdict (jsonschema-rs, as validate's fast path; the values changed here are plain)
VALID = jsonschema_rs.validator_for(schema(), validate_formats=True).is_valid
#: what a text value becomes: a word added at its end
MARK = "endretx"


def candidates(value: Any, siblings: list[Any]) -> list[Any]:
    """Other values for a leaf, the likeliest to be valid first."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1]
    out = [other for enum in ENUMS if value in enum for other in enum if other != value and other not in siblings]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        out.append(value[:-1] + str((int(value[-1]) + 1) % 10))
    if re.fullmatch(r"FB3\d\d", value):
        out.append("FB399" if value != "FB399" else "FB398")
    out += [f"{value} {MARK}", f"{value}-{MARK}"]
    return out


def replaced(data: Any, path: tuple, value: Any) -> Any:
    data = copy.copy(data)
    node = data
    for key in path[:-1]:
        node[key] = copy.copy(node[key])
        node = node[key]
    node[path[-1]] = value
    return data


#: the lists whose items are what a change is about (a measure, a unit, ...), not a part of it
SUBJECTS = ("measures", "units", "goals", "collaboration", "coordinators")
TITLE_KEYS = ("title", "name", "role", "domain", "term", "rule", "text", "email", "phone", "url")


def title(record: dict) -> str:
    """What a record of a list is called: its first title-like value; a sub-goal with its number."""
    found = next(str(record[key]) for key in TITLE_KEYS if record.get(key))
    return f"{record['number']}. {found}" if "number" in record else found


def expected_part(data: Any, path: tuple) -> str | None:
    """The titles of the records of lists the leaf is in, outermost first, below the subject."""
    node, rest = (data[path[0]][path[1]], path[2:]) if path[0] in SUBJECTS else (data, path)
    titles = []
    for index, key in enumerate(rest[:-1]):
        node = node[key]
        if isinstance(node, list) and isinstance(node[rest[index + 1]], dict):
            titles.append(title(node[rest[index + 1]]))
    return " › ".join(titles) or None


def parent(data: Any, path: tuple) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@pytest.mark.parametrize("stem", ["lier", "os"])
def test_every_value_of_the_plan_changed_is_a_change_in_words(stem):
    document = read_document(PLANS / f"{stem}.yaml")
    base = build_plan(document)
    assert VALID(document.data)
    exempt = []
    checked = 0
    for path, value in leaves(document.data):
        siblings = parent(document.data, path)
        siblings = siblings if isinstance(siblings, list) else []
        for candidate in candidates(value, siblings):
            data = replaced(document.data, path, candidate)
            if VALID(data):
                break
        else:
            exempt.append(path)
            continue
        checked += 1
        plan = build_plan(Document(document.path, data, document.positions, document.key_positions))
        changes = diff_plans(base, plan)
        assert changes, f"{stem}: {'.'.join(map(str, path))}: {value!r} → {candidate!r} is no change"
        diff = PlanDiff("old", "new", base, plan, changes)
        messages = [describe(diff, change) for change in changes]
        for change, message in zip(changes, messages):
            assert change.kind in KINDS
            assert message and "`" not in message, (path, message)
            if change.field is not None:
                assert field_key(change.field) in FIELD_LABELS, (path, change)
                for key in change.field.split("."):
                    assert not (key in message and "_" in key), (path, message)  # no key of the file
        if isinstance(candidate, str) and candidate.endswith(MARK) and path[-1] not in ("id", "part_of", "unit") \
                and "responsible" not in path and "units" not in path:
            assert any(MARK in message for message in messages), (path, messages)
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            assert any(str(candidate) in message for message in messages) or path[-2:-1] in (
                ("ages",), ("grades",)), (path, messages)
        part = expected_part(data, path)
        if part is not None and all(c.old is not None and c.new is not None for c in changes):
            assert [c.part for c in changes] == [part] * len(changes), (path, changes)
        markdown = diff_markdown.render([diff])
        assert "No changes" not in markdown and subject_name(changes[0]) in markdown.replace("\\", "")
        assert f'"changes": {len(changes)}' in diff_json.render([diff])
    assert exempt == [("schema_version",)]
    assert checked > {"lier": 1300, "os": 900}[stem]

