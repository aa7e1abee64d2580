"""The fast paths keep every answer the same: the cache of checked plans is
never stale (a changed plan, schema or tool is checked again), survives two
writers at once, and is skipped quietly where it cannot be written; workers,
the compiled schema check and the JSON encoder give the same findings and
bytes as the plain path; commands import only what they use.

(The time each takes is the benchmark's business, bench/run.py; these tests
hold the behaviour. The fast and the round-trip YAML engines are compared on
every file the suite validates, in conftest.engines_agree.)"""

from __future__ import annotations

import copy
import dataclasses
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PLANS, ROOT, bench_corpus, errors, findings, subprocess_env
from forebygging_cli import batch, cache, codec, schema_check
from forebygging_cli import query as q
from forebygging_cli.findings import FileReport, Finding
from forebygging_cli.parse import parse

OS_TEXT = (PLANS / "os.yaml").read_text(encoding="utf-8")


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{cache.LAYOUT}/*/*.entry"))


def stored(path: Path) -> tuple[int, list[bytes]]:
    """(flags, sections) of the cache entry at `path`, read through the cache itself."""
    found = cache.Cache(path.parent.parent).get(path.stem)
    assert found is not None, path
    return found


def poison(directory: Path, message: str = "STALE ENTRY") -> int:
    """Replace every cache entry's findings with one made-up finding, so that a
    run that serves an entry shows it: the cache is proved used, or not."""
    count = 0
    for path in entries(directory):
        flags, sections = stored(path)
        found: FileReport = codec.decode(FileReport, json.loads(sections[0]))
        fake = Finding("FB301", "error", found.path, 1, 1, message)
        sections[0] = json.dumps(codec.encode(FileReport(found.path, (fake,), identity=found.identity))).encode()
        cache.Cache(path.parent.parent).put(path.stem, flags, sections)
        count += 1
    return count


def plan_file(tmp_path: Path, name: str = "os.yaml", text: str = OS_TEXT) -> str:
    path = tmp_path / "plans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- the cache is used, and never stale ---------------------------------------------------------


def test_an_unchanged_plan_is_served_from_the_cache(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    first = cli("validate", path)
    assert first.code == 0 and len(entries(cache_dir)) == 1
    assert cli("validate", path).stdout == first.stdout  # warm: the same answer
    assert poison(cache_dir) == 1
    served = cli("validate", path)
    assert "STALE ENTRY" in served.stdout and served.code == 1  # proof that the entry, not the file, answered


def test_a_changed_plan_is_checked_again(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    cli("validate", path)
    poison(cache_dir)
    Path(path).write_text(OS_TEXT.replace("level: universal", "level: alle", 1), encoding="utf-8")
    result = cli("validate", path)
    assert "STALE ENTRY" not in result.stdout
    assert "[FB104]" in result.stdout and result.code == 1
    Path(path).write_text(OS_TEXT + "# en kommentar til slutt\n", encoding="utf-8")  # a byte changed: a new key
    assert "STALE ENTRY" not in cli("validate", path).stdout


def test_a_changed_schema_is_not_served_stale(cli, tmp_path, cache_dir, monkeypatch):
    path = plan_file(tmp_path)
    cli("validate", path)
    poison(cache_dir)
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["municipality"]["required"] = ["name", "county"]  # a field Os does not have
    changed = tmp_path / "plan.schema.json"
    changed.write_text(json.dumps(schema), encoding="utf-8")
    from forebygging_cli import schemafile

    monkeypatch.setattr(schemafile, "schema_path", lambda: changed)
    built = (schemafile.schema_bytes, schemafile.schema, schema_check.validator, schema_check._fast_validator)
    for cached in built:  # this process read the schema and built the validators already
        cached.cache_clear()
    try:
        result = cli("validate", path)
    finally:
        for cached in built:
            cached.cache_clear()
    assert "STALE ENTRY" not in result.stdout
    assert "county" in result.stdout and "[FB102]" in result.stdout


def test_a_new_tool_version_is_not_served_stale(cli, tmp_path, cache_dir, monkeypatch):
    import forebygging_cli

    path = plan_file(tmp_path)
    cli("validate", path)
    poison(cache_dir)
    monkeypatch.setattr(forebygging_cli, "__version__", "99.0.0")
    cache.tool_fingerprint.cache_clear()
    try:
        result = cli("validate", path)
    finally:
        cache.tool_fingerprint.cache_clear()
    assert "STALE ENTRY" not in result.stdout and result.code == 0


def test_an_edited_module_is_a_new_tool(tmp_path):
    package = tmp_path / "forebygging_cli"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.tool_fingerprint(package)
    module = package / "checks.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8")
    assert cache.tool_fingerprint.__wrapped__(package) != before


def test_an_installed_or_upgraded_library_is_a_new_tool(tmp_path):
    """A library's words reach findings (a YAML syntax error quotes the parser): a change to
    the site-packages folder, as pip makes on every install, upgrade or removal, is a new tool."""
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    (site_packages / "PyYAML-6.0.1.dist-info").mkdir()
    os.utime(site_packages, ns=(1, 1))  # so that the change below is seen however coarse the clock
    package = Path(cache.__file__).parent
    before = cache.tool_fingerprint.__wrapped__(package, (str(site_packages),))
    (site_packages / "PyYAML-6.0.1.dist-info").rename(site_packages / "PyYAML-6.0.2.dist-info")
    assert cache.tool_fingerprint.__wrapped__(package, (str(site_packages),)) != before
    assert cache.tool_fingerprint.__wrapped__(package, (str(tmp_path / "gone"),)) == \
        cache.tool_fingerprint.__wrapped__(package, ())


def test_the_real_site_packages_are_in_the_fingerprint():
    import site

    assert set(site.getsitepackages()) <= set(cache._library_folders())


def test_another_language_is_another_entry(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    english = cli("validate", path).stdout
    norwegian = cli("--lang", "nb", "validate", path).stdout
    assert english != norwegian and "advarsler" in norwegian
    assert len(entries(cache_dir)) == 2
    assert cli("validate", path).stdout == english


def test_no_cache_neither_reads_nor_writes(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    assert cli("--no-cache", "validate", path).code == 0
    assert entries(cache_dir) == []
    cli("validate", path)
    poison(cache_dir)
    assert "STALE ENTRY" not in cli("validate", path, "--no-cache").stdout  # after the command name too


def test_a_damaged_entry_is_a_miss(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    first = cli("validate", path)
    [entry] = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a full disk
    assert cli("validate", path).stdout == first.stdout
    entry.write_bytes(b"not an entry")
    assert cli("validate", path).stdout == first.stdout
    flags, sections = stored(entry)  # written again, whole
    assert flags == 1 and len(sections) == 2  # the report and the plan


@pytest.mark.parametrize("command", [("show", "mst"), ("coverage", "--format", "json"), ("render",)], ids=" ".join)
def test_an_entry_of_a_valid_plan_without_its_plan_is_a_miss(cli, tmp_path, cache_dir, command):
    """An entry flagged usable whose plan section is gone (a damaged file whose frame still reads) is checked
    again: never "not a valid plan" for a valid one, and the entry is written whole again."""
    path = plan_file(tmp_path)
    first = cli(*command, path)
    [entry] = entries(cache_dir)
    flags, sections = stored(entry)
    assert flags & 1
    cache.Cache(entry.parent.parent).put(entry.stem, 1, sections[:1])  # usable, the report alone
    again = cli(*command, path)
    assert (again.code, again.stdout, again.stderr) == (first.code, first.stdout, first.stderr)
    assert len(stored(entry)[1]) >= 2


@pytest.mark.parametrize("part", [0, 1], ids=["report", "plan"])
@pytest.mark.parametrize("damage", ["bytes", "types", "shape"])
def test_an_entry_whose_report_or_plan_is_damaged_is_a_miss(cli, tmp_path, cache_dir, part, damage):
    """The entry's frame is whole, but the report or plan inside it is not JSON, or it is JSON of the right
    outer shape with a value of the wrong type inside (a number for a text, a text for a list), or a list
    one field short: checked again, as without a cache, never a crash."""
    path = plan_file(tmp_path)
    first = cli("validate", path)
    query = cli("query", path, "--format", "json")
    [entry] = entries(cache_dir)
    flags, sections = stored(entry)
    if damage == "bytes":
        sections[part] = sections[part][:40] + bytes(b ^ 0x5A for b in sections[part][40:80]) + sections[part][80:]
    else:
        value = json.loads(sections[part])
        if damage == "shape":
            value.pop()
        elif part == 0:
            value[1][0][3] = "12"  # a finding's line, as text
        else:
            value[6][0][1] = ["Tranby"]  # a measure's name, as a list
        sections[part] = json.dumps(value).encode()
    for command, expected in ((("validate", path), first.stdout), (("query", path, "--format", "json"), query.stdout)):
        cache.Cache(entry.parent.parent).put(entry.stem, flags, sections)
        result = cli(*command)
        assert result.code == 0 and result.stdout == expected and result.stderr == ""


def test_pruning_skips_folders_it_cannot_list(tmp_path, monkeypatch):
    """A cache folder removed meanwhile, or left unreadable by another user, is passed over."""
    store = cache.Cache(tmp_path / "cache")
    store.put("ab" + "0" * 62, 0, [b"x"])
    store.put("cd" + "0" * 62, 0, [b"y"])
    old = 0
    for item in (tmp_path / "cache").rglob("*"):
        if item.is_file():
            os.utime(item, (old, old))
    real_scandir = os.scandir

    def scandir(path):
        if isinstance(path, (str, os.PathLike)) and os.path.basename(path) == "ab":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert store.prune() == 1  # the entry in the folder it can list, and no error
    shutil.rmtree(tmp_path / "cache" / "cd")
    assert store.prune() == 0


def test_the_cache_folders_are_private(tmp_path):
    store = cache.Cache(tmp_path / "a" / "b" / "cache")
    store.put("ab" + "0" * 62, 0, [b"x"])
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "cache",
                   tmp_path / "a" / "b" / "cache" / "ab"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    [entry] = (tmp_path / "a" / "b" / "cache").glob("*/*.entry")
    assert entry.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("where", ["under a file", "relative"])
def test_a_cache_that_cannot_be_written_is_skipped_quietly(cli, tmp_path, monkeypatch, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.delenv("FOREBYGGING_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache") if where == "under a file" else "relative/dir")
    monkeypatch.chdir(tmp_path)
    path = plan_file(tmp_path)
    for _ in range(2):
        result = cli("validate", path)
        assert result.code == 0 and result.stderr == ""
        assert "0 errors" in result.stdout
    assert not (tmp_path / "relative").exists()  # a relative XDG_CACHE_HOME is ignored, as the spec says


def test_a_read_only_cache_directory_is_skipped_quietly(tmp_path):
    """As a user would meet it: as root, the capabilities that let root write anywhere are dropped."""
    directory = tmp_path / "cache"
    directory.mkdir()
    directory.chmod(0o500)
    command = [sys.executable, "-m", "forebygging_cli", "validate"]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a directory read-only for root")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--", *command]
    try:
        path = plan_file(tmp_path)
        done = subprocess.run([*command, path], capture_output=True, text=True,
                              env=subprocess_env(FOREBYGGING_CACHE_DIR=str(directory)), timeout=120)
        assert done.returncode == 0 and done.stderr == ""
        assert list(directory.iterdir()) == []
    finally:
        directory.chmod(0o700)


# -- two writers at once ------------------------------------------------------------------------


def _hammer(root: str, key: str, value: bytes, rounds: int) -> None:
    store = cache.Cache(Path(root))
    for _ in range(rounds):
        store.put(key, 0, [value])


def test_two_processes_writing_one_entry_at_once_leave_it_whole(tmp_path):
    root = tmp_path / "cache"
    key = "ab" + "0" * 62
    values = [bytes([n]) * 400_000 for n in (1, 2)]  # large enough that a torn write would show
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    writers = [context.Process(target=_hammer, args=(str(root), key, value, 40)) for value in values]
    for writer in writers:
        writer.start()
    store = cache.Cache(root)
    seen = set()
    while any(writer.is_alive() for writer in writers):
        found = store.get(key)
        if found is not None:
            assert found[1][0] in values  # never a mix of the two, never cut short
            seen.add(found[1][0][:1])
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert store.get(key)[1][0] in values
    assert [p.name for p in (root).glob("*/.*.tmp")] == []  # no temporary file left


def test_two_validate_runs_at_once_leave_a_valid_cache(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for number in range(12):
        source = (PLANS / ("lier.yaml" if number % 2 else "os.yaml")).read_text(encoding="utf-8")
        source = source.replace("name: Os kommune", f"name: Os {number} kommune").replace(
            "name: Lier kommune", f"name: Lier {number} kommune")
        (plans / f"plan-{number}.yaml").write_text(source, encoding="utf-8")
    directory = tmp_path / "cache"
    env = subprocess_env(FOREBYGGING_CACHE_DIR=str(directory), FOREBYGGING_LANG="en")
    command = [sys.executable, "-m", "forebygging_cli", "validate", "--format", "json"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    fresh = subprocess.run([*command[:3], "--no-cache", *command[3:]], cwd=tmp_path, env=env, capture_output=True,
                           timeout=600)
    warm = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=600)
    assert outputs[0][0] == outputs[1][0] == fresh.stdout == warm.stdout
    kept = entries(directory)
    assert len(kept) == 12 and all(batch._stored(cache.Cache(directory / cache.LAYOUT).get(p.stem)) for p in kept)
    assert list(directory.glob("**/.*.tmp")) == []


# -- the same answers by every path -------------------------------------------------------------


COMMANDS = [
    ("validate",), ("validate", "--format", "json"), ("validate", "--format", "junit"),
    ("query", "--age", "13"), ("query", "--age", "13", "--format", "json"), ("query", "--level", "indicated",
                                                                             "--format", "csv"),
    ("show", "mst"), ("plans", "--format", "json"), ("units", "--format", "markdown"), ("coverage",),
    ("coverage", "--format", "json"), ("render", "os", "--format", "markdown"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_warm_answers_are_the_cold_answers(cli, in_repo, tmp_path, monkeypatch, args):
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    cold = cli("--no-cache", *args)
    first, warm = cli(*args), cli(*args)
    assert (first.code, first.stdout, first.stderr) == (cold.code, cold.stdout, cold.stderr)
    assert (warm.code, warm.stdout, warm.stderr) == (cold.code, cold.stdout, cold.stderr)


def test_what_the_cache_stores_is_what_encode_writes(tmp_path):
    """codec.dumps (the generated encoders, orjson, and codec for what neither writes) writes each plan, report
    and store's facts byte for byte as orjson.dumps(codec.encode(...)) does: the plans, every fixture (broken
    ones too: their reports) and bench plans."""
    import orjson
    from collections import namedtuple

    from forebygging_cli import query
    from forebygging_cli.validate import validate_text

    paths = [*PLANS.glob("*.yaml"), *(ROOT / "tests" / "fixtures").rglob("*.yaml"), *bench_corpus(tmp_path, 6)]
    written = 0
    for path in paths:
        report = validate_text(path.read_bytes(), str(path))
        values = [report.without_plan()]
        if report.plan is not None:
            values += [report.plan, query.facts(report.plan), query.facts(report.plan, texts=False)]
        for value in values:
            assert codec.dumps(value) == orjson.dumps(codec.encode(value)), (path, type(value).__name__)
            written += 1
    assert written > 3 * len(paths) // 2

    class Share(float):
        pass

    pair = namedtuple("pair", "a b")
    several = frozenset(f"mark-{n}" for n in range(30))
    assert list(several) != sorted(several)  # a set whose order is not its sorted order: encode sorts it
    facts = query.facts(validate_text((PLANS / "os.yaml").read_bytes(), "plans/os.yaml").plan, texts=False)
    measure, unit = facts.measures[0], facts.units[0]

    @dataclasses.dataclass(frozen=True)
    class Wider(type(unit)):  # a subclass with a field more: written with its own fields, as encode writes it
        extra: str = "x"

    # values of another class than their field's type names, which the generated encoders leave to orjson
    odd = [dataclasses.replace(facts, measures=(dataclasses.replace(measure, span=None),),
                               units=(dataclasses.replace(unit, derived=several),)),
           dataclasses.replace(facts, units=(Wider(*dataclasses.astuple(unit)[:7]),), measures=[measure]),
           dataclasses.replace(facts, units=frozenset([unit]), level_labels=[("a", "b")]),
           dataclasses.replace(facts, measures=(dataclasses.replace(measure, derived=("b", "a")),)),
           dataclasses.replace(facts, level_labels={1: "a"})]  # a key that is not a string
    for value in ({"b": several}, {1: "a", "b": several}, [pair(1, (2, 3))], {"set": frozenset()}, *odd):
        assert codec.dumps(value) == orjson.dumps(codec.encode(value)), value
    for value in (object(), {"x": {1, 2}}, Share(0.5),  # neither writes these
                  dataclasses.replace(facts, units=(dataclasses.replace(unit, derived={"a"}),))):
        with pytest.raises(TypeError):
            orjson.dumps(codec.encode(value))
        with pytest.raises(TypeError):
            codec.dumps(value)


def test_workers_find_what_one_process_finds(tmp_path):
    paths = []
    for number in range(10):
        text = OS_TEXT.replace("name: Os kommune", f"name: Os {number} kommune")
        if number % 3 == 0:
            text = text.replace("level: universal", "level: alle", 1)  # a schema error
        if number == 4:
            text = text.replace("schema_version: 1\n", "schema_version: 1\n  feil: [\n")  # a YAML error
        paths.append(plan_file(tmp_path, f"plan-{number}.yaml", text))
    paths.append(str(tmp_path / "plans" / "missing.yaml"))
    alone = batch.check_files(paths, use_cache=False, workers=1)
    together = batch.check_files(paths, use_cache=False, workers=2)
    assert [r.findings for r in together] == [r.findings for r in alone]
    assert [r.unreadable for r in together] == [r.unreadable for r in alone]
    assert [r.plan for r in together] == [r.plan for r in alone]
    assert sum(1 for r in alone if r.errors) == 5 and alone[-1].unreadable


def test_validate_s_workers_send_back_only_the_reports_and_store_whole_entries(tmp_path, monkeypatch):
    """validate reads only each entry's report: a worker sends back no plan (a national run moved ~140 KB a plan
    from the workers for nothing), and still stores the whole entry, which a later show or render reads."""
    paths = [plan_file(tmp_path, f"plan-{n}.yaml", OS_TEXT.replace("name: Os kommune", f"name: Os {n} kommune"))
             for n in range(9)]
    arrived = []
    reported = batch._report
    monkeypatch.setattr(batch, "_report", lambda entry, keep: arrived.append(entry.plan) or reported(entry, keep))
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    alone = batch.check_files(paths, use_cache=False, keep_plans=False, workers=1)
    together = batch.check_files(paths, keep_plans=False, workers=2)
    assert len(arrived) == 18 and arrived[:9] != [None] * 9 and arrived[9:] == [None] * 9
    assert [r.findings for r in together] == [r.findings for r in alone] and all(r.plan is None for r in together)
    arrived.clear()
    kept = batch.check_files(paths, keep_plans=True, workers=1)  # warm: every entry read back whole
    assert len(arrived) == 9 and None not in arrived
    assert [r.plan for r in kept] == [r.plan for r in batch.check_files(paths, use_cache=False, workers=1)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker gets the command's callback by fork")
@pytest.mark.parametrize("outputs", [False, True], ids=["facts", "with outputs"])
def test_workers_make_what_the_command_keeps_of_each_plan_they_check(tmp_path, monkeypatch, outputs):
    """A cold run of coverage, plans or query: each worker applies the command's `keep` to the facts it made
    and sends back only what it returns; the same as one process makes, and `keep` never runs here."""
    from forebygging_cli import coverage

    paths = []
    for number in range(10):
        text = OS_TEXT.replace("name: Os kommune", f"name: Os {number} kommune")
        if number == 3:
            text = text.replace("level: universal", "level: alle", 1)  # not usable: its report comes back
        paths.append(plan_file(tmp_path, f"plan-{number}.yaml", text))
    here = os.getpid()
    calls: list[int] = []

    def keep(facts):
        calls.append(os.getpid())  # kept in the memory of the process that ran it
        kept = coverage.matrix(facts, "age", head=facts.head())
        return kept, [match.stored.record["name"] for match in q.search([facts], q.Filters(), stored=True).matches] \
            if outputs else None

    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "alone"))
    alone = batch.load_facts(paths, workers=1, outputs=outputs, keep=keep)
    assert calls == [here] * 9
    calls.clear()
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "together"))
    together = batch.load_facts(paths, workers=2, outputs=outputs, keep=keep)
    assert calls == []  # every plan was checked, and kept, in a worker
    assert together == alone
    assert [type(found).__name__ for found in together].count("FileReport") == 1
    warm = batch.load_facts(paths, workers=1, outputs=outputs, keep=keep)  # read back from the store
    assert warm == alone and calls == [here] * 9


def test_the_fast_engine_reads_the_real_plans_itself(monkeypatch):
    from forebygging_cli import parse as parser

    def refuse(text):
        raise AssertionError("the round-trip engine was used")

    monkeypatch.setattr(parser, "_parse_roundtrip", refuse)
    for stem in ("lier", "os"):
        data, positions, _keys = parse((PLANS / f"{stem}.yaml").read_text(encoding="utf-8"))
        assert data["municipality"]["name"] and positions


def test_the_engines_give_the_same_data_and_positions_for_the_real_plans():
    for stem in ("lier", "os"):
        text = (PLANS / f"{stem}.yaml").read_text(encoding="utf-8")
        assert parse(text) == parse(text, "roundtrip")


# -- the compiled schema check only ever says "valid" when jsonschema would --------------------


def real_data(stem: str):
    return parse((PLANS / f"{stem}.yaml").read_text(encoding="utf-8"))[0]


def test_the_real_plans_take_the_fast_schema_path():
    assert schema_check.certainly_valid(real_data("lier")) and schema_check.certainly_valid(real_data("os"))


@pytest.mark.parametrize(("path", "value"), [
    (("measures", 0, "source", "line"), 230.0),  # jsonschema-rs takes 230.0 as an integer
    (("plan", "adopted", "date"), "0000-01-01"),  # jsonschema-rs takes the year 0
    (("measures", 0, "name"), "\x1c"),  # Rust's \S matches it, Python's does not
    (("measures", 0, "source", "line"), 2**70),
])
def test_values_where_the_validators_disagree_go_to_jsonschema(path, value):
    data = real_data("lier")
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    assert not schema_check.certainly_valid(data)


TRICKY = st.sampled_from([None, True, False, 0, -1, 13, 13.0, 2**53, 2**70, "", " ", "\x1c", "\t", "13",
                          "2024-02-30", "0000-01-01", "2024-06-12", "2024-6-12", "abc\n", "ab c", "Ab",
                          "https://x.no", "FB301", "universal", "alle", [], {}, ["x"], {"x": 1}, [1, 1]])


_SHARED = ["x"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=st.sampled_from(["lier", "os"]), picks=st.lists(st.tuples(st.integers(0, 10**6), TRICKY), min_size=1,
                                                             max_size=3))
@example(stem="lier", picks=[(0, _SHARED), (1, _SHARED)])  # one list put in place of schema_version, then into itself
def test_certainly_valid_never_hides_a_jsonschema_error(stem, picks):
    data = real_data(stem)
    for seed, value in picks:
        places = []

        def walk(node, path):
            if isinstance(node, dict):
                for key, child in node.items():
                    places.append((node, key))
                    walk(child, path + (key,))
            elif isinstance(node, list):
                for index, child in enumerate(node):
                    places.append((node, index))
                    walk(child, path + (index,))

        walk(data, ())
        node, key = places[seed % len(places)]
        # a copy: the same list or dict put in two places (or into itself), and kept across draws
        # (sampled_from hands out one object), made cycles that certainly_valid never finished walking
        node[key] = copy.deepcopy(value)
    json.dumps(data)  # no cycle (it raises on one): the data stays a tree, as any parsed plan is
    if schema_check.certainly_valid(data):
        assert list(schema_check.validator().iter_errors(data)) == []


# -- JSON: orjson writes what the standard library writes -------------------------------------


@pytest.mark.parametrize("args", [a for a in COMMANDS if "json" in a], ids=" ".join)
def test_json_output_is_byte_for_byte_the_standard_librarys(cli, in_repo, args):
    from forebygging_cli.render.jsondump import dump, standard_dump

    result = cli(*args)
    document = json.loads(result.stdout)
    assert result.stdout == dump(document) == standard_dump(document)


def test_what_orjson_refuses_the_standard_library_writes():
    from forebygging_cli.render.jsondump import dump, standard_dump

    for value in ({"path": "plans/\udcff.yaml"}, {1: "int key"}, [2**70], {"tekst": "æøå \x1b \u2028"}):
        assert dump(value) == standard_dump(value)


# -- imports: each command loads only what it uses ---------------------------------------------


PROBE = """
import json, sys
sys.argv = ["forebygging", *sys.argv[1:]]
from forebygging_cli.__main__ import main
try:
    main()
except SystemExit:
    pass
finally:
    with open({out!r}, "w") as handle:
        json.dump(sorted(sys.modules), handle)
"""


def modules_loaded(tmp_path: Path, *args: str, cwd: Path = ROOT, whole: bool = False) -> set[str]:
    """The packages (with `whole`: the modules) a run of the command imported."""
    out = tmp_path / f"modules-{len(list(tmp_path.glob('modules-*')))}.json"
    script = tmp_path / "probe.py"
    script.write_text(PROBE.format(out=str(out)), encoding="utf-8")
    subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, timeout=300,
                   env=subprocess_env(FOREBYGGING_CACHE_DIR=str(tmp_path / "cache")))
    return {name if whole else name.split(".")[0] for name in json.loads(out.read_text(encoding="utf-8"))}


HEAVY = {"rich", "jsonschema", "jsonschema_rs", "ruamel", "yaml", "jinja2"}


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("query", "--help")], ids=" ".join)
def test_version_and_help_import_nothing_heavy(tmp_path, args):
    assert modules_loaded(tmp_path, *args) & HEAVY == set()


def test_a_warm_json_query_imports_neither_rich_nor_a_parser_nor_a_validator(tmp_path):
    modules_loaded(tmp_path, "query", "--age", "13", "--format", "json")  # fills the cache
    assert modules_loaded(tmp_path, "query", "--age", "13", "--format", "json") & HEAVY == set()
    modules_loaded(tmp_path, "validate", "--format", "json")
    assert modules_loaded(tmp_path, "validate", "--format", "json") & HEAVY == set()


def test_a_warm_table_query_imports_neither_the_model_nor_a_parser(tmp_path):
    """The table of a query the store answers is made from the stored facts and rows: the plan model (its
    frozen dataclasses are the largest import of all), the parsers and the validators are never loaded."""
    modules_loaded(tmp_path, "query", "--age", "13")  # fills the cache
    loaded = modules_loaded(tmp_path, "query", "--age", "13", whole=True)
    assert "forebygging_cli.render.terminal" in loaded
    assert not {"forebygging_cli.model", "yaml", "jsonschema", "jsonschema_rs", "ruamel"} & loaded


def test_text_output_away_from_a_terminal_needs_no_rich(tmp_path):
    modules_loaded(tmp_path, "validate")
    assert "rich" not in modules_loaded(tmp_path, "validate")
    found = findings(subprocess.run([sys.executable, "-m", "forebygging_cli", "validate"], cwd=ROOT,
                                    capture_output=True, text=True, timeout=120,
                                    env=subprocess_env(FOREBYGGING_CACHE_DIR=str(tmp_path / "cache"))).stdout)
    assert found and all(f["severity"] == "warning" for f in found)


def test_an_empty_value_stands_at_its_key(cli, tmp_path):
    """libyaml and ruamel.yaml each place "nothing" elsewhere (the end of the key's line, the next key);
    both engines place it at its key, where a planner looks."""
    text = OS_TEXT.replace("    derived:\n      - aliases\n", "    derived:\n", 1)
    assert text != OS_TEXT
    path = plan_file(tmp_path, "os.yaml", text)
    [finding] = [f for f in findings(cli("validate", path).stdout) if f["rule"] == "FB103"]
    line = text[: text.index("    derived:\n")].count("\n") + 1
    assert (finding["line"], finding["col"]) == (str(line), "5")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_text_does_not_shift_the_lines_after_it(cli, tmp_path, separator):
    """libyaml counts NEL, U+2028 and U+2029 as line breaks, editors do not: findings after
    one stand on the line an editor shows (conftest also compares the two engines here)."""
    text = OS_TEXT.replace("  title: Plan for forebygging av omsorgssvikt og atferdsproblem",
                           f'  title: "Plan for{separator}forebygging av omsorgssvikt og atferdsproblem"', 1)
    lines = text.split("\n")
    broken = next(number for number, line in enumerate(lines, 1) if line == "    level: indicated")
    lines[broken - 1] = "    level: indikert-ish"
    path = plan_file(tmp_path, text="\n".join(lines))
    result = cli("validate", path)
    assert result.code == 1
    [error] = [f for f in findings(result.stdout) if f["rule"] == "FB104"]  # (NEL is also FB009: a C1 control)
    assert (int(error["line"]), int(error["col"])) == (broken, 12), result.stdout


def test_a_problem_deep_in_a_large_file_is_placed_by_the_fast_parser(cli, tmp_path, monkeypatch):
    """Past ROUNDTRIP_PLACES_WITHIN (values, or characters) the round-trip parser is not asked to
    place a problem (it would take seconds to reach it); the fast parser's finding stands, at its place."""
    from forebygging_cli import parse as parse_module
    from forebygging_cli.files import PlanFileError

    large = "schema_version: 1\nx:\n" + "".join(f"  k{i}: v\n" for i in range(3000)) + "  bad: [\n"
    small = large.replace("".join(f"  k{i}: v\n" for i in range(100, 3000)), "")
    path = tmp_path / "large.yaml"
    path.write_text(large, encoding="utf-8")
    result = cli("validate", "--no-cache", str(path))  # conftest compares the round-trip parser's findings
    assert result.code == 1
    assert [(e["rule"], e["line"], e["col"]) for e in errors(result.stdout)] == [("FB001", "3003", "9")]
    asked = []
    real = parse_module._parse_roundtrip
    monkeypatch.setattr(parse_module, "_parse_roundtrip", lambda text: asked.append(len(text)) or real(text))
    duplicate = large.replace("  bad: [\n", "  k0: igjen\n")  # a problem the builder finds, not libyaml
    long_lines = "schema_version: 1\npurpose:\n" + ("  - " + "lang tekst " * 900 + "\n") * 30 + "  bad: [\n"
    for text, kind, placed_by_roundtrip in ((large, "yaml-syntax", False), (small, "yaml-syntax", True),
                                            (duplicate, "duplicate-key", False),
                                            (long_lines, "yaml-syntax", False)):
        asked.clear()
        with pytest.raises(PlanFileError) as raised:
            parse_module.parse(text)
        assert raised.value.kind == kind
        assert bool(asked) is placed_by_roundtrip


def test_diff_reads_working_tree_plans_through_the_cache(cli, tmp_path, cache_dir):
    """Issue 20: `diff` parsed both plans on every run (a 1 MB plan with a rare character: seconds each
    time); the plans it reads from files now come from the cache as every other command's do."""
    old = plan_file(tmp_path, "os.yaml")
    new = tmp_path / "ny" / "os.yaml"
    new.parent.mkdir()
    new.write_text(OS_TEXT.replace("    name: Treffpunkt\n", "    name: Treffpunkt for barn\n", 1), encoding="utf-8")
    first = cli("diff", old, str(new))
    assert first.code == 0 and "Treffpunkt for barn" in first.stdout and len(entries(cache_dir)) == 2, first.output
    for path in entries(cache_dir):  # the plans as the cache holds them, under another municipality's name
        flags, sections = stored(path)
        assert b'"Os kommune"' in sections[1]
        sections[1] = sections[1].replace(b'"Os kommune"', b'"Fra bufferen kommune"')
        cache.Cache(path.parent.parent).put(path.stem, flags, sections)
    served = cli("diff", old, str(new))
    assert "Fra bufferen kommune" in served.stdout and "Treffpunkt for barn" in served.stdout, served.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker gets the command's callback by fork")
def test_what_a_worker_cannot_send_back_is_made_here(tmp_path, monkeypatch):
    """A command's `keep` whose result does not pickle (a worker cannot send it) still answers: the plans
    are checked and kept in this process instead."""
    import threading

    paths = [plan_file(tmp_path, f"plan-{number}.yaml", OS_TEXT.replace("name: Os kommune", f"name: Os {number} kommune"))
             for number in range(10)]
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    found = batch.load_facts(paths, workers=2, keep=lambda facts: (facts.municipality, threading.Lock()))
    assert [name for name, _lock in found] == [f"Os {number} kommune" for number in range(10)]
