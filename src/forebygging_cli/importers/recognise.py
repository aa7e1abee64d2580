"""A document in the neutral model -> the plain data a plan file parses to,
with a place for every value, the values inferred rather than read listed in
`derived`, and review notes (the comments the draft carries) for what needs a
person's eye.

What it recognises, in bokmål and nynorsk: the title, the municipality, the
adoption sentence, a plan period, the language; goals with sub-goals (a list
under a goals heading, or a goals table); measures tables by their header
words, in any column order, continued after a page break or split in two; the
level of each measure from a level column or the heading above its table;
responsible units (units.py); whom each measure is for (targets.py).

Pure: Document in, Draft out. No I/O, no YAML.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, _
from ..vocab import LEVELS, slug
from ..vocab import fold as _fold_words
from . import goals, targets, units, words
from .tables import classify
from .document import Document, Heading, Paragraph, Place, Row, Table

Path = tuple[Any, ...]

#: the same short texts (names, headers, unit words) are folded again and again
fold = functools.lru_cache(maxsize=8192)(_fold_words)

_ADOPTION = re.compile(
    r"(?P<verb>vedtatt|vedteken|vedtekne|vedtaken|godkjent|godkjend|behandlet|handsama)\s+(?:av|i)\s+"
    r"(?P<by>kommunestyret|formannskapet|bystyret|utvalg\w*|administrasjonen)"
    r"(?:\s+(?:den|i\s+møte)?)?\s*(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>(?:19|20)\d\d)"
    r"(?:\s*,?\s*(?:i\s+)?(?:sak|saksnr\.?|saksnummer)\s*(?:nr\.?\s*)?(?P<case>(?:PS|KS|K-sak|sak)?\s?\d{1,4}\s?/\s?\d{2,4}))?",
    re.IGNORECASE)
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s?[-–—]\s?((?:19|20)\d\d)(?!\d)")
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s(?:i\s)?[A-ZÆØÅ][\wæøåÆØÅ-]*){0,2})\s(kommune)\b", re.IGNORECASE)
_PROGRAMME = re.compile(r"^(?P<name>[A-ZÆØÅ]{2,}(?:\s[A-ZÆØÅ]{1,5})*(?:\s\([^)]{2,60}\))?)"
                        r"(?::|\s+(?:veiledning\s+)?(?:er|et|Et|eit|Eit)\b)")
_NEED = re.compile(r"(?i)behov|risiko|utfordring|vansk|sårbar|syke|mistet|bekymring|lavinntekt|funksjonsnedsett|"
                   r"funksjonshemm|atferd|åtferd|ekstra|særlig|særskilt|utsatt")


@dataclass(frozen=True)
class Skipped:
    """A table or row that did not become measures, and why: an English message id, worded where it is shown
    (the review summary speaks the run's language, the draft the document's)."""

    place: Place
    reason: str


@dataclass
class Draft:
    """What recognition made of a document: the plan file's data, the notes a
    person should read beside the values (data path -> comment text), and what
    the review summary reports."""

    data: dict[str, Any]
    notes: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    language: str = "nb"
    #: "headings", "column", "guessed" or "mixed": where the levels came from
    levels_from: str = "guessed"
    checks: list[str] = field(default_factory=list)


@dataclass
class _Row:
    """A measures table row on its way to a measure."""

    row: Row
    roles: dict[int, str]
    section: str | None
    level: tuple[str, str] | None  # (level, where from: "column" / "heading")
    run: int
    cells: dict[str, Any] = field(default_factory=dict)


def recognise(document: Document) -> Draft:
    """The draft plan of `document`."""
    return _Recogniser(document).run()


def document_language(document: Document) -> str:
    """The written language of `document`: "nn" (nynorsk) or "nb" (bokmål), by its words."""
    return words.language_of([w for block in document.blocks for w in words.words_of(_block_text(block))])[0]


class _Recogniser:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.draft = Draft(data={})
        self.rows: list[_Row] = []
        self.registry = units.Registry()
        self.levels: dict[str, dict[str, str]] = {}
        self.goals: list[dict[str, Any]] = []

    # -- the whole -----------------------------------------------------------------------------------

    def run(self) -> Draft:
        blocks = self.document.blocks
        front = []
        for block in blocks:
            if isinstance(block, Heading) and block.level >= 1:
                break
            front.append(block)
        language, nynorsk, bokmal = words.language_of([w for b in blocks for w in words.words_of(_block_text(b))])
        self.draft.language = language
        municipality = self._municipality(front)
        title = self._title(front)
        plan: dict[str, Any] = {"title": title, "language": language}
        adoption = self._adoption(blocks)
        if adoption:
            plan["adopted"] = adoption
        period = self._period(front)
        if period:
            plan["period"] = period
        plan["source"] = {"file": self.document.source}
        if self.document.kind == "docx" or title:
            plan["source"]["document"] = title
        self._walk(blocks)
        data: dict[str, Any] = {"schema_version": 1, "municipality": {"name": municipality}, "plan": plan}
        if self.levels:
            data["levels"] = {level: self.levels[level] for level in LEVELS if level in self.levels}
        if self.goals:
            data["goals"] = self.goals
        measures = self._measures(municipality)
        data["units"] = self._units()
        data["measures"] = measures
        self.draft.data = data
        if not adoption:
            self._note(("plan",), _("no adoption sentence found (\"Vedtatt av kommunestyret DD.MM.YYYY\"): "
                                            "add plan.adopted when the council has adopted the plan"))
        if language == "nn":
            self._note(("plan", "language"), _("nynorsk: {nynorsk} nynorsk words against {bokmal} bokmål words")
                       .format(nynorsk=nynorsk, bokmal=bokmal))
        return self.draft

    def _note(self, path: Path, text: str) -> None:
        self.draft.notes.append((path, text))

    # -- front matter ----------------------------------------------------------------------------------

    def _title(self, front: list[Any]) -> str:
        for block in front:
            if isinstance(block, Heading) and block.level == 0:
                return block.text.rstrip(" ,;:")
        for block in front:
            if isinstance(block, Paragraph) and re.search(r"(?i)\bplan\b", block.text):
                return block.text.rstrip(" ,;:")
        for block in self.document.blocks:
            if isinstance(block, (Heading, Paragraph)) and block.text.strip():
                self._note(("plan", "title"), _("no title found: this is the document's first line; write the "
                                                "title from the front page"))
                return block.text.rstrip(" ,;:")[:200]
        self._note(("plan", "title"), _("no title found: write the title from the front page"))
        return self.document.source

    def _municipality(self, front: list[Any]) -> str:
        for group in (front, self.document.blocks):
            counts: dict[str, int] = {}
            first: dict[str, str] = {}
            for block in group:
                for match in _MUNICIPALITY.finditer(_block_text(block)):
                    name = match.group(1).split(" for ")[-1]
                    if fold(name) in ("den", "hver", "kvar", "vår", "var", "vi", "som", "i"):
                        continue
                    written = f"{name} {match.group(2)}"
                    key = fold(written)
                    counts[key] = counts.get(key, 0) + 1
                    first.setdefault(key, written)
            if counts:
                best = max(counts, key=lambda k: (counts[k], -list(first).index(k)))
                name = first[best]
                if name.isupper():
                    name = name.title().replace(" Kommune", " kommune")
                    self._note(("municipality", "name"), _("written in capitals in the document: check the "
                                                           "spelling"))
                return name
        self._note(("municipality", "name"), _("no municipality found in the document: write its name"))
        return re.sub(r"[_-]+", " ", self.document.source.rsplit(".", 1)[0]) or "?"

    def _adoption(self, blocks: tuple[Any, ...]) -> dict[str, Any] | None:
        for block in blocks:
            text = _block_text(block)
            match = _ADOPTION.search(text)
            if not match:
                continue
            try:
                date = datetime.date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
            except ValueError:
                continue
            by = fold(match.group("by"))
            by = {"bystyret": "kommunestyret"}.get(by, by)
            if by.startswith("utvalg"):
                by = "utvalg"
            adopted: dict[str, Any] = {"by": by, "date": date.isoformat()}
            if match.group("case"):
                adopted["case_number"] = " ".join(match.group("case").split())
            sentence = words.sentence_around(text, match.start(), match.end())
            adopted["text"] = sentence
            return adopted
        return None

    def _period(self, front: list[Any]) -> dict[str, int] | None:
        for group in (front, [b for b in self.document.blocks if re.search(r"(?i)planperiode|planperioden",
                                                                          _block_text(b))]):
            for block in group:
                if isinstance(block, Table):
                    continue
                match = _PERIOD.search(_block_text(block))
                if match:
                    low, high = int(match.group(1)), int(match.group(2))
                    if 1990 <= low <= high <= 2100 and high - low <= 12:
                        return {"from": low, "to": high}
        return None

    # -- the body --------------------------------------------------------------------------------------

    def _walk(self, blocks: tuple[Any, ...]) -> None:
        level_context: tuple[str, str, int] | None = None  # (level, label, heading rank)
        goal_heading: int | None = None  # the rank of a goals heading we are under
        last_roles: dict[int, str] | None = None
        last_width = 0
        run = 0
        pending_level_description: str | None = None
        for block in blocks:
            if isinstance(block, Heading):
                found = words.level_of_heading(block.text)
                if found:
                    level, label = found
                    level_context = (level, label, block.level)
                    self.levels.setdefault(level, {"label": label, "heading": block.text})
                    pending_level_description = level
                elif level_context and block.level <= level_context[2]:
                    level_context = None
                    pending_level_description = None
                    last_roles = None
                bare = fold(re.sub(r"^\s*[\d.]+\s*", "", block.text)).rstrip(": ")
                if bare in words.GOAL_HEADINGS:
                    goal_heading = block.level
                elif goal_heading is not None and block.level <= goal_heading:
                    goal_heading = None
                continue
            if isinstance(block, Paragraph):
                if pending_level_description and block.list_level is None:
                    self.levels[pending_level_description].setdefault("description", block.text)
                    pending_level_description = None
                if goal_heading is not None and block.list_level is not None:
                    goals.add_item(self.goals, block)
                continue
            pending_level_description = None
            kind, header, roles = classify(block)
            if kind == "goals":
                goals.add_table(self.goals, block, header)
                continue
            if kind == "contents":
                self.draft.skipped.append(Skipped(block.place, N_("a table of contents")))
                continue
            width = max((len(r.cells) for r in block.rows), default=0)
            if kind == "measures":
                run += 1
                last_roles, last_width = roles, width
                start = header + 1
            elif last_roles is not None and width == last_width and kind == "other":
                start = 0  # a table split in two, its header not repeated: it goes on with the columns above
                roles = last_roles
            else:
                reason = roles if isinstance(roles, str) else N_("not a measures table: its first row names no "
                                                                "measure columns (Tiltak, Beskrivelse, Ansvarlig, ...)")
                self.draft.skipped.append(Skipped(block.place, reason))
                continue
            self._measure_rows(block, start, roles, level_context, run)

    def _measure_rows(self, table: Table, start: int, roles: dict[int, str], level_context: Any, run: int) -> None:
        header_texts = None
        if start > 0:
            header_texts = [fold(t) for t in table.rows[start - 1].texts()]
        context = level_context
        width = max(roles) + 1 if roles else 1
        for row in table.rows[start:]:
            texts = row.texts()
            if row.repeated_header or (header_texts and len(texts) == len(header_texts) and len(texts[0]) < 60
                                       and [fold(t) for t in texts] == header_texts):
                continue  # the header again, after a page break
            if row.empty:
                self.draft.skipped.append(Skipped(row.place, N_("an empty row")))
                continue
            filled = [cell for cell in row.cells if cell.text.strip() and not cell.merged]
            if len(filled) == 1 and (filled[0].span >= width or len([c for c in row.cells if not c.merged]) == 1
                                     or all(not c.text.strip() for c in row.cells[1:])) \
                    and roles.get(filled[0].column) == "name" and len(row.cells) > 1 \
                    and all(not c.text.strip() for c in row.cells if c is not filled[0]):
                found = words.level_of_heading(filled[0].text)
                if found:
                    context = (found[0], found[1], 9)
                    self.levels.setdefault(found[0], {"label": found[1], "heading": filled[0].text})
                    self.draft.skipped.append(Skipped(row.place, N_("a heading row inside the table (it names the "
                                                                   "level of the rows below)")))
                else:
                    self.draft.skipped.append(Skipped(row.place, N_("a row with only a name and nothing else: a "
                                                                   "heading inside the table?")))
                continue
            level = (context[0], "heading") if context else None
            self.rows.append(_Row(row, roles, row.place.section, level, run))

    # -- measures --------------------------------------------------------------------------------------

    def _measures(self, municipality: str) -> list[dict[str, Any]]:
        responsible_cells = []
        for item in self.rows:
            for cell in item.row.cells:
                if item.roles.get(cell.column) == "responsible":
                    responsible_cells += list(cell.paragraphs)
        pairs = units.phrase_pairs(responsible_cells)
        groups = self._groups()
        measures: list[dict[str, Any]] = []
        taken: set[str] = set()
        levels_from: set[str] = set()
        for index, item in enumerate(self.rows):
            measure, notes = self._measure(item, groups.get(index), municipality, pairs)
            measure["id"] = _unique_id(measure, taken)
            taken.add(measure["id"])
            levels_from.add(measure.pop("_level_from"))
            position = len(measures)
            measures.append(_ordered_measure(measure))
            for field_path, text in notes:
                self._note(("measures", position) + field_path, text)
        self.draft.levels_from = levels_from.pop() if len(levels_from) == 1 else ("mixed" if levels_from else "none")
        return measures

    def _groups(self) -> dict[int, str]:
        """Rows under one name cell (merged, or written again on each row) share the name as their group."""
        groups: dict[int, str] = {}
        index = 0
        while index < len(self.rows):
            name = self._cell(self.rows[index], "name")
            end = index + 1
            while end < len(self.rows) and self.rows[end].run == self.rows[index].run:
                cell = self._cell_object(self.rows[end], "name")
                if cell is None or fold(cell.text) != fold(name) or not name:
                    break
                end += 1
            if end - index >= 2:
                for member in range(index, end):
                    groups[member] = name
            index = end
        return groups

    def _cell_object(self, item: _Row, role: str) -> Any:
        for cell in item.row.cells:
            if item.roles.get(cell.column) == role:
                return cell
        return None

    def _cell(self, item: _Row, role: str) -> str:
        cell = self._cell_object(item, role)
        return cell.text if cell is not None else ""

    def _measure(self, item: _Row, group: str | None, municipality: str,
                 pairs: frozenset[str]) -> tuple[dict[str, Any], list[tuple[Path, str]]]:
        notes: list[tuple[Path, str]] = []
        reasons: list[str] = []
        derived: set[str] = set()
        name = self._cell(item, "name")
        combined = self._cell(item, "description_target")
        description = combined or self._cell(item, "description")
        target_cell = self._cell(item, "target")
        measure: dict[str, Any] = {}
        if group:
            measure["group"] = group
            proposed = _PROGRAMME.match(description or "")
            responsible_words = {fold(w) for w in re.findall(r"\w+", self._cell(item, "responsible"))}
            if proposed and fold(proposed.group("name").split(" (")[0]) not in responsible_words:
                name = proposed.group("name")
                notes.append((("name",), _("name proposed from the first words of the description; the table "
                                           "names only the group")))
                reasons.append(_("The name {name} is taken from the first words of the description; the plan's "
                                 "table names only the group «{group}».").format(name=name, group=group))
        if not name:
            name = group or (description[:60] if description else _("(no name)"))
            notes.append((("name",), _("the row has no name of its own: write it")))
        measure["name"] = name
        # the level
        level_cell = self._cell(item, "level")
        level = words.level_of_cell(level_cell) if level_cell else None
        if level:
            measure["level"], measure["_level_from"] = level, "column"
        elif item.level:
            measure["level"], measure["_level_from"] = item.level[0], "heading"
        else:
            decision = _decision(self._cell(item, "decision"))
            guessed, why = _guess_level(decision, target_cell or description)
            measure["level"], measure["_level_from"] = guessed, "guessed"
            derived.add("level")
            reasons.append(why)
            notes.append((("level",), _("guessed: the document gives no level; check it")))
            if level_cell:
                notes.append((("level",), _("the level column says «{text}», which is no level this tool knows")
                              .format(text=level_cell)))
        # the description
        if description:
            measure["description"] = description
        elif target_cell:
            measure["description"] = target_cell
            reasons.append(_("The row has no description of its own; the target group cell is copied."))
            notes.append((("description",), _("copied from the target group: the row has no description")))
        else:
            measure["description"] = name
            reasons.append(_("The row has no description of its own; the name is repeated."))
            notes.append((("description",), _("the row has no description: the name is repeated")))
        # whom it is for
        target: dict[str, Any] = {}
        text = target_cell.strip() if target_cell else None
        picked = False
        if not text and (combined or (description and not self._has(item, "target"))):
            text = targets.target_text(description)
            picked = bool(text)
            if not text:
                from_name = targets.target_text(name, sentences=1)
                if from_name and (re.search(r"trinn|klasse|år\b", from_name)):
                    text, picked = from_name, True
        if text:
            target["text"] = text
            if picked:
                notes.append((("target", "text"), _("picked out of the description: check where it starts and "
                                                    "ends")))
        ages_cell = self._cell(item, "ages")
        stated = targets.read_ages(" ".join(t for t in (ages_cell, text or "") if t))
        if stated.ages is None and stated.grades is None and not stated.stages:
            stated = targets.read_ages(" ".join(t for t in (name, description) if t))
        for key in ("ages", "grades"):
            value = getattr(stated, key)
            if value:
                target[key] = value
        if stated.stages:
            target["stages"] = list(stated.stages)
        derived.update(stated.derived)
        if "bare-range" in stated.reasons:
            reasons.append(_("A number range without \"år\" is read as ages."))
        if "school" in stated.reasons:
            reasons.append(_("\"skole\" with no grade is read as grunnskole (the municipality's schools)."))
        audience = targets.audience_of(text or "") if text else []
        if not audience or (not text):
            inferred = targets.audience_of(" ".join(t for t in (name, description) if t))
            for value in inferred:
                if value not in audience:
                    audience.append(value)
                    derived.add("target.audience")
        for stage, value in (("pregnancy", "pregnant"),):
            if stage in stated.stages and value not in audience:
                audience.append(value)
        if not audience:
            audience = ["children"]
            derived.add("target.audience")
        if "target.audience" in derived:
            reasons.append(_("The plan does not say who takes part; the participants are read from the name and "
                             "the description."))
        target["audience"] = audience
        measure["target"] = target
        # who is responsible
        cell = self._cell_object(item, "responsible")
        ids: list[str] = []
        if cell is not None and cell.text:
            read = units.read_cell(list(cell.paragraphs), municipality, pairs)
            for alias, full in read.joined:
                self.registry.join(full, alias)
            for unit_name in read.names:
                unit_id = self.registry.add(unit_name)
                if unit_id not in ids:
                    ids.append(unit_id)
            measure["responsible_text"] = cell.text
            if read.contacts:
                measure["contacts"] = read.contacts
            if read.staffing:
                measure["staffing"] = read.staffing
        contact_cell = self._cell(item, "contact")
        if contact_cell:
            extra = units.read_cell([contact_cell], municipality, pairs).contacts
            if extra:
                measure.setdefault("contacts", []).extend(extra)
            elif not extra:
                measure.setdefault("contacts", []).append({"text": contact_cell})
        measure["responsible"] = ids
        if not ids:
            notes.append((("responsible",), _("no responsible unit found in the row: who is responsible?")))
        decision_cell = self._cell(item, "decision")
        if decision_cell:
            decision = _decision(decision_cell)
            if decision:
                measure["requires_decision"] = decision
            else:
                reasons.append(_("The decision column says «{text}».").format(text=decision_cell))
                notes.append((("name",), _("the decision column says «{text}»: yes, no or varies?").format(
                    text=decision_cell)))
        measure["source"] = {**item.row.place.reference(), **({"section": item.section} if item.section else {})}
        if derived:
            measure["derived"] = [d for d in _DERIVED_ORDER if d in derived]
            notes.append((("derived",), _("inferred, not read: check each value named here")))
        if reasons:
            measure["encoder_note"] = " ".join(reasons)
        return measure, notes

    def _has(self, item: _Row, role: str) -> bool:
        return role in item.roles.values()

    def _units(self) -> list[dict[str, Any]]:
        out = []
        for position, unit in enumerate(self.registry.units):
            entry: dict[str, Any] = {"id": unit.id, "name": unit.name}
            if unit.aliases:
                entry["aliases"] = list(unit.aliases)
            entry["service"] = unit.service
            if unit.service in units.EXTERNAL:
                entry["external"] = True
            derived = []
            notes = []
            if unit.merged:
                derived.append("aliases")
                notes.append(_("The names {names} are merged with «{name}»: they differ only in spelling.").format(
                    names=", ".join(f"«{m}»" for m in unit.merged), name=unit.name))
                self._note(("units", position, "aliases"), _("merged: check that these name the same unit"))
            if unit.service_guessed:
                derived.append("service")
                notes.append(_("The name does not say which service this is."))
                self._note(("units", position, "service"), _("which service? the name does not say"))
            if derived:
                entry["derived"] = derived
                entry["encoder_note"] = " ".join(notes)
            out.append(entry)
        return out


_DERIVED_ORDER = ("level", "group", "responsible", "requires_decision", "target.ages", "target.grades",
                  "target.stages", "target.audience")
_MEASURE_ORDER = ("id", "name", "group", "level", "description", "target", "responsible", "responsible_text",
                  "requires_decision", "contacts", "staffing", "source", "derived", "encoder_note")


def _ordered_measure(measure: dict[str, Any]) -> dict[str, Any]:
    return {key: measure[key] for key in _MEASURE_ORDER if key in measure}


def _unique_id(measure: dict[str, Any], taken: set[str]) -> str:
    base = _short_slug(measure["name"]) or "tiltak"
    if base not in taken:
        return base
    for unit_id in measure.get("responsible", []):
        candidate = f"{base}-{unit_id}"[:80].strip("-")
        if candidate not in taken:
            return candidate
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _short_slug(text: str) -> str:
    full = slug(text)
    if len(full) <= 60:
        return full
    cut = full[:60]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def _decision(text: str) -> str | None:
    folded = fold(text).replace(" ", "").rstrip(".")
    return {"ja": "yes", "nei": "no", "ja/nei": "varies", "nei/ja": "varies", "varierer": "varies",
            "varierar": "varies", "yes": "yes", "no": "no"}.get(folded)


def _guess_level(decision: str | None, text: str) -> tuple[str, str]:
    if decision == "yes":
        return "indicated", _("The plan gives no levels; the level is guessed from KREVER VEDTAK «Ja»: a measure "
                              "that requires an individual decision is for a child or family with identified needs.")
    if decision == "varies":
        return "selected", _("The plan gives no levels; the level is guessed from KREVER VEDTAK «Ja/nei»: for "
                             "some, with a decision for some.")
    if _NEED.search(text or ""):
        return "selected", _("The plan gives no levels; the level is guessed from words of need or risk in the "
                             "target group.")
    return "universal", _("The plan gives no levels; the level is guessed as universal: no decision is required "
                          "and the target group names no need or risk.")


def _block_text(block: Any) -> str:  # a table's text is its rows' texts
    if isinstance(block, Table):
        return " ".join(" ".join(row.texts()) for row in block.rows)
    return block.text

