"""The benchmark: how fast `forebygging` answers, side by side with its baselines.

    .venv/bin/pip install -q -e '.[bench]' && .venv/bin/python bench/run.py

Every figure is the median wall-clock time of whole-process runs (start to
exit, as a user waits for it), measured in this one run so that the ratios
compare like with like on a shared, noisy machine. Nothing here is a test:
it prints figures and the targets of issue 11 beside them, and exits 0.

What it does:

1. compiles forebygging's modules to bytecode, as pip does when it installs
   the wheel (an editable install under PYTHONDONTWRITEBYTECODE=1 would
   otherwise recompile every module on every run);
2. writes a national corpus (bench/corpus.py: 357 valid plans, alternating
   Lier- and Os-sized), the worst-case inputs, a generated 500-measure Word
   document (bench/docx_corpus.py, for `import`) and two versions of a 1 MB plan
   (bench/diff_pair.py: 560 measures renamed, for `diff`) into a temporary
   directory;
3. runs each command REPEAT times and prints one table: milliseconds, the
   baseline, the ratio, the target;
4. measures the peak memory of the national validate: the command and its
   workers together (proportional set size, so pages that fork shares count
   once), sampled from /proc.

5. (issue 21) runs `query --age 13` (table and JSON), `coverage`, `plans` and
   `units` over the national corpus warm, `coverage` and `plans` cold beside
   a cold validate run in turns with them (five rounds or more), and measures the peak memory of the warm `query` and
   `coverage`; with --national N it writes a second corpus of N plans (the
   first 357 of it are the 357-plan corpus) and runs the same warm rows over
   it, each beside its 357-plan row (target: at most 8x, linear).

Options: --repeat N (default 5; the national rows use max(3, N // 2)),
--national N (also the rows of issue 21 over N plans, e.g. 3000: writing that
corpus and filling its cache take a few minutes),
--quick (the two real plans only), --yaml (the rows of issue 20 only: validate
of a 1 MB plan with and without one U+2028, fmt --check of it with a comment on
every line), --keep (print the temporary directory and leave it).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import diff_pair  # noqa: E402
import docx_corpus  # noqa: E402
import worst  # noqa: E402

BIN = Path(sys.executable).parent
NOOP_TYPER = """import typer

app = typer.Typer()


@app.command()
def main() -> None:
    pass


app()
"""


@dataclass
class Row:
    name: str
    ms: float | None
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


def command(name: str) -> list[str]:
    script = BIN / name
    if script.exists():
        return [str(script)]
    if name == "forebygging":
        return [sys.executable, "-m", "forebygging_cli"]
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(name)
    return [found]


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, exit code, peak resident memory in KB) of one whole-process run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, process.returncode, usage.ru_maxrss


def memory_of(argv: list[str], cwd: Path, env: dict[str, str]) -> dict[str, float] | None:
    """The peak memory of one run in MB, sampled every 20 ms from /proc (Linux):
    `largest`, the largest resident set of one process (the command or a worker);
    `together`, the largest sum over the command and its workers of their
    proportional set sizes (pages that fork shares are counted once). None
    where there is no /proc."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    largest = together = 0.0
    while process.poll() is None:
        pids = [process.pid] + _descendants(process.pid)
        total = 0.0
        for pid in pids:
            fields = _smaps(pid)
            largest = max(largest, fields.get("Rss", 0.0))
            total += fields.get("Pss", 0.0)
        together = max(together, total)
        time.sleep(0.02)
    return {"largest": largest / 1024, "together": together / 1024}


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child)] + _descendants(int(child))
    except OSError:
        pass
    return found


def _smaps(pid: int) -> dict[str, float]:
    """Rss and Pss of a process in KB."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                fields[name] = float(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return fields


def in_turns(commands: dict[str, tuple[list[str], Path]], env: dict[str, str], rounds: int, before=None,
             expect: tuple[int, ...] = (0, 1)) -> dict[str, float]:
    """The median milliseconds of each command (name: argv, cwd), the commands run in turns, round after
    round, so that a busy moment of a shared machine slows them alike; `before` runs ahead of each run (to
    empty the cache for a cold one)."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _round in range(rounds):
        for name, (argv, cwd) in commands.items():
            if before:
                before()
            elapsed, code, _peak = run_once(argv, cwd, env)
            if code not in expect:
                raise SystemExit(f"bench: {' '.join(argv)} exited {code} in {cwd}")
            timings[name].append(elapsed * 1000)
    return {name: statistics.median(times) for name, times in timings.items()}


def measure(argv: list[str], cwd: Path, env: dict[str, str], repeat: int, before=None,
            expect: tuple[int, ...] = (0, 1)) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs, and the largest peak memory (KB).
    `before` runs ahead of each repetition (to empty the cache for a cold run)."""
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        elapsed, code, peak = run_once(argv, cwd, env)
        if code not in expect:
            raise SystemExit(f"bench: {' '.join(argv)} exited {code} in {cwd}")
        times.append(elapsed * 1000)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="the two real plans only")
    parser.add_argument("--yaml", action="store_true", help="the rows of issue 20 only: U+2028 and fmt's comments")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--national", type=int, default=0, metavar="N",
                        help="also the store's rows over a corpus of N plans (e.g. 3000)")
    parser.add_argument("--store", action="store_true",
                        help="the rows of issue 21 only (the store: query, coverage, plans, units over the corpus)")
    options = parser.parse_args()
    repeat = max(1, options.repeat)
    national_repeat = max(3, repeat // 2) if repeat >= 3 else repeat

    package = ROOT / "src" / "forebygging_cli"
    compileall.compile_dir(str(package), quiet=1)

    work = Path(tempfile.mkdtemp(prefix="forebygging-bench-"))
    try:
        return _run(options, work, repeat, national_repeat)
    finally:
        if options.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(options, work: Path, repeat: int, national_repeat: int) -> int:
    cache = work / "cache"
    env = {key: value for key, value in os.environ.items()
           if key not in {"FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS", "CI", "FOREBYGGING_PLANS", "COLUMNS"}}
    env.update({"XDG_CACHE_HOME": str(cache), "FOREBYGGING_LANG": "nb", "LANG": "C.UTF-8", "COLUMNS": "120"})

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    (work / "noop.py").write_text(NOOP_TYPER, encoding="utf-8")
    fb = command("forebygging")
    rows: list[Row] = []

    def add(name, argv, cwd, *, baseline=None, target=None, limit=None, cold=False, runs=repeat, note="",
            expect=(0, 1)):
        if cold:
            ms, peak = measure(argv, cwd, env, runs, before=empty_cache, expect=expect)
        else:
            run_once(argv, cwd, env)  # warm the cache (and the disk)
            ms, peak = measure(argv, cwd, env, runs, expect=expect)
        row = Row(name, ms, note=note)
        if baseline is not None:
            base_row = next(r for r in rows if r.name == baseline)
            row.baseline = baseline
            if base_row.ms:
                row.ratio = ms / base_row.ms
                if limit is not None:
                    row.target = f"≤ {limit_text(limit)}×"
                    row.met = row.ratio <= limit
        if target is not None:
            row.target = f"≤ {target:g} ms"
            row.met = ms <= target
        rows.append(row)
        print(f"  {name}: {ms:.0f} ms", file=sys.stderr)
        return row, peak

    if options.yaml:
        _yaml_rows(add, fb, work, repeat)
        print(table(rows))
        return 0
    print("measuring (medians of whole-process runs) ...", file=sys.stderr)
    # the quick commands and their baselines run in turns (one run of each, then again), so that a
    # moment when the machine is busy slows them alike and the ratios hold
    quick = {
        "python -c pass": ([sys.executable, "-c", "pass"], work, {}),
        "no-op Typer command": ([sys.executable, str(work / "noop.py")], work, {}),
        "forebygging --version": (fb + ["--version"], ROOT, {"baseline": "no-op Typer command", "limit": 1.1}),
        "forebygging --help": (fb + ["--help"], ROOT, {"baseline": "no-op Typer command"}),
        "query --age 13 --format json, 2 plans, warm": (fb + ["query", "--age", "13", "--format", "json"], ROOT,
                                                        {"baseline": "no-op Typer command", "limit": 1.3}),
        "query --age 13 (table), 2 plans, warm": (fb + ["query", "--age", "13"], ROOT,
                                                  {"baseline": "no-op Typer command", "limit": 2.5}),
    }
    for argv, cwd, _options in quick.values():
        run_once(argv, cwd, env)  # fill the cache, warm the disk
    medians = in_turns({name: (argv, cwd) for name, (argv, cwd, _options) in quick.items()}, env,
                       max(repeat, 9), expect=(0,))
    for name, (_argv, _cwd, wanted) in quick.items():
        row = Row(name, medians[name])
        if "baseline" in wanted:
            base = next(r for r in rows if r.name == wanted["baseline"])
            row.baseline, row.ratio = wanted["baseline"], row.ms / base.ms
            if "limit" in wanted:
                row.target, row.met = f"≤ {limit_text(wanted['limit'])}×", row.ratio <= wanted["limit"]
        rows.append(row)
        print(f"  {name}: {row.ms:.0f} ms", file=sys.stderr)
    if options.store:  # issue 21's rows alone (after the start-up rows): the national validate, then theirs
        nation = work / "norge"
        files = corpus.write(nation)
        add(f"validate, {len(files)} plans, cold", fb + ["validate"], nation, cold=True, runs=national_repeat)
        _store_rows(add, fb, nation, len(files), env, national_repeat, empty_cache, rows)
        if options.national:
            _large_rows(add, fb, work, options.national, env, national_repeat, rows)
        print()
        print(table(rows))
        print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {national_repeat} runs; "
              f"load average before: {LOAD_BEFORE}, after: {_load()}")
        return 0
    add("query --age 13 --format json, 2 plans, cold", fb + ["query", "--age", "13", "--format", "json"], ROOT,
        baseline="no-op Typer command", cold=True)
    try:
        checker = command("check-jsonschema")
    except FileNotFoundError:
        checker = None
        print("  check-jsonschema is not installed (pip install -e '.[bench]'): its rows are left out",
              file=sys.stderr)
    schema = str(ROOT / "schemas" / "plan.schema.json")
    real = [str(ROOT / "plans" / "lier.yaml"), str(ROOT / "plans" / "os.yaml")]
    if checker:
        add("check-jsonschema, 2 plans", checker + ["--schemafile", schema, *real], ROOT)
    add("validate, 2 plans, cold", fb + ["validate"], ROOT, cold=True,
        baseline="check-jsonschema, 2 plans" if checker else None)
    add("validate, 2 plans, warm", fb + ["validate"], ROOT,
        baseline="check-jsonschema, 2 plans" if checker else None)

    # issue 19: a planner's Word document of 500 measures becomes a draft in at most 2 s and 200 MB
    generated = docx_corpus.write(work / "benkvik.docx")
    import_row, import_peak = add("import a generated 500-measure .docx (about 100 pages)",
                                  fb + ["import", str(generated), "-o", "-"], work, target=2000)
    import_row.note = f"peak {import_peak / 1024:.0f} MB resident (target ≤ 200 MB: " \
                      f"{'met' if import_peak <= 200 * 1024 else 'NOT met'})"

    national_peak: dict[str, float] | None = None
    if not options.quick:
        print("writing the national corpus ...", file=sys.stderr)
        nation = work / "norge"
        files = corpus.write(nation)
        names = [str(path.relative_to(nation)) for path in files]
        if checker:
            add(f"check-jsonschema, {len(files)} plans", checker + ["--schemafile", schema, *names], nation,
                runs=national_repeat, note="with ruamel.yaml.clib" if _has_clib() else "without ruamel.yaml.clib")
        _row, _peak = add(f"validate, {len(files)} plans, cold", fb + ["validate"], nation, cold=True,
                                  runs=national_repeat,
                                  baseline=f"check-jsonschema, {len(files)} plans" if checker else None,
                                  limit=1 / 3 if checker else None)
        add(f"validate, {len(files)} plans, warm", fb + ["validate"], nation, runs=national_repeat, target=1000)
        empty_cache()
        national_peak = memory_of(fb + ["validate"], nation, env)
        add(f"query --age 13, {len(files)} plans, cold", fb + ["query", "--age", "13", "--format", "json"], nation,
            cold=True, runs=national_repeat)
        add(f"query --age 13, {len(files)} plans, warm", fb + ["query", "--age", "13", "--format", "json"], nation,
            runs=national_repeat, target=500)
        database = work / "norge.db"
        export_row, _peak = add(f"export --format sqlite, {len(files)} plans, cold",
                                fb + ["export", "--format", "sqlite", "-o", str(database), "--force"], nation,
                                cold=True, runs=national_repeat, baseline=f"validate, {len(files)} plans, cold",
                                expect=(0,))
        export_row.note = f"a {database.stat().st_size / 1e6:.0f} MB database"
        _store_rows(add, fb, nation, len(files), env, national_repeat, empty_cache, rows)
        if options.national:
            _large_rows(add, fb, work, options.national, env, national_repeat, rows)
        print("writing the worst-case inputs ...", file=sys.stderr)
        shapes = worst.write(work / "worst")
        slowest = None
        for name, path in shapes.items():
            ms, _peak = measure(fb + ["validate", "--no-cache", str(path)], work, env, national_repeat,
                                expect=(0, 1))
            print(f"  worst case {name}: {ms:.0f} ms", file=sys.stderr)
            if slowest is None or ms > slowest[1]:
                slowest = (name, ms)
        assert slowest is not None
        rows.append(Row(f"validate the slowest worst-case input ({slowest[0]})", slowest[1],
                        note=f"of {len(shapes)} shapes"))
        _yaml_rows(add, fb, work, national_repeat)
        old, new = diff_pair.write(work / "diff")
        add(f"diff of two 1 MB plans ({diff_pair.RENAMED} renamed measures)", fb + ["diff", str(old), str(new)],
            work, runs=national_repeat, target=2000, note=f"{old.stat().st_size / 1e6:.2f} MB each")

    print()
    print(table(rows))
    if national_peak is not None:
        verdict = "met" if national_peak["together"] <= 100 else "NOT met"
        print(f"\npeak memory of the national validate (cold): {national_peak['together']:.0f} MB for the command "
              f"and its workers together (proportional set size; target ≤ 100 MB: {verdict}); the largest single "
              f"process {national_peak['largest']:.0f} MB (resident set)")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {repeat} runs "
          f"({national_repeat} for the national rows); language nb; cache in a temporary XDG_CACHE_HOME; "
          f"load average before: {LOAD_BEFORE}, after: {_load()}")
    return 0


#: the store's commands (issue 21), each with the name of its row
STORE_COMMANDS = (
    ("query --age 13 --format json", ["query", "--age", "13", "--format", "json"]),
    ("query --age 13 (table)", ["query", "--age", "13"]),
    ("coverage", ["coverage"]),
    ("plans", ["plans"]),
    ("units", ["units"]),
)
#: the warm rows over 357 plans with a target of their own (issue 21: at most 0.5 s)
STORE_TARGETS = {"query --age 13 --format json": 500, "query --age 13 (table)": 500, "coverage": 500, "plans": 500}
#: the commands whose peak memory is measured (issue 21: at most 200 MB at 3,000 plans; the query as JSON and as
#: the table, which held every plan's matches to the end until be2a75a: 585 MB)
MEMORY_COMMANDS = ("query --age 13 --format json", "query --age 13 (table)", "coverage")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


LOAD_BEFORE = _load()


def _store_rows(add, fb: list[str], nation: Path, count: int, env: dict[str, str], runs: int, empty_cache,
                rows: list[Row]) -> None:
    """Issue 21 over the national corpus: the store's commands warm (query, coverage, plans and units), cold
    coverage and plans beside the cold validate, and the peak memory of the warm query and coverage."""
    # cold coverage and plans each beside a cold validate run in the same rounds (as the start-up rows are run
    # in turns): a busy moment of a shared machine slows all three alike, so the ratios hold
    validate = f"validate, {count} plans, cold, in turns with coverage and plans"
    turns = in_turns({name: (fb + [name], nation) for name in ("validate", "coverage", "plans")}, env, max(runs, 5),
                     before=empty_cache)
    for name, ms in turns.items():
        print(f"  {name}, {count} plans, cold, in turns: {ms:.0f} ms", file=sys.stderr)
    rows.append(Row(validate, turns["validate"]))
    for name in ("coverage", "plans"):
        ratio = turns[name] / turns["validate"]
        rows.append(Row(f"{name}, {count} plans, cold", turns[name], validate, ratio, "≤ 1×", ratio <= 1))
    for name, args in STORE_COMMANDS:
        row, _peak = add(f"{name}, {count} plans, warm", fb + args, nation, runs=runs, target=STORE_TARGETS.get(name))
        if name in MEMORY_COMMANDS:
            peak = memory_of(fb + args, nation, env)
            if peak is not None:
                row.note = f"peak {peak['together']:.0f} MB"


def _large_rows(add, fb: list[str], work: Path, count: int, env: dict[str, str], runs: int, rows: list[Row]) -> None:
    """The store's warm rows over `count` plans (--national), each beside its row over 357 plans: linear
    growth is at most count/357 times; issue 21 asks at most 8x at 3,000 plans and 200 MB."""
    print(f"writing a corpus of {count} plans ...", file=sys.stderr)
    large = work / f"norge-{count}"
    files = corpus.write(large, count)
    print(f"  checking them once (fills the cache) ...", file=sys.stderr)
    run_once(fb + ["validate"], large, env)
    limit = 8 if count == 3000 else round(count / corpus.COUNT, 1)
    for name, args in STORE_COMMANDS:
        row, _peak = add(f"{name}, {len(files)} plans, warm", fb + args, large, runs=runs,
                         baseline=f"{name}, {corpus.COUNT} plans, warm", limit=limit)
        if name in MEMORY_COMMANDS:
            peak = memory_of(fb + args, large, env)
            if peak is not None:
                row.note = f"peak {peak['together']:.0f} MB; target ≤ 200 MB: " \
                           f"{'met' if peak['together'] <= 200 else 'NOT met'}"


def _yaml_rows(add, fb: list[str], work: Path, runs: int) -> None:
    """Issue 20: a rare line break character (U+2028) is read without a second, pure-Python reading,
    and fmt places every comment of a 1 MB plan in near-linear time (the pre-commit hook runs it)."""
    print("writing the 1 MB plans with comments ...", file=sys.stderr)
    written = worst.write_yaml_rows(work / "yaml")
    plan = str(written["commented"])
    add("validate, a 1 MB plan", fb + ["validate", "--no-cache", plan], work, runs=runs)
    add("validate, the same 1 MB plan with one U+2028", fb + ["validate", "--no-cache", str(written["separator"])],
        work, runs=runs, baseline="validate, a 1 MB plan", limit=1.5)
    add("fmt --check, a 1 MB plan with a comment on every line", fb + ["fmt", "--check", plan], work, runs=runs,
        target=2000)


def _has_clib() -> bool:
    try:
        import _ruamel_yaml  # noqa: F401
    except ImportError:
        return False
    return True


def limit_text(limit: float) -> str:
    """A ratio target as people write it: ⅓ rather than 0.333333."""
    if abs(limit - 1 / 3) < 1e-9:
        return "⅓"
    return f"{limit:g}"


def table(rows: list[Row]) -> str:
    head = ("what", "ms", "ratio", "baseline", "target", "")
    lines = [head]
    for row in rows:
        lines.append((
            row.name + (f" ({row.note})" if row.note else ""),
            f"{row.ms:,.0f}" if row.ms is not None else "-",
            f"{row.ratio:.2f}×" if row.ratio is not None else "",
            row.baseline,
            row.target,
            "" if row.met is None else ("met" if row.met else "NOT met"),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for number, line in enumerate(lines):
        cells = [cell.rjust(widths[i]) if i in (1, 2) else cell.ljust(widths[i]) for i, cell in enumerate(line)]
        out.append("| " + " | ".join(cells) + " |")
        if number == 0:
            out.append("| " + " | ".join("-" * (widths[i] - 1) + ":" if i in (1, 2) else "-" * widths[i]
                                          for i in range(len(head))) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
