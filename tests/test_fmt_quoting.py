"""fmt quotes a text whose words would otherwise turn into a comment (issue 20: a mutant of fmt wrote a
text holding " #" plain, so the rest of the text became a comment and fmt then refused its own output)."""

from __future__ import annotations

import json

import pytest

from conftest import PLANS


@pytest.mark.parametrize("text", ["Trivsel #1 i skulen", "Kurs #2", "slutt med #", "a: b #c"])
def test_a_text_with_a_hash_after_a_space_keeps_every_word_through_fmt(cli, tmp_path, text):
    source = (PLANS / "os.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "os.yaml"
    # the first measure's name, written as a single-quoted text that fmt rewrites in its own shape
    start = source.index("\nmeasures:\n")
    at = source.index("    name: ", start)
    end = source.index("\n", at)
    plan.write_text(source[:at] + "    name: '" + text + "'" + source[end:], encoding="utf-8")
    measure = source[source.index("  - id: ", start) + len("  - id: "):source.index("\n", source.index("  - id: ", start))]

    assert cli("fmt", str(plan)).code == 0
    written = plan.read_text(encoding="utf-8")
    assert f'    name: "{text}"\n' in written
    assert cli("fmt", "--check", str(plan)).code == 0  # its own output is canonical
    shown = cli("show", measure, str(plan), "--format", "json")
    assert shown.code == 0, shown.output
    assert [record["name"] for record in json.loads(shown.stdout)] == [text]
