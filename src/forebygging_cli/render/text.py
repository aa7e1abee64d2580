"""Words shared by the human-readable renderers (terminal, Markdown): grouping
by plan and level, the plan's own level label, ages with the rule used, and
marks for values the plan does not state."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Plan
from ..parse import CONTROL_CHARACTER
from ..query import Match, unit_names
from ..vocab import LEVELS

#: Marks a value the encoder inferred (the plan does not state it).
DERIVED_MARK = "†"

def printable(text: str) -> str:
    """Text with control characters shown as \\xNN, so a plan file can neither
    move the terminal's cursor nor break an XML report."""
    return CONTROL_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def grouped(matches: Sequence[Match]) -> list[tuple[Plan, list[tuple[str, list[Match]]]]]:
    """[(plan, [(level, matches), ...]), ...] in plan order, levels universal → indicated."""
    plans: dict[str, tuple[Plan, dict[str, list[Match]]]] = {}
    for match in matches:
        _, by_level = plans.setdefault(match.plan.path, (match.plan, {}))
        by_level.setdefault(match.measure.level, []).append(match)
    return [
        (plan, [(level, by_level[level]) for level in LEVELS if level in by_level])
        for plan, by_level in plans.values()
    ]


def level_heading(plan: Plan, level: str, matches: Sequence[Match]) -> str:
    label = plan.level_label(level)
    if any(m.measure.is_derived("level") for m in matches):
        return f"{label} {DERIVED_MARK} (nivået er utledet; planen deler ikke tiltakene inn i nivåer)"
    return label


def target_words(match: Match) -> str:
    """The plan's own words for the target group; when it has none, the audience
    (marked † when the encoder inferred it)."""
    target = match.measure.target
    if target.text:
        return target.text
    from ..vocab import AUDIENCES

    words = ", ".join(AUDIENCES[a] for a in target.audience)
    return f"{words} {DERIVED_MARK}" if match.measure.is_derived("target.audience") else words


def age_text(match: Match, rules: bool = False) -> str:
    """"13-15 år" with the rule used ("8.-10. trinn = 13-15 år (trinn N = N+5 år)") when computed."""
    span = match.measure.target.span
    if match.age_unknown or not span.known:
        return "alder ikke oppgitt"
    text = span.label()
    if match.measure.age_derived:
        text += f" {DERIVED_MARK}"
    if rules and span.rules:
        text += " (" + "; ".join(span.rules) + ")"
    return text


def responsible_text(match: Match) -> str:
    text = ", ".join(unit_names(match.plan, match.measure))
    if match.measure.is_derived("responsible"):
        text += f" {DERIVED_MARK}"
    return text


def count_line(matches: Sequence[Match]) -> str:
    plans = len({m.plan.path for m in matches})
    unknown = sum(1 for m in matches if m.age_unknown)
    derived = any(m.measure.derived for m in matches)
    line = f"{len(matches)} tiltak i {plans} plan{'er' if plans != 1 else ''}"
    if unknown:
        line += f" ({unknown} uten oppgitt alder)"
    if derived:
        line += f". {DERIVED_MARK} = utledet: står ikke i planen, vurdert av den som la inn planen"
    return line
