"""The words recognition reads, in bokmål and nynorsk: table headers, level
headings, the words that tell the two written languages apart, and where a
responsible cell stops naming units and starts naming people.

Pure data and small lookups; the level words themselves are the tool's own
(vocab.parse_level), extended here only with headings plans use.
"""

from __future__ import annotations

import re

from ..vocab import fold, parse_level

#: a measures table's columns, by the words of their header (folded); the first role that matches wins
HEADER_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("responsible", ("ansvarlig", "ansvarleg", "ansvar")),
    ("decision", ("krever vedtak", "krev vedtak", "vedtak")),
    ("level", ("forebyggingsniva", "forebyggingsniva", "forebyggingsniva", "forebyggjingsniva", "niva")),
    ("description_target", ("beskrivelse/malgruppe", "skildring/malgruppe", "beskrivelse og malgruppe",
                            "skildring og malgruppe", "beskrivelse / malgruppe")),
    ("description", ("beskrivelse", "skildring", "innhold", "omtale")),
    ("target", ("malgruppe", "malgruppa", "for hvem", "for kven")),
    ("ages", ("alder", "trinn", "aldersgruppe")),
    ("contact", ("kontaktperson", "kontakt", "kontaktinformasjon")),
    ("name", ("navn pa tiltak", "namn pa tiltak", "tiltaksnavn", "tiltaksnamn", "tiltak", "navn", "namn")),
)

#: roles that make a table a measures table (beside its name column)
MEASURE_ROLES = frozenset(("description", "target", "description_target", "responsible", "level", "decision"))

#: a goals table: "Hovedmål 1 | Delmål | Strategier"
GOAL_HEADINGS = ("hovedmal", "hovudmal", "mal", "malsetting", "malsettingar", "malsettinger", "overordna mal",
                 "overordnet mal", "mal og delmal", "hovedmal og delmal", "hovudmal og delmal")
SUB_GOAL_WORDS = ("delmal",)
STRATEGY_WORDS = ("strategi", "strategier", "strategiar", "tiltak og strategier")


def header_role(text: str) -> str | None:
    """The role of a measures table's column from its header's words, or None."""
    words = fold(text).replace(":", "").strip()
    if not words:
        return None
    for role, keys in HEADER_ROLES:
        for key in keys:
            if words == key or words.startswith(key + " ") or (" " in key and key in words) \
                    or re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", words):
                return role
    return None


#: level headings plans use beyond the reform's words (vocab.LEVEL_ALIASES has those and Lier's)
_LEVEL_HEADINGS = {
    "tiltak for alle": "universal", "for alle": "universal",
    "tiltak for noen": "selected", "tiltak for nokre": "selected", "nyttig for nokre": "selected",
    "nyttig for nokon": "selected",
    "tiltak for enkelte": "indicated", "tiltak for einskilde": "indicated", "naudsynt for einskilde": "indicated",
    "nodvendig for einskilde": "indicated", "naudsynt for enkelte": "indicated",
    "universell forebygging": "universal", "selektiv forebygging": "selected", "indikert forebygging": "indicated",
    "universelle forebyggende tiltak": "universal",
    "selektive forebyggende tiltak": "selected", "indikerte forebyggende tiltak": "indicated",
    "universelle forebyggjande tiltak": "universal", "selektive forebyggjande tiltak": "selected",
    "indikerte forebyggjande tiltak": "indicated", "universelle forebyggande tiltak": "universal",
    "selektive forebyggande tiltak": "selected", "indikerte forebyggande tiltak": "indicated",
    "universelt niva": "universal", "selektivt niva": "selected", "indikert niva": "indicated",
}
_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s*(?:[-–:]\s*)?")


def level_of_heading(text: str) -> tuple[str, str] | None:
    """(level, the plan's label) when a heading names a prevention level:
    "6.3 Bra for alle – universelle tiltak" -> ("universal", "Bra for alle"),
    "Selektive tiltak" -> ("selected", "Selektive tiltak"). The label is the part
    that is the plan's own name where the heading gives both."""
    stripped = _NUMBER.sub("", text).strip().rstrip(":").strip()
    parts = [p.strip() for p in re.split(r"\s[–—-]\s|:\s|\s\(|\)", stripped) if p.strip()]
    found: list[tuple[str, str, bool]] = []  # (level, part, is the reform's own word)
    for part in parts or [stripped]:
        level = _level_words(part)
        if level:
            reform = bool(re.search(r"universel|selekt|indik|indis", fold(part)))
            found.append((level, part, reform))
    if not found or len({level for level, _part, _reform in found}) > 1:
        return None
    own = [part for _level, part, reform in found if not reform]
    return found[0][0], (own[0] if own else found[0][1])


def _level_words(text: str) -> str | None:
    words = fold(text).strip(" .:")
    return parse_level(words) or _LEVEL_HEADINGS.get(words) or _LEVEL_HEADINGS.get(words.removesuffix(" tiltak")) \
        or parse_level(words.removesuffix(" tiltak").removesuffix(" forebygging"))


def level_of_cell(text: str) -> str | None:
    """The level a level column's cell names ("Universell", "Indikert", "Bra for alle", "Selektivt nivå")."""
    words = fold(text).strip(" .:")
    if not words:
        return None
    direct = _level_words(words)
    if direct:
        return direct
    for stem, level in (("universel", "universal"), ("selekt", "selected"), ("indik", "indicated"),
                        ("indis", "indicated")):
        if words.startswith(stem):
            return level
    return None


#: words only one of the written languages uses (folded forms), for telling a nynorsk document from bokmål
_NYNORSK = frozenset(("ikkje", "kva", "korleis", "kvar", "skule", "skulen", "skular", "skulane", "tenesta", "tenester",
                      "tenestene", "teneste", "førebygging", "førebyggjande", "førebyggande", "frå", "eit", "dei",
                      "vere", "noko", "nokre", "einskilde", "ansvarleg", "skildring", "vedteken", "heile", "berre",
                      "mykje", "sjølv", "saman", "rettleiing", "føresette", "åtferd", "òg", "ungdomsskulen",
                      "grunnskulen", "barneskulen", "vidaregåande"))
_BOKMAL = frozenset(("ikke", "hva", "hvordan", "hver", "skole", "skolen", "skoler", "skolene", "tjenesten",
                     "tjenester", "tjenestene", "tjeneste", "forebygging", "forebyggende", "fra", "et", "de", "være",
                     "noe", "noen", "enkelte", "ansvarlig", "beskrivelse", "vedtatt", "hele", "bare", "mye", "selv",
                     "sammen", "veiledning", "foresatte", "atferd", "også", "ungdomsskolen", "grunnskolen",
                     "barneskolen", "videregående"))


def language_of(words: list[str]) -> tuple[str, int, int]:
    """("nn" or "nb", nynorsk words, bokmål words) from the words of a document
    (lowercase, as written): nynorsk when its own words outnumber bokmål's."""
    nynorsk = sum(1 for word in words if word in _NYNORSK)
    bokmal = sum(1 for word in words if word in _BOKMAL)
    return ("nn" if nynorsk > bokmal else "nb"), nynorsk, bokmal


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-zæøåéèêòóô]+", text.lower())


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) of `text` around `start`-`end`, without its full stop."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 if left >= 0 else 0: right].strip().rstrip(".")
