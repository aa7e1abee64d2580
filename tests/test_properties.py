"""Property: random mutations of the real plans never crash `validate`, every
finding it reports has a file, a line and a column inside the file, and the
two YAML engines give the same findings (conftest.engines_agree). The search
is derandomized, so a run is reproducible and cannot fail by chance; what it
once found stands as a fixed example."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PLANS, engines_agree, run_cli
from forebygging_cli.catalogue import RULES

SOURCES = {stem: (PLANS / f"{stem}.yaml").read_text(encoding="utf-8") for stem in ("lier", "os")}
#: values a planner might type, or an attacker might: each replaces a value after "key: "
VALUES = ["2024-02-30", "2024-13-45", "!!int x", "!!omap [a: 1]", "<<", "{<<: {a: 1}}", "13.0", "1e1", "*a", "&a x",
          "[/b]", "[red]x", ":warning:", '"\\e[2J"', "null", "~", "[]", "{}", "-1", "999999999999999999999", "yes",
          "'", '"', "|", ">-", "@x", "`x`", "%x", "? x", "- x"]
NASTY = [":", ": ", "-", "- ", "[", "]", "{", "}", "&a", "*a", "\t", '"', "'", "#", "\n", "  ", "ø", "!!str", "|",
         ">", "?", "%", "@", "`", "\x00", "\ufeff", "\x85", "0x1F", "no", "~", "1e309", "2024-13-45"]


@st.composite
def mutated(draw):
    stem = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[stem].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace-char", "truncate", "indent",
                                       "value", "value"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            lines.insert(i, draw(st.sampled_from(NASTY)) + draw(st.text(max_size=12)) + "\n")
        elif action == "replace-char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from(NASTY)) + lines[i][k + 1 :]
        elif action == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif action == "value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}\n"
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
    return stem, "".join(lines)


def _with_line(stem: str, find: str, replace: str) -> tuple[str, str]:
    text = SOURCES[stem]
    assert find in text
    return stem, text.replace(find, replace, 1)


#: the two disagreements the search kept finding (about one run in five failed by chance): a byte order
#: mark in the indentation (fast: no finding, round-trip: FB001) and a tab inside a key
FOUND = [
    _with_line("lier", "\n  title: ", "\n \ufefftitle: "),
    _with_line("os", "\n  title: ", "\n  ti\ttle: "),
    _with_line("lier", "\nmeasures:\n", "\nmeasures:\n\ufeff"),
    _with_line("os", "\n  title: ", "\n  title:\t"),
]


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
@example(case=FOUND[0])
@example(case=FOUND[1])
@example(case=FOUND[2])
@example(case=FOUND[3])
def test_mutated_plans_never_crash_and_every_finding_has_a_line(tmp_path, case):
    stem, text = case
    path = tmp_path / f"{stem}.yaml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    result = run_cli("validate", str(path), "--format", "json")  # fails on any exception or traceback
    assert result.code in (0, 1), result.output
    report = json.loads(result.stdout)
    [entry] = report["files"]
    line_count = max(1, text.count("\n") + 1)
    for finding in entry["findings"]:
        assert finding["rule"] in RULES
        assert finding["file"] == str(path)
        assert 1 <= finding["line"] <= line_count + 1, finding
        assert finding["column"] >= 1
        assert finding["message"]


@pytest.mark.parametrize("case", FOUND, ids=["bom-in-indentation", "tab-in-a-key", "bom-at-a-line-start",
                                             "tab-after-a-colon"])
def test_what_the_search_found_is_one_finding_in_both_engines(tmp_path, case):
    """Each engine alone gives the same one finding for it, at its place."""
    from forebygging_cli.validate import validate_text

    stem, text = case
    fast = validate_text(text.encode("utf-8"), f"{stem}.yaml")
    slow = validate_text(text.encode("utf-8"), f"{stem}.yaml", engine="roundtrip")
    assert [str(f) for f in fast.findings] == [str(f) for f in slow.findings]
    [finding] = fast.findings
    assert finding.rule == "FB001"
    marked = next(number for number, line in enumerate(text.split("\n"), 1) if "\ufeff" in line or "\t" in line)
    assert finding.line == marked


def test_a_disagreement_of_the_engines_fails_every_time_it_is_seen(tmp_path, monkeypatch):
    """The memo in conftest recorded a text as compared before it asserted, so hypothesis's replay
    of a failing example passed and a real disagreement surfaced as FlakyFailure, never shrunk."""
    from forebygging_cli import validate

    real = validate.validate_text

    def skewed(raw, shown, engine="fast"):
        report = real(raw, shown, engine)
        return dataclasses.replace(report, findings=report.findings[1:]) if engine == "roundtrip" else report

    monkeypatch.setattr(validate, "validate_text", skewed)
    path = tmp_path / "os.yaml"
    path.write_text(SOURCES["os"].replace("schema_version: 1\n", "schema_version: 2\n", 1), encoding="utf-8")
    for _time in range(2):
        with pytest.raises(AssertionError, match="disagree"):
            engines_agree(("validate", str(path)), b"")
