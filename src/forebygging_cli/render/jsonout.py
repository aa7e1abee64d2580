"""JSON output: an array of measure records (see records.py)."""

from __future__ import annotations

import json
from typing import Any

from ..query import Selection
from .records import measure_record


def render(selection: Selection, **_options: Any) -> str:
    return json.dumps([measure_record(m) for m in selection.matches], ensure_ascii=False, indent=2) + "\n"


def dump(value: Any) -> str:
    """Any JSON document as every command writes it: UTF-8 text, indented, one newline at the end."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
