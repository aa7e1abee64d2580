"""Whom a measure is for, read from the plan's words: the target text (the
words that name who the measure is for, verbatim), the ages, grades and stages
they state (the tool computes the age range from them: ages.py), and who takes
part (the audience).

The rules follow docs/encoding.md: write what the plan says; a number range
without "år" is read as ages but marked derived; a row that speaks only of
"skole" gets the grunnskole stage, derived; nothing the plan does not state is
written. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ages import HIGHEST_GRADE
from ..vocab import stages_in_text

# -- the target text ---------------------------------------------------------------------------------

#: nouns that name who a measure is for (lowercase, as written), bokmål and nynorsk
_PEOPLE = (r"barn|barnet|barna|born|borna|unge|ungdom|ungdommen|ungdommer|ungdomar|elever|elevene|elevar|elevane|"
           r"eleven|foreldre|foreldra|foreldrene|foresatte|føresette|familier|familiar|familien|familiene|"
           r"barnefamilier|barnefamiliar|lavinntektsfamilier|gravide|nybakte|nyfødte|nyfødt|spedbarn|ansatte|"
           r"tilsette|lærere|lærarar|voksne|vaksne|deltakere|deltakarar|skolestartere|skulestartarar|jenter|gutter|"
           r"innbyggere|samarbeidspartnere|partnere|[a-zæøå]+unger|[a-zæøå]*familier|[a-zæøå]+foreldre")
_ADJECTIVE = (r"alle|hele|heile|hver|kvar|sårbare|utsatte|nyankomne|enslige|mindreårige|andre|nye|eksterne|"
              r"videregående|vidaregåande|det|den|de|dei|ufødte|nybakte|enkelte|einskilde")
_GRADE = r"(?:\d{1,2}\.?\s?[-–]\s?\d{1,2}\.?\s?trinn\w*|\d{1,2}\.\s?trinn\w*|\d{1,2}\.\s?klasse\w*|vg[1-3])"
_STAGE = r"(?:barnehage\w*|skole(?:n|r|ne)?|skule(?:n|ar|ane)?|sfo|grunnskole\w*|ungdomsskole\w*|videregående|vgs)"
_ITEM = rf"(?:(?:{_ADJECTIVE})\s+)*(?:(?P<people>(?:{_PEOPLE})s?)|{_GRADE}|(?P<stage>{_STAGE}))\b"
_ITEM_RE = re.compile(_ITEM, re.IGNORECASE)
_JOIN = re.compile(r"\s*[,/]\s*|\s+(?:og|eller)\s+|\s+", re.IGNORECASE)
_LEADS = re.compile(r"(?:(?:^|(?<=\s))(?:for|til|mot|på|hos|overfor|blant|i|hvor|der|bistår|bistå|hjelper|støtter|"
                    r"gir|gi|hjelpe|opp|pålagt)|(?<=ing\s)av)\s+(?=\S)|^[A-ZÆØÅ][a-zæøå]+ing\s+(?=\S)", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s+(?:(?:som|med|fra|frå|i|på|under|mellom|til|hvor|der|uten)\b|\d)|\s+og\s+(?:i|på)\s|"
                        r",\s+[A-ZÆØÅ]\w+\s+skole\w*", re.IGNORECASE)
#: where a target phrase ends: a new sentence, a clause of purpose or time, or what the measure does
_STOP = re.compile(
    r"(?:\.\s+(?=[A-ZÆØÅ0-9«])|\.$|\.\.|;|:\s|\s+(?:slik at|for å|for at|etter behov|ut i|mot aktivitet|"
    r"tilgang til|i vinter|med tilhørende|i saker|som avlastning|(?<!som )får\s|kan\s|vil\s|skal\s|muligheter|"
    r"hver\s+(?:mandag|tirsdag|onsdag|torsdag|fredag|dag|uke)|kl\.|lokalisert|rolla|rollen)|,\s+(?:både med|"
    r"tirsdager|mandager|onsdager|torsdager|fredager|lørdager|søndager|lokalisert|veiledning|for å|og behov)|"
    r"\s+(?=[A-ZÆØÅ][a-zæøå]+\s+(?:er|tilbyr|har|skal|kan|utføres)\b)|\s+(?=Se\s)"
    r"|\s+(?=Veiledningen|Gjennomføres|Tiltak\b|Brukermedvirkning|Institusjon))")
_LEAD = re.compile(r"\b(?:[Mm]ålgruppen? er|[Mm]ålgruppa er|[Mm]ålgruppe:)\s+", re.UNICODE)
_AGE_PHRASE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\s?år\b")
_ABBREVIATIONS = re.compile(r"\b(?:pga|f\.eks|bl\.a|ca|kl|osv|mv|nr|inkl|evt|jf|ifht|m\.m|dvs)\.$", re.IGNORECASE)


def target_text(text: str, *, whole_cell_is_target: bool = False, sentences: int = 2) -> str | None:
    """The words of `text` (a description cell, or a cell that holds both the
    description and the target group) that name who the measure is for,
    verbatim, or None. `whole_cell_is_target`: the cell is a target column's."""
    text = text.strip()
    if not text:
        return None
    if whole_cell_is_target:
        return text
    lead = _LEAD.search(text)
    if lead:
        return _until(text[lead.end():], sentence_only=True)
    start = _phrase(text)
    if start is not None and start[0] == 0 and not _starts_with_bare_stage(text):
        return _until(text, sentence_only=not _bare_start(text))
    for sentence in _sentences(text)[:sentences]:
        for match in _LEADS.finditer(sentence):
            rest = sentence[match.end():]
            if re.match(r"(?i)å\s", rest):
                continue
            found = _phrase(rest)
            if found is None:
                continue
            _begin, end, genitive = found
            verb = match.group(0).strip().lower()
            after = rest[end:]
            if genitive or (verb not in ("gi", "gir") and _QUALIFIER.match(after)) or \
                    (verb in ("gi", "gir") and re.match(r"\s+som\b", after)):
                result = _until(rest)
            else:
                result = rest[:end].strip(" ,")
            if result:
                return result
        age = _AGE_PHRASE.search(sentence)
        if age:
            return age.group(0)
    return None


def _phrase(text: str) -> tuple[int, int, bool] | None:
    """(start, end, ends in a genitive) of the noun phrase of people, grades or stages that `text` starts with:
    one or more items joined by commas, slashes, "og" and "eller". A phrase of stages alone needs two of them or
    a word such as "alle" ("alle barnehagene", "barnehage og skole"), not "i skolen"."""
    match = _ITEM_RE.match(text)
    if not match:
        return None
    end = match.end()
    items = [match]
    while True:
        join = _JOIN.match(text, end)
        if not join:
            break
        following = _ITEM_RE.match(text, join.end())
        if not following:
            break
        items.append(following)
        end = following.end()
    stages_only = all(item.group("stage") and not item.group("people") for item in items)
    if stages_only and len(items) == 1 and not re.match(rf"(?i)(?:{_ADJECTIVE})\s", text):
        return None
    genitive = bool(items[-1].group("people") and items[-1].group("people").lower().endswith("s")
                    and not re.fullmatch(rf"(?i){_PEOPLE}", items[-1].group("people")))
    return match.start(), end, genitive


def _starts_with_bare_stage(text: str) -> bool:
    return bool(re.match(r"(?i)(?:barnehage|skole|skule)\w*\s+(?!og|eller)", text))


def _bare_start(text: str) -> bool:
    """A cell that starts with a bare noun and goes on with what is done ("Ungdom ut i jobb")."""
    return bool(re.match(rf"(?i)(?:{_PEOPLE})\s+(?:ut|inn|til|på)\s", text))


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])", text)
    out: list[str] = []
    for part in parts:
        if out and _ABBREVIATIONS.search(out[-1]):
            out[-1] += " " + part  # "pga. Omsorgssituasjonen" is one sentence
        elif part:
            out.append(part)
    return out


def _until(text: str, sentence_only: bool = False) -> str | None:
    if sentence_only:
        match = re.search(r"\.\s+(?=[A-ZÆØÅ0-9«])|\.\.|\.$|,\s+både med|,\s+og behov|\s+(?=Gjennomføres|"
                          r"Veiledningen|Brukermedvirkning|Institusjon|Tiltak\b|Se\s)", text)
        if _bare_start(text):
            match = re.search(r"\s+(?:ut|inn|til|på)\s", text)
        found = text[: match.start()] if match else text
    else:
        match = _STOP.search(text)
        found = text[: match.start()] if match else text
    found = found.strip().rstrip(",;:").strip()
    found = re.sub(r"\.+$", "", found) if not re.search(r"\b(?:osv|mv|mm|m\.m|bl\.a)\.\)?$", found) else found
    return found or None


# -- ages, grades and stages -------------------------------------------------------------------------


@dataclass
class Ages:
    """What a target states about age: the plan file's `ages`, `grades` and
    `stages`, and which of them are inferred (`derived`, with the reason)."""

    ages: dict[str, int] | None = None
    grades: dict[str, int] | None = None
    stages: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


_DASH = r"\s?[-–—]\s?"
_AGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\bfra\s+(\d{1,2})\s*(?:år\s+)?til\s+fylte\s+(\d{1,2})"), "from-until"),
    (re.compile(r"(?i)\b(?:til|opp\s+til)\s+fylte\s+(\d{1,2})"), "until"),
    (re.compile(r"(?i)\b(?:mellom|fra|frå)\s+(\d{1,2})\s+(?:og|til)\s+(\d{1,2})\s*år"), "range"),
    (re.compile(rf"(?i)\b(\d{{1,2}}){_DASH}(\d{{1,2}})\s*år"), "range"),
    (re.compile(r"(?i)\b(?:under|yngre enn)\s+(\d{1,2})\s*år"), "under"),
    (re.compile(r"(?i)\b(?:til og med|opp til)\s+(\d{1,2})\s*år"), "up-to"),
    (re.compile(r"(?i)\b(?:over|eldre enn)\s+(\d{1,2})\s*år"), "over"),
    (re.compile(r"(?i)\b(?:fra|frå)\s+(\d{1,2})\s*år"), "from"),
    (re.compile(r"(?i)\b(\d{1,2})\s*år\b"), "single"),
)
_BARE_RANGE = re.compile(rf"(?<![\d.:,])\b(\d{{1,2}}){_DASH}(\d{{1,2}})\b(?![.:,]\d)(?!\s*(?:trinn|klasse|år|\.))")
_GRADE_RANGE = re.compile(rf"(?i)\b(\d{{1,2}})\.?{_DASH}(\d{{1,2}})\.?\s?(?:trinn|klasse|klassetrinn)")
_GRADE_LIST = re.compile(r"(?i)\b(\d{1,2})\.\s?(?:og|,)\s?(\d{1,2})\.\s?(?:trinn|klasse)")
_GRADE_ONE = re.compile(r"(?i)\b(\d{1,2})\.\s?(?:trinn|klasse|klassetrinn)")
_VG = re.compile(r"(?i)\bvg\s?([1-3])(?:\s?[-–]\s?vg\s?([1-3]))?\b")
_SCHOOL = re.compile(r"(?i)\b(?:skole|skolen|skoler|skolene|skolefravær|lierskolen|skule|skulen|skular|skulane)\b")
_STEPS = {"mellomtrinnet": (5, 7), "småskoletrinnet": (1, 4), "småtrinnet": (1, 4), "mellomsteget": (5, 7),
          "småskulesteget": (1, 4)}


def read_ages(text: str) -> Ages:
    """The ages, grades and stages `text` states (docs/encoding.md's table of cases)."""
    found = Ages()
    if not text:
        return found
    ages = _ages(text)
    if ages is not None:
        found.ages = ages
    grades = _grades(text)
    if grades is not None:
        found.grades = {"from": grades[0], "to": grades[1]}
    for stage in stages_in_text(text):  # the tool's one stage vocabulary, in both written forms (vocab.py)
        if stage not in found.stages:
            found.stages.append(stage)
    if found.ages is None and found.grades is None:
        bare = _BARE_RANGE.search(text)
        if bare and re.search(r"(?i)\b(?:ungdom|barn|unge|elever)\b", text):
            low, high = int(bare.group(1)), int(bare.group(2))
            if low <= high <= 30:
                found.ages = {"from": low, "to": high}
                found.derived.append("target.ages")
                found.reasons.append("bare-range")
    school_stages = {"barneskole", "ungdomsskole", "grunnskole", "vgs", "sfo", "skolestart"}
    if found.grades is None and not school_stages & set(found.stages) and _SCHOOL.search(text):
        found.stages.append("grunnskole")
        found.derived.append("target.stages")
        found.reasons.append("school")
    if "ettervern" in found.stages and found.ages is None:
        pass
    return found


def _ages(text: str) -> dict[str, int] | None:
    for pattern, kind in _AGE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        numbers = [int(g) for g in match.groups() if g is not None]
        if any(n > 120 for n in numbers):
            continue
        if kind == "from-until" and numbers[0] < numbers[1]:
            return {"from": numbers[0], "until": numbers[1]}
        if kind == "until":
            return {"from": 0, "until": numbers[0]} if numbers[0] > 0 else None
        if kind == "range" and numbers[0] <= numbers[1]:
            return {"from": numbers[0], "to": numbers[1]}
        if kind == "under" and numbers[0] > 0:
            return {"from": 0, "to": numbers[0] - 1}
        if kind == "up-to":
            return {"from": 0, "to": numbers[0]}
        if kind == "over":
            return {"from": numbers[0] + 1}
        if kind == "from":
            return {"from": numbers[0]}
        if kind == "single" and not re.search(r"(?i)\b(?:i|per|hvert|kvart|om)\s*$", text[: match.start()]):
            return {"from": numbers[0], "to": numbers[0]}
    return None


def _grades(text: str) -> tuple[int, int] | None:
    lows: list[int] = []
    highs: list[int] = []
    for match in _GRADE_RANGE.finditer(text):
        lows.append(int(match.group(1)))
        highs.append(int(match.group(2)))
    # "6.-7. og 8.-10. trinn": a range that stands before "og" with the grade word after the second
    for match in re.finditer(rf"\b(\d{{1,2}})\.?{_DASH}(\d{{1,2}})\.\s?og\s", text):
        lows.append(int(match.group(1)))
        highs.append(int(match.group(2)))
    for match in _GRADE_LIST.finditer(text):
        lows.append(int(match.group(1)))
        highs.append(int(match.group(2)))
    if not lows:
        for match in _GRADE_ONE.finditer(text):
            lows.append(int(match.group(1)))
            highs.append(int(match.group(1)))
    for match in _VG.finditer(text):
        lows.append(10 + int(match.group(1)))
        highs.append(10 + int(match.group(2) or match.group(1)))
    for word, (low, high) in _STEPS.items():
        if re.search(rf"(?i)\b{word}\b", text):
            lows.append(low)
            highs.append(high)
    pairs = [(lo, hi) for lo, hi in zip(lows, highs) if 1 <= lo <= hi <= HIGHEST_GRADE]
    if not pairs:
        return None
    return min(lo for lo, _ in pairs), max(hi for _, hi in pairs)


# -- who takes part ----------------------------------------------------------------------------------

_AUDIENCE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(?:gravide?|svangerskap\w*)\b"), "pregnant"),
    (re.compile(r"(?i)\b(?:foreldre\w*|foresatte|føresette|omsorgspersoner|mødre|fedre|nybakte)\b"), "parents"),
    (re.compile(r"(?i)\b(?:familie|familien|familier|familiene|familiar|barnefamilier|barnefamiliar|"
                r"\w+familier)\b"), "families"),
    (re.compile(r"(?i)\b(?:ansatte|tilsette|lærere|lærarar|personell|fagfolk|ansatt|veiledere|ledere)\b"),
     "professionals"),
    (re.compile(r"(?i)\b(?:barn|barnet|barna|born|borna|unge|ungdom\w*|elev\w*|jenter|gutter|"
                r"skolestartere|nyfødte?|spedbarn|\w+unger|\w*klassegrupper)\b|\d\.\s?trinn|\btrinn\b"), "children"),
)


def audience_of(text: str) -> list[str]:
    """Who takes part, from the words of `text`, in the schema's order of first mention."""
    found: list[tuple[int, str]] = []
    for pattern, audience in _AUDIENCE:
        match = pattern.search(text or "")
        if match:
            found.append((match.start(), audience))
    # "foreldre med barn ...", "familier som har barn ...": the children are the reason, not the participants
    ordered = [audience for _start, audience in sorted(found)]
    if ordered and ordered[0] in ("parents", "families") and "children" in ordered:
        head = (text or "")[: 60]
        if re.match(r"(?i)\s*(?:\w+\s+)?(?:foreldre|familier|foresatte|familiar)\s+(?:med|som har|til|som)\b", head):
            ordered.remove("children")
    if "professionals" in ordered and re.search(r"(?i)\b(?:ansatte|tilsette)\s+i\s+(?:andre\s+)?\w+", text or "") \
            and "children" in ordered and re.search(r"(?i)som følger opp barn", text or ""):
        ordered.remove("children")
    return ordered
