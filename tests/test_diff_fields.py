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



def _lier_with(*edits: tuple[tuple, Any]) -> Any:
    """Lier's plan with each (path, value) of `edits` set in its data (a missing mapping on the way is made)."""
    document = read_document(PLANS / "lier.yaml")
    data = document.data
    for path, value in edits:
        data = copy.deepcopy(data)
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
        node[path[-1]] = value
    assert VALID(data), edits
    return build_plan(Document(document.path, data, document.positions, document.key_positions))


@pytest.mark.parametrize(("path", "before", "after", "kind"), [
    (("plan", "adopted", "case_number"), "PS 45/24", "PS 46/24", "adoption"),
    (("plan", "follow_up"), "Planen rulleres hvert fjerde år.", "Planen rulleres hvert år.", "plan-text"),
    (("plan", "source", "url"), "https://www.lier.kommune.no/plan.pdf", "https://www.lier.kommune.no/ny.pdf",
     "plan-text"),
])
def test_the_fields_the_two_plans_leave_out_are_changes_in_words_too(path, before, after, kind):
    """A case number, the follow-up and the source's address are in neither plan, so the test above cannot
    change them: each is set, then changed, and the change is of that field, in words, with both values."""
    old, new = _lier_with((path, before)), _lier_with((path, after))
    changes = diff_plans(old, new)
    field = ".".join(path)
    assert [(c.kind, c.field, c.old, c.new) for c in changes] == [(kind, field, before, after)]
    assert field_key(changes[0].field) == field
    message = describe(PlanDiff("old", "new", old, new, changes), changes[0])
    assert before in message and after in message and "`" not in message and field not in message


def test_a_part_of_a_work_model_reworded_is_named_as_a_part_of_the_model():
    document = read_document(PLANS / "lier.yaml")
    path = ("models", 0, "components", 0, "name")
    wording = parent(document.data, path)["name"]
    old, new = _lier_with((path, wording)), _lier_with((path, f"{wording} {MARK}"))
    changes = diff_plans(old, new)
    assert [(c.field, c.part) for c in changes] == [("models.components.name", "Sunne og Aktive Lunger - SAL › "
                                                     + f"{wording} {MARK}")]
    # a part added: the message says it is a part of the model
    from forebygging_cli.i18n import _

    parts = parent(document.data, path[:-1])
    old, new = _lier_with(), _lier_with((path[:-2], [*parts, {"name": "Foreldremøter om søvn"}]))
    changes = diff_plans(old, new)
    assert [(c.field, c.old, c.new) for c in changes] == [("models.components", None,
                                                           {"name": "Foreldremøter om søvn", "description": None})]
    message = describe(PlanDiff("old", "new", old, new, changes), changes[0])
    assert _(FIELD_LABELS["models.components"]) in message and "Foreldremøter om søvn" in message


def test_a_removed_arena_says_what_it_was():
    """An arena taken out of the plan: the change carries its status (established, planned, ...) as the old
    value, as an added one carries the new."""
    document = read_document(PLANS / "lier.yaml")
    arenas = document.data["collaboration"]
    old, new = _lier_with(), _lier_with((("collaboration",), arenas[1:]))
    changes = diff_plans(old, new)
    assert [(c.kind, c.id, c.old, c.new) for c in changes] == [("arena-removed", arenas[0]["id"],
                                                                arenas[0]["status"], None)]
    assert '"old": "established"' in diff_json.render([PlanDiff("old", "new", old, new, changes)])


def test_a_coordinator_follows_its_unit_to_a_new_id():
    """A unit renamed (a new id, the same name) with everything that names it: the coordinator in it has not
    changed, and neither has anything else but the unit's id."""
    import yaml

    text = (PLANS / "lier.yaml").read_text(encoding="utf-8")
    assert text.count("forvaltning-helse-og-bolig") >= 3
    document = read_document(PLANS / "lier.yaml")
    renamed = yaml.safe_load(text.replace("forvaltning-helse-og-bolig", "helse-og-bolig-forvaltning"))
    assert VALID(renamed)
    old = build_plan(document)
    new = build_plan(Document(document.path, renamed, document.positions, document.key_positions))
    changes = diff_plans(old, new)
    assert [c.kind for c in changes] == ["unit-renamed"]


def test_two_missing_plans_are_no_change():
    """compare with neither side (a plan in neither revision) has nothing to say."""
    from forebygging_cli.diff import compare

    assert compare(None, None, "old", "new").changes == []


def test_the_organisation_section_changes_come_in_reading_order():
    """The relevant services are listed under the organisation's text and before its source, in the plan
    file and in the changes (the diff reads in the plan's order)."""
    old = _lier_with((("organisation", "relevant_services"), ["Helsestasjon"]))
    new = _lier_with((("organisation", "relevant_services"), ["Helsestasjon", "PPT"]),
                     (("organisation", "text"), "Ny tekst om organiseringen."),
                     (("organisation", "source", "line"), 118))
    assert [c.field for c in diff_plans(old, new)] == ["organisation.text", "organisation.relevant_services",
                                                       "organisation.source.line"]
