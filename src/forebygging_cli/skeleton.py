"""`forebygging new`: the plan file a municipality starts from.

Every section barnevernsloven § 15-1 and the guidance ask for, each with a
comment (in the run's language, from the catalogues) that says what belongs
there and which rule checks it, and one example measure per level,
commented out, that shows ages, grades and stages. The file validates with
completeness findings only (FB3xx): they tell the planner what to fill in.
Pure: returns the text.
"""

from __future__ import annotations

import re

from .i18n import _
from .vocab import slug


def stem_for(municipality: str) -> str:
    """The file stem and id of a municipality: "Fjordvik kommune" -> "fjordvik", "Bø i Telemark" -> "bo-i-telemark"."""
    name = re.sub(r"\s+(kommune|kommun|municipality)\s*$", "", municipality.strip(), flags=re.IGNORECASE)
    return slug(name) or slug(municipality)


def _comment(text: str, indent: int = 0) -> list[str]:
    """A comment of one or more lines, each at most about 88 characters."""
    words = text.split()
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > 86 - indent:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return [" " * indent + "# " + piece for piece in lines]


def _example(line: str, indent: int = 0) -> list[str]:
    """A commented-out line of YAML, kept as it is (its indentation shows the structure)."""
    return [" " * indent + "# " + line]


#: What the examples of a new plan say, in the plan's written language (they are the plan's own words, not
#: the tool's: they come from here, not from the catalogues).
EXAMPLE_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "levels": "Tiltak for alle|Tiltak for noen|Tiltak for enkelte",
        "goal": "Tidlig innsats til barn og unge",
        "health": "Helsestasjon og skolehelsetjeneste", "ppt": "PP-tjenesten", "child-welfare": "Barneverntjenesten",
        "culture": "Kultur og fritid", "team": "Ressursteam", "meets": "annenhver uke",
        "club": "Fritidsklubben", "club-text": "Åpen møteplass for ungdom, fredager 18-22.",
        "pregnant": "Sårbare gravide", "pregnant-text": "Tett oppfølging av gravide med ekstra behov.",
        "aftercare": "Ettervern", "aftercare-text": "Oppfølging etter fylte 18 år.",
        "aftercare-target": "ungdom fra 18 til 25 år", "definition": "Omsorgssvikt", "domain": "Individ",
    },
    "nn": {
        "levels": "Tiltak for alle|Tiltak for nokre|Tiltak for einskilde",
        "goal": "Tidleg innsats for barn og unge",
        "health": "Helsestasjon og skulehelseteneste", "ppt": "PP-tenesta", "child-welfare": "Barnevernstenesta",
        "culture": "Kultur og fritid", "team": "Ressursteam", "meets": "kvar fjortande dag",
        "club": "Fritidsklubben", "club-text": "Open møteplass for ungdom, fredagar 18-22.",
        "pregnant": "Sårbare gravide", "pregnant-text": "Tett oppfølging av gravide med ekstra behov.",
        "aftercare": "Ettervern", "aftercare-text": "Oppfølging etter fylte 18 år.",
        "aftercare-target": "ungdom frå 18 til 25 år", "definition": "Omsorgssvikt", "domain": "Individ",
    },
}


def skeleton(municipality: str, schema_reference: str, language: str = "nb") -> str:
    """The text of a new plan file for `municipality` written in `language` (nb or nn): its comments in the
    run's language, its examples in the plan's; `schema_reference` is the path of the schema, relative to
    the file, for the editor's modeline. Every commented example can be uncommented as it is: the lists
    hold them as items of a flow list, `[ ... ]`, so the file stays valid YAML either way (`forebygging
    fmt` then writes them in the block shape)."""
    c, e = _comment, _example
    w = EXAMPLE_WORDS[language]
    universal, selected, indicated = w["levels"].split("|")
    lines = [f"# yaml-language-server: $schema={schema_reference}"]
    lines += c(_("Plan for preventing neglect and behavioural problems (barnevernsloven § 15-1) for {municipality}, "
                 "as data. Fill in what the plan document says, in its own words; `forebygging validate` says what "
                 "is missing, and `forebygging rules ID` explains each rule.").format(municipality=municipality))
    lines += ["schema_version: 1", "municipality:", f"  name: {_plain(municipality)}"]
    lines += c(_("The plan: title and adoption. The law requires the municipal council itself to adopt the plan "
                 "(FB301) with a date (FB302); a period says when it is revised (FB313); follow-up says who reports "
                 "on it, to whom and how often (FB315)."))
    lines += ["plan:"]
    lines += c(_("The title as it stands on the plan's front page."), 2)
    lines += ["  title: " + _plain(_("Plan for preventing neglect and behavioural problems"))]
    lines += c(_("The plan's written language: nb (bokmål) or nn (nynorsk). What is published from the plan (its "
                 "page, its document, the council's diff) speaks it."), 2)
    lines += [f"  language: {language}"]
    lines += c(_("When the council has adopted the plan, write the decision here:"), 2)
    lines += e("adopted: {by: kommunestyret, date: YYYY-MM-DD, case_number: ...}", 2)
    lines += e("period: {from: 2025, to: 2028}", 2)
    lines += c(_("purpose: the plan's own sentences on what it is for, one item each."), 2)
    lines += e("follow_up: ...", 2)
    lines += c(_("The document the plan file is made from (its file name or title), so every value can be traced to "
                 "it."), 2)
    lines += ["  source:", "    file: " + _plain(_("(the plan document's file name)"))]
    lines += c(_("The plan's own names for the three levels, as its tables are headed (for example \"Bra for alle\"); "
                 "without them, the reform's names are shown."))
    lines += e("levels:")
    lines += e(f"  universal: {{label: {universal}}}")
    lines += e(f"  selected: {{label: {selected}}}")
    lines += e(f"  indicated: {{label: {indicated}}}")
    lines += c(_("Principles: what the work builds on, passage by passage, each with its source line."))
    lines += e("principles:")
    lines += e("  - title: ...")
    lines += e("    text: ...")
    lines += c(_("Goals, with sub-goals and strategies (the law requires goals: FB303)."))
    lines += e("goals:")
    lines += e(f"  - id: {slug(w['goal'])}")
    lines += e(f"    title: {w['goal']}")
    lines += e("    sub_goals:")
    lines += e("      - {number: 1, title: ..., strategies: [...]}")
    lines += c(_("Risk and protective factors the measures work against and build (FB314)."))
    lines += e("knowledge_base:")
    lines += e("  risk_and_protective_factors:")
    lines += e(f"    - {{domain: {w['domain']}, protective: [...], risk: [...]}}")
    lines += c(_("How the work is organised and divided between the services (the law asks for it)."))
    lines += e("organisation:")
    lines += e("  text: ...")
    lines += c(_("The units responsible for measures, once each; measures refer to them by id (FB201). `service` "
                 "is the shared vocabulary: barnehage, skole, helsestasjon, ppt, barnevern, nav, kultur-fritid, ... "
                 "A unit nothing refers to is a warning (FB319)."))
    lines += ["units: ["]
    lines += e(f"{{id: helsestasjon, name: {w['health']}, service: helsestasjon}},", 2)
    lines += e(f"{{id: ppt, name: {w['ppt']}, aliases: [PPT], service: ppt}},", 2)
    lines += e(f"{{id: barnevern, name: {w['child-welfare']}, service: barnevern}},", 2)
    lines += e(f"{{id: kultur-og-fritid, name: {w['culture']}, service: kultur-fritid}},", 2)
    lines += ["  ]"]
    lines += c(_("Collaboration arenas and teams: who meets, how often, established or planned (the law requires "
                 "them: FB305)."))
    lines += e("collaboration:")
    lines += e(f"  - {{id: {slug(w['team'])}, name: {w['team']}, kind: team, status: established, members: [...], "
               f"meets: {{text: {w['meets']}}}}}")
    lines += c(_("Coordinators (barnekoordinator, IP-koordinator), and how unclear responsibility is escalated."))
    lines += e("coordinators:")
    lines += e("  - {id: barnekoordinator, name: Barnekoordinator, role: ..., status: established}")
    lines += e("escalation:")
    lines += e("  text: ...")
    lines += c(_("Definitions the plan gives, and its sources."))
    lines += e("definitions:")
    lines += e(f"  - {{term: {w['definition']}, text: ...}}")
    lines += e("sources:")
    lines += e("  - {title: ..., url: https://...}")
    lines += c(_("The measures, one item each, on three levels: universal (for all), selected (for groups at risk) "
                 "and indicated (for one child or family). The guidance expects measures on every level (FB311) and "
                 "for every age band (FB312); each measure states its ages, grades or stages when the plan does "
                 "(FB316), its responsible units (FB304) and, where the plan says so, whether it requires a formal "
                 "decision (requires_decision: yes, no or varies)."))
    lines += ["measures: ["]
    lines += c(_("A universal measure for a school grade range: grades are converted to ages (grade N = age N+5)."), 2)
    lines += e(f"{{id: {slug(w['club'])}, name: {w['club']}, level: universal,", 2)
    lines += e(f" description: {_quoted(w['club-text'])},", 2)
    lines += e(" target: {text: 8.-10. trinn, grades: {from: 8, to: 10}, audience: [children]},", 2)
    lines += e(" responsible: [kultur-og-fritid]},", 2)
    lines += c(_("A selected measure for a life stage: pregnancy is a stage of its own, never age 0."), 2)
    lines += e(f"{{id: {slug(w['pregnant'])}, name: {w['pregnant']}, level: selected,", 2)
    lines += e(f" description: {_quoted(w['pregnant-text'])},", 2)
    lines += e(" target: {text: gravide, stages: [pregnancy], audience: [pregnant]},", 2)
    lines += e(" responsible: [helsestasjon]},", 2)
    lines += c(_("An indicated measure with ages stated in years; 'until' is the birthday it ends at (til fylte 25)."), 2)
    lines += e(f"{{id: {slug(w['aftercare'])}, name: {w['aftercare']}, level: indicated,", 2)
    lines += e(f" description: {_quoted(w['aftercare-text'])},", 2)
    lines += e(f" target: {{text: {w['aftercare-target']}, ages: {{from: 18, until: 25}}, audience: [children]}},", 2)
    lines += e(" responsible: [barnevern], requires_decision: \"yes\"},", 2)
    lines += ["  ]"]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A text in double quotes, as a flow mapping needs it when it holds a comma."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain(text: str) -> str:
    from .fmt import scalar

    return scalar(text)
