"""Property: random mutations of the real plans never crash `validate`, and
every finding it reports has a file, a line and a column inside the file."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PLANS, run_cli
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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(case=mutated())
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
