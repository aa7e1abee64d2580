"""A national corpus for the benchmark: 357 valid plan files, one per
municipality, alternating Lier- and Os-sized.

Each plan is one of the repository's two real plans under another
municipality's name, made a little different from every other: the name and
the e-mail domain change everywhere, each measure's description gains a
sentence with æøå, one measure in seven is left out, the adoption date and
the period move. Every field the real plans use is used. The files are
written in `fmt`'s canonical shape. Deterministic: the same seed gives the
same corpus, so two runs of the benchmark measure the same files.

    python bench/corpus.py DIR [COUNT]   # writes DIR/plans/*.yaml (357, or COUNT) and prints how many

Past 400 plans (the one-part names) the names have two parts ("Sørfjord-dal
kommune"), so a 3,000-plan corpus begins with the 357-plan one.
"""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from forebygging_cli.fmt import emit  # noqa: E402
from forebygging_cli.parse import parse  # noqa: E402

#: 357 municipalities, the number Norway has had since 2024
COUNT = 357

_FIRST = ["Aust", "Vest", "Nord", "Sør", "Øvre", "Nedre", "Indre", "Ytre", "Store", "Lille", "Midt", "Øst", "Ny",
          "Gamle", "Høg", "Lang", "Stor", "Bjørk", "Gran", "Fjell"]
_SECOND = ["fjord", "dal", "ås", "øy", "vik", "bø", "strand", "nes", "berg", "haug", "lia", "sand", "mo", "våg",
           "heim", "rud", "seter", "elv", "bakke", "myr"]
_SENTENCES = [
    "Tilbudet evalueres årlig i samarbeid med brukerne.",
    "Tiltaket gjennomføres i nært samarbeid med foresatte og skolen.",
    "Kommunen vurderer å utvide tilbudet til flere årskull i løpet av planperioden.",
    "Tjenesten følger opp med kartlegging etter behov og gir råd om videre hjelp.",
    "Ansatte får opplæring i å se og møte barn og unge som strever.",
    "Tiltaket er forankret i oppvekstreformens krav om tidlig innsats.",
]


def names(count: int = COUNT) -> list[str]:
    """`count` different municipality names with æøå, e.g. "Sørfjord kommune"."""
    found = [f"{first}{second} kommune" for first in _FIRST for second in _SECOND]
    chosen = sorted(set(found), key=lambda name: (hash_of(name), name))[:count]
    if count > len(chosen):  # a larger corpus (bench/run.py --national 3000): two-part names after these
        more = [f"{first}{second}-{third} kommune" for first in _FIRST for second in _SECOND for third in _SECOND
                if third != second]
        chosen += sorted(more, key=lambda name: (hash_of(name), name))[:count - len(chosen)]
    return chosen


def hash_of(text: str) -> int:
    return sum((index + 1) * ord(char) for index, char in enumerate(text)) % 9973


def slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A", " ": "-"})
    return name.lower().translate(table).removesuffix("-kommune")


def variant(base: dict, name: str, number: int, rng: random.Random, origin: str) -> dict:
    """The plan `base` as if it were `name`'s, a little different from every other."""
    plan = copy.deepcopy(base)
    short = name.removesuffix(" kommune")
    domain = f"{slug(name)}.kommune.no"
    plan["municipality"]["name"] = name

    def rename(value):
        if isinstance(value, str):
            return value.replace(origin, short).replace(f"{origin.lower()}.kommune.no", domain)
        if isinstance(value, list):
            return [rename(item) for item in value]
        if isinstance(value, dict):
            return {key: rename(item) for key, item in value.items()}
        return value

    plan = rename(plan)
    plan["municipality"]["name"] = name
    measures = plan["measures"]
    kept = [m for index, m in enumerate(measures) if (index + number) % 7 or index == 0]
    for measure in kept:
        if "description" in measure:
            measure["description"] = f"{measure['description']} {rng.choice(_SENTENCES)}"
    plan["measures"] = kept
    adopted = plan["plan"].get("adopted")
    if isinstance(adopted, dict) and "date" in adopted:
        year = 2022 + number % 4
        adopted["date"] = f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        if isinstance(plan["plan"].get("period"), dict):
            plan["plan"]["period"] = {"from": year, "to": year + 4}
    return plan


def write(directory: Path, count: int = COUNT, seed: int = 357) -> list[Path]:
    """Write the corpus into directory/plans; return the files."""
    sources = {stem: parse((ROOT / "plans" / f"{stem}.yaml").read_text(encoding="utf-8"))[0]
               for stem in ("lier", "os")}
    origins = {"lier": "Lier", "os": "Os"}
    rng = random.Random(seed)
    target = directory / "plans"
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for number, name in enumerate(names(count)):
        stem = "lier" if number % 2 == 0 else "os"
        plan = variant(sources[stem], name, number, rng, origins[stem])
        path = target / f"{slug(name)}.yaml"
        path.write_text("# yaml-language-server: $schema=../schemas/plan.schema.json\n" + emit(plan), encoding="utf-8")
        files.append(path)
    return files


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python bench/corpus.py DIR [COUNT]")
    written = write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else COUNT)
    print(f"{len(written)} plans in {Path(sys.argv[1]) / 'plans'}")
