"""`query --format json`: an array of measure records (see records.py)."""

from __future__ import annotations

from typing import Any

from ..query import Selection
from .jsondump import dump
from .records import measure_record


def render(selection: Selection, **_options: Any) -> str:
    return dump([measure_record(m) for m in selection.matches])
