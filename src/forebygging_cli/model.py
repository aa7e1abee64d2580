"""The plan as typed, immutable objects.

Built by `load.build_plan` from a schema-valid document; read by validation,
query, diff and the renderers. No I/O here.

The cache keeps plans as plain data (codec.py); its generated decoders fill
each object's __dict__, so the classes have no __slots__.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Mapping

from .ages import AgeSpan
from .i18n import _
from .vocab import LEVEL_DEFAULT_LABELS

#: where a value stands in a plan: keys and list indexes from the top, ("measures", 12, "level");
#: the same alias as parse.DataPath, written out so that loading a cached plan need not import the parser
DataPath = tuple[Any, ...]


def nearest_position(positions: Mapping[DataPath, tuple[int, int]], path: DataPath) -> tuple[int, int]:
    """(line, column) of `path`, or of the nearest enclosing value when `path` is
    absent (a missing field), so every finding has a line; (1, 1) at worst."""
    while path and path not in positions:
        path = path[:-1]
    return positions.get(path, (1, 1))


@dataclass(frozen=True)
class Position:
    """1-based line and column of a value in a plan file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Unit:
    """A unit the plan names as responsible for measures (a service, a team, a school)."""

    id: str
    name: str
    service: str
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    external: bool = False
    description: str | None = None
    #: fields the encoder inferred ("aliases" when the plan never says two names are one unit)
    derived: frozenset[str] = frozenset()
    encoder_note: str | None = None

    def is_derived(self, name: str) -> bool:
        return name in self.derived


@dataclass(frozen=True)
class Contact:
    """Whom to contact about a measure, as the plan gives it."""

    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Target:
    """Who a measure is for: the plan's words, what it states, and the computed ages."""

    audience: tuple[str, ...]
    span: AgeSpan
    text: str | None = None
    #: (from, highest); highest is None for an open range ("fra 16 år")
    ages: tuple[int, int | None] | None = None
    ages_until: int | None = None
    grades: tuple[int, int] | None = None
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """One measure (tiltak): what it is, its prevention level, whom it is for, who is responsible."""

    id: str
    name: str
    level: str
    description: str
    target: Target
    responsible: tuple[str, ...]
    index: int
    group: str | None = None
    responsible_text: str | None = None
    requires_decision: str | None = None
    contacts: tuple[Contact, ...] = ()
    staffing: str | None = None
    source_section: str | None = None
    source_line: int | None = None
    #: where the measure stands in a Word document: table and row, or paragraph (1-based)
    source_table: int | None = None
    source_row: int | None = None
    source_paragraph: int | None = None
    derived: frozenset[str] = frozenset()
    encoder_note: str | None = None

    @property
    def path(self) -> DataPath:
        return ("measures", self.index)

    def is_derived(self, name: str) -> bool:
        """True when the plan does not state this field and the encoder inferred it.

        Ages the tool computes from grades or stages are not "derived" in this
        sense; see `Target.span.stated` for that.
        """
        return name in self.derived

    @property
    def age_derived(self) -> bool:
        """True when any part of the target's ages (ages, grades, stages) was inferred."""
        return not self.derived.isdisjoint(("target.ages", "target.grades", "target.stages"))


@dataclass(frozen=True)
class Adoption:
    """Who adopted the plan (kommunestyret, by § 15-1), when, and under which case number."""

    by: str
    date: str | None = None
    case_number: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class SubGoal:
    """A sub-goal of a goal, with its strategies."""

    title: str
    number: int | None = None
    strategies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A passage of the plan, verbatim, with where it stands in the source."""

    text: str
    title: str | None = None
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Goal:
    """A goal of the plan, with its sub-goals and strategies."""

    id: str
    title: str
    description: str | None = None
    sub_goals: tuple[SubGoal, ...] = ()
    strategies: tuple[str, ...] = ()
    #: further passages about the goal that stand elsewhere in the plan
    passages: tuple[Passage, ...] = ()
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Arena:
    """A collaboration arena or team: who meets, how often, planned or established."""

    id: str
    name: str
    status: str
    kind: str | None = None
    purpose: str | None = None
    target_group: str | None = None
    members: tuple[str, ...] = ()
    members_as_needed: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    led_by: str | None = None
    reports_to: str | None = None
    meets: str | None = None
    meets_per_year: int | None = None
    tasks: str | None = None
    description: str | None = None
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Coordinator:
    """A coordinating role the plan describes (barnekoordinator, IP-koordinator)."""

    id: str
    name: str
    role: str
    appointed_by: str | None = None
    unit: str | None = None
    #: established, planned or required-by-law; None when the plan describes the role as part of today's work
    status: str | None = None
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class WorkModel:
    """A way of working the plan builds on (BTI, a stepped-care model), with its parts."""

    id: str
    name: str
    description: str | None = None
    components: tuple[tuple[str, str | None], ...] = ()
    units: tuple[str, ...] = ()
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class FactorDomain:
    """Risk and protective factors in one domain (the individual, the family, ...)."""

    domain: str
    protective: tuple[str, ...] = ()
    risk: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A term the plan defines, and its definition."""

    term: str
    text: str
    source_section: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Source:
    """A source the plan cites."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Plan:
    """One municipality's plan, as read from `path`."""

    stem: str
    path: str
    municipality: str
    title: str
    source_file: str
    units: tuple[Unit, ...]
    measures: tuple[Measure, ...]
    subtitle: str | None = None
    #: the plan's written language: "nb" (bokmål, the default) or "nn" (nynorsk)
    language: str = "nb"
    adopted: Adoption | None = None
    period: tuple[int, int] | None = None
    legal_basis: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    follow_up: str | None = None
    level_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    definitions: tuple[Definition, ...] = ()
    principles: tuple[Passage, ...] = ()
    goals: tuple[Goal, ...] = ()
    risk_and_protective_factors: tuple[FactorDomain, ...] = ()
    relevant_services: tuple[str, ...] = ()
    #: the plan's text on how the work is organised, and on its knowledge base
    organisation: str | None = None
    knowledge: str | None = None
    arenas: tuple[Arena, ...] = ()
    coordinators: tuple[Coordinator, ...] = ()
    escalation: str | None = None
    models: tuple[WorkModel, ...] = ()
    sources: tuple[Source, ...] = ()
    ignored_rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    motto: str | None = None
    partners: tuple[str, ...] = ()
    related_plans: tuple[str, ...] = ()
    source_document: str | None = None
    source_url: str | None = None
    #: each level's heading and description in the plan (level_labels holds its name)
    level_headings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    level_descriptions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: to whom unclear responsibility is escalated
    escalation_to: str | None = None
    #: where the plan's sections stand in the source: "organisation", "knowledge_base", "escalation" ->
    #: (section, line)
    section_sources: Mapping[str, tuple[str | None, int | None]] = field(
        default_factory=lambda: MappingProxyType({}))
    #: where each value stands in the file: data path -> (line, column), 1-based; known for a plan built
    #: from its text (load.build_plan, validate.validate_text: the checks place their findings with it),
    #: empty for a plan batch.py gives (repository.load_plans, batch.check_files, load_usable), which is read
    #: back from the cache's encoding, on a miss too: the cache does not keep positions (batch.STORE_FROM)
    positions: Mapping[DataPath, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with this id (the first, should a broken plan have two), or None."""
        return self._units_by_id.get(unit_id)

    @cached_property
    def _units_by_id(self) -> dict[str, Unit]:
        # kept on the instance, not a field: the cache stores the fields only (codec.py)
        return {unit.id: unit for unit in reversed(self.units)}

    def services(self, measure: Measure) -> set[str]:
        """The shared service types of the units responsible for `measure`."""
        return {unit.service for unit in map(self.unit, measure.responsible) if unit is not None}

    def level_label(self, level: str) -> str:
        """The plan's own name for a level ("Bra for alle"), else the reform's name in the run's language."""
        return self.level_labels.get(level) or _(LEVEL_DEFAULT_LABELS[level])

    def position(self, path: DataPath) -> Position:
        """Where `path` stands in the file; the nearest enclosing value when it is absent. Raises LookupError
        for a plan that does not know its positions (see `positions`), rather than answer line 1."""
        if not self.positions:
            raise LookupError(f"{self.path}: this plan comes from the cache's encoding (load_plans, check_files), "
                              "which does not keep where its values stand; validate_text(the file's bytes, "
                              "path).plan knows")
        return Position(self.path, *nearest_position(self.positions, path))
