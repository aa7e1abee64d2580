"""Goals and sub-goals: a list under a goals heading (Mål, Hovudmål: items are
goals, items under them sub-goals), or a goals table (Hovedmål | Delmål |
Strategier). Pure: they add to a list of the plan file's goal entries."""

from __future__ import annotations

import re
from typing import Any

from ..vocab import fold, slug
from . import words
from .document import Paragraph, Table


def add_item(goals: list[dict[str, Any]], block: Paragraph) -> None:
    """A list item under a goals heading: a goal, or a sub-goal of the goal above it."""
    if block.list_level == 0 or not goals:
        goals.append({"id": _goal_id(goals, block.text), "title": block.text, "source": block.place.reference()})
    else:
        goals[-1].setdefault("sub_goals", []).append({"title": block.text})


def _goal_id(goals: list[dict[str, Any]], title: str) -> str:
    full = slug(title)
    base = (full[:60].rsplit("-", 1)[0] if len(full) > 60 and "-" in full[:60] else full[:60]) or "mal"
    taken = {goal["id"] for goal in goals}
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def add_table(goals: list[dict[str, Any]], table: Table, header: int) -> None:
    """A goals table: the goal in its first column (written once, or merged down), numbered sub-goals, and the
    strategies of each."""
    roles = {}
    for cell in table.rows[header].cells:
        folded = fold(cell.text)
        if any(folded.startswith(w) for w in words.SUB_GOAL_WORDS):
            roles[cell.column] = "sub_goal"
        elif any(folded.startswith(w) for w in words.STRATEGY_WORDS):
            roles[cell.column] = "strategies"
        elif cell.column == table.rows[header].cells[0].column:
            roles[cell.column] = "goal"
    goal: dict[str, Any] | None = None
    for row in table.rows[header + 1:]:
        if row.empty:
            continue
        by_role = {roles.get(cell.column): cell for cell in row.cells if roles.get(cell.column)}
        title_cell = by_role.get("goal")
        if title_cell is not None and title_cell.text and (goal is None or goal["title"] != title_cell.text):
            goal = {"id": _goal_id(goals, title_cell.text), "title": title_cell.text,
                    "source": row.place.reference()}
            goals.append(goal)
        if goal is None:
            continue
        sub = by_role.get("sub_goal")
        strategies = by_role.get("strategies")
        if sub is not None and sub.text:
            match = re.match(r"^(\d{1,2})\.\s*(.+)$", sub.text)
            entry: dict[str, Any] = {"number": int(match.group(1)), "title": match.group(2)} if match \
                else {"title": sub.text}
            if strategies is not None and strategies.paragraphs:
                entry["strategies"] = list(strategies.paragraphs)
            goal.setdefault("sub_goals", []).append(entry)
        elif strategies is not None and strategies.paragraphs:
            goal.setdefault("strategies", []).extend(strategies.paragraphs)
