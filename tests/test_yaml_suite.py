"""One reading of YAML: the YAML test suite's cases (../shared/yaml-test-suite/cases.jsonl, MIT)
through every engine the tool reads YAML with: the fast engine (libyaml events, parse.py), the
round-trip engine (ruamel.yaml, roundtrip.py) and parse.parse() as every command calls it.

For every case: no engine crashes; the engines agree (all read it, alike, or all refuse it, for
the same rule); what they read is what the suite's JSON says; no invalid case is read; and a valid
case is refused only for one of the plan-file restrictions of docs/yaml.md, with a message that
names what the text holds. What an engine cannot be made to follow is in KNOWN_DEVIATIONS, each
listed with its reason in docs/yaml.md (a test holds the two in step)."""

from __future__ import annotations

import json
import math
import re
import warnings

import pytest

from conftest import ROOT, YAML_SUITE
from forebygging_cli import parse as parse_module
from forebygging_cli import roundtrip
from forebygging_cli.files import PlanFileError

CASES_FILE = YAML_SUITE / "cases.jsonl"
if not CASES_FILE.is_file():
    pytest.skip(f"the YAML test suite {CASES_FILE} is not there: these tests need ../shared/yaml-test-suite/ "
                "(set FOREBYGGING_YAML_SUITE to its location)", allow_module_level=True)

CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
BY_ID = {case["id"]: case for case in CASES}

ENGINES = {
    "fast": lambda text: parse_module._parse_events(text)[0],
    "roundtrip": lambda text: roundtrip.parse_roundtrip(text)[0],
    "tool": lambda text: parse_module.parse(text)[0],
}

#: (engine, case) -> why it cannot follow the suite there; docs/yaml.md lists each with the same reason
KNOWN_DEVIATIONS = {
    ("roundtrip", "P94K"): "ruamel.yaml cannot place a comment that goes on over two lines after a key "
                           "(NotImplementedError: overlap in comment); the fast engine reads the case right",
}

#: what a text must hold for a refusal on purpose to be the right one (docs/yaml.md, "Refused on purpose")
EVIDENCE = {
    "alias": r"\*", "anchor": "&", "tag": "!", "merge": "<<", "documents": r"^(---|\.\.\.)", "key": r"[?:]|^\S",
    "empty": "", "tab": "\t", "bom": "\ufeff", "directive": "^%", "flow": r"[\[{]", "block-spaces": r"[|>]",
    "block-document": r"[|>]", "duplicate": ":", "depth": r"[\[{]", "values": "",
}


def documents(text: str | None) -> list | None:
    """The JSON documents of a case, one after another, or None where the suite gives none."""
    if text is None:
        return None
    decoder, found, index, text = json.JSONDecoder(), [], 0, text.strip()
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        found.append(value)
        while index < len(text) and text[index].isspace():
            index += 1
    return found


def same(a, b) -> bool:
    """Equal as JSON means it: true is not 1, 1.0 is 1, NaN is NaN."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def outcome(engine: str, text: str):
    """("read", data) or ("refused", PlanFileError); anything else raised is a crash and fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ruamel.yaml warns of a reused anchor name: harmless here
        try:
            return "read", ENGINES[engine](text)
        except PlanFileError as refusal:
            return "refused", refusal


def classify(case: dict) -> dict[str, str]:
    """What each engine made of a case, in the words of the conformance table (docs/yaml.md)."""
    expected = documents(case["json"])
    found = {}
    for engine in ENGINES:
        try:
            kind, result = outcome(engine, case["yaml"])
        except Exception:  # noqa: BLE001 - counted, and failed in test_every_case
            found[engine] = "crashed"
            continue
        if case["error"]:
            found[engine] = "invalid accepted" if kind == "read" else "invalid refused"
        elif kind == "refused":
            found[engine] = "refused on purpose" if result.restriction else "refused, not on purpose"
        elif expected is None:
            found[engine] = "read (the suite gives no JSON)"
        else:
            found[engine] = "read right" if len(expected) == 1 and same(result, expected[0]) else "wrong read"
    return found


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_case(case):
    text = case["yaml"]
    results = {}
    for engine in ENGINES:
        if (engine, case["id"]) in KNOWN_DEVIATIONS:
            continue
        results[engine] = outcome(engine, text)  # an exception other than a finding fails here: a crash
    expected = documents(case["json"])
    lines = text.count("\n") + 1
    for engine, (kind, result) in results.items():
        if case["error"]:
            assert kind == "refused", f"{engine} reads an invalid text: {result!r}"
            continue
        if kind == "read":
            if expected is not None:
                assert len(expected) == 1 and same(result, expected[0]), (
                    f"{engine} reads {result!r}; the suite says {expected!r}")
            continue
        assert result.restriction, f"{engine} refuses valid YAML not on purpose: {result.message}"
        assert result.restriction in EVIDENCE, result.restriction
        assert re.search(EVIDENCE[result.restriction], text, re.MULTILINE) or result.restriction in (
            "empty", "values"), f"{engine}: refused for {result.restriction!r}, not in the text: {result.message}"
        assert 1 <= result.line <= lines and result.column >= 1, (result.line, result.column)
    verdicts = {engine: kind for engine, (kind, _result) in results.items()}
    assert len(set(verdicts.values())) == 1, f"the engines disagree: {verdicts}"
    readings = [result for kind, result in results.values() if kind == "read"]
    assert all(same(reading, readings[0]) for reading in readings), "the engines read the text differently"
    rules = {(result.kind, result.restriction) for kind, result in results.values() if kind == "refused"}
    assert len(rules) <= 1, f"the engines refuse the text for different reasons: {rules}"


def test_the_known_deviations_are_listed_with_their_reasons_in_docs():
    document = (ROOT / "docs" / "yaml.md").read_text(encoding="utf-8")
    for (engine, case), reason in KNOWN_DEVIATIONS.items():
        row = next((line for line in document.splitlines() if f"`{case}`" in line and engine in line), None)
        assert row is not None, f"docs/yaml.md does not list {engine} {case}"
        assert classify(BY_ID[case])[engine] not in ("read right", "invalid refused", "refused on purpose"), (
            f"{engine} follows the suite on {case} now: take it off the list")


def test_the_conformance_table_in_docs_is_the_one_measured():
    """docs/yaml.md shows the table this suite measures, engine by engine."""
    counts: dict[str, dict[str, int]] = {engine: {} for engine in ENGINES}
    for case in CASES:
        for engine, verdict in classify(case).items():
            counts[engine][verdict] = counts[engine].get(verdict, 0) + 1
    document = (ROOT / "docs" / "yaml.md").read_text(encoding="utf-8")
    for engine, verdicts in counts.items():
        row = next(line for line in document.splitlines() if line.startswith(f"| {engine} (now) |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
        columns = ["read right", "read (the suite gives no JSON)", "refused on purpose", "refused, not on purpose",
                   "wrong read", "invalid refused", "invalid accepted", "crashed"]
        assert cells == [str(verdicts.get(column, 0)) for column in columns], (engine, verdicts)


@pytest.mark.parametrize("case", ["4MUZ/00", "4MUZ/01", "4MUZ/02", "5MUD", "K3WX", "VJP3/01"])
def test_valid_flow_yaml_with_the_colon_on_the_next_line_gets_the_right_message(case):
    """It was "the bracket that opens on line 1 ... is never closed" for a bracket that is closed."""
    kind, refusal = outcome("tool", BY_ID[case]["yaml"])
    assert kind == "refused" and refusal.restriction == "flow"
    assert "never closed" not in refusal.message and "a `:` at the start of a line" in refusal.message


@pytest.mark.parametrize(("text", "value"), [
    ("a: 0o17\n", 15), ("a: 0x1F\n", 31), ("a: 1e3\n", 1000.0), ("a: 0301\n", 301), ("a: .inf\n", math.inf),
    ("a: -.5\n", -0.5), ("a: 1_000\n", "1_000"), ("a: no\n", "no"), ("a: 2024-06-12\n", "2024-06-12"),
    ("a: x\u2028y\nb: 1\n", "x\u2028y"), ("a: x\x85y\nb: 1\n", "x\x85y"), ('a: "x\u2029y"\nb: 1\n', "x\u2029y"),
    ("a: |\n  x\u2028y\nb: 1\n", "x\u2028y\n"),
])
def test_rare_number_forms_and_line_separators_are_read_alike_by_every_engine(text, value, monkeypatch):
    """The fast engine reads them itself: the pure-Python parser is never asked."""
    readings = {engine: outcome(engine, text) for engine in ENGINES}
    assert all(kind == "read" and same(data["a"], value) for kind, data in readings.values()), readings
    positions = parse_module._parse_events(text)[1]
    if "b" in text:
        assert positions[("b",)][0] == text.split("\n").index(next(line for line in text.split("\n")
                                                                    if line.startswith("b:"))) + 1

    def refuse(*_args):
        raise AssertionError("the round-trip parser was asked")

    monkeypatch.setattr(parse_module, "_parse_roundtrip", refuse)
    assert same(parse_module.parse(text)[0]["a"], value)


# -- what a new user met ---------------------------------------------------------------------------

from conftest import PLANS, findings  # noqa: E402

LIER = (PLANS / "lier.yaml").read_text(encoding="utf-8")


def _one_error(result):
    [error] = [f for f in findings(result.stdout) if f["severity"] == "error"]
    return error


def test_a_dedented_list_item_is_told_to_indent_alike_not_to_respell_an_id(cli, tmp_path):
    text = LIER.replace("    responsible:\n      - ung-kultur\n", "    responsible:\n      - ung-kultur\n"
                        "        - barnevern\n", 1)
    assert text != LIER
    path = tmp_path / "lier.yaml"
    path.write_text(text, encoding="utf-8")
    error = _one_error(cli("validate", str(path)))
    assert "write `ung-kultur-barnevern`" not in error["message"]
    assert "`- barnevern` is indented further than `- ung-kultur`" in error["message"]
    assert "indent every `- ` of the list alike" in error["message"]


def test_a_utf16_file_is_named_as_such_with_how_to_save_it_as_utf8(cli, tmp_path):
    path = tmp_path / "lier.yaml"
    path.write_bytes(LIER.encode("utf-16"))  # what Notepad saves as "Unicode": a byte order mark, then UTF-16LE
    result = cli("validate", str(path))
    assert result.code == 1 and "[FB002]" in result.output  # as any file that is not UTF-8
    assert "binary" not in result.output
    assert "UTF-16" in result.output and "save it as UTF-8" in result.output
    path.write_bytes(LIER.encode("utf-16-le"))  # and without the mark
    assert "UTF-16" in cli("validate", str(path)).output


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_cr_line_endings_are_read(cli, tmp_path, ending):
    """CR alone (old Mac) was 'line 1 is 64,110 characters long'; CR and CR LF are each one line break to
    YAML, so they are read, and a finding stands on the line an editor shows."""
    path = tmp_path / "lier.yaml"
    path.write_bytes(LIER.replace("\n", ending).encode("utf-8"))
    plain = tmp_path / "plain" / "lier.yaml"
    plain.parent.mkdir()
    plain.write_text(LIER, encoding="utf-8")
    result = cli("validate", str(path))
    assert result.code == cli("validate", str(plain)).code == 0, result.output
    lines = LIER.split("\n")
    number = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("level:") and n > 400)
    lines[number - 1] = lines[number - 1].replace("level:", "level: alle #", 1).split(" #")[0]
    path.write_bytes("\n".join(lines).replace("\n", ending).encode("utf-8"))
    error = _one_error(cli("validate", str(path)))
    assert error["line"] == str(number), error


def test_a_missing_colon_is_reported_at_its_line_in_the_position_and_the_text(cli, tmp_path):
    lines = LIER.split("\n")
    number = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("level:") and n > 400)
    lines[number - 1] = lines[number - 1].replace(":", "", 1)
    path = tmp_path / "lier.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    error = _one_error(cli("validate", str(path)))
    assert (error["line"], error["message"].split(" has no")[0]) == (str(number), f"line {number}")


@pytest.mark.parametrize("directive", ["%YAML 1.3", "%YAML 1.2", "%TAG ! tag:example.com,2000:"])
@pytest.mark.parametrize("command", [("validate",), ("fmt", "--check")])
def test_a_directive_is_a_finding_never_an_internal_error(cli, tmp_path, directive, command):
    """Issue 17: `%YAML 1.3` made validate and fmt exit 3 ("internal error")."""
    path = tmp_path / "lier.yaml"
    path.write_text(f"{directive}\n---\n{LIER}", encoding="utf-8")
    result = cli(*command, str(path))
    # validate reports a finding (1); fmt cannot shape a file it cannot read (2), as the README says
    assert result.code == (1 if command == ("validate",) else 2), result.output
    assert "internal error" not in result.output
    assert f"{path}:1:1:" in result.output and "directive" in result.output
