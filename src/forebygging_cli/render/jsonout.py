"""JSON output: an array of measure records (see records.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..query import Match
from .records import measure_record


def render(matches: Sequence[Match]) -> str:
    return json.dumps([measure_record(m) for m in matches], ensure_ascii=False, indent=2)
