"""The finder of the published page: what the browser needs to answer exactly
as `forebygging query` answers, computed here and shipped to the page as data.
Pure: no I/O.

`query` is the one definition of every filter's meaning. What can be computed
in Python is computed here from it, per measure: the age span (`AgeSpan`:
lowest and highest age, pregnancy, no stated age), the level, the audience,
whether only staff take part, the units whose choice finds the measure (a unit
stands for itself and its sub-units: `query.matching_units`), and the folded
text `--text` searches (`query.search_text`).

What must run in the browser is splitting and folding what a person types.
It follows written rules that mirror `query.search_terms` (shlex's POSIX
split, and on an unbalanced quote the words as they are) and
`vocab.fold_words`; the tables those rules use are shipped from here, derived
from the Python functions themselves rather than retyped:

* `casefold`: each character whose fold is not what the browser's own
  `toLowerCase`, NFKD and dropping the combining marks give (ß → ss, ø → o,
  æ → ae, – → -, ς → σ, ...), with its fold as `vocab.fold` computes it;
* `combining`: the characters `unicodedata.combining` calls combining;
* `whitespace`: what Python's `str.split()` splits on;
* `parts`, `words`: the nynorsk and bokmål forms (`vocab.WRITTEN_FORM_*`);
* the age and grade grammars (`query.AGE_PATTERN`, `query.GRADE_PATTERN`)
  as JavaScript patterns, the digits Python's `int` reads, the highest age and
  grade, and each grade range's ages (`ages.grade_ages`).

tests/test_page_filters.py feeds one list of awkward inputs to both sides and
requires equal results.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .. import ages
from ..i18n import N_, _, available, ngettext, number, pgettext, speaking
from ..model import Measure, Plan
from ..query import AGE_PATTERN, GRADE_PATTERN, HIGHEST_AGE, matching_units, search_text
from ..vocab import AUDIENCES, LEVELS, WRITTEN_FORM_PARTS, WRITTEN_FORM_WORDS, fold, slug
from .text import staff_only

#: the levels in plain words, for a parent (the plan's own names stand beside them)
LEVEL_WORDS: Mapping[str, str] = {
    "universal": N_("For everyone"),
    "selected": N_("For some"),
    "indicated": N_("For a few"),
}
#: what each level means, in one line
LEVEL_EXPLANATIONS: Mapping[str, str] = {
    "universal": N_("Open to every child, young person and family."),
    "selected": N_("For children and families who need a little extra, before problems grow."),
    "indicated": N_("For a child or family who already struggles and needs help now."),
}


def level_words(level: str) -> str:
    return _(LEVEL_WORDS[level])


def level_explanation(level: str) -> str:
    return _(LEVEL_EXPLANATIONS[level])


# ---------------------------------------------------------------------------
# per measure


def unit_choices(plan: Plan) -> dict[str, frozenset[str]]:
    """Each unit's id -> the units choosing it stands for, as `query --unit ID` finds them (itself, its
    sub-units, and any unit whose name the id names)."""
    return {unit.id: frozenset(matching_units(plan, [unit.id])) for unit in plan.units}


def measure_filters(plan: Plan, measure: Measure, choices: Mapping[str, frozenset[str]],
                    unit_key: str = "{unit}") -> dict[str, Any]:
    """What the finder filters one measure by. `units` lists the unit choices that find it (`unit_key`
    names them: the unit's id on a plan's page, the plan and the unit on the site's index)."""
    span = measure.target.span
    responsible = set(measure.responsible)
    return {
        "level": measure.level,
        "age_known": span.known,
        "age_min": span.low,
        "age_max": span.high,
        "prenatal": span.prenatal,
        "audience": list(measure.target.audience),
        "staff_only": staff_only(measure),
        "units": [unit_key.format(unit=unit_id) for unit_id, found in choices.items() if found & responsible],
        "search": search_text(plan, measure),
    }


# ---------------------------------------------------------------------------
# the rules the browser runs, as data


def _browser_fold(character: str) -> str:
    """What the browser's own functions make of one character: lower case, NFKD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", character.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def _characters() -> tuple[str, ...]:
    """Every assigned character (an unassigned or private one folds to itself, and is no digit, space or
    combining mark), in code point order."""
    return tuple(c for c in map(chr, range(0x110000)) if unicodedata.category(c) not in ("Cn", "Co", "Cs"))


def _ranges(codes: Iterable[int]) -> str:
    """Code points as the inside of a JavaScript character class (`u` flag): \\u{300}-\\u{36f}..."""
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"\\u{{{low:x}}}" if low == high else f"\\u{{{low:x}}}-\\u{{{high:x}}}" for low, high in spans)


@functools.lru_cache(maxsize=1)
def folding() -> dict[str, Any]:
    """The tables of `vocab.fold_words` for the browser (see the module's docstring). `fold` works one
    character at a time (casefold, ø/æ/å, NFKD, dropping combining marks, dashes), so each character's
    fold is `fold("a" + c + "a")` without its ends; whitespace is split on afterwards, as `fold` does."""
    casefold = {}
    for character in _characters():
        if character.isspace():
            continue
        folded = fold(f"a{character}a")[1:-1]
        if folded != _browser_fold(character):
            casefold[character] = folded
    return {
        "casefold": casefold,
        "combining": _ranges(ord(c) for c in _characters() if unicodedata.combining(c)),
        "whitespace": _ranges(ord(c) for c in _characters() if c.isspace()),
        "parts": [list(pair) for pair in WRITTEN_FORM_PARTS],
        "words": dict(WRITTEN_FORM_WORDS),
    }


def javascript_pattern(pattern: str) -> str:
    """A Python pattern of the kind query's grammars are (groups, classes, counts) as a JavaScript one
    with the `u` flag: `\\d` and `\\s` mean in JavaScript what they mean in Python (any decimal digit,
    any whitespace), so they are spelt out."""
    whitespace = folding()["whitespace"]
    return re.sub(r"\\([ds])", lambda m: r"\p{Nd}" if m.group(1) == "d" else f"[{whitespace}]", pattern)


@functools.lru_cache(maxsize=1)
def grammar() -> dict[str, Any]:
    """The age and grade fields' grammar: `query.parse_age` and `query.parse_grade`'s patterns, the digits
    `int` reads (the zero of each run of ten), and the bounds."""
    zeros = [ord(c) for c in _characters() if unicodedata.category(c) == "Nd" and unicodedata.decimal(c) == 0]
    return {
        "age": javascript_pattern(AGE_PATTERN),
        "grade": javascript_pattern(GRADE_PATTERN),
        "zeros": zeros,
        "highest_age": HIGHEST_AGE,
        "highest_grade": ages.HIGHEST_GRADE,
        #: grade_ages[low][high]: the ages of grades low-high (ages.grade_ages), for 1 <= low <= high
        "grade_ages": [[list(ages.grade_ages(low, high)) if low and low <= high else None
                        for high in range(ages.HIGHEST_GRADE + 1)] for low in range(ages.HIGHEST_GRADE + 1)],
    }


# ---------------------------------------------------------------------------
# the address: ?alder=13&for=foreldre


def parameter_names() -> dict[str, str]:
    """Each filter's name in the page's address, in the active language."""
    return {
        # Translators: the names of the filters in the page's address (?alder=13&for=foreldre): lowercase
        # letters, digits and hyphens only; they are documented in the README.
        "age": pgettext("address", "age"),
        "grade": pgettext("address", "grade"),
        "for": pgettext("address", "for"),
        "level": pgettext("address", "level"),
        "unit": pgettext("address", "unit"),
        "plan": pgettext("address", "plan"),
        "words": pgettext("address", "words"),
        "unknown": pgettext("address", "with-unknown-age"),
        "staff": pgettext("address", "hide-staff"),
    }


def value_words() -> dict[str, dict[str, str]]:
    """The words the address writes for chosen values, in the active language."""
    return {
        "for": {
            # Translators: who a measure is for, as the page's address writes it (?for=foreldre): lowercase
            # letters, digits and hyphens only.
            "children": pgettext("address", "children"),
            "parents": pgettext("address", "parents"),
            "pregnant": pgettext("address", "pregnant"),
            "families": pgettext("address", "families"),
            "professionals": pgettext("address", "professionals"),
        },
        "level": {
            # Translators: a prevention level as the page's address writes it (?niva=noen): lowercase letters,
            # digits and hyphens only.
            "universal": pgettext("address", "universal"),
            "selected": pgettext("address", "selected"),
            "indicated": pgettext("address", "indicated"),
        },
        "yes": {"yes": pgettext("address", "yes")},
    }


def address(language: str) -> dict[str, Any]:
    """What the page writes in its address (in `language`), and what it reads: the names and words of
    every language the tool speaks, English among them, so a link made on a page in one language works on
    a page in another."""
    with speaking(language):
        names = {key: slug(name) or key for key, name in parameter_names().items()}
        values = {kind: {key: slug(word) or key for key, word in words.items()} for kind, words in value_words().items()}
    read_names: dict[str, str] = {}
    read_values: dict[str, dict[str, str]] = {kind: {} for kind in values}
    for other in available():
        with speaking(other):
            for key, name in parameter_names().items():
                read_names.setdefault(slug(name) or key, key)
            for kind, words in value_words().items():
                for key, word in words.items():
                    read_values[kind].setdefault(slug(word) or key, key)
    for key in names:  # the keys themselves (English) always
        read_names.setdefault(key, key)
    for kind, words in values.items():
        for key in words:
            read_values[kind].setdefault(key, key)
    read_values["yes"].update({"1": "yes", "true": "yes"})
    return {"write": {"names": names, "values": values}, "read": {"names": read_names, "values": read_values}}


# ---------------------------------------------------------------------------
# the page's own words


def _counted(message: Callable[[int], str], most: int) -> dict[str, Any]:
    """A message whose form depends on a count from 0 to `most` (`message(count)` gives it): its forms, and
    for each count which form (the catalogue's plural rule, applied here so the browser needs none)."""
    forms: list[str] = []
    index = []
    for count in range(most + 1):
        text = message(count)
        if text not in forms:
            forms.append(text)
        index.append(forms.index(text))
    return {"forms": forms, "index": index}


def messages(total: int) -> dict[str, Any]:
    """What the finder says, in the active language. {shown}, {total} and {count} are filled in by the
    page; counts up to `total`."""
    return {
        "showing": ngettext("Showing {shown} of {total} measure.", "Showing {shown} of {total} measures.", total),
        "all": ngettext("Showing the {total} measure.", "Showing all {total} measures.", total),
        "left_out": _counted(lambda count: ngettext(
            "{count} measure was left out because it states no age.",
            "{count} measures were left out because they state no age.", count), total),
        "include": _counted(lambda count: ngettext(
            "Also show the one with no stated age", "Also show the {count} with no stated age", count), total),
        "included": _counted(lambda count: ngettext(
            "{count} of them states no age (marked).", "{count} of them state no age (marked).", count), total),
        "staff_hidden": _counted(lambda count: ngettext(
            "{count} measure only for staff is hidden.", "{count} measures only for staff are hidden.", count),
            total),
        "empty": _("No measure matches. Try another age or grade, fewer words, or all levels and units."),
        "empty_unknown": _("No measure with a stated age matches; the measures that state no age may still "
                           "fit: show them with the button above."),
        "linked": _("Shown because the link points to it; the filters chosen would hide it."),
        "age_invalid": _("“{value}” is not an age. Write a whole number of years (13), a range (13-15), or 13- "
                         "for 13 and older."),
        "age_reversed": _("“{value}” ends before it starts. Write the lower age first ({high}-{low})."),
        "age_implausible": _("“{value}” is not a plausible age. Ages run from 0 to 120."),
        "grade_invalid": _("“{value}” is not a school grade. Write a grade from 1 to 13 (8), VG1-VG3, or a range "
                           "(8-10)."),
        "grade_range": _("“{value}”: grades run from 1 to 13 (VG1-VG3 are 11-13), the lower grade first."),
        "thousands": number(1000)[1:-3],
    }


def level_help() -> dict[str, str]:
    """Each level's one-line explanation, shown under the level field when the level is chosen."""
    return {**{level: f"{level_words(level)}: {level_explanation(level)}" for level in LEVELS}}


def page_data(total: int, language: str) -> dict[str, Any]:
    """Everything the page's script reads, in one JSON island."""
    return {"fold": folding(), "grammar": grammar(), "address": address(language), "messages": messages(total),
            "level_help": level_help()}


def audience_choices() -> list[dict[str, str]]:
    """The who-is-it-for field's choices: the audiences, with their labels in the active language."""
    return [{"key": key, "label": _(label)} for key, label in AUDIENCES.items()]


def level_choices(plan: Plan | None = None) -> list[dict[str, str]]:
    """The level field's choices: plain words, and the plan's own name for the level where it has one."""
    out = []
    for level in LEVELS:
        words = level_words(level)
        label = plan.level_label(level) if plan is not None else None
        text = _("{words} ({label})").format(words=words, label=label) if label and fold(label) != fold(words) else words
        out.append({"key": level, "words": words, "label": label, "text": text, "explanation": level_explanation(level)})
    return out


__all__ = ["LEVEL_EXPLANATIONS", "LEVEL_WORDS", "address", "audience_choices", "folding", "grammar",
           "javascript_pattern", "level_choices", "level_explanation", "level_help", "level_words", "measure_filters",
           "messages", "page_data", "unit_choices"]

