"""The round-trip YAML engine: ruamel.yaml's loader, which keeps comments and
layout (`fmt` edits through it), and its tree as plain data with positions.
It refuses what plan files never need exactly as the fast engine in parse.py
does, with the same findings (yamlerrors.py)."""

from __future__ import annotations

import functools
import re
from typing import Any

from .files import PlanFileError
from .i18n import _
from .yamlerrors import (MAX_DEPTH, MAX_VALUES, alias_error, clamp, control_character_error, duplicate_key, key_not_text, merge_error,
                         no_document, null_document, syntax_error, tag_error, too_deep, too_many_values)

DataPath = tuple[Any, ...]
Positions = dict[DataPath, tuple[int, int]]


def roundtrip_yaml() -> Any:
    """A ruamel.yaml round-trip loader that refuses, at their position, what
    plan files never need (aliases, tags, merge keys, duplicate keys) and keeps
    dates as text."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _plan_composer()
    yaml.Constructor = _plan_constructor()
    yaml.allow_duplicate_keys = False
    # the composer counts nesting as the fast engine does (containers; see _plan_composer); ruamel's own
    # limit, which also counts keys, only stands guard against recursion
    yaml.max_depth = 2 * MAX_DEPTH + 2
    return yaml


def load_roundtrip(text: str) -> Any:
    """The ruamel.yaml round-trip tree of a text (comments and layout kept).
    Raises PlanFileError."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return roundtrip_yaml().load(text)
    except DuplicateKeyError as exc:
        problem = exc.problem or ""
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        mark = exc.problem_mark
        raise duplicate_key(key, mark.line + 1, mark.column + 1) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        special = {"yaml-alias": alias_error, "yaml-tag": tag_error, "yaml-merge": merge_error,
                   "too-many-values": too_many_values, "nesting-too-deep": too_deep}.get((exc.problem or "").strip())
        if special is not None:
            raise special(line, column) from None
        if type(exc).__name__ == "MaxDepthExceededError":
            raise too_deep(line, column) from None
        opened = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
        raise syntax_error(exc.problem or exc.context or "invalid YAML", exc.context if exc.problem else None,
                           line, column, text, opened) from None
    except YAMLError:  # reader errors: control characters and the like
        raise control_character_error(text) from None
    except RecursionError:
        raise too_deep(1, 1) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # a value ruamel cannot construct (`_` read as a number); plain plan files never get here
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(problem=message)) from None


def parse_roundtrip(text: str) -> tuple[Any, Positions, Positions]:
    root = load_roundtrip(text)
    if root is None:
        content = _first_content(text)
        if content is not None:
            raise null_document(*content)
        raise no_document()
    positions: Positions = {}
    key_positions: Positions = {}
    data = _plain(root, (), positions, key_positions, text.splitlines())
    # ruamel keeps no position for a scalar; a document that is one scalar starts at its first content
    positions.setdefault((), _start(root) if hasattr(root, "lc") else (_first_content(text) or (1, 1)))
    return data, positions, key_positions


def _first_content(text: str) -> tuple[int, int] | None:
    """Where the first value of a document stands: the first character that is
    not white space, a comment, a directive or a document marker."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped in ("---", "..."):
            continue
        column = len(line) - len(line.lstrip())
        if stripped.startswith("--- "):
            column += 4 + len(stripped[4:]) - len(stripped[4:].lstrip())
        return number, column + 1
    return None


@functools.cache
def _plan_composer() -> Any:
    """A ruamel Composer that refuses aliases, explicit tags and merge keys at
    their position, and stops after MAX_VALUES values. Refusing aliases while
    composing means an alias bomb ("billion laughs") is never expanded."""
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent

    class PlanComposer(Composer):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                raise ComposerError(None, None, "yaml-alias", self.parser.peek_event().start_mark)
            event = self.parser.peek_event()
            if getattr(event, "tag", None) is not None:
                raise ComposerError(None, None, "yaml-tag", event.start_mark)
            if isinstance(event, ScalarEvent) and event.value == "<<" and event.style is None:
                raise ComposerError(None, None, "yaml-merge", event.start_mark)
            self.values = getattr(self, "values", 0) + 1
            if self.values > MAX_VALUES:
                raise ComposerError(None, None, "too-many-values", event.start_mark)
            if not isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                return super().compose_node(parent, index)
            self.containers = getattr(self, "containers", 0) + 1  # mappings and lists, as the fast engine counts
            if self.containers > MAX_DEPTH:
                raise ComposerError(None, None, "nesting-too-deep", event.start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self.containers -= 1

    return PlanComposer


@functools.cache
def _plan_constructor() -> Any:
    """Dates stay text (2024-06-12 -> "2024-06-12"), so that the schema checks
    their form and an impossible date such as 2024-02-30 is a finding, not a crash."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class PlanConstructor(RoundTripConstructor):  # type: ignore[misc]
        pass

    PlanConstructor.add_constructor("tag:yaml.org,2002:timestamp", PlanConstructor.construct_yaml_str)
    return PlanConstructor


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)


_NULL_WORD = re.compile(r"(?:null|Null|NULL|~)(?![\w-])")


def _plain(node: Any, path: DataPath, positions: Positions, key_positions: Positions, lines: list[str]) -> Any:
    """ruamel's round-trip objects -> plain dicts/lists/str, recording positions."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            line, col = node.lc.key(key)
            if not isinstance(key, str):
                raise key_not_text(key, line + 1, col + 1)
            child = path + (key,)
            vl, vc = node.lc.value(key)
            key_positions[child] = (line + 1, col + 1)
            positions[child] = (vl + 1, vc + 1)
            if node[key] is None and not (vl < len(lines) and _NULL_WORD.match(lines[vl], vc)):
                positions[child] = (line + 1, col + 1)  # an empty value stands at its key (as in _parse_events)
            result[key] = _plain(node[key], child, positions, key_positions, lines)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            child = path + (index,)
            il, ic = node.lc.item(index)
            positions[child] = (il + 1, ic + 1)
            items.append(_plain(item, child, positions, key_positions, lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)
