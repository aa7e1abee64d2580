"""A generated Word document for the import benchmark: a plan of 500
measures on three levels, about 100 pages, written with python-docx the way a
municipality writes one (a title page, an adoption sentence, goals as a
list, a level heading over each measures table, a header row Word repeats on
each page, cells of several paragraphs, a unit cell merged down over rows).

    python bench/docx_corpus.py /tmp/plan.docx     # writes the file
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

LEVELS = (("Universelle tiltak", 200), ("Selekterte tiltak", 170), ("Indikerte tiltak", 130))
UNITS = ("Helsestasjon og skolehelsetjeneste", "PP-tjenesten", "Barneverntjenesten", "NAV", "Kultur og fritid",
         "Barnehagene", "Skolene", "Kulturskolen", "Flyktningtjenesten", "Koordinerende enhet")
TARGETS = ("8.-10. trinn", "barn 0-5 år", "gravide", "foreldre til barn i barnehagen", "ungdom 13-18 år",
           "alle elever i ungdomsskolen", "familier med barn under 18 år", "1.-4. trinn", "ungdom fra 18 år til fylte 25",
           "ansatte i barnehage og skole")
WORDS = ("tilbud", "samarbeid", "oppfølging", "veiledning", "foreldre", "barn", "unge", "trygg", "oppvekst",
         "kommunen", "tjenesten", "aktivitet", "gruppe", "samtaler", "hjemme", "skole", "barnehage", "fritid",
         "helse", "læring", "mestring", "trivsel", "tidlig", "innsats")


def write(path: Path, measures: int = 500, seed: int = 19) -> Path:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rng = random.Random(seed)
    document = Document()
    document.add_heading("Plan for forebygging av omsorgssvikt og atferdsproblemer", level=0)
    document.add_paragraph("Benkvik kommune")
    document.add_paragraph("Vedtatt av kommunestyret 12.6.2025, sak PS 45/25. Planperiode 2025–2028.")
    document.add_heading("Mål", level=1)
    for goal in ("Alle barn skal ha en trygg oppvekst", "Tidlig hjelp til dem som trenger det"):
        document.add_paragraph(goal, style="List Bullet")
    scale = measures / sum(count for _name, count in LEVELS)
    number = 0
    for heading, count in LEVELS:
        document.add_heading(heading, level=2)
        document.add_paragraph("Tiltakene på dette nivået, ordnet etter tjeneste.")
        rows = round(count * scale)
        table = document.add_table(rows=rows + 1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Tiltak", "Beskrivelse", "Målgruppe", "Ansvarlig",
                                                    "Krever vedtak")):
            cell.text = text
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(header)
        for index in range(1, rows + 1):
            number += 1
            cells = table.rows[index].cells
            cells[0].text = f"Tiltak {number} " + " ".join(rng.sample(WORDS, 2))
            sentences = [" ".join(rng.sample(WORDS, 12)).capitalize() + "." for _ in range(3)]
            cells[1].text = sentences[0]
            for sentence in sentences[1:]:
                cells[1].add_paragraph(sentence)
            cells[2].text = rng.choice(TARGETS)
            first, second = rng.sample(UNITS, 2)
            cells[3].text = first
            cells[3].add_paragraph(second)
            cells[4].text = rng.choice(("Ja", "Nei", "Ja/nei"))
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
