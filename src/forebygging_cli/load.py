"""Reading plan files: bytes -> YAML document with source positions -> Plan.

The only module that reads plan files. Two steps, so validation can sit
between them:

* `read_document(path)` parses a file with ruamel.yaml's round-trip loader and
  returns a `Document`: plain JSON-like data plus the line and column of every
  key and value. Problems with the file itself (not UTF-8, binary, YAML syntax,
  duplicate keys, aliases, nesting too deep) raise `PlanFileError` with a
  position; a file that cannot be opened raises `UnreadableFile`.
* `build_plan(document)` turns a schema-valid document into a typed `Plan`.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import ages
from .model import (
    Adoption,
    Arena,
    Contact,
    Coordinator,
    DataPath,
    Definition,
    FactorDomain,
    Goal,
    Measure,
    Passage,
    Plan,
    Source,
    SubGoal,
    Target,
    Unit,
    WorkModel,
    nearest_position,
)

#: Plan files are tens of kilobytes (Lier: 90 KB); anything over 1 MB is not a plan,
#: and refusing it unread keeps time and memory bounded.
MAX_BYTES = 1024 * 1024
#: Plans nest about six levels deep.
MAX_DEPTH = 64
#: Lier's plan holds about 2,000 values; parsing stops at ten times that, so a
#: small file packed with values cannot keep the parser busy for a minute.
MAX_VALUES = 20_000


class UnreadableFile(Exception):
    """The file could not be opened or read at all (missing, permissions, a loop)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PlanFileError(Exception):
    """The file was read but is not a YAML document a plan can be built from."""

    def __init__(self, kind: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Document:
    """A parsed plan file: plain data and where each value stands (1-based)."""

    path: str
    data: Any
    positions: Mapping[DataPath, tuple[int, int]] = field(repr=False)
    key_positions: Mapping[DataPath, tuple[int, int]] = field(repr=False)

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def position(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (of its key with key=True).

        Falls back to the nearest enclosing value, so every finding has a line.
        """
        if key and path in self.key_positions:
            return self.key_positions[path]
        return nearest_position(self.positions, path)


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read and parse one plan file. Raises UnreadableFile or PlanFileError."""
    shown = str(path)
    raw = _read_bytes(shown)
    text = _decode(raw)
    return parse_text(text, shown)


def parse_text(text: str, shown: str = "<string>") -> Document:
    """Parse YAML text into a Document (positions included)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _plan_composer()
    yaml.Constructor = _plan_constructor()
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PlanFileError(*_describe_yaml_error(exc), line, column) from None
    except YAMLError as exc:  # reader errors: control characters and the like
        offset = getattr(exc, "position", None)
        line, column = _line_column(text, offset) if isinstance(offset, int) else (1, 1)
        character = getattr(exc, "character", None)
        what = f"the control character U+{character:04X}" if isinstance(character, int) else "a character"
        raise PlanFileError("yaml-syntax", f"{what} is not allowed in YAML text; remove it", line, column) from None
    except RecursionError:
        raise PlanFileError("nesting-too-deep", f"the YAML nests too deeply (more than {MAX_DEPTH} levels)") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # a value ruamel cannot construct; plain plan files never get here
        raise PlanFileError("yaml-syntax", f"YAML value that cannot be read: {_first_line(str(exc))}") from None
    if root is None:
        raise PlanFileError("empty-file", "the file holds no YAML document (only blank lines or comments)")
    positions: dict[DataPath, tuple[int, int]] = {}
    key_positions: dict[DataPath, tuple[int, int]] = {}
    data = _plain(root, (), positions, key_positions)
    positions.setdefault((), _start(root))
    return Document(shown, data, MappingProxyType(positions), MappingProxyType(key_positions))


def _read_bytes(shown: str) -> bytes:
    try:
        info = os.stat(shown)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(shown, "is a directory, not a plan file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(shown, "is not a regular file (a device, pipe or socket)")
        with open(shown, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # bounded: never more than the limit
    except FileNotFoundError:
        raise UnreadableFile(shown, "no such file") from None
    except PermissionError:
        raise UnreadableFile(shown, "permission denied: the file cannot be read (check its permissions)") from None
    except OSError as exc:  # a symlink loop, an I/O error
        raise UnreadableFile(shown, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        size = max(info.st_size, len(raw))
        raise PlanFileError(
            "file-too-large",
            f"the file is {size / 1024 / 1024:.1f} MB; a plan file is at most {MAX_BYTES // 1024 // 1024} MB."
            " Is this the right file?",
        )
    return raw


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise PlanFileError("empty-file", "the file is empty; a plan file starts with `schema_version: 1`")
    if b"\x00" in raw[:8192]:
        raise PlanFileError("binary-file", "this is a binary file, not a YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise PlanFileError(
            "not-utf8",
            f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
            " (plans are written in Norwegian, and æ, ø and å must be UTF-8)",
            line,
            column,
        ) from None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@functools.cache
def _plan_composer() -> Any:
    """A ruamel Composer that refuses what plans never need, at its position:
    aliases (*name), explicit tags (!!int, !foo) and merge keys (<<).

    Refusing aliases while composing means an alias bomb ("billion laughs") is
    never expanded; refusing tags and merges keeps every value plain data with
    a position of its own.
    """
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent, ScalarEvent

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
            return super().compose_node(parent, index)

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


def _describe_yaml_error(exc: Any) -> tuple[str, str]:
    from ruamel.yaml.constructor import DuplicateKeyError

    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if isinstance(exc, DuplicateKeyError):
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        return "duplicate-key", f"the key `{key}` appears twice in the same mapping; keep one"
    if problem == "yaml-alias":
        return "yaml-alias", "an alias (*name) repeats another part of the file; write the value out in full instead"
    if problem == "yaml-tag":
        return "yaml-syntax", "an explicit YAML tag (such as !!int or !foo) is not used in plan files; write the plain value"
    if problem == "too-many-values":
        return "file-too-large", (f"the file holds more than {MAX_VALUES:,} values (a plan holds about 2,000); "
                                  "is this the right file?")
    if problem == "yaml-merge":
        return "yaml-syntax", "a merge key (<<) is not used in plan files; write the fields out in full"
    if type(exc).__name__ == "MaxDepthExceededError":
        return "nesting-too-deep", f"the YAML nests more than {MAX_DEPTH} levels deep; plans nest about six"
    if "'\\t'" in problem or "\\t" in problem:
        return "yaml-syntax", "a tab character is used for indentation; YAML indents with spaces only"
    context = f" {exc.context.strip()}" if exc.context else ""
    return "yaml-syntax", f"YAML syntax error: {problem}{context}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)


def _plain(
    node: Any,
    path: DataPath,
    positions: dict[DataPath, tuple[int, int]],
    key_positions: dict[DataPath, tuple[int, int]],
) -> Any:
    """ruamel's round-trip objects -> plain dicts/lists/str, recording positions."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            if not isinstance(key, str):
                line, col = node.lc.key(key)
                raise PlanFileError(
                    "yaml-syntax",
                    f"the key {key!r} is not text; keys in a plan file are words such as `name`",
                    line + 1,
                    col + 1,
                )
            child = path + (key,)
            kl, kc = node.lc.key(key)
            vl, vc = node.lc.value(key)
            key_positions[child] = (kl + 1, kc + 1)
            positions[child] = (vl + 1, vc + 1)
            result[key] = _plain(node[key], child, positions, key_positions)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            child = path + (index,)
            il, ic = node.lc.item(index)
            positions[child] = (il + 1, ic + 1)
            items.append(_plain(item, child, positions, key_positions))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


# ---------------------------------------------------------------------------
# Document -> Plan


def build_plan(document: Document) -> Plan:
    """A typed Plan from a document that passed schema validation."""
    data = document.data
    plan_meta = data["plan"]
    measures = tuple(_measure(m, i) for i, m in enumerate(data.get("measures", [])))
    adopted = plan_meta.get("adopted")
    period = plan_meta.get("period")
    org = data.get("organisation", {})
    knowledge = data.get("knowledge_base", {})
    return Plan(
        stem=document.stem,
        path=document.path,
        municipality=data["municipality"]["name"],
        title=plan_meta["title"],
        subtitle=plan_meta.get("subtitle"),
        source_file=plan_meta["source"]["file"],
        adopted=Adoption(
            by=adopted["by"],
            date=adopted.get("date"),
            case_number=adopted.get("case_number"),
            text=adopted.get("text"),
        )
        if adopted
        else None,
        period=(period["from"], period["to"]) if period else None,
        legal_basis=tuple(plan_meta.get("legal_basis", ())),
        purpose=tuple(plan_meta.get("purpose", ())),
        follow_up=plan_meta.get("follow_up"),
        level_labels=MappingProxyType({k: v["label"] for k, v in data.get("levels", {}).items()}),
        units=tuple(
            Unit(
                id=u["id"],
                name=u["name"],
                service=u["service"],
                aliases=tuple(u.get("aliases", ())),
                part_of=u.get("part_of"),
                external=u.get("external", False),
                description=u.get("description"),
                derived=frozenset(u.get("derived", ())),
                encoder_note=u.get("encoder_note"),
            )
            for u in data.get("units", [])
        ),
        measures=measures,
        definitions=tuple(Definition(d["term"], d["text"]) for d in data.get("definitions", [])),
        principles=tuple(map(_passage, data.get("principles", ()))),
        goals=tuple(
            Goal(
                id=g["id"],
                title=g["title"],
                description=g.get("description"),
                sub_goals=tuple(
                    SubGoal(s["title"], s.get("number"), tuple(s.get("strategies", ())))
                    for s in g.get("sub_goals", [])
                ),
                strategies=tuple(g.get("strategies", ())),
                passages=tuple(map(_passage, g.get("passages", ()))),
            )
            for g in data.get("goals", [])
        ),
        risk_and_protective_factors=tuple(
            FactorDomain(f["domain"], tuple(f.get("protective", ())), tuple(f.get("risk", ())))
            for f in knowledge.get("risk_and_protective_factors", [])
        ),
        relevant_services=tuple(org.get("relevant_services", ())),
        arenas=tuple(_arena(a) for a in data.get("collaboration", [])),
        coordinators=tuple(
            Coordinator(c["id"], c["name"], c["role"], c.get("appointed_by"), c.get("unit"), c.get("status"))
            for c in data.get("coordinators", [])
        ),
        escalation=data.get("escalation", {}).get("text"),
        models=tuple(
            WorkModel(
                id=m["id"],
                name=m["name"],
                description=m.get("description"),
                components=tuple((c["name"], c.get("description")) for c in m.get("components", [])),
                units=tuple(m.get("units", ())),
            )
            for m in data.get("models", [])
        ),
        sources=tuple(Source(s["title"], s.get("url")) for s in data.get("sources", [])),
        ignored_rules=MappingProxyType(
            {i["rule"]: i["reason"] for i in data.get("validation", {}).get("ignore", [])}
        ),
        positions=document.positions,
    )


def _measure(m: Mapping[str, Any], index: int) -> Measure:
    target = m["target"]
    stated_ages = target.get("ages")
    age_range = None
    until = None
    if stated_ages:
        until = stated_ages.get("until")
        high = until - 1 if until is not None else stated_ages.get("to", stated_ages["from"])
        age_range = (stated_ages["from"], high)
    grades = (target["grades"]["from"], target["grades"]["to"]) if "grades" in target else None
    stages = tuple(target.get("stages", ()))
    source = m.get("source", {})
    return Measure(
        id=m["id"],
        name=m["name"],
        level=m["level"],
        description=m["description"],
        target=Target(
            audience=tuple(target["audience"]),
            span=ages.compute(age_range, grades, stages),
            text=target.get("text"),
            ages=age_range,
            ages_until=until,
            grades=grades,
            stages=stages,
        ),
        responsible=tuple(m["responsible"]),
        index=index,
        group=m.get("group"),
        responsible_text=m.get("responsible_text"),
        requires_decision=m.get("requires_decision"),
        contacts=tuple(Contact(**c) for c in m.get("contacts", ())),
        staffing=m.get("staffing"),
        source_section=source.get("section"),
        source_line=source.get("line"),
        derived=frozenset(m.get("derived", ())),
        encoder_note=m.get("encoder_note"),
    )


def _passage(p: Mapping[str, Any]) -> Passage:
    source = p.get("source", {})
    return Passage(p["text"], p.get("title"), source.get("section"), source.get("line"))


def _arena(a: Mapping[str, Any]) -> Arena:
    meets = a.get("meets", {})
    return Arena(
        id=a["id"],
        name=a["name"],
        status=a["status"],
        kind=a.get("kind"),
        purpose=a.get("purpose"),
        target_group=a.get("target_group"),
        members=tuple(a.get("members", ())),
        members_as_needed=tuple(a.get("members_as_needed", ())),
        units=tuple(a.get("units", ())),
        led_by=a.get("led_by"),
        reports_to=a.get("reports_to"),
        meets=meets.get("text"),
        meets_per_year=meets.get("per_year"),
        tasks=a.get("tasks"),
        description=a.get("description"),
    )
