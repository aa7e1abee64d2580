"""Pairs the measures `forebygging import` makes of a source text with the
curated plan's, field by field (tests/test_import.py; also run by hand:
python tests/import_pairing.py prints the figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forebygging_cli.vocab import fold


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass
class Pairing:
    curated: list[dict[str, Any]]
    imported: list[dict[str, Any]]
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    rows_found: int = 0
    invented: list[dict[str, Any]] = field(default_factory=list)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def figures(self) -> dict[str, tuple[int, int]]:
        return {key: (sum(1 for ok in values if ok), len(values)) for key, values in self._checks.items()}


def pair(curated_plan: dict[str, Any], imported_plan: dict[str, Any]) -> tuple[Pairing, dict[str, tuple[int, int]]]:
    """Pair by name (a curated measure and an imported one with the same name and the nearest source line)."""
    curated = curated_plan["measures"]
    imported = imported_plan["measures"]
    result = Pairing(curated, imported)
    used: set[int] = set()
    for measure in curated:
        line = measure.get("source", {}).get("line", 0)
        candidates = [(abs(m.get("source", {}).get("line", 0) - line), i) for i, m in enumerate(imported)
                      if i not in used and squash(m["name"]) == squash(measure["name"])]
        if candidates:
            _distance, index = min(candidates)
            used.add(index)
            result.pairs.append((measure, imported[index]))
    curated_lines = {m.get("source", {}).get("line") for m in curated}
    imported_lines = [m.get("source", {}).get("line") for m in imported]
    result.rows_found = sum(1 for line in curated_lines if line in imported_lines)
    result.invented = [m for m in imported if m.get("source", {}).get("line") not in curated_lines]
    checks: dict[str, list[bool]] = {"found by name": [True] * len(result.pairs) + [False] * (len(curated) - len(result.pairs)),
                                     "rows found": [True] * result.rows_found + [False] * (len(curated_lines) - result.rows_found)}
    names = _unit_names(curated_plan)
    imported_units = {u["id"]: u for u in imported_plan["units"]}
    for name in ("level", "target text", "responsible units", "requires decision"):
        checks[name] = []
        result.misses[name] = []
    for want, got in result.pairs:
        label = f"{want['source'].get('line')} {want['name']}"
        ok = got["level"] == want["level"]
        checks["level"].append(ok)
        if not ok:
            result.misses["level"].append(f"{label}: {got['level']} (curated {want['level']})")
        ok = squash(got["target"].get("text")) == squash(want["target"].get("text"))
        checks["target text"].append(ok)
        if not ok:
            result.misses["target text"].append(f"{label}: {got['target'].get('text')!r} (curated "
                                                f"{want['target'].get('text')!r})")
        matched = []
        for unit_id in got["responsible"]:
            unit = imported_units[unit_id]
            hits = {cid for n in [unit["name"], *unit.get("aliases", [])] for cid in names.get(fold(n), ())}
            matched.append(hits & set(want["responsible"]) or hits or {None})
        covered = set().union(*matched) if matched else set()
        ok = bool(got["responsible"]) and covered == set(want["responsible"]) and all(
            m & set(want["responsible"]) for m in matched)
        checks["responsible units"].append(ok)
        if not ok:
            result.misses["responsible units"].append(
                f"{label}: {[imported_units[u]['name'] for u in got['responsible']]} (curated {want['responsible']})")
        if "requires_decision" in want or "requires_decision" in got:
            ok = got.get("requires_decision") == want.get("requires_decision")
            checks["requires decision"].append(ok)
            if not ok:
                result.misses["requires decision"].append(f"{label}: {got.get('requires_decision')} (curated "
                                                          f"{want.get('requires_decision')})")
    result._checks = checks  # type: ignore[attr-defined]
    return result, result.figures()


def _unit_names(plan: dict[str, Any]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for unit in plan["units"]:
        for name in [unit["name"], *unit.get("aliases", [])]:
            names.setdefault(fold(name), set()).add(unit["id"])
    return names


def report(figures: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{key} {found}/{total} ({100 * found / max(total, 1):.0f} %)"
                     for key, (found, total) in figures.items())


if __name__ == "__main__":  # pragma: no cover - the figures by hand
    import sys
    from pathlib import Path

    import yaml

    from forebygging_cli.importers.pasted import read_text
    from forebygging_cli.importers.recognise import recognise

    root = Path(__file__).resolve().parents[1]
    seeds = root.parent / "shared" / "seeds"
    for stem, seed in (("lier", "000_6a83cdd4ae52f5ea.txt"), ("os", "003_91e0c4bd26946678.txt")):
        draft = recognise(read_text((seeds / seed).read_text(encoding="utf-8"), seed))
        curated = yaml.safe_load((root / "plans" / f"{stem}.yaml").read_text(encoding="utf-8"))
        result, figures = pair(curated, draft.data)
        print(stem, report(figures), "invented", len(result.invented))
        if "-v" in sys.argv:
            for key, misses in result.misses.items():
                for miss in misses:
                    print("   ", key, "|", miss)
