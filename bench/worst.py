"""Worst-case inputs for the benchmark: files as large as the limits of the
hardening issue allow (1 MB, the largest the tool reads; 10,000-character
lines, 50,000 lines, 20,000 values: the two shapes made of many small values
reach the value limit first, at 160 and 420 KB) in the shapes that cost a YAML
parser and a validator the most, so each is parsed and checked, not refused
unread; and each of them broken at its end, which a parser must read through
to place the error. The benchmark times `validate` on every shape and
reports the slowest.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from forebygging_cli.fmt import emit  # noqa: E402
from forebygging_cli.load import MAX_BYTES, MAX_LINE_LENGTH, MAX_LINES  # noqa: E402
from forebygging_cli.parse import MAX_VALUES, parse  # noqa: E402


def _fill(head: str, unit: str, tail: str = "") -> str:
    """head + as many copies of unit as fit under MAX_BYTES (UTF-8) + tail."""
    room = MAX_BYTES - len((head + tail).encode("utf-8"))
    return head + unit * (room // len(unit.encode("utf-8"))) + tail


def shapes() -> dict[str, str]:
    lier = (ROOT / "plans" / "lier.yaml").read_text(encoding="utf-8")
    comment_line = "# " + "æøå kommentar " * ((MAX_LINE_LENGTH - 10) // 14) + "\n"
    text_line = "  - " + "Lang tekst om forebygging i Fjordvik " * ((MAX_LINE_LENGTH - 10) // 37) + "\n"
    return {
        "long comment lines": _fill("", comment_line, "schema_version: 1\n"),
        "long text lines": _fill("schema_version: 1\npurpose:\n", text_line),
        "one literal block of 50,000 short lines": "schema_version: 1\npurpose:\n  - |\n" + _block(),
        "values up to the limit, in flow style": _flow_values(),
        "escapes in double quotes": _fill('schema_version: 1\npurpose:\n  - "', "\\u00e6\\t\\\" " * 9 + "\n    ", '"\n'),
        "a plan with every measure many times": _big_plan(lier),
    }


def _block() -> str:
    count = MAX_LINES - 10
    width = (MAX_BYTES - 40) // count  # bytes a line, newline included
    line = "    æøå" + "x" * (width - len("    æøå".encode("utf-8")) - 1) + "\n"
    return line * count


def _flow_values() -> str:
    items = ", ".join(["æøå"] * 20) + ",\n  "
    count = (MAX_VALUES - 10) // 20
    text = "schema_version: 1\npurpose: [\n  " + items * count + "slutt]\n"
    return text


def _big_plan(lier_text: str) -> str:
    """Lier's plan with its measures repeated (new ids) until the next copy would pass 1 MB or the value limit."""
    data = parse(lier_text)[0]
    measures = data["measures"]
    values_per_measure = 30  # about; the loop below checks the real count
    copies = []
    number = 0
    while True:
        batch = []
        for measure in measures:
            twin = copy.deepcopy(measure)
            twin["id"] = f"{measure['id']}-{number}"
            twin["name"] = f"{measure['name']} {number}"
            batch.append(twin)
        candidate = dict(data, measures=measures + copies + batch)
        text = emit(candidate)
        if len(text.encode("utf-8")) > MAX_BYTES or _count_values(candidate) > MAX_VALUES - values_per_measure:
            break
        copies += batch
        number += 1
    return emit(dict(data, measures=measures + copies))


def _count_values(node) -> int:
    if isinstance(node, dict):
        return 1 + sum(1 + _count_values(value) for value in node.values())
    if isinstance(node, list):
        return 1 + sum(_count_values(item) for item in node)
    return 1


def broken(text: str) -> str:
    """The same shape with a syntax error at its end (an unclosed bracket in place of its last
    lines), where a parser that must place the error has read everything before it."""
    return text[: len(text) - 200].rstrip("\n") + "\n  bad: [\n"


def commented_plan() -> str:
    """A plan of 1 MB (the largest the tool reads) with a comment at the end of every line: Lier's
    measures repeated up to the value limit, the rest of the megabyte in comments. fmt places every
    comment and reads them all back (`fmt --check` of it: issue 20, at most 2 s)."""
    lines = _big_plan((ROOT / "plans" / "lier.yaml").read_text(encoding="utf-8")).split("\n")[:-1]
    room = MAX_BYTES - 16 - sum(len(line.encode("utf-8")) + 1 for line in lines)  # 16: room for with_line_separator
    width = room // len(lines) - len("  # ") - 1
    comment = ("kommentar til linjen " * (width // 21 + 1))[:width].rstrip()
    text = "".join(f"{line}  # {comment}\n" for line in lines)
    assert len(text.encode("utf-8")) <= MAX_BYTES
    return text


def with_line_separator(text: str) -> str:
    """The same text with one LINE SEPARATOR (U+2028) in place of a space in the last measure's
    description, far into the file (`validate` of it: issue 20, at most 1.5 times the same plan without
    it). Two bytes longer: commented_plan leaves room for them."""
    start = text.rindex("  description: ") + len("  description: ")
    space = text.index(" ", start)
    return text[:space] + "\u2028" + text[space + 1 :]


def write_yaml_rows(directory: Path) -> dict[str, Path]:
    """The 1 MB commented plan and the same with one U+2028, as files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    plan = commented_plan()
    separated = with_line_separator(plan)
    written = {}
    for name, text in (("commented", plan), ("separator", separated)):
        path = directory / f"{name}.yaml"
        path.write_bytes(text.encode("utf-8"))
        written[name] = path
    return written


def write(directory: Path) -> dict[str, Path]:
    """Each shape, and each shape broken at its end, as files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    every = {**shapes()}
    every.update({f"{name}, broken at its end": broken(text) for name, text in list(every.items())})
    for number, (name, text) in enumerate(every.items()):
        raw = text.encode("utf-8")
        assert len(raw) <= MAX_BYTES, (name, len(raw))
        path = directory / f"shape-{number}.yaml"
        path.write_bytes(raw)
        written[name] = path
    return written


if __name__ == "__main__":
    for name, path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "worst")).items():
        print(f"{path}: {name} ({path.stat().st_size:,} bytes)")
