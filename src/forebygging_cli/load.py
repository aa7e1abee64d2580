"""Reading plan files: bytes -> YAML document with source positions -> Plan.

Two steps, so validation can sit between them:

* `read_document(path)` reads a file (`files.py`: at most MAX_BYTES, UTF-8), checks its shape
  (line length, line count) and parses it (`parse.py`) into a `Document`:
  plain JSON-like data plus the line and column of every key and value.
  Problems with the file itself (not UTF-8, binary, too large, YAML syntax,
  duplicate keys, aliases, nesting too deep) raise `PlanFileError` with a
  position; a file that cannot be opened raises `UnreadableFile`.
* `build_plan(document)` turns a schema-valid document into a typed `Plan`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import ages
from .files import MAX_BYTES, PlanFileError, UnreadableFile, decode, read_bytes, too_large  # noqa: F401 - re-exported
from .i18n import _, number
from .parse import MAX_DEPTH, MAX_VALUES, parse  # noqa: F401 - re-exported
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

#: Lier's longest line is about 2,200 characters and the plan has about 1,900
#: lines. Longer lines and more lines are refused before parsing: the YAML
#: parser takes time that grows with the square of a long comment line's length
#: (a 1 MB comment line took 15 s), and a megabyte of blank lines is a million.
MAX_LINE_LENGTH = 10_000
MAX_LINES = 50_000


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
    return parse_text(read_text(shown), shown)


def read_text(path: str | os.PathLike[str]) -> str:
    """A plan file's text: at most MAX_BYTES, UTF-8. Raises UnreadableFile or PlanFileError."""
    return decode(read_bytes(str(path)))


def check_shape(text: str) -> None:
    """Refuse, before parsing, text whose shape no plan has and that is slow to
    parse: very long lines and very many lines. Raises PlanFileError."""
    import re

    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise PlanFileError(
            "file-too-large",
            _("the file has {lines} lines; a plan file has at most {limit} (Lier's plan has about {lier}). Is this "
              "the right file?").format(lines=number(lines), limit=number(MAX_LINES), lier=number(1900)),
            MAX_LINES + 1,
            1,
        )
    long_line = re.search(f"^[^\n]{{{MAX_LINE_LENGTH + 1}}}", text, re.MULTILINE)  # anchored: linear time
    if long_line:
        start = text.rfind("\n", 0, long_line.start()) + 1
        end = text.find("\n", start)
        length = (len(text) if end < 0 else end) - start
        line = text.count("\n", 0, start) + 1
        raise PlanFileError(
            "file-too-large",
            _("line {line} is {length} characters long; a line in a plan file is at most {limit} characters (the "
              "longest in Lier's plan has about {lier}): break long text over several lines with a folded block "
              "(`>-`)").format(line=line, length=number(length), limit=number(MAX_LINE_LENGTH), lier=number(2200)),
            line,
            MAX_LINE_LENGTH + 1,
        )


def document_from_text(text: str | bytes, shown: str = "<stdin>", engine: str = "fast") -> Document:
    """A Document from text that did not come from a file (standard input, git),
    with the same checks as a file: size, encoding and shape."""
    raw = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else text
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw))
    return parse_text(decode(raw), shown, engine)


def parse_text(text: str, shown: str = "<string>", engine: str = "fast") -> Document:
    """Parse YAML text into a Document (positions included). `engine` is
    "fast" (libyaml) or "roundtrip" (ruamel.yaml); both give the same result."""
    check_shape(text)
    data, positions, key_positions = parse(text, engine)
    return Document(shown, data, MappingProxyType(positions), MappingProxyType(key_positions))


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
        language=plan_meta.get("language", "nb"),
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
        definitions=tuple(Definition(d["term"], d["text"], *_source(d)) for d in data.get("definitions", [])),
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
                source_section=_source(g)[0],
                source_line=_source(g)[1],
            )
            for g in data.get("goals", [])
        ),
        risk_and_protective_factors=tuple(
            FactorDomain(f["domain"], tuple(f.get("protective", ())), tuple(f.get("risk", ())))
            for f in knowledge.get("risk_and_protective_factors", [])
        ),
        relevant_services=tuple(org.get("relevant_services", ())),
        organisation=org.get("text"),
        knowledge=knowledge.get("text"),
        arenas=tuple(_arena(a) for a in data.get("collaboration", [])),
        coordinators=tuple(
            Coordinator(c["id"], c["name"], c["role"], c.get("appointed_by"), c.get("unit"), c.get("status"),
                        *_source(c))
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
                source_section=_source(m)[0],
                source_line=_source(m)[1],
            )
            for m in data.get("models", [])
        ),
        sources=tuple(Source(s["title"], s.get("url")) for s in data.get("sources", [])),
        ignored_rules=MappingProxyType(
            {i["rule"]: i["reason"] for i in data.get("validation", {}).get("ignore", [])}
        ),
        motto=data["municipality"].get("motto"),
        partners=tuple(data["municipality"].get("partners", ())),
        related_plans=tuple(plan_meta.get("related_plans", ())),
        source_document=plan_meta["source"].get("document"),
        source_url=plan_meta["source"].get("url"),
        level_headings=MappingProxyType({k: v["heading"] for k, v in data.get("levels", {}).items() if "heading" in v}),
        level_descriptions=MappingProxyType(
            {k: v["description"] for k, v in data.get("levels", {}).items() if "description" in v}),
        escalation_to=data.get("escalation", {}).get("to"),
        section_sources=MappingProxyType({name: _source(data[name]) for name in ("organisation", "knowledge_base",
                                                                                  "escalation") if name in data}),
        positions=document.positions,
    )


def _source(item: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """(section, line) of an item's `source`."""
    source = item.get("source", {})
    return source.get("section"), source.get("line")


def _measure(m: Mapping[str, Any], index: int) -> Measure:
    target = m["target"]
    stated_ages = target.get("ages")
    age_range = None
    until = None
    if stated_ages:
        until = stated_ages.get("until")
        # no `to` and no `until`: an open range, "fra 16 år" (16 and older)
        high = until - 1 if until is not None else stated_ages.get("to")
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
        source_table=source.get("table"),
        source_row=source.get("row"),
        source_paragraph=source.get("paragraph"),
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
        source_section=_source(a)[0],
        source_line=_source(a)[1],
    )
