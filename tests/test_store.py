"""The query-shaped store (issue 21, store.py): `query`, `coverage`, `plans`
and `units` answer from each plan's facts kept beside its cache entry, and
their answers are the answers the Plans give.

- A property test draws random combinations of every query option and checks
  the store's answer (a warm run through the CLI: JSON, and the text's count
  line with what an age filter left out) against the answer worked out from
  the Plans themselves (`query.search` over `load_plans`, records made from
  the Plan's measures), on Lier, Os, Fjellvik and a slice of the bench's
  national corpus.
- A stale store never answers: an entry's store sections are poisoned (a
  value no plan has) and then the plan's bytes, the schema, the tool or the
  language change; the new answer never shows the poison. Two processes
  writing at once leave it readable; an unwritable cache answers the same;
  damaged or hostile store sections are a miss, never a crash and never code
  that runs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, PLANS, ROOT, bench_corpus, subprocess_env

from forebygging_cli import batch, cache, codec, store
from forebygging_cli import query as q

POISON = "STALE STORE"
OS_TEXT = (PLANS / "os.yaml").read_text(encoding="utf-8")


def _entry(path: Path) -> tuple[int, list[bytes]]:
    found = cache.Cache(path.parent.parent).get(path.stem)
    assert found is not None, path
    return found  # type: ignore[return-value]


def store_files(directory: Path) -> list[Path]:
    """The cache entries that hold the store's sections (whole: one cut short holds nothing)."""
    return [path for path in sorted(directory.glob(f"{cache.LAYOUT}/*/*.entry"))
            if (cache.Cache(path.parent.parent).get(path.stem) or (0,))[0] & store.WITH_FACTS]


def read_store(path: Path) -> tuple[int, list[bytes]]:
    """The flags and the store's sections of the cache entry at `path`."""
    flags, parts = _entry(path)
    return flags, parts[batch.STORE_FROM:]


def write_store(path: Path, flags: int, parts: list[bytes]) -> None:
    """The store's sections of the entry at `path` replaced by `parts` (its report and plan kept)."""
    _old, entry = _entry(path)
    cache.Cache(path.parent.parent).put(path.stem, flags, [*entry[:batch.STORE_FROM], *parts])


def poison(directory: Path) -> int:
    """Put POISON in every entry's store sections, where `query` (each measure's stored name), `plans`, `units` and
    `coverage` (the plan's municipality and stem in its facts) read it: a run that shows it was answered
    from the store."""
    from forebygging_cli.render.records import KEYS

    count = 0
    for path in store_files(directory):
        flags, parts = read_store(path)
        known = codec.decode(q.PlanFacts, orjson.loads(parts[store.FACTS]))
        known = dataclasses.replace(known, municipality=POISON, stem="stale",
                                    units=tuple(dataclasses.replace(u, name=POISON) for u in known.units))
        parts[store.FACTS] = orjson.dumps(codec.encode(known))
        if flags & store.WITH_OUTPUTS:
            offsets = orjson.loads(parts[store.OFFSETS])
            blob = parts[store.OUTPUTS]
            made, new = [], [0]
            for start, end in zip(offsets, offsets[1:]):
                values = orjson.loads(blob[start:end])
                values[KEYS.index("name")] = POISON
                made.append(orjson.dumps(values))
                new.append(new[-1] + len(made[-1]))
            parts[store.OFFSETS], parts[store.OUTPUTS] = orjson.dumps(new), b"".join(made)
        write_store(path, flags, parts)
        count += 1
    return count


def plan_file(folder: Path, name: str = "os.yaml", text: str = OS_TEXT) -> str:
    path = folder / "plans" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- the store answers, and answers as the Plans do ------------------------------------------------


def test_a_warm_query_is_answered_from_the_store_and_a_cold_one_wrote_it(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    first = cli("query", "--age", "13", "--format", "json", path)
    assert first.code == 0 and len(store_files(cache_dir)) == 1
    assert cli("query", "--age", "13", "--format", "json", path).stdout == first.stdout
    assert poison(cache_dir) == 1
    served = cli("query", "--age", "13", "--format", "json", path)
    assert POISON in served.stdout  # proof that the store, not the plan, answered
    assert POISON not in cli("--no-cache", "query", "--age", "13", "--format", "json", path).stdout


def test_the_store_sections_batch_passes_over_are_the_stores():
    assert batch.STORE_SECTIONS == frozenset(range(batch.STORE_FROM, batch.STORE_FROM + store.SECTIONS))


def test_a_plan_is_one_file_in_the_cache_whichever_command_reads_it(cli, tmp_path, cache_dir):
    """The store's sections are kept in the plan's cache entry: validate writes the entry, coverage adds the
    store's sections to it (all of them, made from the entry's plan), and the plan is still one file, whose
    report validate reads. A cold coverage writes the entry once, with the facts alone; a query adds the rest."""
    path = plan_file(tmp_path)

    def files() -> list[Path]:
        return sorted(path for path in (cache_dir / cache.LAYOUT).glob("*/*") if path.is_file())

    checked = cli("validate", path)
    [entry] = files()
    assert store_files(cache_dir) == []
    coverage = cli("coverage", "--format", "json", path)
    whole = store.WITH_TEXTS | store.WITH_OUTPUTS
    assert files() == store_files(cache_dir) == [entry] and read_store(entry)[0] & whole == whole
    kept = entry.read_bytes()
    assert cli("validate", path).stdout == checked.stdout and entry.read_bytes() == kept  # served, not rewritten
    assert cli("coverage", "--format", "json", path).stdout == coverage.stdout
    shutil.rmtree(cache_dir)
    assert cli("coverage", "--format", "json", path).stdout == coverage.stdout  # cold: the entry written once
    assert files() == store_files(cache_dir) == [entry] and not read_store(entry)[0] & whole
    assert cli("query", "--text", "barn", "--format", "json", path).code == 0
    assert files() == [entry] and read_store(entry)[0] & whole == whole
    assert cli("validate", path).stdout == checked.stdout and entry.read_bytes() == kept


def test_a_cache_entry_keeps_the_report_and_the_plan_and_not_where_each_value_stands(cli, tmp_path, cache_dir):
    """A plan's positions were 40 % of its entry, and no command reads them of a stored plan (a finding's line
    and column are in the report): an entry validate wrote is its report and its plan, and nothing else; a
    warm show, render or validate answers as a cold one."""
    from forebygging_cli.findings import FileReport
    from forebygging_cli.model import Plan
    from forebygging_cli.validate import validate_text

    path = plan_file(tmp_path)  # its warnings placed by the plan's positions: FB317 names the line of the other
    cold = [cli(*command, path) for command in (("validate",), ("show", "mst"), ("render",))]
    [entry] = sorted((cache_dir / cache.LAYOUT).glob("*/*.entry"))
    flags, parts = _entry(entry)
    fresh = validate_text(Path(path).read_bytes(), path)
    assert flags == batch.USABLE and len(parts) == 2 and fresh.findings
    assert codec.decode(Plan, orjson.loads(parts[batch.PLAN])) == fresh.plan
    assert codec.decode(FileReport, orjson.loads(parts[batch.REPORT])) == fresh.without_plan()
    assert entry.stat().st_size < 12 + len(parts[0]) + len(parts[1]) + 64  # a header, and the two sections
    for before, command in zip(cold, (("validate",), ("show", "mst"), ("render",))):
        again = cli(*command, path)
        assert (again.code, again.stdout, again.stderr) == (before.code, before.stdout, before.stderr)


@pytest.mark.parametrize("command", [("plans",), ("units",), ("coverage",)], ids=" ".join)
def test_coverage_plans_and_units_read_the_store(cli, tmp_path, cache_dir, command):
    path = plan_file(tmp_path)
    before = cli(*command, "--format", "json", path)
    poison(cache_dir)
    assert POISON in cli(*command, "--format", "json", path).stdout or "stale" in cli(*command, "--format", "json",
                                                                                      path).stdout
    assert cli("--no-cache", *command, "--format", "json", path).stdout == before.stdout


def plan_based(command: str, paths: list[str], fmt: str) -> str:
    """What `command` prints in `fmt` when its renderer is given the Plans themselves (load_plans), as it
    was before the store, written as the command writes it (common.emit)."""
    import contextlib
    import io

    from forebygging_cli import coverage as cov
    from forebygging_cli import i18n
    from forebygging_cli.cli.common import emit, published_language, renderer
    from forebygging_cli.repository import load_plans

    plans, problems = load_plans(paths, use_cache=False)
    assert not problems
    render = renderer(command, fmt)
    shown = io.StringIO()
    i18n.activate("en")
    try:
        with contextlib.redirect_stdout(shown):
            if command == "coverage":
                with i18n.speaking(published_language(plans) if fmt == "markdown" else None):
                    emit(render(cov.matrices(plans, "age"), delimiter=","))
            else:  # the listings' counts worked out from the whole Plans
                from forebygging_cli.render.overview import listed

                emit(render([listed(plan) for plan in plans], delimiter=","))
    finally:
        i18n.activate("en")
    return shown.getvalue()


@pytest.mark.parametrize("command", ["plans", "units", "coverage"])
@pytest.mark.parametrize("fmt", ["json", "text", "csv", "markdown"])
def test_coverage_plans_and_units_from_the_store_equal_their_output_from_the_plans(cli, tmp_path, cache_dir,
                                                                                   command, fmt):
    paths = [str(PLANS / "lier.yaml"), str(PLANS / "os.yaml"), str(FIXTURES / "fjellvik.yaml")]
    cli(command, "--format", fmt, *paths)  # writes the store
    warm = cli(command, "--format", fmt, *paths)
    assert warm.code == 0 and warm.stderr == ""
    assert warm.stdout == plan_based(command, paths, fmt)


# -- the property test -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_paths(tmp_path_factory) -> list[str]:
    """Lier, Os, Fjellvik and 16 plans of the bench's national corpus (bench/corpus.py)."""
    written = bench_corpus(tmp_path_factory.mktemp("national"), 16)
    return Paths([str(PLANS / "lier.yaml"), str(PLANS / "os.yaml"), str(FIXTURES / "fjellvik.yaml"),
                  *map(str, written)])


class Paths(list):
    def __repr__(self) -> str:
        return f"<{len(self)} plan files>"


class Loaded(list):
    """The Plans of the corpus, shown in a report by their number (hypothesis prints its arguments)."""

    def __repr__(self) -> str:
        return f"<{len(self)} plans>"


@pytest.fixture(scope="module")
def the_plans(corpus_paths):
    from forebygging_cli.repository import load_plans

    plans, problems = load_plans(corpus_paths, use_cache=False)
    assert not problems and len(plans) == len(corpus_paths)
    return Loaded(plans)


def _words(plans) -> dict[str, list[str]]:
    units = sorted({value for plan in plans for unit in plan.units for value in (unit.id, unit.name, *unit.aliases)})
    words = sorted({word for plan in plans[:3] for m in plan.measures for word in m.name.split() if len(word) > 3})
    return {"units": units, "words": words, "plans": ["lier", "os", "fjellvik", plans[5].stem, plans[-1].stem]}


AGES = st.one_of(st.integers(0, 25).map(str),
                 st.tuples(st.integers(0, 20), st.integers(0, 8)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
                 st.integers(0, 25).map(lambda n: f"{n}-"), st.integers(0, 25).map(lambda n: f"{n}+"),
                 st.sampled_from(["13 år", "0", "17 years"]))
GRADES = st.one_of(st.integers(1, 13).map(str), st.sampled_from(["vg1", "VG2", "vg1-vg3", "8-10", "8.", "1-4"]))
STAGES = st.sampled_from(["barnehage", "sfo", "barneskole", "ungdomsskole", "grunnskole", "vgs", "pregnancy",
                          "gravide", "svangerskap"])
LEVELS = st.sampled_from(["universal", "selected", "indicated", "universelle", "indikerte", "selekterte", "selektiv",
                          "bra for alle", "nyttig for noen", "nødvendig for enkelte", "Indisert"])
SERVICES = st.sampled_from(["ppt", "nav", "barnevern", "helsestasjon", "skole", "barnehage", "politi"])
AUDIENCES_ = st.sampled_from(["children", "parents", "pregnant", "families", "professionals", "barn", "foreldre",
                              "gravide", "familier", "ansatte"])


@st.composite
def queries(draw, words):
    args: list[str] = []

    def some(option: str, values, most: int = 2) -> None:
        for value in draw(st.lists(values, max_size=most)):
            args.extend([option, value])

    some("--age", AGES)
    some("--grade", GRADES, 1)
    some("--stage", STAGES, 1)
    some("--level", LEVELS)
    some("--unit", st.sampled_from(words["units"]), 1)
    some("--service", SERVICES, 1)
    some("--audience", AUDIENCES_, 1)
    text = st.one_of(st.sampled_from(words["words"]),
                     st.lists(st.sampled_from(words["words"]), min_size=2, max_size=2).map(
                         lambda pair: f'"{pair[0]} {pair[1]}"'),
                     st.sampled_from(['"for barn"', "barn foreldre", 'de "skulle', "tilbud 'i"]))
    some("--text", text, 1)
    some("--plan", st.sampled_from(words["plans"]), 2)
    decision = draw(st.sampled_from([None, "--requires-decision", "--no-requires-decision"]))
    if decision:
        args.append(decision)
    if draw(st.booleans()):
        args.append("--include-unknown-age")
    args += ["--sort", draw(st.sampled_from(["plan", "name", "level", "age", "navn", "alder"]))]
    return args


def answer_from_plans(plans, args: list[str]) -> tuple[int, list[dict] | None, int]:
    """(exit code, the JSON records, how many an age filter left out) from the Plans, as query worked it
    out before the store: the options parsed as the command parses them, query.search over the Plans, and
    a record made from each Plan's measure."""
    from forebygging_cli import i18n
    from forebygging_cli.render.records import measure_record

    i18n.activate("en")  # the language the runs speak (FOREBYGGING_LANG=en)
    options: dict[str, list[str]] = {}
    flags = set()
    rest = iter(args)
    for arg in rest:
        if arg in ("--requires-decision", "--no-requires-decision", "--include-unknown-age"):
            flags.add(arg)
        else:
            options.setdefault(arg, []).append(next(rest))
    try:
        filters = q.Filters(
            ages=tuple(map(q.parse_age, options.get("--age", []))),
            grades=tuple(map(q.parse_grade, options.get("--grade", []))),
            stages=tuple(options.get("--stage", [])), levels=tuple(options.get("--level", [])),
            units=tuple(options.get("--unit", [])), services=tuple(options.get("--service", [])),
            audiences=tuple(options.get("--audience", [])), texts=tuple(options.get("--text", [])),
            requires_decision=(True if "--requires-decision" in flags else
                               False if "--no-requires-decision" in flags else None),
            include_unknown_age=("--include-unknown-age" in flags))
        order = q.parse_sort(options["--sort"][0])
        chosen = q.choose_plans(options["--plan"], plans) if options.get("--plan") else list(plans)
    except q.FilterError:
        return 2, None, 0
    if q.unknown_units(filters.units, chosen):
        return 2, None, 0
    found = q.search(chosen, filters)
    return 0, [measure_record(m) for m in q.sort_matches(found.matches, order)], found.left_out


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_store_answers_every_query_option_as_the_plans_do(cli, corpus_paths, the_plans, tmp_path_factory,
                                                             monkeypatch, data):
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "store-property-cache"))
    in_parts(monkeypatch, 3)  # the store is read as over a national corpus: in parts, by forked children
    args = data.draw(queries(_words(the_plans)))
    code, records, left_out = answer_from_plans(the_plans, args)
    cli("query", "--format", "json", *args, *corpus_paths)  # the first run may write the store
    warm = cli("query", "--format", "json", *args, *corpus_paths)
    assert warm.code == code, (args, warm.output)
    if code == 0:
        answered = json.loads(warm.stdout)
        assert answered == records, (args, len(answered), len(records), next(
            ({key: (a[key], b[key]) for key in a if a[key] != b.get(key)} for a, b in zip(answered, records) if a != b),
            None))
        text = cli("query", *args, *corpus_paths)
        assert text.code == 0
        if records:
            counted = f"Found {len(records):,} measure"
            assert counted in text.stdout, (args, text.stdout[-600:])
        if left_out:
            assert f"{left_out:,} measure" in text.stdout and "left out" in text.stdout, (args, text.stdout[-600:])
        else:
            assert "left out" not in text.stdout
        fresh = cli("--no-cache", "query", *args, *corpus_paths)
        assert (fresh.code, fresh.stdout) == (text.code, text.stdout), args
    else:
        assert warm.stdout == "" and warm.stderr


def in_parts(monkeypatch, parts: int) -> None:
    """Over these few plans, the store read in `parts` parts at once, as over a national corpus (batch._parts:
    one per CPU, each of PARTS_FROM plans or more): the parts after the first by forked children."""
    monkeypatch.setattr(batch, "cpus", lambda: parts)
    monkeypatch.setattr(batch, "MAX_PARTS", parts)
    monkeypatch.setattr(batch, "PARTS_FROM", 2)


PARTED_COMMANDS = [("query", "--age", "13"), ("query", "--format", "json"), ("query", "--text", "barn", "--format",
                   "csv"), ("query", "--count"), ("coverage",), ("coverage", "--by", "service"), ("plans",), ("units",),
                   ("plans", "--format", "json")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the store is read in parts where fork is safe")
def test_a_store_read_in_parts_answers_as_one_process_does(cli, corpus_paths, tmp_path, cache_dir, monkeypatch):
    """Each command over the corpus read in 1 and in 3 parts; then with a changed plan and a broken one in the
    children's parts (misses: checked and stored by this process) and a damaged entry (a miss too)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    paths = []
    for number, source in enumerate(corpus_paths):
        paths.append(str(folder / f"{number:02d}-{Path(source).name}"))
        shutil.copyfile(source, paths[-1])

    def answers() -> dict[tuple[str, ...], list[tuple[int, str, str]]]:
        found = {}
        for args in PARTED_COMMANDS:  # the first run may find misses (and store them), the second reads them
            found[args] = [(run.code, run.stdout, run.stderr) for run in (cli(*args, *paths), cli(*args, *paths))]
        return found

    def compared() -> None:
        """The answers read in 3 parts, with the store as it is, equal those read in 1, with a store of its own."""
        monkeypatch.setattr(batch, "MAX_PARTS", 1)
        monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / f"alone-{len(list(tmp_path.iterdir()))}"))
        alone = answers()
        monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(cache_dir))
        in_parts(monkeypatch, 3)
        assert answers() == alone
        assert "Found" in alone[PARTED_COMMANDS[0]][0][1]

    compared()
    read_here = []
    real = batch._stored_one
    monkeypatch.setattr(batch, "_stored_one", lambda path, *rest: read_here.append(path) or real(path, *rest))
    cli("plans", *paths)
    # the first plan, read alone, is stored: the rest in three parts, the children's not seen here (forked)
    assert read_here == paths[:7]
    read_here.clear()
    first = Path(paths[0])
    first.write_text(first.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    cli("plans", *paths)
    assert read_here[:2] == paths[:2] and len(read_here) == 8  # the first changed: the second is stored, warm
    read_here.clear()
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cold"))
    cli("plans", *paths)
    assert read_here == paths  # a cold run: no part is forked
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(batch, "_stored_one", real)

    # a changed plan and a broken one in the children's parts, and a damaged entry: misses, which this
    # process checks, stores and shows in their places
    changed = Path(paths[-2])
    changed.write_text(changed.read_text(encoding="utf-8").replace("  name: ", "  name: Endret ", 1), encoding="utf-8")
    Path(paths[10]).write_text("plan: [", encoding="utf-8")
    before = len(store_files(cache_dir))
    damaged = sorted(store_files(cache_dir), key=lambda path: path.stat().st_mtime)[-1]
    damaged.write_bytes(damaged.read_bytes()[:-40])
    compared()
    # the changed plan was checked and stored, and the damaged entry made whole again
    assert len(store_files(cache_dir)) == before + 1 and damaged in store_files(cache_dir)
    assert "Endret" in cli("plans", *paths).stdout
    errors = cli("query", "--age", "13", *paths)
    assert errors.code == 2 and Path(paths[10]).name in errors.stderr


def _same(made, read, where: str = "facts") -> str | None:
    """Where `made` and `read` differ, in value or in the type of any value in them (a list where a tuple is
    equal to nothing, a set where a frozenset would be); None where they do not."""
    if type(made) is not type(read):
        return f"{where}: {type(made).__name__} against {type(read).__name__}"
    if dataclasses.is_dataclass(made):
        return next(filter(None, (_same(getattr(made, f.name), getattr(read, f.name), f"{where}.{f.name}")
                                  for f in dataclasses.fields(made))), None)
    if isinstance(made, (tuple, list)):
        if len(made) != len(read):
            return f"{where}: {len(made)} items against {len(read)}"
        return next(filter(None, (_same(a, b, f"{where}[{n}]") for n, (a, b) in enumerate(zip(made, read)))), None)
    return None if made == read else f"{where}: {made!r} against {read!r}"


def test_the_facts_a_check_makes_are_those_the_store_gives_back(the_plans):
    """A command that checks a plan (a miss) uses the facts store.made made of it, not the ones read back from
    what it stored: they are the same, value for value and type for type. With texts or outputs, made gives
    none, and they are read back."""
    assert _same((1, ("a",)), (1, ["a"])) and _same(frozenset("a"), {"a"}) and not _same((1, ("a",)), (1, ("a",)))
    for plan in the_plans:
        flags, parts, known = store.made(plan, False, False)
        assert known is not None and _same(known, store.read(flags, list(parts))) is None, plan.stem
        assert store.made(plan, True, False)[2] is None and store.made(plan, False, True)[2] is None


def test_the_property_tests_reference_sees_a_wrong_answer(the_plans):
    """The reference is not the store's own answer: a filter broken on purpose in the facts path gives
    another answer than the Plans give."""
    facts = [q.facts(plan) for plan in the_plans]
    wanted = q.Filters(ages=((13, 13),))
    from_plans = [(m.plan.stem, m.measure.id) for m in q.search(the_plans, wanted).matches]
    from_facts = [(m.plan.stem, m.measure.id) for m in q.search(facts, wanted).matches]
    assert from_plans == from_facts and from_plans
    shifted = q.Filters(ages=((14, 14),))
    assert [(m.plan.stem, m.measure.id) for m in q.search(facts, shifted).matches] != from_plans


# -- a stale store never answers -------------------------------------------------------------------


def test_a_changed_plan_is_answered_anew(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    cli("query", "--format", "json", path)
    poison(cache_dir)
    Path(path).write_text(OS_TEXT.replace("name: Treffpunkt", "name: Møteplassen", 1), encoding="utf-8")
    changed = cli("query", "--format", "json", path)
    assert POISON not in changed.stdout and "Møteplassen" in changed.stdout and "Treffpunkt" not in changed.stdout
    Path(path).write_text(OS_TEXT + "# en kommentar\n", encoding="utf-8")  # one byte more: a new key
    assert POISON not in cli("query", "--format", "json", path).stdout


def test_a_changed_schema_is_not_answered_from_the_store(cli, tmp_path, cache_dir, monkeypatch):
    from forebygging_cli import schema_check, schemafile

    path = plan_file(tmp_path)
    cli("query", "--format", "json", path)
    poison(cache_dir)
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["municipality"]["required"] = ["name", "county"]  # a field Os does not have
    changed = tmp_path / "plan.schema.json"
    changed.write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.setattr(schemafile, "schema_path", lambda: changed)
    built = (schemafile.schema_bytes, schemafile.schema, schema_check.validator, schema_check._fast_validator)
    for cached in built:
        cached.cache_clear()
    try:
        result = cli("query", "--format", "json", path)
    finally:
        for cached in built:
            cached.cache_clear()
    assert POISON not in result.output
    assert result.code == 2 and "is not a valid plan" in result.stderr  # the new schema's answer


def test_a_new_tool_is_not_answered_from_the_store(cli, tmp_path, cache_dir, monkeypatch):
    import forebygging_cli

    path = plan_file(tmp_path)
    before = cli("query", "--format", "json", path)
    poison(cache_dir)
    monkeypatch.setattr(forebygging_cli, "__version__", "99.0.0")
    cache.tool_fingerprint.cache_clear()
    try:
        result = cli("query", "--format", "json", path)
    finally:
        cache.tool_fingerprint.cache_clear()
    assert result.stdout == before.stdout and POISON not in result.stdout


def test_another_python_is_not_answered_from_the_store(cli, tmp_path, cache_dir, monkeypatch):
    path = plan_file(tmp_path)
    before = cli("plans", "--format", "json", path)
    poison(cache_dir)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    cache.tool_fingerprint.cache_clear()
    try:
        result = cli("plans", "--format", "json", path)
    finally:
        cache.tool_fingerprint.cache_clear()
    assert result.stdout == before.stdout and POISON not in result.stdout


def test_another_language_is_answered_in_that_language_not_from_the_first(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    english = cli("query", "--format", "json", path, env={"FOREBYGGING_LANG": "en"})
    poison(cache_dir)
    norwegian = cli("query", "--format", "json", path, env={"FOREBYGGING_LANG": "nb"})
    assert POISON not in norwegian.stdout
    labels = {record["level_label"] for record in json.loads(norwegian.stdout)}
    assert labels != {record["level_label"] for record in json.loads(english.stdout)}
    assert "Universelle tiltak" in labels or "Selekterte tiltak" in labels
    assert len(store_files(cache_dir)) == 2


def test_a_store_written_by_another_layout_is_a_miss(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    before = cli("query", "--format", "json", path)
    poison(cache_dir)
    for file in store_files(cache_dir):  # the same sections under another magic: another layout wrote it
        data = file.read_bytes()
        file.write_bytes(b"FBC0" + data[4:])
    result = cli("query", "--format", "json", path)
    assert result.stdout == before.stdout and POISON not in result.stdout


def test_no_cache_answers_the_same_and_writes_no_store(cli, tmp_path, cache_dir):
    path = plan_file(tmp_path)
    commands = [("query", "--age", "13"), ("query", "--format", "json"), ("query", "--text", "barn"), ("coverage",),
                ("plans",), ("units",)]
    fresh = {args: cli("--no-cache", *args, path) for args in commands}
    assert not cache_dir.exists() or store_files(cache_dir) == []
    for args in commands:
        cli(*args, path)
        warm = cli(*args, path)
        assert (warm.stdout, warm.code) == (fresh[args].stdout, fresh[args].code), args
    assert len(store_files(cache_dir)) == 1


# -- two writers, an unwritable cache --------------------------------------------------------------


def test_two_queries_at_once_leave_a_whole_store(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for number in range(12):
        source = (PLANS / ("lier.yaml" if number % 2 else "os.yaml")).read_text(encoding="utf-8")
        source = source.replace("name: Os kommune", f"name: Os {number} kommune").replace(
            "name: Lier kommune", f"name: Lier {number} kommune")
        (plans / f"plan-{number}.yaml").write_text(source, encoding="utf-8")
    directory = tmp_path / "cache"
    env = subprocess_env(FOREBYGGING_CACHE_DIR=str(directory), FOREBYGGING_LANG="en")
    command = [sys.executable, "-m", "forebygging_cli", "query", "--age", "13", "--text", "barn", "--format", "json"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    fresh = subprocess.run([*command[:3], "--no-cache", *command[3:]], cwd=tmp_path, env=env, capture_output=True,
                           timeout=600)
    warm = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=600)
    assert outputs[0][0] == outputs[1][0] == fresh.stdout == warm.stdout and json.loads(warm.stdout)
    kept = store_files(directory)
    assert len(kept) == 12
    for file in kept:
        flags, parts = read_store(file)
        known = store.read(flags, parts, texts=True, outputs=True)
        assert known.municipality.endswith("kommune") and len(known.texts) == len(known.measures)
    assert list(directory.glob("**/.*.tmp")) == []


@pytest.mark.parametrize("where", ["under a file", "relative"])
@pytest.mark.parametrize("command", [("query", "--age", "13"), ("query", "--format", "json"), ("coverage",),
                                     ("plans",), ("units",)], ids=" ".join)
def test_an_unwritable_cache_still_answers_the_same(cli, tmp_path, monkeypatch, where, command):
    path = plan_file(tmp_path)
    expected = cli("--no-cache", *command, path)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.delenv("FOREBYGGING_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache") if where == "under a file" else "relative/dir")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = cli(*command, path)
        assert (result.code, result.stdout, result.stderr) == (expected.code, expected.stdout, expected.stderr)
    assert not (tmp_path / "relative").exists()


def test_a_read_only_cache_directory_answers_the_same(tmp_path):
    """As a user would meet it: as root, the capabilities that let root write anywhere are dropped."""
    directory = tmp_path / "cache"
    directory.mkdir()
    directory.chmod(0o500)
    command = [sys.executable, "-m", "forebygging_cli", "query", "--age", "13", "--format", "json"]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a directory read-only for root")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--", *command]
    try:
        path = plan_file(tmp_path)
        env = subprocess_env(FOREBYGGING_CACHE_DIR=str(directory), FOREBYGGING_LANG="en")
        done = subprocess.run([*command, path], capture_output=True, text=True, env=env, timeout=120)
        fresh = subprocess.run([sys.executable, "-m", "forebygging_cli", "--no-cache", *command[-5:], path],
                               capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0 and done.stderr == "" and done.stdout == fresh.stdout and json.loads(done.stdout)
        assert list(directory.iterdir()) == []
    finally:
        directory.chmod(0o700)


# -- damaged or hostile store sections are a miss ------------------------------------------------


class Bomb:
    """A pickle that, when loaded, leaves a file behind: proof that something ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _outputs(parts: list[bytes], change) -> None:
    """Apply `change` to the first measure's stored output values, keeping the offsets right."""
    offsets = orjson.loads(parts[store.OFFSETS])
    blob = parts[store.OUTPUTS]
    first = orjson.loads(blob[:offsets[1]])
    change(first)
    made = orjson.dumps(first)
    parts[store.OUTPUTS] = made + blob[offsets[1]:]
    parts[store.OFFSETS] = orjson.dumps([0] + [n - offsets[1] + len(made) for n in offsets[1:]])


def _facts(parts: list[bytes], change) -> None:
    value = orjson.loads(parts[store.FACTS])
    change(value)
    parts[store.FACTS] = orjson.dumps(value)


def _level(value) -> None:
    value[5][0][2] = "everyone"  # the first measure's level: not a level


def _index(value) -> None:
    value[5][0][7] = 5  # the first measure's index: not its place


def _rule(value) -> None:
    value[5][0][4][3] = [["stage", "university"]]  # an age rule of a stage that has no ages


DAMAGES = {
    "facts not JSON": lambda parts, marker: parts.__setitem__(store.FACTS, b"[not json"),
    "facts a pickle": lambda parts, marker: parts.__setitem__(store.FACTS, pickle.dumps(Bomb(marker))),
    "outputs a pickle": lambda parts, marker: parts.__setitem__(store.OUTPUTS, pickle.dumps(Bomb(marker))),
    "facts of another shape": lambda parts, marker: parts.__setitem__(store.FACTS, b'{"plan": 1}'),
    "facts cut short": lambda parts, marker: parts.__setitem__(store.FACTS, parts[store.FACTS][:-40]),
    "a level that is not a level": lambda parts, marker: _facts(parts, _level),
    "an index out of place": lambda parts, marker: _facts(parts, _index),
    "an age rule of no stage": lambda parts, marker: _facts(parts, _rule),
    "texts not texts": lambda parts, marker: parts.__setitem__(store.TEXTS, b"[1, 2, 3]"),
    "texts too few": lambda parts, marker: parts.__setitem__(store.TEXTS, b'["a"]'),
    "offsets past the end": lambda parts, marker: parts.__setitem__(store.OFFSETS, b"[0, 99999999]"),
    "offsets backwards": lambda parts, marker: parts.__setitem__(
        store.OFFSETS, orjson.dumps(list(reversed(orjson.loads(parts[store.OFFSETS]))))),
    "an output of the wrong kind": lambda parts, marker: _outputs(parts, lambda v: v.__setitem__(0, 7)),
    "an output with an unknown audience": lambda parts, marker: _outputs(
        parts, lambda v: v.__setitem__(17, ["aliens"])),
    "an output list holding a number": lambda parts, marker: _outputs(parts, lambda v: v.__setitem__(19, [1])),
    "an output cut short": lambda parts, marker: _outputs(parts, lambda v: v.pop()),
    "a section too many": lambda parts, marker: parts.append(b"[]"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_or_hostile_store_file_is_a_miss(cli, tmp_path, cache_dir, damage):
    path = plan_file(tmp_path)
    args = ("query", "--format", "json", "--text", "barn", path)
    before = cli(*args)
    assert json.loads(before.stdout)
    [file] = store_files(cache_dir)
    flags, parts = read_store(file)
    marker = tmp_path / "ran"
    DAMAGES[damage](parts, marker)
    write_store(file, flags, parts)
    with pytest.raises(codec.Invalid):
        store.read(flags, parts, texts=True, outputs=True).outputs.get(0)
    for _ in range(2):  # a miss, made whole again
        result = cli(*args)
        assert (result.code, result.stdout, result.stderr) == (before.code, before.stdout, before.stderr)
    assert not marker.exists()
    assert cli("plans", path).code == 0 and cli("coverage", path).code == 0


# -- big tables: written without rich's layout, as rich would lay them out ------------------------


def _styled_characters(renderable, width: int, color: bool, monkeypatch, big: int) -> tuple[str, list]:
    """What a person sees of `renderable`: its text, and each character with its style."""
    from rich.console import Console

    from forebygging_cli.render import terminal

    monkeypatch.setattr(terminal, "BIG_TABLE", big)
    console = Console(width=width, color_system="standard" if color else None, force_terminal=color,
                      legacy_windows=False)
    segments = list(console.render(renderable, console.options))
    seen = [(char, str(segment.style or "")) for segment in segments if not segment.control
            for char in segment.text]
    return "".join(char for char, _style in seen), seen


def _big_tables():
    from forebygging_cli import coverage as cov
    from forebygging_cli import i18n
    from forebygging_cli.render.coverage_views import render_text
    from forebygging_cli.repository import load_facts

    i18n.activate("en")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return corpus, cov, render_text, None, load_facts


@pytest.mark.parametrize("width", [60, 100, 120, 250])
@pytest.mark.parametrize("color", [False, True])
def test_a_big_table_looks_as_rich_lays_it_out(tmp_path, monkeypatch, width, color):
    """coverage and plans over 70 plans (past BIG_TABLE rows) at several widths, in colour and not: the
    plain writer's table is rich's, character for character and style for style (and where it cannot
    fit unwrapped, rich's own layout is used)."""
    from forebygging_cli import i18n
    from forebygging_cli.render import formats
    from forebygging_cli.render.overview import listed

    corpus, cov, render_text, _plans, load_facts = _big_tables()
    written = corpus.write(tmp_path, count=70)
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    i18n.activate("en")
    facts, problems = load_facts([str(path) for path in written])
    assert not problems
    for renderable in (render_text(cov.matrices(facts, "age")), render_text(cov.matrices(facts, "service")),
                       formats.get("plans", "text").load()([listed(f) for f in facts], delimiter=",")):
        fast = _styled_characters(renderable, width, color, monkeypatch, big=60)
        slow = _styled_characters(renderable, width, color, monkeypatch, big=10 ** 9)
        assert fast[0] == slow[0]
        assert fast[1] == slow[1]
    i18n.activate("en")


def test_the_plain_writer_is_used_for_a_big_table_that_fits(tmp_path, monkeypatch):
    from rich.console import Console

    from forebygging_cli import i18n
    from forebygging_cli.render import terminal

    corpus, cov, render_text, _plans, load_facts = _big_tables()
    written = corpus.write(tmp_path, count=70)
    monkeypatch.setenv("FOREBYGGING_CACHE_DIR", str(tmp_path / "cache"))
    i18n.activate("en")
    facts, _problems = load_facts([str(path) for path in written])
    table = render_text(cov.matrices(facts, "age")).renderables[0].layouts[0]().table()
    console = Console(width=200, color_system=None)
    fit, lines = terminal.plain_table(table, console, console.options)
    assert fit is True and lines
    assert terminal.plain_table(table, console, console.options.update_width(30))[0] is False
