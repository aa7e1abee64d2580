"""Two versions of one large plan for the benchmark's `diff` row: Lier's plan
with its measures repeated under new ids, with longer descriptions and no
contacts (fewer values a measure), until the
file is close to 1 MB (the largest the tool reads) or to the value limit;
then a second version in which 560 measures have a new id (renamed: the same
name and description), a few descriptions are reworded, and a few measures
move level. Both are valid plans (FB3xx warnings aside), so `diff` reads,
checks and compares both in full.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from forebygging_cli.fmt import emit  # noqa: E402
from forebygging_cli.load import MAX_BYTES  # noqa: E402
from forebygging_cli.parse import MAX_VALUES, parse  # noqa: E402

RENAMED = 560
#: how many times each description is repeated: the plan reaches about 1 MB as the values reach their limit
REPEAT = 10


def _values(node) -> int:
    if isinstance(node, dict):
        return 1 + sum(1 + _values(value) for value in node.values())
    if isinstance(node, list):
        return 1 + sum(_values(item) for item in node)
    return 1


def pair() -> tuple[str, str]:
    """(old, new) texts, each under MAX_BYTES."""
    data = parse((ROOT / "plans" / "lier.yaml").read_text(encoding="utf-8"))[0]
    originals = data["measures"]
    measures: list[dict] = []
    number = 0
    size = len(emit(dict(data, measures=[])).encode("utf-8"))
    values = _values(dict(data, measures=[]))
    while True:
        twin = copy.deepcopy(originals[number % len(originals)])
        twin["id"] = f"{twin['id']}-{number}"
        twin["name"] = f"{twin['name']} {number}"
        twin["description"] = " ".join([twin["description"]] * REPEAT)
        twin.pop("contacts", None)  # fewer values a measure, so that more than 560 fit under the value limit
        grown = len(emit({"measures": [twin]}).encode("utf-8"))
        if size + grown > MAX_BYTES - 40_000 or values + _values(twin) + 1 > MAX_VALUES - 200:
            break
        measures.append(twin)
        size += grown
        values += _values(twin) + 1
        number += 1
    old = dict(data, measures=measures)
    changed = copy.deepcopy(measures)
    assert len(changed) > RENAMED, len(changed)
    for index, measure in enumerate(changed):
        if index < RENAMED:
            measure["id"] += "-ny"
        if index % 97 == 0:
            measure["description"] = measure["description"].replace(" og ", " samt ", 1)
        if index % 211 == 5:
            measure["level"] = {"universal": "selected", "selected": "indicated", "indicated": "universal"}[
                measure["level"]]
    texts = emit(old), emit(dict(data, measures=changed))
    assert all(len(text.encode("utf-8")) <= MAX_BYTES for text in texts)
    return texts


def write(directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = directory / "stor-plan.yaml", directory / "stor-plan-ny.yaml"
    for path, text in zip(paths, pair()):
        path.write_text(text, encoding="utf-8")
    return paths


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "diff-pair")):
        print(f"{path}: {path.stat().st_size:,} bytes")
