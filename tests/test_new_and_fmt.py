"""`new` starts a plan file that validates with completeness findings only and
never overwrites; `fmt` changes layout only (every value and every comment
kept), is idempotent, leaves unusable files byte-identical and writes
atomically; the repository's own plans are in its shape."""

from __future__ import annotations

import io
import os
import random
import shutil

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import PLANS, ROOT, findings
from forebygging_cli import fmt as formatter
from forebygging_cli.parse import parse, roundtrip_yaml

SOURCES = {stem: (PLANS / f"{stem}.yaml").read_text(encoding="utf-8") for stem in ("lier", "os")}


# -- new --------------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path, monkeypatch):
    (tmp_path / "plans").mkdir()
    (tmp_path / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "plan.schema.json", tmp_path / "schemas" / "plan.schema.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("name", "stem"), [("Bø i Telemark", "bo-i-telemark"), ("Ål kommune", "al"),
                                            ("Fjordvik kommune", "fjordvik"), ("Aurskog-Høland", "aurskog-holand")])
def test_a_new_plan_validates_with_completeness_findings_only(cli, repository, name, stem):
    result = cli("--lang", "nb", "new", name)
    assert result.code == 0, result.output
    path = repository / "plans" / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/plan.schema.json\n")
    found = findings(cli("validate", str(path)).stdout)
    rules = {f["rule"] for f in found}
    assert rules and all(rule.startswith("FB3") for rule in rules), rules
    assert {"FB301", "FB303", "FB305", "FB311", "FB312", "FB313", "FB314", "FB315"} <= rules
    assert f"name: {name}" in text
    # a bokmål comment above each section, naming the rule that checks it
    for section, rule in (("plan:", "FB301"), ("units: [", "FB201"), ("measures: [", "FB311")):
        above = text[: text.index(f"\n{section}")].rsplit("\nschema_version", 1)[-1]
        assert rule in above.split(f"\n{section}")[0][-600:], section
    assert "# Mål, med delmål og strategier (loven krever mål: FB303)." in text
    for level in ("universal", "selected", "indicated"):
        assert f"level: {level}," in text  # one commented-out example per level
    assert cli("fmt", "--check", str(path)).code == 0  # born canonical


def test_new_never_overwrites(cli, repository):
    assert cli("new", "Fjordvik kommune").code == 0
    path = repository / "plans" / "fjordvik.yaml"
    path.write_text("# mitt arbeid\n", encoding="utf-8")
    again = cli("new", "Fjordvik kommune")
    assert again.code == 2
    assert again.stderr == "error: plans/fjordvik.yaml already exists; new never overwrites a plan: edit it, or " \
                           "choose another file with -o\n"
    assert path.read_text(encoding="utf-8") == "# mitt arbeid\n"


def test_new_with_an_output_outside_a_repository_points_at_the_bundled_schema(cli, tmp_path, monkeypatch):
    """Relative to the file (issue 18: an absolute path is one machine's, committed into everyone's repository)."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "utkast" / "plan.yaml"
    assert cli("new", "Fjordvik kommune", "-o", str(target)).code == 0
    first = target.read_text(encoding="utf-8").splitlines()[0]
    schema = first.split("$schema=", 1)[1]
    assert not os.path.isabs(schema) and schema.endswith("plan.schema.json")
    assert os.path.isfile(target.parent / schema)


# -- fmt: the shape ---------------------------------------------------------------------------


def test_the_repositorys_plans_are_in_the_canonical_shape(cli):
    result = cli("fmt", "--check", str(PLANS))
    assert result.code == 0, result.output
    assert result.stdout == ""


def test_check_and_diff_change_nothing(cli, tmp_path):
    path = tmp_path / "os.yaml"
    messy = SOURCES["os"].replace("  name: Os kommune\n", "  name: 'Os kommune'\n")
    path.write_text(messy, encoding="utf-8")
    check = cli("fmt", "--check", str(path))
    assert check.code == 1 and check.stdout == f"would reformat {path}\n"
    diff = cli("fmt", "--diff", str(path))
    assert diff.code == 1
    assert "-  name: 'Os kommune'\n+  name: Os kommune\n" in diff.stdout
    assert path.read_text(encoding="utf-8") == messy
    assert cli("fmt", str(path)).code == 0
    assert path.read_text(encoding="utf-8") == SOURCES["os"]


def test_keys_go_in_the_schemas_order_and_comments_come_along(cli, tmp_path):
    text = ("# øverst\nmeasures: []  # ingen ennå\n# om enhetene\nunits: []\nplan:\n  source:\n    file: x.txt\n"
            "  # tittelen\n  title: T\nmunicipality:\n  name: Fjordvik kommune\nschema_version: 1\n")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli("fmt", str(path)).code == 0
    assert path.read_text(encoding="utf-8") == (
        "# øverst\nschema_version: 1\nmunicipality:\n  name: Fjordvik kommune\nplan:\n  # tittelen\n  title: T\n"
        "  source:\n    file: x.txt\n# om enhetene\nunits: []\nmeasures: []  # ingen ennå\n")


def test_text_that_needs_quotes_gets_double_quotes_and_long_text_stays_on_one_line():
    long = "ord " * 300 + "slutt"
    data = {"schema_version": 1, "municipality": {"name": "no"}, "plan": {"title": "a: b", "source": {
        "file": "2024-06-12"}, "purpose": [long, "linje 1\nlinje 2", "#emneknagg", "13", "- strek", "«sitat»"]}}
    text = formatter.emit(data)
    assert 'name: "no"' in text and 'title: "a: b"' in text and 'file: "2024-06-12"' in text
    assert f"    - {long}\n" in text and '    - "linje 1\\nlinje 2"' in text
    assert '"#emneknagg"' in text and '"13"' in text and '"- strek"' in text and "    - «sitat»\n" in text
    assert parse(text)[0] == data


# -- fmt: layout only, every comment kept, idempotent (property tests) -------------------------

QUOTES = ("plain", "single", "double", "folded")


def mutate(stem: str, seed: int, indent: tuple[int, int, int], quotes: str, comments: int) -> str:
    """A copy of a real plan with keys shuffled, another indentation, other quoting and extra comments."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, SingleQuotedScalarString

    rng = random.Random(seed)
    yaml = roundtrip_yaml()
    data = yaml.load(SOURCES[stem])
    style = {"single": SingleQuotedScalarString, "double": DoubleQuotedScalarString, "folded": FoldedScalarString}
    places: list[tuple[CommentedMap, str]] = []

    def walk(node):
        if isinstance(node, CommentedMap):
            keys = list(node)
            rng.shuffle(keys)
            for key in keys:
                node.move_to_end(key)
                value = node[key]
                if isinstance(value, str) and quotes in style and rng.random() < 0.5 and "\n" not in value \
                        and not (quotes == "folded" and (value != value.strip() or "  " in value)):
                    node[key] = style[quotes](value)
                places.append((node, key))
                walk(value)
        elif isinstance(node, CommentedSeq):
            for item in node:
                walk(item)

    walk(data)
    for number in range(comments):
        node, key = rng.choice(places)
        if rng.random() < 0.5:
            node.yaml_set_comment_before_after_key(key, before=f"kommentar {number} æøå", indent=0)
        elif not isinstance(node[key], (CommentedMap, CommentedSeq)):
            node.yaml_add_eol_comment(f"# slutt {number}", key)
    out = io.StringIO()
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    yaml.width = 4096
    yaml.dump(data, out)
    return out.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=st.sampled_from(sorted(SOURCES)), seed=st.integers(0, 10**6),
       indent=st.sampled_from([(2, 4, 2), (4, 6, 4), (2, 2, 0), (3, 5, 2)]), quotes=st.sampled_from(QUOTES),
       comments=st.integers(0, 6))
def test_fmt_keeps_every_value_and_comment_and_is_idempotent(stem, seed, indent, quotes, comments):
    text = mutate(stem, seed, indent, quotes, comments)
    before, _p, _k = parse(text)
    # ruamel.yaml writes a comment into a folded scalar at offset 0: that mutation is not layout only
    assume(before == parse(SOURCES[stem])[0])
    result = formatter.canonical(text)
    assert parse(result)[0] == before
    kept = sorted(c.text for c in formatter.comments(result))
    assert kept == sorted(c.text for c in formatter.comments(text))
    added = [c for c in kept if c.startswith(("# kommentar ", "# slutt "))]
    assert len(added) == sum(1 for line in text.splitlines() if "# kommentar " in line or "# slutt " in line)
    assert formatter.canonical(result) == result
    # the canonical shape does not depend on how the file was written (comments aside: shuffling keys moves them)
    assert without_comments(result) == without_comments(SOURCES[stem])


def without_comments(text: str) -> str:
    found = formatter.comments(text)
    for comment in found:
        if comment.inline:
            text = text.replace(f"  {comment.text}\n", "\n", 1)
    own = {c.text for c in found if not c.inline}
    return "".join(line for line in text.splitlines(keepends=True) if line.strip() not in own)


# -- fmt: files it must not touch, and atomic writes ----------------------------------------------


@pytest.mark.parametrize("content", [b"schema_version: 1\nplan: [\n", b"\xff\xfe not utf-8\n",
                                     SOURCES["os"].replace("level: universal", "level: alle", 1).encode()])
def test_a_file_that_cannot_be_formatted_is_left_byte_identical(cli, tmp_path, content):
    path = tmp_path / "os.yaml"
    path.write_bytes(content)
    result = cli("fmt", str(path))
    assert result.code == 2
    assert path.read_bytes() == content
    assert str(path) in result.stderr


def test_a_plan_mid_edit_is_still_formatted_and_the_summary_counts_what_was_left(cli, tmp_path):
    # a dangling unit reference is the planner's next job, not a reason to refuse layout
    mid_edit = SOURCES["os"].replace("    unit: koordinerende-enhet\n", "    unit: 'ny-enhet'\n", 1)
    (tmp_path / "a.yaml").write_text(mid_edit, encoding="utf-8")
    (tmp_path / "b.yaml").write_bytes(b"schema_version: 1\nplan: [\n")
    (tmp_path / "c.yaml").write_text(SOURCES["os"], encoding="utf-8")
    result = cli("--lang", "nb", "fmt", str(tmp_path))
    assert result.code == 2
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == mid_edit.replace("'ny-enhet'", "ny-enhet")
    assert (tmp_path / "b.yaml").read_bytes() == b"schema_version: 1\nplan: [\n"
    assert result.stdout == f"omformaterte {tmp_path / 'a.yaml'}\n"
    assert result.stderr.endswith("1 fil omformatert, 1 allerede i kanonisk form. 1 fil latt være som den er.\n")
    assert f"{tmp_path / 'b.yaml'}:2:8: error [FB001]" in result.stderr  # where the list opened


@pytest.mark.parametrize("bug", ["drops a comment", "changes a value"])
def test_fmt_refuses_its_own_mistake_and_leaves_the_file(cli, tmp_path, monkeypatch, bug):
    """The read-back check: were fmt ever to lose a comment or change a value, it writes nothing."""
    if bug == "drops a comment":
        monkeypatch.setattr(formatter, "_place", lambda text, found, line_of: text)
    else:
        emit = formatter.emit
        monkeypatch.setattr(formatter, "emit",
                            lambda data, line_of=None, *more: emit(data, line_of, *more).replace("Os kommune", "Os", 1))
    path = tmp_path / "os.yaml"
    messy = SOURCES["os"].replace("  name: Os kommune\n", "  name: 'Os kommune'\n")
    path.write_text(messy, encoding="utf-8")
    result = cli("fmt", str(path))
    assert result.code == 2
    assert path.read_text(encoding="utf-8") == messy
    reason = "a comment would be lost or moved" if bug == "drops a comment" else \
        "the canonical text reads back differently"
    assert f"error: {path} is left as it is: fmt could not keep the change to layout only ({reason}); please " \
           "report this" in result.stderr


def test_an_interrupted_write_leaves_the_old_file(cli, tmp_path, monkeypatch):
    path = tmp_path / "os.yaml"
    messy = SOURCES["os"].replace("  name: Os kommune\n", "  name: 'Os kommune'\n")
    path.write_text(messy, encoding="utf-8")
    path.chmod(0o640)

    def interrupted(source, target):
        raise KeyboardInterrupt  # the moment between writing the new file and putting it in place

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        from forebygging_cli.cli import common as command

        command.write_file(str(path), "ny tekst\n")
    assert path.read_text(encoding="utf-8") == messy
    assert [p.name for p in tmp_path.iterdir()] == ["os.yaml"]  # no temporary file left behind
    monkeypatch.undo()
    assert cli("fmt", str(path)).code == 0
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)  # the file's mode kept


def test_the_summary_speaks_bokmal(cli, tmp_path):
    shutil.copy(PLANS / "os.yaml", tmp_path / "os.yaml")
    result = cli("--lang", "nb", "fmt", str(tmp_path))
    assert result.code == 0 and result.stdout == ""
    assert result.stderr == "0 filer omformatert, 1 allerede i kanonisk form.\n"


# -- comments after a block text's header; the byte order mark -----------------------------


@pytest.mark.parametrize("header", [">-", "|", ">2-", "|+", ">"])
def test_a_comment_after_a_block_texts_header_is_kept(cli, tmp_path, header):
    """`title: >- # VIKTIG ...` lost its comment, and the read-back check could not see it."""
    text = SOURCES["lier"].replace(
        "  title: PLAN FOR FOREBYGGING AV OMSORGSSVIKT OG ATFERDSPROBLEMER\n",
        f"  title: {header} # VIKTIG: tittelen slik kommunestyret vedtok den\n"
        "    PLAN FOR FOREBYGGING AV OMSORGSSVIKT OG ATFERDSPROBLEMER\n", 1)
    assert text != SOURCES["lier"]
    path = tmp_path / "lier.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli("fmt", str(path)).code == 0
    formatted = path.read_text(encoding="utf-8")
    assert "# VIKTIG: tittelen slik kommunestyret vedtok den" in formatted
    title = parse(text)[0]["plan"]["title"]
    assert title.startswith("PLAN FOR FOREBYGGING") and title.endswith(("PROBLEMER", "PROBLEMER\n"))
    assert [line for line in formatted.splitlines() if "VIKTIG" in line] == [
        f"  title: {formatter.scalar(title)}  # VIKTIG: tittelen slik kommunestyret vedtok den"]
    assert parse(formatted)[0] == parse(text)[0]
    assert cli("fmt", "--check", str(path)).code == 0


def test_the_read_back_check_sees_a_comment_that_comments_itself_missed(monkeypatch):
    """Were the search for comments to miss one on both sides (as it missed the comment after a
    block header), the count of '#' outside every text still sees it lost."""
    text = SOURCES["os"].replace("  name: Os kommune\n", "  name: >- # VIKTIG\n    Os kommune\n", 1)
    assert "VIKTIG" in formatter.canonical(text)
    find = formatter._find_comments
    monkeypatch.setattr(formatter, "_find_comments", lambda *args: [c for c in find(*args) if "VIKTIG" not in c.text])
    with pytest.raises(formatter.FormatError, match="^a comment would be lost$"):
        formatter.canonical(text)


@pytest.mark.parametrize(("name", "encode"), [
    ("a byte order mark", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
    ("CR LF line endings", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
    ("CR line endings", lambda text: text.replace("\n", "\r").encode("utf-8")),
])
def test_the_shape_is_utf8_without_a_byte_order_mark_and_with_lf(cli, tmp_path, name, encode):
    """A byte order mark and its absence were both "canonical". The shape has none: git, diff and every
    YAML and JSON tool read UTF-8 without one, and a mark is an invisible difference between two files."""
    path = tmp_path / "os.yaml"
    path.write_bytes(encode(SOURCES["os"]))
    check = cli("fmt", "--check", str(path))
    assert check.code == 1 and check.stdout == f"would reformat {path}\n", name
    original = tmp_path / "original" / "os.yaml"
    original.parent.mkdir()
    original.write_text(SOURCES["os"], encoding="utf-8")
    read, expected = cli("validate", str(path)), cli("validate", str(original))
    assert read.code == expected.code == 0  # read as the same plan, with the same findings
    assert read.stdout.replace(str(path), "X") == expected.stdout.replace(str(original), "X")
    diff = cli("fmt", "--diff", str(path))
    assert diff.code == 1 and "only the byte order mark or the line endings change" in diff.stdout
    assert cli("fmt", str(path)).code == 0
    assert path.read_bytes() == SOURCES["os"].encode("utf-8")
    assert cli("fmt", "--check", str(path)).code == 0
