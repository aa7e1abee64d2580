"""Words shared by the renderers for people (terminal, Markdown, CSV): grouping
by plan and level, the plan's own level labels, ages with the rule used, and
marks for values the plan does not state. Every word comes from the
catalogues, in the language of the run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import ages
from ..i18n import _, ngettext, number
from ..controls import printable  # noqa: F401 - the renderers' one way to show plan text
from ..query import Match, unit_names
from ..vocab import LEVELS, audience_label

if TYPE_CHECKING:  # only named in annotations: a query the store answers never imports the model
    from ..model import Measure, Plan

#: Marks a value the encoder inferred (the plan does not state it).
DERIVED_MARK = "†"


def derived_note() -> str:
    return _("{mark} = derived: not stated in the plan, but inferred by whoever encoded it").format(mark=DERIVED_MARK)


def grouped(matches: Sequence[Match]) -> list[tuple[Plan, list[tuple[str, list[Match]]]]]:
    """[(plan, [(level, matches), ...]), ...] in plan order, levels universal → indicated."""
    plans: dict[str, tuple[Plan, dict[str, list[Match]]]] = {}
    for match in matches:
        _plan, by_level = plans.setdefault(match.plan.path, (match.plan, {}))
        by_level.setdefault(match.measure.level, []).append(match)
    return [
        (plan, [(level, by_level[level]) for level in LEVELS if level in by_level])
        for plan, by_level in plans.values()
    ]


def level_heading(plan: Plan, level: str, matches: Sequence[Match]) -> str:
    label = plan.level_label(level)
    if any(m.measure.is_derived("level") for m in matches):
        return _("{label} {mark} (the level is derived; the plan does not sort its measures into levels)").format(
            label=label, mark=DERIVED_MARK)
    return label


def staff_only(measure: Measure) -> bool:
    """The measure reaches the child only through staff (its audience is professionals alone)."""
    return measure.target.audience == ("professionals",)


def target_words(match: Match) -> str:
    """The plan's own words for the target group; when it has none, the audience
    (marked † when the encoder inferred it)."""
    target = match.measure.target
    if target.text:
        return target.text
    words = ", ".join(audience_label(a) for a in target.audience)
    return f"{words} {DERIVED_MARK}" if match.measure.is_derived("target.audience") else words


def age_text(match: Match, rules: str = "none") -> str:
    """"13-15 år", marked † when derived. rules="short" adds what the plan
    stated ("13-15 år (8.-10. trinn)"), rules="full" the rule as well
    ("13-15 år (8.-10. trinn: trinn N = N+5 år)")."""
    span = match.measure.target.span
    if match.age_unknown or not span.known:
        return _("age not stated")
    text = span.label()
    if match.measure.age_derived:
        text += f" {DERIVED_MARK}"
    if rules == "short" and span.rules:
        text += " (" + ", ".join(ages.rule_source(rule) for rule in span.rules) + ")"
    elif rules == "full" and span.rules:
        text += " (" + "; ".join(ages.rule_note(rule) for rule in span.rules) + ")"
    return text


def age_rules(matches: Sequence[Match]) -> list[str]:
    """The general age rules the rows use, each once ("trinn N = N+5 år", "barnehage = 1-5 år")."""
    rules: dict[ages.AgeRule, None] = {}  # each rule once, in the order the rows first use it
    for match in matches:
        if not match.age_unknown:
            rules.update(dict.fromkeys(match.measure.target.span.rules))
    return list(dict.fromkeys(map(ages.rule_basis, rules)))


def age_rules_line(matches: Sequence[Match]) -> str:
    rules = age_rules(matches)
    return _("Age rules: {rules}").format(rules="; ".join(rules)) if rules else ""


def responsible_text(match: Match) -> str:
    text = ", ".join(unit_names(match.plan, match.measure))
    if match.measure.is_derived("responsible"):
        text += f" {DERIVED_MARK}"
    return text


@dataclass(frozen=True)
class Tally:
    """What the count line says of the matches: how many, how many of them state no age, whether any has
    something derived. Added up plan by plan where a query's plans are let go as they are shown."""

    found: int = 0
    unknown: int = 0
    derived: bool = False

    @classmethod
    def of(cls, matches: Sequence[Match]) -> Tally:
        return cls(len(matches), sum(1 for m in matches if m.age_unknown), any(m.measure.derived for m in matches))

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.found + other.found, self.unknown + other.unknown, self.derived or other.derived)


def count_line(matches: Sequence[Match], left_out: int = 0, plans: int | None = None) -> str:
    """"Fant 31 tiltak. 2 planer ble søkt i." (two sentences: one count of measures, the plans searched,
    so that "1 measure in 2 plans" is never read as one measure that is in two plans), what an age filter
    left out and how to see it, and what † means."""
    return tally_line(Tally.of(matches), left_out, plans if plans is not None else len({m.plan.path for m in matches}))


def tally_line(tally: Tally, left_out: int, plan_count: int) -> str:
    """count_line of the matches `tally` counts, in `plan_count` plans searched."""
    line = ngettext("Found {count} measure.", "Found {count} measures.", tally.found).format(
        count=number(tally.found))
    line += " " + ngettext("{count} plan was searched.", "{count} plans were searched.", plan_count).format(
        count=number(plan_count))
    unknown = tally.unknown
    if unknown:
        line += " " + ngettext("{count} of them states no age (marked).", "{count} of them state no age (marked).",
                               unknown).format(count=unknown)
    if left_out:
        line += " " + ngettext(
            "{count} measure was left out because it states no age; add --include-unknown-age to see it.",
            "{count} measures were left out because they state no age; add --include-unknown-age to see them.",
            left_out).format(count=number(left_out))
    if tally.derived:
        line += " " + derived_note() + "."
    return line


#: a word longer than this may be folded (a 3,000-character name must not widen the table past the screen)
LONGEST_WHOLE_WORD = 32


def longest_word(texts: Iterable[object]) -> int:
    """The length of the longest word (up to LONGEST_WHOLE_WORD) in `texts`: the narrowest a column may be
    so that it wraps between words, never inside one (12.6.2024, plans/lier.yaml, svangerskap)."""
    return min(LONGEST_WHOLE_WORD, max((len(word) for text in texts for word in str(text).split()), default=0))
