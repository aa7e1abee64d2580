"""Mutation testing: does the test suite notice when a module's code is changed?

    .venv/bin/pip install -q -e '.[test]'
    .venv/bin/python tools/mutation.py diff.py worddiff.py render/diff_markdown.py
    .venv/bin/python tools/mutation.py coverage.py --tests tests/test_coverage.py

mutmut 3 (the `test` extra) changes the code of the named modules one small
edit at a time (a mutant: `<` for `<=`, `and` for `or`, a string or number
changed, a call argument dropped, ...) and runs the tests that reach the
changed function against each mutant; a mutant the tests fail on is killed, one
they pass on survived. The aim (issue 20) is at most 10 % surviving per module,
and each survivor listed in docs/mutation.md with why it is equivalent (no
test could tell) or harmless.

MODULE is a path under src/forebygging_cli/. --tests names the test files to
run (default: the diff tests; name the tests that exercise your modules, so a
run stays small: mutation runs are CPU-heavy). The run happens in a copy of
the repository in a temporary folder (mutmut writes its mutants/ folder there,
never in the work tree), with one worker per CPU unless --jobs says otherwise.

It prints one table, module by module: mutants, killed, survived, timeouts
(stopped for taking too long: noticed, so counted with the killed), other
(mutmut's "no tests", "suspicious", "not checked": counted as survived in the
per cent), and the surviving mutants' names; --show prints each
survivor's diff. --keep keeps the copy (then `mutmut show NAME` or `mutmut
browse` in it); --resume COPY goes on with a run that was stopped in such a
copy, keeping the verdicts already reached. A mutant is stopped (a timeout)
after 2 x --timeout-multiplier x (its tests' time + 1 s) of CPU. Exit 0 when every module is at or under --limit per cent
surviving (default 10), else 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("src") / "forebygging_cli"
DEFAULT_TESTS = ["tests/test_diff.py", "tests/test_diff_kinds.py", "tests/test_diff_git.py",
                 "tests/test_diff_fields.py"]
#: what is not copied: version control, environments, caches and earlier runs
IGNORED = shutil.ignore_patterns(".git", ".venv", "mutants", "__pycache__", ".pytest_cache", ".hypothesis",
                                 "*.egg-info", "build", "dist", "test-artifacts")
KILLED, SURVIVED = "killed", "survived"
#: a mutant the tests ran out of time on (mutmut stops it with SIGXCPU, then SIGKILL, which it calls a segfault):
#: it changed what the code does, and the tests noticed
TIMEOUTS = ("timeout", "segfault")
#: mutmut stops a mutant after 2 x this x (the time its tests took unmutated + 1 s) seconds of CPU. Its own
#: default, 15, gives a mutant that loops forever half an hour when a property test reaches every function
#: (fmt.py's: a minute); 1.5 still lets a mutant run three times as long as the tests did before it is stopped
TIMEOUT_MULTIPLIER = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", metavar="MODULE", help="a path under src/forebygging_cli/")
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="the test files to run")
    parser.add_argument("--deselect", action="append", default=[], metavar="NODEID",
                        help="a test of those files not to run (repeatable): a slow property test whose survivors "
                             "are then checked by hand")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers (default: one per CPU)")
    parser.add_argument("--limit", type=float, default=10.0, help="per cent surviving allowed (default 10)")
    parser.add_argument("--timeout-multiplier", type=float, default=TIMEOUT_MULTIPLIER,
                        help=f"stop a mutant after 2 x this x (its tests' time + 1 s) of CPU (default "
                             f"{TIMEOUT_MULTIPLIER:g}; mutmut's own is 15)")
    parser.add_argument("--show", action="store_true", help="print the diff of each surviving mutant")
    parser.add_argument("--keep", action="store_true", help="keep the copy mutmut ran in")
    parser.add_argument("--resume", metavar="COPY", type=Path,
                        help="go on with a run that was stopped, in the copy --keep kept (its mutants already "
                             "checked stand)")
    options = parser.parse_args(argv)
    modules = [module.removeprefix(f"{PACKAGE}/") for module in options.modules]
    for module in modules:
        if not (ROOT / PACKAGE / module).is_file():
            parser.error(f"{PACKAGE / module} does not exist")
    if options.resume:
        copy, options.keep = options.resume.resolve(), True
        work = copy.parent
    else:
        work = Path(tempfile.mkdtemp(prefix="forebygging-mutation-"))
        copy = work / "repository"
    try:
        if not options.resume:
            shutil.copytree(ROOT, copy, ignore=IGNORED)
            configure(copy / "pyproject.toml", modules,
                      [*options.tests, *(arg for node in options.deselect for arg in ("--deselect", node))],
                      options.timeout_multiplier)
        run(copy, options.jobs, work)
        statuses = results(copy)
        print(table(modules, statuses))
        survivors = [name for name, status in sorted(statuses.items()) if status != KILLED and status not in TIMEOUTS]
        for name in survivors:
            print(f"surviving: {name} ({statuses[name]})")
            if options.show:
                print(show(copy, name))
        over = [m for m in modules if percent(m, statuses) > options.limit]
        return 1 if over else 0
    finally:
        if options.keep:
            print(f"kept: {copy}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def configure(pyproject: Path, modules: list[str], tests: list[str], timeout_multiplier: float) -> None:
    """mutmut's settings, added to the copy's pyproject.toml: mutate only `modules`, run only `tests`; and, in
    the copy's conftest.py, Hypothesis told not to shrink."""
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    text = pyproject.read_text(encoding="utf-8")
    text += "\n[tool.mutmut]\n" \
            f'source_paths = ["src"]\n' \
            f"only_mutate = {toml_list([str(PACKAGE / m) for m in modules])}\n" \
            f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n" \
            'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n' \
            f"also_copy = {toml_list(['plans', 'schemas', 'bench', 'tools', 'docs', 'README.md', '.ci'])}\n" \
            f"timeout_multiplier = {timeout_multiplier}\n"
    pyproject.write_text(text, encoding="utf-8")
    conftest = pyproject.parent / "tests" / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8") + HYPOTHESIS_PROFILE, encoding="utf-8")


#: added to the copy's tests/conftest.py: a property test that fails on a mutant stops at its first failing
#: example instead of searching for the smallest one (that search, minutes long, only made the mutant a timeout)
HYPOTHESIS_PROFILE = """

from hypothesis import Phase, settings

settings.register_profile("mutation", phases=(Phase.explicit, Phase.reuse, Phase.generate))
settings.load_profile("mutation")
"""


def run(copy: Path, jobs: int, work: Path) -> None:
    """`mutmut run` in the copy; pytest's temporary folders in `work` (never shared with other runs)."""
    temporary = work / "tmp"
    temporary.mkdir(exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(temporary), "PYTHONDONTWRITEBYTECODE": "1"}
    mutmut = [sys.executable, "-m", "mutmut"]
    done = subprocess.run([*mutmut, "run", "--max-children", str(max(1, jobs))], cwd=copy, env=environment,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:])
        raise SystemExit(f"mutation: mutmut run exited {done.returncode}")


def results(copy: Path) -> dict[str, str]:
    """Each mutant's name -> its status, as `mutmut results --all true` lists them."""
    done = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=copy,
                          capture_output=True, text=True, check=True)
    statuses = {}
    for line in done.stdout.splitlines():
        found = re.fullmatch(r"\s*(\S+): (.+)", line)
        if found:
            statuses[found.group(1)] = found.group(2).strip()
    return statuses


def show(copy: Path, name: str) -> str:
    return subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=copy, capture_output=True,
                          text=True).stdout


def module_of(name: str) -> str:
    """`forebygging_cli.render.diff_markdown.x_render__mutmut_3` -> `render/diff_markdown.py`."""
    dotted = name.split(".x_", 1)[0].split(".xǁ", 1)[0]
    return "/".join(dotted.split(".")[1:]) + ".py"


def counts(module: str, statuses: dict[str, str]) -> Counter:
    return Counter(status for name, status in statuses.items() if module_of(name) == module)


def percent(module: str, statuses: dict[str, str]) -> float:
    found = counts(module, statuses)
    total = sum(found.values())
    survived = total - found[KILLED] - sum(found[status] for status in TIMEOUTS)
    return 100 * survived / total if total else 0.0


def table(modules: list[str], statuses: dict[str, str]) -> str:
    lines = ["| module | mutants | killed | survived | timeout | other | surviving |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for module in modules:
        found = counts(module, statuses)
        total = sum(found.values())
        timeouts = sum(found[status] for status in TIMEOUTS)
        other = total - found[KILLED] - found[SURVIVED] - timeouts
        lines.append(f"| {module} | {total} | {found[KILLED]} | {found[SURVIVED]} | {timeouts} | {other} | "
                     f"{percent(module, statuses):.1f} % |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
