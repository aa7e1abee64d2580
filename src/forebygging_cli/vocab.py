"""The domain's controlled vocabularies: prevention levels, audiences, stages,
services and the other enumerations of the plan file, with their labels (in
the language of the run) and the words people type for them (in either
language, whatever the run's language).

Pure data and lookups; no I/O. Used by validation messages ("did you mean
..."), by query's filter parsing and by the renderers' labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from .ages import STAGES
from .i18n import N_, _

LEVELS: tuple[str, ...] = ("universal", "selected", "indicated")

#: The reform's names, shown when a plan gives no label of its own.
LEVEL_DEFAULT_LABELS: Mapping[str, str] = {
    "universal": N_("Universal measures"),
    "selected": N_("Selected measures"),
    "indicated": N_("Indicated measures"),
}

#: Every way a person may write a level on the command line (folded form).
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
    # the headings plans give their tables: "Tiltak for alle / noen / enkelte" (nynorsk: alle / nokre /
    # einskilde, which written_forms() writes as these)
    "tiltak for alle": "universal",
    "tiltak for noen": "selected",
    "tiltak for enkelte": "indicated",
}

AUDIENCES: Mapping[str, str] = {
    "children": N_("children and young people"),
    "parents": N_("parents and guardians"),
    "pregnant": N_("pregnant women"),
    "families": N_("families"),
    "professionals": N_("staff"),
}

#: Words people type for an audience, in either language (folded form).
AUDIENCE_WORDS: Mapping[str, str] = {
    "children": "children", "child": "children", "youth": "children", "young people": "children",
    "barn": "children", "unge": "children", "ungdom": "children", "barn og unge": "children",
    "parents": "parents", "parent": "parents", "guardians": "parents", "foreldre": "parents",
    "foresatte": "parents", "foreldre og foresatte": "parents",
    "pregnant": "pregnant", "gravid": "pregnant", "gravide": "pregnant", "pregnant women": "pregnant",
    "families": "families", "family": "families", "familie": "families", "familier": "families",
    "professionals": "professionals", "staff": "professionals", "ansatte": "professionals",
    "ansatt": "professionals", "fagfolk": "professionals",
}

REQUIRES_DECISION_LABELS: Mapping[str, str] = {"yes": N_("Yes"), "no": N_("No"), "varies": N_("Yes/no")}

ARENA_STATUS_LABELS: Mapping[str, str] = {"established": N_("established"), "planned": N_("planned")}

COORDINATOR_STATUS_LABELS: Mapping[str, str] = {
    "established": N_("established"), "planned": N_("planned"), "required-by-law": N_("required by law"),
}

#: The shared service vocabulary, so queries and comparisons work across
#: municipalities. Keys are what plan files use; values are what people read.
SERVICES: Mapping[str, str] = {
    "barnehage": N_("Kindergarten"),
    "skole": N_("School and after-school care"),
    "kulturskole": N_("Municipal school of arts"),
    "helsestasjon": N_("Health centre and school health service"),
    "jordmor": N_("Midwife and antenatal care"),
    "ppt": N_("Educational-psychological service (PPT)"),
    "barnevern": N_("Child welfare service"),
    "nav": N_("Labour and welfare service (NAV)"),
    "kultur-fritid": N_("Culture and leisure"),
    "folkehelse": N_("Public health"),
    "helse-omsorg": N_("Health and care services"),
    "koordinerende-enhet": N_("Coordinating unit and allocation"),
    "psykisk-helse-rus": N_("Mental health and substance use"),
    "flyktning": N_("Refugee service"),
    "lege": N_("Doctors"),
    "spesialisthelsetjeneste": N_("Specialist health service (BUP)"),
    "politi": N_("Police"),
    "frivillig": N_("Voluntary and external partners"),
    "annet": N_("Other"),
}

#: The Norwegian names of the services, which people type whatever the run's language.
SERVICE_WORDS_NB: Mapping[str, str] = {
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

#: Words people type for a life stage, in either language (folded form).
STAGE_WORDS: Mapping[str, str] = {
    "pregnancy": "pregnancy", "prenatal": "pregnancy", "gravid": "pregnancy", "gravide": "pregnancy",
    "svangerskap": "pregnancy", "newborn": "newborn", "infant": "newborn", "nyfodt": "newborn",
    "nyfodte": "newborn", "spedbarn": "newborn", "barnehage": "barnehage", "kindergarten": "barnehage",
    "skolestart": "skolestart", "skolestartere": "skolestart", "school start": "skolestart", "sfo": "sfo",
    "barneskole": "barneskole", "barnetrinn": "barneskole", "primary school": "barneskole",
    "ungdomsskole": "ungdomsskole", "ungdomstrinn": "ungdomsskole", "lower secondary school": "ungdomsskole",
    "grunnskole": "grunnskole", "compulsory school": "grunnskole", "vgs": "vgs", "videregaende": "vgs",
    "ungdomstrinnet": "ungdomsskole", "barnetrinnet": "barneskole", "barnehagealder": "barnehage",
    "barnehagebarn": "barnehage", "smabarn": "barnehage", "barnehager": "barnehage", "barnehagar": "barnehage",
    "ufodte": "pregnancy", "ufodt": "pregnancy", "nybakte foreldre": "newborn", "nybakte foresatte": "newborn",
    "skolestartarar": "skolestart", "barneskoler": "barneskole", "ungdomsskoler": "ungdomsskole",
    "videregaende skole": "vgs", "upper secondary school": "vgs", "ettervern": "ettervern", "aftercare": "ettervern",
}


def level_counts(levels: Iterable[str]) -> dict[str, int]:
    """How many of `levels` (each a measure's level) fall on each prevention level, in LEVELS order."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        counts[level] += 1
    return counts


def parse_stage_word(text: str) -> str | None:
    """The stage a person meant ("gravide", "barnehagen", "VGS", "ungdomsskule"), or None."""
    folded = fold_words(text)
    return STAGE_WORDS.get(folded) or STAGE_WORDS.get(folded.removesuffix("n"))


def stages_in_text(text: str) -> list[str]:
    """The stages a plan's own words name (a target text: "elevar på ungdomsskulen", "gravide",
    "barn i barnehagealder"), in either written form, each once, in STAGES order."""
    words = fold_words(text)
    found = set()
    for word, stage in STAGE_WORDS.items():
        if re.search(rf"(?<![\w-]){re.escape(word)}(?:en|n|a|ne)?(?![\w-])", words):
            found.add(stage)
    return [stage for stage in STAGES if stage in found]


#: Norwegian words a planner may write for an enumerated value of the plan
#: file, by the field's name; validation suggests the English key.
NORWEGIAN_VALUES: Mapping[str, Mapping[str, str]] = {
    "requires_decision": {"ja": "yes", "nei": "no", "ja/nei": "varies", "varierer": "varies"},
    "audience": {k: v for k, v in AUDIENCE_WORDS.items()},
    "stages": STAGE_WORDS,
    "status": {"etablert": "established", "etablerte": "established", "finnes": "established",
               "planlagt": "planned", "planlagte": "planned", "lovpalagt": "required-by-law"},
    "kind": {"mote": "meeting", "moter": "meeting", "nettverk": "network", "modell": "model",
             "samarbeidsmodell": "model"},
    "service": {fold_name: key for key, name in SERVICE_WORDS_NB.items()
                for fold_name in (name.casefold(), key)},
}

#: An id: lowercase letters, digits and single hyphens (the schema's pattern).
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


#: Nynorsk and bokmål write some of the domain's words differently. Matching what people type (units,
#: words, levels, audiences, stages, and the page's word filter) treats the two written forms alike by
#: writing each nynorsk form as its bokmål one, after fold(): so "barnevernstenesta" is
#: "barnevernstjenesten", "Foreldrerettleiing" is "foreldreveiledning", "ungdomsskule" is "ungdomsskole".
#: Parts of words (a compound's part: skulehelsetenesta, foreldrerettleiing), in this order; `fold`
#: has already written ø, æ and å as o, ae and a.
WRITTEN_FORM_PARTS: tuple[tuple[str, str], ...] = (
    ("rettleiing", "veiledning"), ("rettleiar", "veileder"), ("rettleie", "veilede"),
    ("tenestene", "tjenestene"), ("tenester", "tjenester"), ("tenesta", "tjenesten"), ("teneste", "tjeneste"),
    ("skulane", "skolene"), ("skular", "skoler"), ("skulen", "skolen"), ("skule", "skole"),
    ("foresette", "foresatte"), ("forebyggjande", "forebyggende"), ("forebyggande", "forebyggende"),
    ("vidaregaande", "videregaende"), ("atferdsvanskar", "atferdsvansker"),
    ("utviklingshemming", "utviklingshemning"), ("oppfolgjing", "oppfolging"),
)
#: Whole words, where a part would also match inside other words ("born" in "borne").
WRITTEN_FORM_WORDS: Mapping[str, str] = {
    "born": "barn", "borna": "barna", "nokre": "noen", "nokon": "noen", "einskilde": "enkelte",
    "einskild": "enkelt", "naudsynt": "nodvendig", "naudsynte": "nodvendige", "tilsette": "ansatte",
    "tilsett": "ansatt", "familiar": "familier", "familiane": "familiene", "kvar": "hver", "ikkje": "ikke",
    "heile": "hele", "smaskulesteget": "smaskoletrinnet",
}
_WHOLE_WORD = re.compile(r"[^\W_]+")


def written_forms(folded: str) -> str:
    """A folded text with its nynorsk forms written as bokmål (WRITTEN_FORM_PARTS, WRITTEN_FORM_WORDS)."""
    for nynorsk, bokmal in WRITTEN_FORM_PARTS:
        if nynorsk in folded:
            folded = folded.replace(nynorsk, bokmal)
    return _WHOLE_WORD.sub(lambda word: WRITTEN_FORM_WORDS.get(word.group(), word.group()), folded)


def fold_words(text: str) -> str:
    """What matching compares: the text folded (fold) and in one written form (written_forms)."""
    return written_forms(fold(text))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching what people type.

    Norwegian letters fold to what a keyboard without them gives: ø→o, æ→ae,
    å→a, so "nodvendig" finds "nødvendig" and "pp-tjenesten" finds "PP-tjenesten".
    """
    text = text.casefold().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("–", "-").replace("—", "-").split())


def slug(text: str) -> str:
    """An id made from a name: "Åpen barnehage" -> "apen-barnehage", "Bø i Telemark" -> "bo-i-telemark"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def parse_level(text: str) -> str | None:
    """The level a person meant by `text` ("Nødvendig for enkelte", "indikerte tiltak", "Tiltak for einskilde"
    → "indicated"), or None."""
    words = fold_words(text.replace("_", " "))
    return LEVEL_ALIASES.get(words) or LEVEL_ALIASES.get(words.removesuffix(" tiltak"))


def english_value(field: str, value: str) -> str | None:
    """The English key for a Norwegian word written in a plan file (`Nei` for
    requires_decision -> `no`), or None."""
    if field == "level":
        return parse_level(value)
    if field == "stages":
        return parse_stage_word(value)
    words = NORWEGIAN_VALUES.get(field, {})
    return words.get(fold_words(value)) or words.get(fold(value)) or words.get(value.casefold())


def service_label(service: str) -> str:
    return _(SERVICES[service])


def audience_label(audience: str) -> str:
    return _(AUDIENCES[audience])


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, for "did you mean ...?" hints."""
    import difflib

    folded = {fold_words(c): c for c in choices}
    match = difflib.get_close_matches(fold_words(word), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


# -- unit names as people type them -------------------------------------------------

_TJENESTE = re.compile(r"^(?P<stem>.+?)s?tjenest(?:en|er|ene|e)?$")
_INFLECTION = ("ene", "ne", "en", "et", "er", "a", "e")


def word_key(word: str) -> str:
    """A folded word stem for comparing unit names in the forms people type:
    definite and plural endings go (helsestasjonen -> helsestasjon), and a
    compound on -tjeneste(n) is its first part (barnevernstjenesten,
    barneverntjenesten -> barnevern), so "barnevern", "barnevernet" and
    "barneverntjenesten" are one word."""
    word = fold_words(word)
    compound = _TJENESTE.match(word)
    if compound and len(compound.group("stem")) >= 2:
        word = compound.group("stem")
    for ending in _INFLECTION:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def word_keys(text: str) -> list[str]:
    """The word keys of a name: "PP-tjenesten (PPT)" -> ["pp", "tjenest", "ppt"]."""
    return [word_key(w) for w in re.findall(r"[^\W_]+", fold_words(text))]
