"""The query-shaped store: what `query`, `coverage`, `plans` and `units` read
of a plan, kept in its cache entry so that they answer without building
a Plan.

For each usable plan file the store keeps four sections in the file's cache
entry (cache.py: found by the file's bytes and name, the schema, the tool,
the language, the Python), after the entry's report and plan (batch.py),
the second and the last two kept only once a command has wanted
them (the entry's flags say which: `coverage` checking a plan for the first
time makes the facts alone, and a later query adds the rest):

1. the plan's facts (query.facts: its head, its units, and per measure the
   fields the filters and the listings read, ages already computed), encoded
   as the cache encodes a Plan (codec.py);
2. the folded text `--text` searches in each measure (read only when a
   query has --text);
3. where each measure's output begins in section 4;
4. each measure's output, in the language of the run: its JSON/CSV record
   (render.records.measure_record) and its row in the terminal's table
   (render.records.table_row), as one list of values (records.stored_values),
   decoded only for the measures a query finds.

Everything here is made from a Plan by `sections` (in the process that
checked the plan, or from the plan in its cache entry) and read back by
`read`; the store keeps the facts and the output, never a filter: query.find
decides, over the facts, what matches. What is read is checked like every
cache entry (types by the generated decoders, and each value's domain here:
a level is a level, an index is its measure's place); anything else is
`Invalid`, and the plan is read from its cache entry or checked again.

Why sections in each plan's cache entry rather than one SQLite database: see
docs/store.md (the figures that chose it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from .ages import STAGE_AGES
from .codec import Invalid
from .query import PlanFacts
from .vocab import AUDIENCES, LEVELS, SERVICES

if TYPE_CHECKING:
    from .model import Plan

#: the store's sections, counted from the first after the cache entry's own (batch.STORE_FROM)
FACTS, TEXTS, OFFSETS, OUTPUTS = range(4)
SECTIONS = 4
#: the flags the store sets in a cache entry (bit 1 is the entry's own, batch.USABLE): whether it holds the
#: store's sections at all, and which of those made only when wanted
WITH_FACTS, WITH_TEXTS, WITH_OUTPUTS = 2, 4, 8


class Incomplete(Invalid):
    """An entry without the store's sections, or without one the command wants (made when a command first
    wants it)."""
_DECISIONS = frozenset((None, "yes", "no", "varies"))
_LEVELS, _AUDIENCES, _SERVICES = frozenset(LEVELS), frozenset(AUDIENCES), frozenset(SERVICES)


@dataclass(frozen=True)
class Stored:
    """What the store keeps of one measure's output, in the run's language."""

    #: the JSON/CSV record (render.records.measure_record)
    record: dict[str, Any]
    #: the cells of the table row (render.records.table_row): target group, staff only, age, responsible
    row: tuple[str, bool, str, str]


class Outputs:
    """The stored output of each measure of one plan (section 4), each decoded when it is asked for."""

    __slots__ = ("_offsets", "_blob")

    def __init__(self, offsets: list[int], blob: bytes) -> None:
        self._offsets, self._blob = offsets, blob

    def get(self, index: int) -> Stored:
        """The stored output of the measure at `index`. Raises Invalid."""
        from .render.records import stored_output

        try:
            return Stored(*stored_output(orjson.loads(self._blob[self._offsets[index]:self._offsets[index + 1]])))
        except ValueError as exc:  # orjson's JSONDecodeError is a ValueError
            raise Invalid(str(exc)) from None


def sections(plan: Plan, texts: bool = True, outputs: bool = True) -> tuple[int, list[bytes]]:
    """What the store keeps of `plan` (see the module's docstring), in the language of the run: its flags
    and sections, with the texts and the outputs when asked for (an empty section in their place when not)."""
    flags, parts, _known = made(plan, texts, outputs)
    return flags, parts


def made(plan: Plan, texts: bool, outputs: bool) -> tuple[int, list[bytes], PlanFacts | None]:
    """`sections`, and the facts `read` gives back of them, where that is what they were made from (without
    the texts and the outputs, what coverage, plans and units read): a command that checks a plan uses them
    as they are, rather than reading back what it just stored; else None."""
    from dataclasses import replace

    from .codec import dumps
    from .query import Match, facts
    from .render.records import stored_values

    known = facts(plan, texts=texts)
    offsets = [0]
    made = []
    if outputs:
        for measure in plan.measures:
            output = orjson.dumps(stored_values(Match(plan, measure)))
            made.append(output)
            offsets.append(offsets[-1] + len(output))
    flags = WITH_FACTS | (WITH_TEXTS if texts else 0) | (WITH_OUTPUTS if outputs else 0)
    return flags, [dumps(replace(known, texts=None)), orjson.dumps(known.texts) if texts else b"",
                   orjson.dumps(offsets) if outputs else b"", b"".join(made)], (
        None if texts or outputs else known)


def skipped(texts: bool, outputs: bool) -> frozenset[int]:
    """The sections a reader that wants `texts` and `outputs` passes over unread."""
    return frozenset(() if texts else (TEXTS,)) | frozenset(() if outputs else (OFFSETS, OUTPUTS))


def read(flags: int, parts: list[bytes | None], texts: bool = False, outputs: bool = False) -> PlanFacts:
    """The facts stored in `parts` (the store's sections, in order; those `skipped` need not have been read),
    with the texts when `texts`, and their outputs at `outputs` when `outputs`. Raises Incomplete when the
    entry's `flags` say the store's sections, or one wanted, are not kept, Invalid for anything that is not
    what `sections` writes."""
    from .codec import decode

    if len(parts) != SECTIONS or flags.__class__ is not int:
        raise Invalid("sections")
    if not flags & WITH_FACTS or (texts and not flags & WITH_TEXTS) or (outputs and not flags & WITH_OUTPUTS):
        raise Incomplete("a section that is not kept yet")
    try:
        known: PlanFacts = decode(PlanFacts, orjson.loads(parts[FACTS]))  # type: ignore[arg-type]
        found = orjson.loads(parts[TEXTS]) if texts else None  # type: ignore[arg-type]
        offsets = orjson.loads(parts[OFFSETS]) if outputs else None  # type: ignore[arg-type]
    except ValueError as exc:  # not JSON (orjson's JSONDecodeError is a ValueError)
        raise Invalid(str(exc)) from None
    count = len(known.measures)
    if offsets is not None:
        blob = parts[OUTPUTS]
        if (offsets.__class__ is not list or len(offsets) != count + 1
                or any(n.__class__ is not int for n in offsets) or offsets[0] != 0 or blob is None
                or offsets[-1] != len(blob) or any(a >= b for a, b in zip(offsets, offsets[1:]))):
            raise Invalid("offsets")
        known.__dict__["outputs"] = Outputs(offsets, blob)
    if found is not None and (found.__class__ is not list or len(found) != count
                              or any(t.__class__ is not str for t in found)):
        raise Invalid("texts")
    if known.texts is not None:
        raise Invalid("texts in the facts")
    _check(known)
    known.__dict__["texts"] = tuple(found) if found is not None else None
    return known


def _check(known: PlanFacts) -> None:
    """Each value of the facts in its domain, as a Plan that passed the schema has it: what the type checks of
    the decoders cannot say (a level that is not a level would stop a renderer). Raises Invalid."""
    measures = known.measures
    if (len(known.level_labels) != len(LEVELS)
            or not {unit.service for unit in known.units} <= _SERVICES
            or [m.index for m in measures] != list(range(len(measures)))
            or not {m.level for m in measures} <= _LEVELS
            or not {m.requires_decision for m in measures} <= _DECISIONS
            or not {a for m in measures for a in m.audience} <= _AUDIENCES
            or not {s for m in measures for s in m.services} <= _SERVICES
            or not all(_rule(rule) for m in measures for rule in m.span.rules)
            or any(m.span.low is None and m.span.high is not None for m in measures)):
        raise Invalid("facts out of their domain")


def _rule(rule: tuple[Any, ...]) -> bool:
    """An age rule as ages.compute writes it: ("grades", low, high) or ("stage", a stage with ages)."""
    if len(rule) == 3 and rule[0] == "grades":
        return rule[1].__class__ is int and rule[2].__class__ is int
    return len(rule) == 2 and rule[0] == "stage" and rule[1] in STAGE_AGES
