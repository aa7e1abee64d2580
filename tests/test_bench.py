"""The benchmark's inputs are what it says they are, and its one command runs.

The benchmark itself (bench/run.py) measures; these tests only hold its
promises: the national corpus is valid and varied, every worst-case input is
within the size the tool reads and is read without a traceback, and
`bench/run.py --quick` prints the table the README describes.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, findings, subprocess_env

sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import worst  # noqa: E402

from forebygging_cli.files import MAX_BYTES  # noqa: E402

pytestmark = pytest.mark.timeout(300)


def test_the_national_corpus_is_valid_and_each_plan_is_another_municipality(cli, tmp_path):
    files = corpus.write(tmp_path, count=12)
    assert len(files) == 12
    result = cli("validate", "--no-cache", str(tmp_path / "plans"))
    assert result.code == 0, result.output
    documents = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    assert len({doc["municipality"]["name"] for doc in documents}) == 12
    assert len({path.read_bytes() for path in files}) == 12
    # realistic: Norwegian text, both plan sizes
    assert all(any(letter in path.read_text(encoding="utf-8") for letter in "æøå") for path in files)
    assert len({len(doc["measures"]) for doc in documents}) > 1


def test_every_worst_case_input_is_within_the_limits_and_is_read(cli, tmp_path):
    """Each shape is as large as a limit allows (1 MB, or the 20,000 values) and is
    parsed and checked, not refused unread: no file-level finding (FB0xx)."""
    shapes = worst.write(tmp_path)
    assert len(shapes) == 12
    for name, path in shapes.items():
        assert path.stat().st_size <= MAX_BYTES, name
        result = cli("validate", "--no-cache", str(path))  # run_cli fails the test on a traceback
        found = findings(result.output)
        assert result.code == (1 if any(f["severity"] == "error" for f in found) else 0), (name, result.output)
        rules = {finding["rule"] for finding in found}
        if name.endswith(", broken at its end"):
            assert rules == {"FB001"}, (name, result.output[:500])  # placed, not refused for its size
        else:
            assert rules and not any(rule.startswith("FB0") for rule in rules), (name, result.output[:500])
    sizes = sorted(path.stat().st_size for path in shapes.values())
    assert sizes[-1] > MAX_BYTES * 0.99


def test_the_benchmark_prints_its_table(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--repeat", "1"],
                          capture_output=True, text=True, timeout=240, cwd=tmp_path,
                          env=subprocess_env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == ["what", "ms", "ratio", "baseline", "target", ""]
    rows = {line.split("|")[1].strip(): line for line in lines[2:]}
    for name in ("python -c pass", "no-op Typer command", "forebygging --version",
                 "query --age 13 --format json, 2 plans, warm", "query --age 13 (table), 2 plans, warm",
                 "validate, 2 plans, warm"):
        assert name in rows, (name, list(rows))
    version = [cell.strip() for cell in rows["forebygging --version"].split("|")]
    assert version[3].endswith("×") and version[4] == "no-op Typer command" and version[5] == "≤ 1.1×"
