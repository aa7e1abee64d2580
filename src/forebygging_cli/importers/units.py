"""Responsible units from a measures table's responsible cell: the unit names
(split on commas, semicolons, slashes, "og" between names, line breaks, and
names run together when a cell's lines were flattened), the contacts and the
staffing the cell also holds, and the plan's units, declared once each, with
the same unit written two ways merged and a service from the shared
vocabulary where the name makes it clear.

Pure functions and one small registry; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import functools

from ..vocab import fold as _fold_words
from ..vocab import slug, word_key

fold = functools.lru_cache(maxsize=8192)(_fold_words)

_ROLE = (r"Prosjektleder|Avdelingsleder|Virksomhetsleder|Enhetsleder|Seksjonsleder|Kommunalsjef|Rektor|Helsesøster|"
         r"Helsesykepleier|Veileder|Rettleiar|Kontaktperson|Fritidsveileder|Saksbehandler|Leiar\s+for|Teamleder\s+for")
_CONTACT = re.compile(
    r"\s(?:v/|v\.\s|ved\s(?=[A-ZÆØÅ]))|\s?\b(?:Telefon|Tlf|Tel|Mobil|E-post|Epost|Bemanning|Nettside)\s*[:.]|"
    r"\s(?=Facebook\b|Instagram\b)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://|\bwww\.|(?<!\d)\d{2}\s?\d{2}\s?\d{2}\s?\d{2}(?!\d)|"
    rf"(?:^|\s)(?:{_ROLE})(?=\s|/|$)|\s(?:[Ee]n|[Tt]o|[Tt]re|[Ff]ire|[Ff]em|[Ss]eks|\d+)\s+(?:ansatte|tilsette|voksne|"
    r"koordinatorer)\b|\s+i samarbeid med\s|\s+m\.\s?fl(?:ere|\.)?|\s+mfl\.")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:(?P<label>Telefon|Tlf|Tel|Mobil)\s*[:.]?\s*)?(?<![\d@])(?P<number>\d{2}\s?\d{2}\s?\d{2}\s?\d{2})(?!\d)")
_URL = re.compile(r"https?://\S+|\bwww\.\S+")
_STAFFING = re.compile(r"Bemanning:\s*(?P<text>.+?)\.?\s*$")
_VIA = re.compile(r"\bv(?:/|\.)\s*(?:(?P<role>(?:leder|rektor|fritidsveileder|veileder|bibliotek|[a-zæøå]+leder))\s+)?"
                  r"(?P<name>[A-ZÆØÅ][\w.-]*(?:\s+[A-ZÆØÅ][\w.-]*){1,3})?")
_FUNCTION_WORDS = frozenset(("og", "i", "for", "til", "med", "av", "ved", "v/", "v.", "fra", "frå", "på", "-", "–",
                             "&", "eller", "om", "under"))
_PREFIXES = re.compile(r"^(?:tildeles av\s+|i regi av\s+|saksbehandlere\s+(?:i\s+)?|ledes av\s+|ansvar:?\s+)",
                       re.IGNORECASE)
#: service words: a piece of a responsible cell that starts with one is a unit, in lowercase too
_SERVICE_HEADS = ("barnevern", "skol", "skul", "barnehag", "ppt", "pp-", "nav", "helsestasjon", "jordmor",
                  "kulturskol", "politi", "bup", "flyktning", "helsetjenest", "helsetenest", "koordinerende")
_SHARED_NAMES = ("helsestasjon og skolehelsetjeneste", "helsestasjon og skulehelseteneste", "kultur og fritid",
                 "psykisk helse og rus", "helse og omsorg", "helse- og omsorg", "barn og unge", "barn, unge",
                 "foreldre og gravide")


@dataclass
class Cell:
    """What one responsible cell says: unit names, contacts and staffing."""

    names: list[str] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)
    staffing: str | None = None
    #: (name, alias): the cell itself joins two names of one unit ("Helsetjenesten 0-26: Helsetjenesten for ...")
    joined: list[tuple[str, str]] = field(default_factory=list)


def read_cell(paragraphs: list[str], municipality: str, known_phrases: frozenset[str] = frozenset()) -> Cell:
    """The units, contacts and staffing of a responsible cell (one string per line of the cell)."""
    cell = Cell()
    whole = " ".join(paragraphs)
    staffing = _STAFFING.search(whole)
    if staffing:
        cell.staffing = staffing.group("text").strip()
    cell.contacts = _contacts(whole)
    place = municipality_words(municipality)
    for line in paragraphs:
        contact = _CONTACT.search(line)
        part = line[: contact.start()] if contact else line
        part = _without_municipality(_PREFIXES.sub("", part.strip(" ,;:-–")), place)
        if not part:
            continue
        for piece in _split(part, known_phrases):
            piece = _PREFIXES.sub("", piece).strip(" ,;:-–")
            piece = _without_municipality(piece, place)
            if ": " in piece:
                name, alias = (p.strip() for p in piece.split(": ", 1))
                if name and alias:
                    cell.joined.append((alias, name))
                    piece = alias
            inner = re.match(r"^(?P<team>.+?)\s+i\s+(?P<unit>\S.*)$", piece)
            if inner and _is_unit_head(inner.group("unit")) and fold(inner.group("unit")) not in place:
                piece = inner.group("unit")
            if piece and fold(piece) not in place and piece not in cell.names:
                cell.names.append(piece)
    return cell


def municipality_words(municipality: str) -> set[str]:
    name = fold(municipality)
    bare = re.sub(r"\s+(kommune|kommun)$", "", name)
    return {name, bare, f"{bare} kommune"}


def _without_municipality(text: str, place: set[str]) -> str:
    """`text` without the municipality's name at its end ("Flyktningtjenesten – Lier kommune"); "" when it
    is only that name ("Os kommune")."""
    if fold(text) in place:
        return ""
    for pattern in _municipality_patterns(frozenset(place)):
        text = pattern.sub("", text)
    return "" if fold(text) in place else text.strip(" ,;:-–")


@functools.lru_cache(maxsize=16)
def _municipality_patterns(place: frozenset[str]) -> list[re.Pattern[str]]:
    patterns = []
    for word in sorted(place, key=len, reverse=True):
        if word and not word.endswith("kommune"):
            patterns.append(re.compile(rf"\s*[-–,]?\s*\b{re.escape(word)}\s+kommune\s*$", re.IGNORECASE))
    return patterns


def _is_unit_head(text: str) -> bool:
    first = fold(text).split(" ")[0] if text.strip() else ""
    return text[:1].isupper() or any(first.startswith(head) for head in _SERVICE_HEADS)


def _split(text: str, known_phrases: frozenset[str]) -> list[str]:
    """The unit names of one line of a responsible cell."""
    protected = text
    for shared in _SHARED_NAMES:
        protected = re.sub(re.escape(shared), lambda m: m.group(0).replace(" og ", " \x00 ").replace(", ", "\x01 "),
                           protected, flags=re.IGNORECASE)
    pieces: list[str] = []
    for raw in re.split(r"\s*[,;]\s*|\s*/\s*|\s+(?:og|&)\s+(?=[A-ZÆØÅ])", protected):
        piece = raw.replace("\x00", "og").replace("\x01", ",").strip()
        if not piece:
            continue
        if pieces and not _is_unit_head(piece):
            pieces[-1] = pieces[-1] + _separator(text, pieces[-1], piece) + piece
        else:
            pieces.append(piece)
    out: list[str] = []
    for piece in pieces:
        out += _runs(piece, known_phrases)
    return out


def _separator(text: str, before: str, after: str) -> str:
    start = text.find(before.split()[-1]) + len(before.split()[-1]) if before.split() else 0
    end = text.find(after.split()[0], start) if after.split() else start
    between = text[start:end] if 0 <= start <= end else " "
    return between if between.strip(" ,;/og&") == "" and between else " "


def _runs(piece: str, known_phrases: frozenset[str]) -> list[str]:
    """Names run together when the cell's lines were flattened ("Skoleledelse Teamledere MOT Politi"): a new
    name starts at a capitalised word, unless the word before is a function word or the two words are a name
    the document uses as one ("Ung Kultur")."""
    words = piece.split()
    names: list[list[str]] = [[]]
    for index, word in enumerate(words):
        if index and word[:1].isupper() and names[-1]:
            previous = names[-1][-1]
            pair = fold(previous + " " + word)
            if previous.lower() not in _FUNCTION_WORDS and not previous.endswith(("-", ":")) \
                    and pair not in known_phrases and not (previous[:1].isdigit()):
                names.append([])
        names[-1].append(word)
    return [" ".join(name) for name in names if name]


def phrase_pairs(cells: list[str]) -> frozenset[str]:
    """Pairs of capitalised words a document's responsible cells use together at least twice ("Ung Kultur"):
    they are one name, not two names run together."""
    counts: dict[str, int] = {}
    for text in cells:
        words = text.split()
        for first, second in zip(words, words[1:]):
            if first[:1].isupper() and second[:1].isupper() and not _EMAIL.search(second):
                key = fold(first + " " + second)
                counts[key] = counts.get(key, 0) + 1
    return frozenset(key for key, count in counts.items() if count >= 2)


def _contacts(text: str) -> list[dict[str, str]]:
    contacts: list[dict[str, str]] = []
    for match in _VIA.finditer(text):
        entry = {}
        if match.group("name") and not _EMAIL.fullmatch(match.group("name")):
            name = re.split(r"\s+(?=[\w.+-]+@)|\s+Bemanning|\s+(?:Seks|To|Tre|Fire|Fem)\s", match.group("name"))[0]
            if not re.search(r"(?i)team|tjenest|avdeling|enhet", name):
                entry["name"] = name.strip()
        if match.group("role") and entry:
            entry["role"] = match.group("role")
        if entry:
            contacts.append(entry)
    for email in _EMAIL.findall(text):
        contacts.append({"email": email.rstrip(".")})
    for match in _PHONE.finditer(_EMAIL.sub(" ", text)):
        contacts.append({"phone": match.group("number")})
    for url in _URL.findall(text):
        contacts.append({"url": url.rstrip(".,;)")} if url.startswith("http") else {"text": url})
    return contacts


# -- the plan's units ---------------------------------------------------------------------------------

_SERVICES: tuple[tuple[str, str], ...] = (
    (r"kulturskol|kulturskul", "kulturskole"),
    (r"skolehelse|skulehelse|helsestasjon|helsesoster|helsesykepleie", "helsestasjon"),
    (r"jordmor|svangerskapsomsorg", "jordmor"),
    (r"\bppt\b|\bpp-|pedagogisk[- ]psykologisk", "ppt"),
    (r"barnevern", "barnevern"),
    (r"\bnav\b", "nav"),
    (r"barnehag", "barnehage"),
    (r"flyktning", "flyktning"),
    (r"koordinerende|tildelingskontor|forvaltning helse", "koordinerende-enhet"),
    (r"psykisk helse|\brus\b|rustjeneste", "psykisk-helse-rus"),
    (r"omsorgstjenest|omsorgstenest|funksjonsnedsett|avlastning", "helse-omsorg"),
    (r"\bbup\b|spesialisthelse|sykehus|helseforetak", "spesialisthelsetjeneste"),
    (r"politi|lensmann", "politi"),
    (r"\blege|overlege|legetjenest|legeteneste", "lege"),
    (r"folkehelse|frisklivs|samfunnsmedisin|miljorettet", "folkehelse"),
    (r"frivillig", "frivillig"),
    (r"kultur|fritid|bibliotek|ungdomshus|idrett", "kultur-fritid"),
    (r"skol|skul|\bsfo\b|rektor", "skole"),
)
EXTERNAL = frozenset(("spesialisthelsetjeneste", "politi"))


def service_of(name: str) -> str | None:
    """The shared service a unit's own name makes clear, or None."""
    folded = fold(name)
    for pattern, service in _SERVICES:
        if re.search(pattern, folded):
            return service
    return None


def unit_key(name: str) -> tuple[str, ...]:
    """Names that are one unit written two ways share a key: inflection, "-tjenesten", hyphens."""
    words = re.findall(r"[^\W_]+", fold(name))
    return tuple(word_key(word_key(w)) for w in words if w not in ("og", "i", "for", "av"))


@dataclass
class Unit:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    #: aliases the importer merged because the names differ only in spelling (inferred, so derived)
    merged: list[str] = field(default_factory=list)
    service: str = "annet"
    service_guessed: bool = True


class Registry:
    """The plan's units, declared once each; `add` gives the id of a name."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self._by_key: dict[tuple[str, ...], Unit] = {}

    def add(self, name: str) -> str:
        """The id of the unit `name` names; a name that differs from a known unit's only in spelling is
        merged into it (as an inferred alias)."""
        key = unit_key(name) or (slug(name),)
        unit = self._by_key.get(key)
        if unit is None:
            unit = Unit(id=self._new_id(name), name=name)
            service = service_of(name)
            if service:
                unit.service, unit.service_guessed = service, False
            self.units.append(unit)
            self._by_key[key] = unit
        elif name != unit.name and name not in unit.aliases:
            unit.aliases.append(name)
            unit.merged.append(name)
        return unit.id

    def join(self, name: str, alias: str) -> None:
        """The document itself says `alias` is another name of `name` (a read alias, not a merge)."""
        unit_id = self.add(name)
        unit = next(u for u in self.units if u.id == unit_id)
        key = unit_key(alias) or (slug(alias),)
        other = self._by_key.get(key)
        if other is not None and other is not unit:
            return  # already a unit of its own: two declared units, the planner decides
        self._by_key[key] = unit
        if alias != unit.name and alias not in unit.aliases:
            unit.aliases.append(alias)
        if alias in unit.merged:
            unit.merged.remove(alias)

    def _new_id(self, name: str) -> str:
        base = slug(name)[:60].strip("-") or "enhet"
        taken = {unit.id for unit in self.units}
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        return candidate
