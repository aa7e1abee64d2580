"""`forebygging diff`: edited copies of the real plans give exactly the expected
change list, in every format; layout, key order and comments give none; git
revisions, tags and the index work; exit codes follow --exit-code and
--fail-on."""

from __future__ import annotations

import copy
import io
import json
import random
import sys


import pytest

from conftest import PLANS, ROOT
from forebygging_cli.diff import KINDS, diff_plans
from forebygging_cli.worddiff import condensed, likeness, word_changes
from forebygging_cli.files import MAX_BYTES
from forebygging_cli.load import build_plan, read_document
from forebygging_cli.parse import roundtrip_yaml


def load_rt(stem: str):
    return roundtrip_yaml().load((PLANS / f"{stem}.yaml").read_text(encoding="utf-8"))


def dump(data, path) -> str:
    out = io.StringIO()
    yaml = roundtrip_yaml()
    yaml.width = 4096
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def measure(data, measure_id: str):
    return next(m for m in data["measures"] if m["id"] == measure_id)


def changes(cli, old: str, new: str, *args: str) -> list[tuple]:
    result = cli("diff", old, new, "--format", "json", *args)
    assert result.code == 0, result.output
    document = json.loads(result.stdout)
    [plan] = document["plans"]
    return [(c["change"], c["id"], c["field"]) for c in plan["changes"]]


def edited(tmp_path, stem: str, edit, name: str | None = None) -> str:
    data = load_rt(stem)
    edit(data)
    return dump(data, tmp_path / (name or f"{stem}-ny.yaml"))


#: the section each kind of change is shown under, in bokmål
SECTION_NB = {
    "measure-added": "Nye tiltak", "measure-removed": "Fjernede tiltak", "measure-renamed": "Tiltak med ny id",
    "measure-level": "Tiltak flyttet til annet nivå", "measure-responsible": "Endret ansvar",
    "measure-ages": "Endret aldersgruppe", "measure-description": "Andre endringer i tiltak",
    "unit-renamed": "Enheter", "arena-status": "Samarbeidsarenaer og team", "adoption": "Vedtak og planperiode",
}

LIER = str(PLANS / "lier.yaml")
OS = str(PLANS / "os.yaml")


# -- one edit, one change -----------------------------------------------------------------


def add_measure(data):
    new = copy.deepcopy(measure(data, "tranby-fritidsklubb"))
    new.update(id="ny-fritidsklubb", name="Ny fritidsklubb", description="Ny møteplass for ungdom på Hegg.")
    data["measures"].append(new)


def rename_measure(data):
    measure(data, "tranby-fritidsklubb")["id"] = "tranby-fritidsklubb-lier-il"


def move_level(data):
    measure(data, "tranby-fritidsklubb")["level"] = "selected"


def change_unit(data):
    measure(data, "tranby-fritidsklubb")["responsible"] = ["kultur-og-fritid", "ppt"]


def change_age(data):
    measure(data, "tranby-fritidsklubb")["target"]["grades"]["to"] = 13


def reword(data):
    target = measure(data, "tranby-fritidsklubb")
    target["description"] = target["description"].replace("Åpen møteplass", "Åpen og trygg møteplass")


def rename_unit(data):
    next(u for u in data["units"] if u["id"] == "ung-kultur")["name"] = "Ung kultur og fritid"


def establish_arena(data):
    next(a for a in data["collaboration"] if a["id"] == "inntaksteam")["status"] = "established"


def adoption_date(data):
    data["plan"]["adopted"]["date"] = "2025-03-20"


def remove_measure(data):
    data["measures"].remove(measure(data, "tranby-fritidsklubb"))


@pytest.mark.parametrize(("edit", "expected"), [
    (add_measure, [("measure-added", "ny-fritidsklubb", None)]),
    (remove_measure, [("measure-removed", "tranby-fritidsklubb", None)]),
    (rename_measure, [("measure-renamed", "tranby-fritidsklubb-lier-il", "id")]),
    (move_level, [("measure-level", "tranby-fritidsklubb", "level")]),
    (change_unit, [("measure-responsible", "tranby-fritidsklubb", "responsible")]),
    (change_age, [("measure-ages", "tranby-fritidsklubb", "ages")]),
    (reword, [("measure-description", "tranby-fritidsklubb", "description")]),
    (rename_unit, [("unit-renamed", "ung-kultur", "name")]),
    (establish_arena, [("arena-status", "inntaksteam", "status")]),
    (adoption_date, [("adoption", None, "plan.adopted.date")]),
], ids=lambda v: getattr(v, "__name__", ""))
def test_each_edit_is_exactly_one_change(cli, tmp_path, edit, expected):
    path = edited(tmp_path, "lier", edit)
    assert changes(cli, LIER, path) == expected
    [(kind, _id, _field)] = expected
    section = SECTION_NB[kind]
    text = cli("--lang", "nb", "diff", LIER, path).stdout
    markdown = cli("--lang", "nb", "diff", LIER, path, "--format", "markdown").stdout
    assert f"\n{section}\n" in text and f"### {section}" in markdown
    assert "Ingen endringer" not in text + markdown


def test_the_changes_carry_old_and_new_values(cli, tmp_path):
    path = edited(tmp_path, "lier", lambda d: (move_level(d), change_age(d), change_unit(d)))
    document = json.loads(cli("diff", LIER, path, "--format", "json").stdout)
    by_change = {c["change"]: c for c in document["plans"][0]["changes"]}
    assert (by_change["measure-level"]["old"], by_change["measure-level"]["new"]) == ("universal", "selected")
    assert by_change["measure-ages"]["old"] == {"min": 13, "max": 15, "prenatal": False}
    assert by_change["measure-ages"]["new"] == {"min": 13, "max": 18, "prenatal": False}
    assert by_change["measure-responsible"]["old"] == ["ung-kultur"]
    assert all(c["severity"] == "major" and c["kind"] == "changed" for c in by_change.values())
    summary = document["plans"][0]["summary"]
    assert (summary["changes"], summary["major"], summary["minor"]) == (3, 3, 0)


def test_a_unit_renamed_shows_once_not_per_measure(cli, tmp_path):
    path = edited(tmp_path, "lier", rename_unit)
    assert len([m for m in build_plan(read_document(LIER)).measures if "ung-kultur" in m.responsible]) > 3
    assert changes(cli, LIER, path) == [("unit-renamed", "ung-kultur", "name")]


def test_a_unit_with_a_new_id_is_followed_through_its_measures(cli, tmp_path):
    def new_id(data):
        for unit in data["units"]:
            if unit["id"] == "ppt":
                unit["id"] = "pp-tjenesten"
        for item in data["measures"]:
            item["responsible"] = ["pp-tjenesten" if u == "ppt" else u for u in item["responsible"]]
        for arena in data["collaboration"]:
            if "units" in arena:
                arena["units"] = ["pp-tjenesten" if u == "ppt" else u for u in arena["units"]]
    assert changes(cli, LIER, edited(tmp_path, "lier", new_id)) == [("unit-renamed", "pp-tjenesten", "id")]


def test_layout_key_order_quoting_and_comments_are_no_change(cli, tmp_path):
    data = load_rt("os")
    random.seed(7)

    def shuffle(node):
        if hasattr(node, "items"):
            keys = list(node)
            random.shuffle(keys)
            for key in keys:
                node.move_to_end(key)
                shuffle(node[key])
        elif isinstance(node, list):
            for item in node:
                shuffle(item)

    shuffle(data)
    text = "# en kommentar øverst\n" + dump(data, tmp_path / "x.yaml") and (tmp_path / "x.yaml").read_text("utf-8")
    text = "# en kommentar øverst\n" + text.replace("\n  - id: ", "\n  # en kommentar\n  - id: ")
    (tmp_path / "os.yaml").write_text(text, encoding="utf-8")
    for old, new in ((OS, OS), (OS, str(tmp_path / "os.yaml"))):
        result = cli("diff", old, new, "--exit-code")
        assert result.code == 0, result.output
        assert json.loads(cli("diff", old, new, "--format", "json").stdout)["summary"]["changes"] == 0
    assert "Ingen endringer." in cli("--lang", "nb", "diff", OS, str(tmp_path / "os.yaml")).stdout


def test_a_realistic_revision_in_every_format(cli, tmp_path):
    def revise(data):
        add_measure(data)  # a copy of Tranby Fritidsklubb, before it moves
        establish_arena(data)
        move_level(data)
        measure(data, "los")["level"] = "indicated"
    path = edited(tmp_path, "lier", revise)
    expected = [("measure-added", "ny-fritidsklubb", None), ("measure-level", "tranby-fritidsklubb", "level"),
                ("measure-level", "los", "level"), ("arena-status", "inntaksteam", "status")]
    assert sorted(changes(cli, LIER, path)) == sorted(expected)
    markdown = cli("--lang", "nb", "diff", LIER, path, "--format", "markdown").stdout
    assert "**1 nytt tiltak, 2 flyttet til annet nivå, 1 arena etablert.**" in markdown
    assert "### Nye tiltak" in markdown and "| Ny fritidsklubb | Bra for alle | 13-15 år | Ung Kultur |" in markdown
    assert "### Tiltak flyttet til annet nivå" in markdown
    assert "| Tranby Fritidsklubb | Bra for alle | Nyttig for noen |" in markdown
    assert "| LOS | Nyttig for noen | Nødvendig for enkelte |" in markdown
    assert "- **Inntaksteam**: planlagt → etablert" in markdown
    text = cli("--lang", "nb", "diff", LIER, path).stdout
    assert "1 nytt tiltak, 2 flyttet til annet nivå, 1 arena etablert." in text
    assert "Tranby Fritidsklubb: Bra for alle → Nyttig for noen" in text
    english = cli("--lang", "en", "diff", LIER, path).stdout
    assert "1 new measure, 2 moved to another level, 1 arena established." in english


def test_description_changes_are_shown_word_by_word(cli, tmp_path):
    path = edited(tmp_path, "lier", reword)
    markdown = cli("--lang", "nb", "diff", LIER, path, "--format", "markdown").stdout
    assert "Åpen **og trygg** møteplass" in markdown
    assert "Drives etter det gamle" not in markdown  # unchanged words far away are left out
    text = cli("--lang", "nb", "diff", LIER, path, "--color", "always").stdout
    assert "\x1b[32m{+og trygg+}" in text


def test_python_api_is_pure():
    old = build_plan(read_document(LIER))
    assert diff_plans(old, old) == []
    assert all(change.kind in KINDS for change in diff_plans(old, build_plan(read_document(OS))))


def test_the_catalogue_of_kinds_is_listed(cli):
    result = cli("diff", "--kinds")
    assert result.code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == list(KINDS)
    assert "measure-level              major" in result.stdout


# -- exit codes ---------------------------------------------------------------------------------


def test_exit_codes(cli, tmp_path):
    minor_only = edited(tmp_path, "lier", reword, "minor.yaml")
    major = edited(tmp_path, "lier", move_level, "major.yaml")
    assert cli("diff", LIER, minor_only).code == 0
    assert cli("diff", LIER, minor_only, "--exit-code").code == 1
    assert cli("diff", LIER, minor_only, "--fail-on", "major").code == 0
    assert cli("diff", LIER, minor_only, "--fail-on", "minor").code == 1
    assert cli("diff", LIER, major, "--fail-on", "MAJOR").code == 1
    assert cli("diff", LIER, LIER, "--exit-code").code == 0
    assert cli("diff", LIER, major, "--fail-on", "huge").code == 2


def test_a_side_that_breaks_the_schema_is_a_finding_and_exit_2(cli, tmp_path):
    broken = tmp_path / "lier.yaml"
    broken.write_text((PLANS / "lier.yaml").read_text(encoding="utf-8").replace("level: universal", "level: alle", 1),
                      encoding="utf-8")
    result = cli("diff", LIER, str(broken))
    assert result.code == 2 and result.stdout == ""
    assert f"{broken}:" in result.stderr and "[FB104]" in result.stderr
    incomplete = edited(tmp_path, "lier", lambda d: d.pop("goals"))  # FB303: incomplete, but a plan
    assert changes(cli, LIER, incomplete) == [("goal-removed", g.id, None) for g in build_plan(read_document(LIER)).goals]


# -- renames at the edge of the threshold ------------------------------------------------------------

TEN_WORDS = "Åpen møteplass for ungdom med bordtennis gaming og varm mat"


def with_description(text: str, new_id: str | None = None):
    def edit(data):
        target = measure(data, "tranby-fritidsklubb")
        target["description"] = text
        if new_id:
            target["id"] = new_id
    return edit


@pytest.mark.parametrize(("replaced", "expected"), [
    (1, [("measure-renamed", "tranby-klubb", "id"), ("measure-description", "tranby-klubb", "description")]),
    (2, [("measure-added", "tranby-klubb", None), ("measure-removed", "tranby-fritidsklubb", None)]),
])
def test_the_rename_threshold_at_its_edge(cli, tmp_path, replaced, expected):
    """A rename keeps at least 90 % of the words of the name and of the description: ten words with one
    replaced keep 2 × 9 of 20 (exactly 90 %); with two replaced, 80 %: a measure cut and a new one."""
    words = TEN_WORDS.split()
    assert len(words) == 10
    changed = " ".join(["Stengt"] * replaced + words[replaced:])
    old = edited(tmp_path, "lier", with_description(TEN_WORDS), "gammel.yaml")
    new = edited(tmp_path, "lier", with_description(changed, "tranby-klubb"), "ny.yaml")
    assert changes(cli, old, new) == expected
    assert cli("diff", old, new, "--fail-on", "major").code == (0 if replaced == 1 else 1)


def test_the_rename_threshold_holds_for_the_name_too(cli, tmp_path):
    def rename(data, name: str):
        target = measure(data, "tranby-fritidsklubb")
        target.update(id="tranby-klubb", name=name)
    long_name = "Tranby Fritidsklubb for ungdom på Lier IL sitt klubbhus hver fredag"  # 11 words
    old = edited(tmp_path, "lier", lambda d: measure(d, "tranby-fritidsklubb").update(name=long_name), "gammel.yaml")
    nearly = edited(tmp_path, "lier", lambda d: rename(d, long_name + " ettermiddag"), "nesten.yaml")  # 22/23
    other = edited(tmp_path, "lier", lambda d: rename(d, "Hegg fritidsklubb"), "annen.yaml")
    assert [c[0] for c in changes(cli, old, nearly)] == ["measure-renamed", "measure-name"]
    assert [c[0] for c in changes(cli, old, other)] == ["measure-added", "measure-removed"]


def test_a_cut_measure_and_a_new_one_do_not_pass_as_a_rename(cli, tmp_path):
    def cut_and_add(data):
        old = measure(data, "tranby-fritidsklubb")
        new = copy.deepcopy(old)
        new.update(id="hegg-fritidsklubb", name="Hegg fritidsklubb",
                   description=old["description"].replace("Tranby", "Hegg").replace("fredag", "onsdag"))
        data["measures"][data["measures"].index(old)] = new
    path = edited(tmp_path, "lier", cut_and_add)
    assert changes(cli, LIER, path) == [("measure-added", "hegg-fritidsklubb", None),
                                        ("measure-removed", "tranby-fritidsklubb", None)]
    assert cli("diff", LIER, path, "--fail-on", "major").code == 1


def test_a_renamed_measure_that_also_moved_shows_every_change(cli, tmp_path):
    def rename_and_move(data):
        target = measure(data, "tranby-fritidsklubb")
        target.update(id="tranby-klubb", level="selected", responsible=["ppt"])
    assert changes(cli, LIER, edited(tmp_path, "lier", rename_and_move)) == [
        ("measure-renamed", "tranby-klubb", "id"), ("measure-level", "tranby-klubb", "level"),
        ("measure-responsible", "tranby-klubb", "responsible")]


def test_many_renamed_measures_are_each_paired_with_their_own(cli, tmp_path):
    def renumber(data):
        for item in data["measures"]:
            item["id"] = item["id"] + "-2025"
    result = json.loads(cli("diff", LIER, edited(tmp_path, "lier", renumber), "--format", "json").stdout)
    pairs = [(c["old"], c["new"]) for c in result["plans"][0]["changes"]]
    plan = build_plan(read_document(LIER))
    assert pairs == [(m.id, f"{m.id}-2025") for m in plan.measures]


# -- the word diff -----------------------------------------------------------------------------------


def test_a_replaced_word_shows_the_old_and_the_new(cli, tmp_path):
    path = edited(tmp_path, "lier", lambda d: measure(d, "tranby-fritidsklubb").update(
        description=measure(d, "tranby-fritidsklubb")["description"].replace("Hver fredag", "Hver onsdag")))
    message = json.loads(cli("diff", LIER, path, "--format", "json").stdout)["plans"][0]["changes"][0]["message"]
    assert message == "description: … Lier IL's klubbhus. Hver [-fredag-] {+onsdag+} fra kl. 13.30 – …"


@pytest.mark.timeout(120)
def test_a_long_description_rewritten_is_shown_as_replaced(cli, tmp_path):
    """A 20 KB description (the schema allows it) of repeated words, rewritten: the word diff's work is
    bounded, so the changed stretch is shown removed and added whole, not searched for ever."""
    rng = random.Random(20)
    vocabulary = "barn og unge skal få hjelp i rett tid av de som kjenner dem best".split()
    end = " Slutt på tiltaket."  # a common tail of several words, kept on both sides of the replaced stretch
    before = "Tiltaket: " + " ".join(rng.choice(vocabulary) for _ in range(3500)) + end
    after = "Tiltaket: " + " ".join(rng.choice(vocabulary) for _ in range(3400)) + end
    assert len(before.encode("utf-8")) > 15_000
    old = edited(tmp_path, "lier", lambda d: measure(d, "tranby-fritidsklubb").update(description=before), "a.yaml")
    new = edited(tmp_path, "lier", lambda d: measure(d, "tranby-fritidsklubb").update(description=after), "b.yaml")
    [change] = json.loads(cli("diff", old, new, "--format", "json").stdout)["plans"][0]["changes"]
    cut = len(end)
    assert change["message"] == f"description: Tiltaket: [-{before[10:-cut]}-] {{+{after[10:-cut]}+}}{end}"
    small = " ".join(word if index != 1700 else "ungdom" for index, word in enumerate(after.split()))
    near = edited(tmp_path, "lier", lambda d: measure(d, "tranby-fritidsklubb").update(description=small), "c.yaml")
    [change] = json.loads(cli("diff", new, near, "--format", "json").stdout)["plans"][0]["changes"]
    assert change["message"].count("[-") == 1 and "{+ungdom+}" in change["message"]
    assert len(change["message"]) < 200


@pytest.mark.timeout(300)
def test_the_benchmark_pair_of_large_plans_is_compared_in_full(cli, tmp_path):
    """bench/diff_pair.py: two versions of a plan near 1 MB, 560 measures renamed, some reworded or moved."""
    sys.path.insert(0, str(ROOT / "bench"))
    import diff_pair

    old, new = diff_pair.write(tmp_path)
    assert 0.9 * MAX_BYTES < old.stat().st_size <= MAX_BYTES
    result = cli("diff", str(old), str(new), "--format", "json")
    assert result.code == 0, result.output[-2000:]
    by_kind = json.loads(result.stdout)["plans"][0]["summary"]["by_kind"]
    assert by_kind["measure-renamed"] == diff_pair.RENAMED
    assert set(by_kind) == {"measure-renamed", "measure-description", "measure-level"}


@pytest.mark.parametrize(("old", "new", "parts"), [
    ("a b c", "a b c", [("=", "a b c")]),
    ("", "a b", [("+", "a b")]),
    ("a b", "", [("-", "a b")]),
    ("a b c", "a c", [("=", "a"), ("-", "b"), ("=", "c")]),
    ("a c", "a b c", [("=", "a"), ("+", "b"), ("=", "c")]),
    ("a b c d", "a x c y", [("=", "a"), ("-", "b"), ("+", "x"), ("=", "c"), ("-", "d"), ("+", "y")]),
    ("x y a b", "a b z", [("-", "x y"), ("=", "a b"), ("+", "z")]),
    ("a b a b a", "b a b a b", [("-", "a"), ("=", "b a b a"), ("+", "b")]),
    ("d e f", "a b c", [("-", "d e f"), ("+", "a b c")]),
    ("a b", "a b a b", [("=", "a b"), ("+", "a b")]),
    ("a b a b", "a b", [("=", "a b"), ("-", "a b")]),
    ("q x r", "y q r", [("+", "y"), ("=", "q"), ("-", "x"), ("=", "r")]),
    ("y q r", "q x r", [("-", "y"), ("=", "q"), ("+", "x"), ("=", "r")]),
])
def test_the_word_diff_keeps_the_most_words_and_removes_before_it_adds(old, new, parts):
    assert word_changes(old, new) == parts


@pytest.mark.parametrize(("parts", "shown"), [
    ([("=", "a b c d"), ("+", "x")], [("=", "a b c d"), ("+", "x")]),
    ([("=", "a b c d e"), ("+", "x")], [("=", "… b c d e"), ("+", "x")]),
    ([("-", "x"), ("=", "a b c d")], [("-", "x"), ("=", "a b c d")]),
    ([("-", "x"), ("=", "a b c d e")], [("-", "x"), ("=", "a b c d …")]),
    ([("+", "x"), ("=", "a b c d e f g h"), ("-", "y")], [("+", "x"), ("=", "a b c d e f g h"), ("-", "y")]),
    ([("+", "x"), ("=", "a b c d e f g h i"), ("-", "y")], [("+", "x"), ("=", "a b c d … f g h i"), ("-", "y")]),
    ([("=", "a b c d e f")], [("=", "a b c d e f")]),
])
def test_long_unchanged_stretches_are_cut_to_four_words_either_side(parts, shown):
    assert condensed(parts) == shown


def test_likeness_counts_the_words_kept_in_order():
    assert likeness([], [], 100) == 1.0
    assert likeness("a b".split(), "a c".split(), 50) == 0.5
    assert likeness("a b".split(), "a c".split(), 51) is None
    assert likeness("a b c".split(), "c b a".split(), 30) == pytest.approx(1 / 3)  # one word kept in order
    assert likeness("a b c".split(), "c b a".split(), 34) is None


def test_the_most_alike_of_two_new_measures_is_the_rename(cli, tmp_path):
    def two_candidates(data):
        old = measure(data, "tranby-fritidsklubb")
        further, closer = copy.deepcopy(old), copy.deepcopy(old)
        # one word fewer keeps 2 × (n - 1) of 2n - 1 words; one word more 2n of 2n + 1: more alike
        further.update(id="tranby-b", description=old["description"].rsplit(" ", 1)[0])
        closer.update(id="tranby-a", description=old["description"] + " Gratis.")
        index = data["measures"].index(old)
        data["measures"][index:index + 1] = [further, closer]
    path = edited(tmp_path, "lier", two_candidates)
    assert changes(cli, LIER, path) == [("measure-added", "tranby-b", None), ("measure-renamed", "tranby-a", "id"),
                                        ("measure-description", "tranby-a", "description")]


def test_items_of_a_list_reordered_replaced_and_reworded(cli, tmp_path):
    goal = next(g for g in build_plan(read_document(LIER)).goals if len(g.strategies) >= 2)

    def reorder(data):
        target = next(g for g in data["goals"] if g["id"] == goal.id)
        target["strategies"] = list(reversed(target["strategies"]))
    result = json.loads(cli("diff", LIER, edited(tmp_path, "lier", reorder), "--format", "json").stdout)
    [change] = result["plans"][0]["changes"]
    assert (change["change"], change["field"], change["old"], change["new"]) == (
        "goal-changed", "strategies", list(goal.strategies), list(reversed(goal.strategies)))
    assert change["message"] == "strategy: the order changed"

    def replace_one(data):
        next(g for g in data["goals"] if g["id"] == goal.id)["strategies"][0] = "Flere lærere i hver klasse."
    result = json.loads(cli("diff", LIER, edited(tmp_path, "lier", replace_one), "--format", "json").stdout)
    assert [(c["field"], c["old"], c["new"], c["message"]) for c in result["plans"][0]["changes"]] == [
        ("strategies", goal.strategies[0], None, f"strategy: removed «{goal.strategies[0]}»"),
        ("strategies", None, "Flere lærere i hver klasse.", "strategy: added «Flere lærere i hver klasse.»")]

    def reword_one(data):
        strategies = next(g for g in data["goals"] if g["id"] == goal.id)["strategies"]
        strategies[1] = strategies[1].rstrip(".") + " i hele kommunen."
    result = json.loads(cli("diff", LIER, edited(tmp_path, "lier", reword_one), "--format", "json").stdout)
    [change] = result["plans"][0]["changes"]
    assert (change["old"], change["new"]) == (goal.strategies[1], goal.strategies[1].rstrip(".") + " i hele kommunen.")


def test_a_text_that_changed_only_its_spacing_says_so(cli, tmp_path):
    plan = build_plan(read_document(LIER))
    definition = next(d for d in plan.definitions if "\n\n" in d.text)
    path = edited(tmp_path, "lier", lambda d: next(x for x in d["definitions"] if x["term"] == definition.term).update(
        text=definition.text.replace("\n\n", " ")))
    [change] = json.loads(cli("diff", LIER, path, "--format", "json").stdout)["plans"][0]["changes"]
    assert (change["change"], change["part"], change["field"]) == ("definitions", definition.term, "definitions.text")
    assert change["message"] == f"{definition.term}, definition: only the spacing or the line breaks changed"


def test_a_reordered_list_inside_a_sub_goal_names_the_goal_and_the_sub_goal(cli, tmp_path):
    goal = build_plan(read_document(OS)).goals[0]
    sub_goal = goal.sub_goals[0]

    def reorder(data):
        strategies = data["goals"][0]["sub_goals"][0]["strategies"]
        strategies[0], strategies[1] = strategies[1], strategies[0]
    [change] = json.loads(cli("diff", OS, edited(tmp_path, "os", reorder), "--format", "json").stdout)[
        "plans"][0]["changes"]
    assert (change["id"], change["name"], change["field"], change["part"]) == (
        goal.id, goal.title, "sub_goals.strategies", f"{sub_goal.number}. {sub_goal.title}")
    assert change["message"] == f"{sub_goal.number}. {sub_goal.title}, strategy: the order changed"


def arena_members(old: list[str], new: list[str], tmp_path) -> tuple[str, str]:
    def members(names):
        return lambda data: next(a for a in data["collaboration"] if a["id"] == "inntaksteam").update(members=names)
    return (edited(tmp_path, "lier", members(old), "gammel.yaml"), edited(tmp_path, "lier", members(new), "ny.yaml"))


@pytest.mark.parametrize(("old", "new", "expected"), [
    # two items reworded alike each other: each is paired with its own rewording, in order
    (["leder for barnehage", "leder for skole"], ["leder for barnehage sør", "leder for skole sør"],
     [("leder for barnehage", "leder for barnehage sør"), ("leder for skole", "leder for skole sør")]),
    # one item gone, the next reworded
    (["rektor", "leder for skole"], ["leder for skole sør"],
     [("rektor", None), ("leder for skole", "leder for skole sør")]),
    # one item new before a reworded one
    (["leder for skole"], ["rektor", "leder for skole sør"],
     [(None, "rektor"), ("leder for skole", "leder for skole sør")]),
])
def test_items_of_a_list_are_paired_with_their_rewording(cli, tmp_path, old, new, expected):
    before, after = arena_members(old, new, tmp_path)
    found = json.loads(cli("diff", before, after, "--format", "json").stdout)["plans"][0]["changes"]
    assert [(c["change"], c["field"]) for c in found] == [("arena-changed", "members")] * len(expected)
    assert [(c["old"], c["new"]) for c in found] == expected


def test_a_contact_replaced_by_another_is_a_removal_and_an_addition(cli, tmp_path):
    def contact(name):
        return lambda data: measure(data, "tranby-fritidsklubb").update(contacts=[{"name": name}])
    old = edited(tmp_path, "lier", contact("Rune Drangslund"), "gammel.yaml")
    new = edited(tmp_path, "lier", contact("Kari Nordmann"), "ny.yaml")
    found = json.loads(cli("diff", old, new, "--format", "json").stdout)["plans"][0]["changes"]
    assert [(c["field"], c["old"], c["new"], c["message"]) for c in found] == [
        ("contacts", {"name": "Rune Drangslund", "role": None, "email": None, "phone": None, "url": None,
                      "text": None}, None, "contact: removed «Rune Drangslund»"),
        ("contacts", None, {"name": "Kari Nordmann", "role": None, "email": None, "phone": None, "url": None,
                            "text": None}, "contact: added «Kari Nordmann»")]


def test_the_word_diff_keeps_as_many_words_as_can_be_kept():
    """Against the longest common subsequence by dynamic programming, on 400 random pairs of short texts of
    few distinct words (where a word diff has the most ways to go wrong): the words kept are that many, and
    the removed and kept words give the old text, the kept and added the new."""
    rng = random.Random(17)
    for _ in range(400):
        a = [rng.choice("abcd") for _ in range(rng.randint(0, 9))]
        b = [rng.choice("abcd") for _ in range(rng.randint(0, 9))]
        parts = word_changes(" ".join(a), " ".join(b))
        assert " ".join(text for op, text in parts if op != "+").split() == a
        assert " ".join(text for op, text in parts if op != "-").split() == b
        longest = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i in range(len(a) - 1, -1, -1):
            for j in range(len(b) - 1, -1, -1):
                longest[i][j] = longest[i + 1][j + 1] + 1 if a[i] == b[j] else max(longest[i + 1][j], longest[i][j + 1])
        assert sum(len(text.split()) for op, text in parts if op == "=") == longest[0][0], (a, b, parts)
        assert all(first[0] != second[0] for first, second in zip(parts, parts[1:])), parts  # runs are merged
        expected = 2 * longest[0][0] / (len(a) + len(b)) if a or b else 1.0
        assert likeness(a, b, 0) == pytest.approx(expected)
