"""`diff --format json`: one document per run, English keys and values, a
human `message` per change in the run's language.

    {"version": 1,
     "plans": [{"old": "HEAD~1:plans/lier.yaml", "new": "plans/lier.yaml",
                "summary": {"changes", "major", "minor", "by_kind": {"measure-added": 1, ...}, "text"},
                "changes": [{"kind": "added|removed|changed|renamed", "change": "measure-added",
                             "subject": "measure", "id", "name", "field", "part", "old", "new",
                             "severity": "major|minor", "message"}]}],
     "summary": {"plans", "changes", "major", "minor"}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diff import PlanDiff
from .diff_words import describe, summary
from .jsondump import dump

VERSION = 1


def plan_document(diff: PlanDiff) -> dict[str, Any]:
    by_kind: dict[str, int] = {}
    for change in diff.changes:
        by_kind[change.kind] = by_kind.get(change.kind, 0) + 1
    return {
        "old": diff.old_name,
        "new": diff.new_name,
        "summary": {"changes": len(diff.changes), "major": diff.major, "minor": diff.minor, "by_kind": by_kind,
                    "text": summary(diff)},
        "changes": [{
            "kind": c.spec.kind,
            "change": c.kind,
            "subject": c.spec.subject,
            "id": c.id,
            "name": c.name,
            "field": c.field,
            "old": c.old,
            "new": c.new,
            "severity": c.severity,
            "part": c.part,
            "message": describe(diff, c),
        } for c in diff.changes],
    }


def render(diffs: Sequence[PlanDiff], **_options: Any) -> str:
    return dump({
        "version": VERSION,
        "plans": [plan_document(d) for d in diffs],
        "summary": {"plans": len(diffs), "changes": sum(len(d.changes) for d in diffs),
                    "major": sum(d.major for d in diffs), "minor": sum(d.minor for d in diffs)},
    })
