"""The domain's controlled vocabularies: prevention levels, audiences, stages and
services, with the Norwegian words people type for them.

Pure data and lookups; no I/O. Used by validation messages ("did you mean
..."), by query's filter parsing and by the renderers' labels.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

LEVELS: tuple[str, ...] = ("universal", "selected", "indicated")

#: The reform's own Norwegian names, used when a plan gives no label of its own.
LEVEL_DEFAULT_LABELS: Mapping[str, str] = {
    "universal": "Universelle tiltak",
    "selected": "Selekterte tiltak",
    "indicated": "Indikerte tiltak",
}

#: Every way a person may write a level on the command line (normalised form).
LEVEL_ALIASES: Mapping[str, str] = {
    "universal": "universal",
    "universell": "universal",
    "universelle": "universal",
    "universelt": "universal",
    "bra for alle": "universal",
    "selected": "selected",
    "selective": "selected",
    "selektert": "selected",
    "selekterte": "selected",
    "selektiv": "selected",
    "selektive": "selected",
    "nyttig for noen": "selected",
    "indicated": "indicated",
    "indikert": "indicated",
    "indikerte": "indicated",
    "indisert": "indicated",
    "indiserte": "indicated",
    "nodvendig for enkelte": "indicated",
}

AUDIENCES: Mapping[str, str] = {
    "children": "barn og unge",
    "parents": "foreldre og foresatte",
    "pregnant": "gravide",
    "families": "familier",
    "professionals": "ansatte",
}

REQUIRES_DECISION_LABELS: Mapping[str, str] = {"yes": "Ja", "no": "Nei", "varies": "Ja/nei"}

#: The shared service vocabulary, so queries and comparisons work across
#: municipalities. Keys are what plan files use; values are what people read.
SERVICES: Mapping[str, str] = {
    "barnehage": "Barnehage",
    "skole": "Skole og SFO",
    "kulturskole": "Kulturskole",
    "helsestasjon": "Helsestasjon og skolehelsetjeneste",
    "jordmor": "Jordmortjeneste og svangerskapsomsorg",
    "ppt": "PP-tjenesten (PPT)",
    "barnevern": "Barneverntjeneste",
    "nav": "NAV",
    "kultur-fritid": "Kultur og fritid",
    "folkehelse": "Folkehelse og miljørettet helsevern",
    "helse-omsorg": "Helse- og omsorgstjenester",
    "koordinerende-enhet": "Koordinerende enhet og tildeling",
    "psykisk-helse-rus": "Psykisk helse og rus",
    "flyktning": "Flyktningtjeneste",
    "lege": "Legetjeneste",
    "spesialisthelsetjeneste": "Spesialisthelsetjeneste (BUP)",
    "politi": "Politi",
    "frivillig": "Frivillige og eksterne samarbeidspartnere",
    "annet": "Annet",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching what people type.

    Norwegian letters fold to what a keyboard without them gives: ø→o, æ→ae,
    å→a, so "nodvendig" finds "nødvendig" and "pp-tjenesten" finds "PP-tjenesten".
    """
    text = text.casefold().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("–", "-").replace("—", "-").split())


def parse_level(text: str) -> str | None:
    """The level a person meant by `text` ("Nødvendig for enkelte", "indikerte tiltak" → "indicated"), or None."""
    words = fold(text).replace("_", " ")
    return LEVEL_ALIASES.get(words) or LEVEL_ALIASES.get(words.removesuffix(" tiltak"))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, for "did you mean ...?" hints."""
    import difflib

    folded = {fold(c): c for c in choices}
    match = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None
