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
from .yamlerrors import (MAX_DEPTH, MAX_VALUES, EventChecks, alias_error, check_anchor, check_text, clamp,
                         control_character_error, duplicate_key, first_content, key_not_text, merge_error, no_document,
                         null_document, put_back, stand_ins, syntax_error, tag_error, too_deep, too_many_values)

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
    return _load(text)[0]


def _load(text: str) -> tuple[Any, dict[str, str]]:
    """The round-trip tree of a text read with stand-ins for NEL, U+2028 and U+2029, and the table that
    turns the stand-ins back (yamlerrors.stand_ins)."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    check_text(text)
    source, back = stand_ins(text)
    yaml = roundtrip_yaml()
    yaml.Resolver = _plan_resolver()  # every plain scalar read by resolve_plain, as the fast engine reads it
    yaml.plan_text = text  # for the composer's EventChecks
    yaml.stand_ins = back
    try:
        return yaml.load(source), back
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
        if (exc.problem or "").startswith("value-unreadable "):
            raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(
                problem=exc.problem.split(" ", 1)[1]), line, column) from None
        if type(exc).__name__ == "MaxDepthExceededError":
            raise too_deep(line, column) from None
        opened = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
        raise syntax_error(exc.problem or exc.context or "invalid YAML", exc.context if exc.problem else None,
                           line, column, text, opened) from None
    except YAMLError:  # reader errors: control characters and the like
        raise control_character_error(text) from None
    except RecursionError:
        raise too_deep(1, 1) from None
    except (NotImplementedError, AssertionError) as exc:
        # ruamel's own limits (comments it cannot place, docs/yaml.md); never a plan file's
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(
            problem=message)) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # a value ruamel cannot construct (`_` read as a number); plain plan files never get here
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise PlanFileError("yaml-syntax", _("YAML value that cannot be read: {problem}").format(
            problem=message)) from None


def parse_roundtrip(text: str) -> tuple[Any, Positions, Positions]:
    root, back = _load(text)
    if root is None:
        content = first_content(text)
        if content is not None:
            raise null_document(*content)
        raise no_document()
    positions: Positions = {}
    key_positions: Positions = {}
    data = _plain(root, (), positions, key_positions, text.split("\n"), back)
    # ruamel keeps no position for a scalar; a document that is one scalar starts at its first content
    positions.setdefault((), _start(root) if hasattr(root, "lc") else (first_content(text) or (1, 1)))
    return data, positions, key_positions


@functools.cache
def _plan_composer() -> Any:
    """A ruamel Composer that refuses aliases, explicit tags and merge keys at
    their position, and stops after MAX_VALUES values. Refusing aliases while
    composing means an alias bomb ("billion laughs") is never expanded."""
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent, ScalarEvent
    from ruamel.yaml.nodes import MappingNode

    class PlanComposer(Composer):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            checks = getattr(self, "checks", None)
            if checks is None:
                # what the fast engine checks on its events, when a text is read (load_roundtrip); a tree that a
                # test loads to edit and dump again (roundtrip_yaml().load) skips them
                checks = self.checks = EventChecks(getattr(self.loader, "plan_text", None) or "")
            if self.parser.check_event(AliasEvent):
                raise ComposerError(None, None, "yaml-alias", self.parser.peek_event().start_mark)
            event = self.parser.peek_event()
            start = event.start_mark
            where = (start.line + 1, start.column + 1)
            if getattr(event, "tag", None) is not None:
                raise ComposerError(None, None, "yaml-tag", start)
            if getattr(event, "anchor", None) is not None and checks.text:
                check_anchor(checks.text, event.anchor, start.index, *where)
            if isinstance(event, ScalarEvent) and event.value == "<<" and event.style is None:
                raise ComposerError(None, None, "yaml-merge", start)
            self.values = getattr(self, "values", 0) + 1
            if self.values > MAX_VALUES:
                raise ComposerError(None, None, "too-many-values", start)
            is_key = isinstance(parent, MappingNode) and index is None
            if isinstance(event, ScalarEvent):
                end = event.end_mark
                checks.scalar(event.value, event.style, (start.index, start.line, start.column),
                              (end.index, end.line, end.column))
                if is_key and not event.style:
                    key = _plain_value(event.value, start)
                    if not isinstance(key, str):
                        raise key_not_text(key, *where)
                return super().compose_node(parent, index)
            if is_key:
                raise key_not_text({}, *where)
            checks.start(start.index, start.line, start.column, bool(event.flow_style))
            self.containers = getattr(self, "containers", 0) + 1  # mappings and lists, as the fast engine counts
            if self.containers > MAX_DEPTH:
                raise ComposerError(None, None, "nesting-too-deep", start)
            try:
                node = super().compose_node(parent, index)
            finally:
                self.containers -= 1
            end = node.end_mark
            checks.end(end.index - 1, end.line, end.column - 1, end.index)
            return node

    return PlanComposer


#: the tag the round-trip engine gives every plain scalar, so that resolve_plain reads it as the fast engine does
_PLAIN = "tag:forebygging,2024:plain"


def _plain_value(value: str, mark: Any) -> Any:
    """A plain scalar read as the fast engine reads it (parse.resolve_plain: the YAML 1.2 core schema)."""
    from ruamel.yaml.constructor import ConstructorError

    from .parse import resolve_plain  # parse imports this module; by the time a text is read both are loaded

    try:
        return resolve_plain(value)
    except ValueError as exc:
        raise ConstructorError(None, None, f"value-unreadable {exc}", mark) from None


@functools.cache
def _plan_resolver() -> Any:
    """A resolver that leaves every plain scalar to resolve_plain (see _plan_constructor)."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    plain = Tag(suffix=_PLAIN)

    class PlanResolver(VersionedResolver):  # type: ignore[misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return plain
            return super().resolve(kind, value, implicit)

    return PlanResolver


@functools.cache
def _plan_constructor() -> Any:
    """Plain scalars read by resolve_plain, as in the fast engine: the YAML 1.2 core schema, and dates
    stay text (2024-06-12 -> "2024-06-12"), so that the schema checks their form and an impossible date
    such as 2024-02-30 is a finding, not a crash."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class PlanConstructor(RoundTripConstructor):  # type: ignore[misc]
        pass

    PlanConstructor.add_constructor("tag:yaml.org,2002:timestamp", PlanConstructor.construct_yaml_str)
    PlanConstructor.add_constructor(_PLAIN, lambda self, node: _plain_value(node.value, node.start_mark))
    return PlanConstructor


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)


_NULL_WORD = re.compile(r"(?:null|Null|NULL|~)(?![\w-])")


def _plain(node: Any, path: DataPath, positions: Positions, key_positions: Positions, lines: list[str],
           back: dict[str, str]) -> Any:
    """ruamel's round-trip objects -> plain dicts/lists/str, recording positions."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            line, col = node.lc.key(key)
            if not isinstance(key, str):
                raise key_not_text(key, line + 1, col + 1)
            name = put_back(key, back) if back else key
            child = path + (name,)
            vl, vc = node.lc.value(key)
            key_positions[child] = (line + 1, col + 1)
            positions[child] = (vl + 1, vc + 1)
            if node[key] is None and not (vl < len(lines) and _NULL_WORD.match(lines[vl], vc)):
                positions[child] = (line + 1, col + 1)  # an empty value stands at its key (as in _parse_events)
            result[name] = _plain(node[key], child, positions, key_positions, lines, back)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            child = path + (index,)
            il, ic = node.lc.item(index)
            positions[child] = (il + 1, ic + 1)
            items.append(_plain(item, child, positions, key_positions, lines, back))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return put_back(str(node), back) if back else str(node)
