"""Which tables of a document are measures tables (and their columns by their
header words), goals tables, tables of contents, or something else. Pure."""

from __future__ import annotations

import re
from typing import Any

from ..i18n import N_
from ..vocab import fold
from . import words
from .document import Table

_CONTENTS_ROW = re.compile(r"(?i)^(?:s\.?\s*)?\d{1,3}$")


def classify(table: Table) -> tuple[str, int, Any]:
    """("measures", header row, column roles), ("goals", header row, None), ("contents", 0, None) or
    ("other", 0, reason)."""
    for index, row in enumerate(table.rows[:3]):
        if row.empty:
            continue
        texts = [cell.text for cell in row.cells]
        first = fold(texts[0]) if texts else ""
        rest = [fold(t) for t in texts[1:]]
        if re.match(r"(?:hovedmal|hovudmal|mal)\b", first) and any(t.startswith(("delmal", "strategi"))
                                                                   for t in rest):
            return "goals", index, None
        roles: dict[int, str] = {}
        for cell in row.cells:
            role = words.header_role(cell.text) if len(cell.text) <= 60 else None
            if role and role not in roles.values():
                roles[cell.column] = role
        if "name" in roles.values() and set(roles.values()) & words.MEASURE_ROLES:
            return "measures", index, roles
        break
    filled = [row for row in table.rows if not row.empty]
    if filled and all(len([c for c in row.cells if c.text.strip()]) <= 2 for row in filled) and \
            sum(1 for row in filled if _CONTENTS_ROW.match(row.cells[-1].text.strip())) >= max(1, len(filled) // 2):
        return "contents", 0, None
    header = " ".join(fold(c.text) for c in table.rows[0].cells) if table.rows else ""
    if re.search(r"telefon|e-post|epost|kontakt|tlf", header):
        return "other", 0, N_("a table of contacts, not measures")
    return "other", 0, None
