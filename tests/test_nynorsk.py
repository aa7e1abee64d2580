"""Nynorsk (issue 18): a third language for everything the tool says, a plan
that declares its own language and is published in it, and the words people
type matched in both written forms.

The nynorsk plan these tests use is tests/fixtures/fjellvik.yaml, a made-up
municipality written as nynorsk municipalities write their plans."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, PLANS, findings

FJELLVIK = FIXTURES / "fjellvik.yaml"
FJELLVIK_TEXT = FJELLVIK.read_text(encoding="utf-8")
#: words only bokmål writes; the tool's own words in a nynorsk document or page must use none of them
BOKMAL_ONLY = ("ikke", "hva", "hvordan", "ansvarlig", "tjenesten", "skole", "vedtatt", "endringer", "advarsler",
               "sammenlignet", "veiledning", "foresatte", "enhet", "kilde", "utledet", "hvem", "noen", "enkelte",
               "beskrivelse", "deltakere", "tjenester")


def words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]+", text)}


def bokmal_words(text: str) -> list[str]:
    return sorted(words(text) & set(BOKMAL_ONLY))


class VisibleText(HTMLParser):
    """The text a reader of a page sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def plan_copy(tmp_path: Path, text: str = FJELLVIK_TEXT, name: str = "fjellvik.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the plan declares its language, and what is published speaks it ------------------------------


def test_the_fixture_is_a_valid_nynorsk_plan_in_the_canonical_shape(cli):
    result = cli("validate", str(FJELLVIK))
    assert result.code == 0 and not [f for f in findings(result.stdout) if f["severity"] == "error"]
    assert cli("fmt", "--check", str(FJELLVIK)).code == 0
    prose = "\n".join(line for line in FJELLVIK_TEXT.split("\n")[4:] if "service:" not in line)  # not the codes
    assert bokmal_words(prose) == []  # the fixture itself is nynorsk


@pytest.mark.parametrize("run_language", ["nb", "en", "nn"])
def test_the_markdown_document_speaks_the_plans_language_whatever_the_runs(cli, run_language):
    result = cli("render", str(FJELLVIK), "--format", "markdown", env={"FOREBYGGING_LANG": run_language})
    assert result.code == 0
    assert bokmal_words(result.stdout) == [], result.stdout
    for nynorsk in ("Vedteken av kommunestyret", "Ansvarleg", "Tiltak for nokre", "Barnevernstenesta"):
        assert nynorsk in result.stdout, nynorsk


def test_the_page_speaks_nynorsk_and_says_so(cli, tmp_path):
    page = tmp_path / "fjellvik.html"
    assert cli("render", str(FJELLVIK), "--format", "html", "-o", str(page), env={"FOREBYGGING_LANG": "nb"}).code == 0
    html = page.read_text(encoding="utf-8")
    assert '<html lang="nn">' in html
    text = visible_text(html)
    assert bokmal_words(text) == [], bokmal_words(text)
    assert "Barnevernsteneste" in text  # the shared service's name in nynorsk


def test_lang_still_decides_when_it_is_given(cli):
    bokmal = cli("--lang", "nb", "render", str(FJELLVIK), "--format", "markdown").stdout
    assert "Vedtatt av kommunestyret" in bokmal
    lier_in_nn_run = cli("render", str(PLANS / "lier.yaml"), "--format", "markdown", env={"FOREBYGGING_LANG": "nn"})
    assert "Vedtatt av kommunestyret" in lier_in_nn_run.stdout  # Lier writes bokmål: its page is bokmål
    lier_asked_in_nn = cli("--lang", "nn", "render", str(PLANS / "lier.yaml"), "--format", "markdown")
    assert "Vedteken av kommunestyret" in lier_asked_in_nn.stdout


def test_the_terminal_view_of_a_nynorsk_plan_is_nynorsk(cli):
    result = cli("render", str(FJELLVIK), env={"FOREBYGGING_LANG": "nb", "COLUMNS": "120"})
    assert bokmal_words(result.stdout) == [], bokmal_words(result.stdout)


def test_coverage_markdown_of_one_language_speaks_it_and_of_both_the_runs(cli):
    alone = cli("coverage", str(FJELLVIK), "--format", "markdown", env={"FOREBYGGING_LANG": "nb"}).stdout
    assert bokmal_words(alone) == [] and "Tiltak per førebyggingsnivå" in alone
    mixed = cli("coverage", str(FJELLVIK), str(PLANS / "lier.yaml"), "--format", "markdown",
                env={"FOREBYGGING_LANG": "en"}).stdout
    assert "Measures per prevention level and age band" in mixed  # no plan's language speaks for the other


def revision(text: str) -> str:
    """A realistic revision of Fjellvik's plan: a measure moves level, one is added, a team meets more
    often, a measure gets another unit, and the plan period is extended."""
    text = text.replace("  - id: foreldrerettleiing\n    name: Foreldrerettleiing i grupper\n    level: selected\n",
                        "  - id: foreldrerettleiing\n    name: Foreldrerettleiing i grupper\n    level: universal\n")
    text = text.replace("      text: kvar månad\n      per_year: 10\n", "      text: kvar veke\n      per_year: 40\n")
    text = text.replace("    to: 2029\n", "    to: 2030\n")
    text = text.replace("    responsible:\n      - kultur\n  - id: skulehelsetenesta",
                        "    responsible:\n      - kultur\n      - skule\n  - id: skulehelsetenesta")
    return text + """  - id: leksehjelp
    name: Leksehjelp på biblioteket
    level: universal
    description: Frivillige gir leksehjelp til elevar på mellomtrinnet kvar tysdag.
    target:
      text: elevar på 5.-7. trinn
      grades:
        from: 5
        to: 7
      audience:
        - children
    responsible:
      - kultur
"""


def test_the_council_diff_is_nynorsk_from_its_first_line_to_its_last(cli, tmp_path):
    (tmp_path / "old").mkdir()
    old = plan_copy(tmp_path / "old")
    new = tmp_path / "new" / "fjellvik.yaml"
    new.parent.mkdir()
    new.write_text(revision(FJELLVIK_TEXT), encoding="utf-8")
    result = cli("diff", str(old), str(new), "--format", "markdown", env={"FOREBYGGING_LANG": "nb"})
    assert result.code == 0
    assert bokmal_words(result.stdout) == [], (bokmal_words(result.stdout), result.stdout)
    assert "Samanlikna" in result.stdout and "Leksehjelp på biblioteket" in result.stdout
    terminal = cli("diff", str(old), str(new), env={"FOREBYGGING_LANG": "nb"}).stdout
    assert "møter: «kvar månad» → «kvar veke»" in terminal  # the terminal speaks the run's language (bokmål)
    assert "møtest" not in terminal


def test_validate_in_nynorsk_says_every_finding_in_nynorsk(cli, tmp_path):
    broken = FJELLVIK_TEXT.replace("    level: universal\n", "    level: for-alle\n", 1).replace(
        "    responsible:\n      - helsestasjon\n", "    responsible:\n      - helsestasjonen\n", 1).replace(
        "  adopted:\n    by: kommunestyret\n", "  adopted:\n    by: formannskapet\n", 1).replace(
        "  name: Fjellvik kommune\n", "  name: Fjellvik kommune\n  namn: Fjellvik\n", 1)
    result = cli("--lang", "nn", "validate", str(plan_copy(tmp_path, broken)))
    assert result.code == 1
    messages = " ".join(f["message"] for f in findings(result.stdout))
    assert len(findings(result.stdout)) >= 3
    assert bokmal_words(messages) == [], (bokmal_words(messages), messages)
    assert "ikkje" in messages or "meinte du" in messages


def english_help_lines(cli, *command: str) -> set[str]:
    return {line.strip() for line in cli("--lang", "en", *command, "--help", env={"COLUMNS": "200"}).stdout.splitlines()}


#: what may stand the same in every language: option names, metavars, values and code
LITERAL = re.compile(r"^[\s\-\w\[\]|.,:()/=<>\"'{}…]*$")


@pytest.mark.parametrize("command", ["", "validate", "rules", "schema", "query", "show", "diff", "coverage",
                                     "render", "new", "fmt", "plans", "units"])
def test_help_in_nynorsk_has_no_untranslated_line(cli, command):
    args = (command,) if command else ()
    nynorsk = cli("--lang", "nn", *args, "--help", env={"COLUMNS": "200"}).stdout
    english = english_help_lines(cli, *args)
    same = [line.strip() for line in nynorsk.splitlines() if line.strip() in english]
    untranslated = [line for line in same
                    if len([w for w in re.findall(r"[a-z]{4,}", line) if not re.search(rf"-{w}|{w}[|=]", line)]) > 1]
    assert untranslated == [], untranslated
    assert bokmal_words(nynorsk) == [], bokmal_words(nynorsk)


# -- choosing nynorsk ----------------------------------------------------------------------------


@pytest.mark.parametrize("how", [("--lang", "nn"), ("FOREBYGGING_LANG", "nn"), ("LANG", "nn_NO.UTF-8"),
                                 ("LC_ALL", "nn_NO")])
def test_nynorsk_is_chosen_by_option_variable_or_locale(cli, how):
    name, value = how
    if name.startswith("--"):
        result = cli(name, value, "validate", str(FJELLVIK))
    else:
        result = cli("validate", str(FJELLVIK), env={"FOREBYGGING_LANG": "", name: value})
    assert "1 fil kontrollert: 0 feil, 1 åtvaring" in result.stdout


def test_an_unknown_language_names_the_three(cli):
    result = cli("--lang", "sv", "rules")
    assert result.code == 2
    # the language asked for is unknown: the message speaks the default, bokmål
    assert result.stderr == "feil: --lang sv er ikke et språk i forebygging; bruk ett av: nb, nn, en\n"


# -- words people type, in both written forms ----------------------------------------------------


@pytest.mark.parametrize("unit", ["barnevernstenesta", "barnevernet", "barneverntjenesten", "Barnevernstenesta"])
def test_one_unit_in_either_written_form_finds_the_same_rows_in_every_plan(cli, unit):
    args = ("query", str(PLANS / "lier.yaml"), str(PLANS / "os.yaml"), str(FJELLVIK), "--format", "json")
    rows = json.loads(cli(*args, "--unit", unit).stdout)
    baseline = json.loads(cli(*args, "--unit", "barnevern").stdout)
    assert [(r["plan"], r["id"]) for r in rows] == [(r["plan"], r["id"]) for r in baseline]
    assert {r["plan"] for r in rows} == {"lier", "os", "fjellvik"}


@pytest.mark.parametrize("typed, form", [("foreldreveiledning", "Foreldrerettleiing i grupper"),
                                         ("foreldrerettleiing", "Foreldrerettleiing i grupper"),
                                         ("foresatte", "Open barnehage"), ("skolehelsetjenesten", "Skulehelsetenesta")])
def test_words_in_either_written_form_find_each_other(cli, typed, form):
    rows = json.loads(cli("query", str(FJELLVIK), "--text", typed, "--format", "json").stdout)
    assert form in [r["name"] for r in rows]


def test_bokmal_words_find_nynorsk_in_the_other_direction_too(cli):
    rows = json.loads(cli("query", str(PLANS / "os.yaml"), "--text", "rettleiing", "--format", "json").stdout)
    bokmal = json.loads(cli("query", str(PLANS / "os.yaml"), "--text", "veiledning", "--format", "json").stdout)
    assert rows == bokmal and rows


@pytest.mark.parametrize("level, key", [("Tiltak for alle", "universal"), ("tiltak for nokre", "selected"),
                                        ("Tiltak for einskilde", "indicated"), ("naudsynt for einskilde", "indicated"),
                                        ("selektive", "selected"), ("universelle", "universal")])
def test_nynorsk_level_words_on_the_command_line(cli, level, key):
    rows = json.loads(cli("query", str(FJELLVIK), "--level", level, "--format", "json").stdout)
    assert rows and {r["level"] for r in rows} == {key}


@pytest.mark.parametrize("typed, stage", [("ungdomsskule", "ungdomsskole"), ("vidaregåande skule", "vgs"),
                                          ("barneskule", "barneskole"), ("ungdomstrinnet", "ungdomsskole")])
def test_nynorsk_stage_words_on_the_command_line(cli, typed, stage):
    rows = cli("query", str(FJELLVIK), "--stage", typed, "--format", "json")
    assert rows.code == 0 and json.loads(rows.stdout) == json.loads(
        cli("query", str(FJELLVIK), "--stage", stage, "--format", "json").stdout)


@pytest.mark.parametrize("nynorsk, bokmal", [("elevar på ungdomsskulen", "elever på ungdomsskolen"),
                                             ("barn i barnehagealder", "barn i barnehagealder"),
                                             ("ungdom på vidaregåande skule", "ungdom på videregående skole"),
                                             ("elevar på barneskulen", "elever på barneskolen"),
                                             ("gravide og partnarane deira", "gravide og partnerne deres")])
def test_a_stage_in_a_target_text_reads_alike_in_both_forms(cli, tmp_path, nynorsk, bokmal):
    """A measure that names a stage in its target text but states none gets the stage suggested, with the
    same ages whichever form the text is written in."""
    from forebygging_cli.ages import compute
    from forebygging_cli.vocab import stages_in_text

    assert stages_in_text(nynorsk) == stages_in_text(bokmal) != []
    stage = stages_in_text(nynorsk)[0]
    assert compute(None, None, (stage,)) == compute(None, None, tuple(stages_in_text(bokmal)))
    text = FJELLVIK_TEXT.replace(
        "      text: familiar der det er alvorleg uro for omsorga\n", f"      text: {nynorsk}\n", 1)
    result = cli("--lang", "nn", "validate", str(plan_copy(tmp_path, text)))
    [hint] = [f for f in findings(result.stdout) if f["rule"] == "FB316"]
    assert f"target.stages: [{stage}]" in hint["message"]


# -- a new nynorsk plan --------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path, monkeypatch):
    (tmp_path / "plans").mkdir()
    (tmp_path / "schemas").mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "schemas" / "plan.schema.json", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("how", [("--lang", "nn", "new", "Fjellvik kommune"),
                                 ("new", "Fjellvik kommune", "--language", "nn")])
def test_new_writes_a_nynorsk_plan(cli, repository, how):
    result = cli(*how)
    assert result.code == 0, result.output
    path = repository / "plans" / "fjellvik.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/plan.schema.json\n")
    assert "\n  language: nn\n" in text
    assert "Tiltak for nokre" in text and "Barnevernstenesta" in text and "fredagar" in text
    from forebygging_cli.vocab import SERVICES

    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    prose = " ".join(word for word in re.split(r"[\s,]+", comments) if word not in SERVICES)  # not the codes
    assert bokmal_words(prose) == [], bokmal_words(prose)
    rules = {f["rule"] for f in findings(cli("validate", str(path)).stdout)}
    assert rules and all(rule.startswith("FB3") for rule in rules), rules
    assert cli("fmt", "--check", str(path)).code == 0


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_skeletons_examples_can_be_uncommented_as_they_are(cli, repository, language):
    assert cli("new", "Fjellvik kommune", "--language", language).code == 0
    path = repository / "plans" / "fjellvik.yaml"
    text = path.read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^  # (\{|  ?[a-z])", r"  \1", text)  # the examples inside units: [ and measures: [
    uncommented = re.sub(r"(?m)^  #  ", "   ", uncommented)
    assert uncommented.count("{id: ") >= 7
    path.write_text(uncommented, encoding="utf-8")
    result = cli("validate", str(path))
    rules = {f["rule"] for f in findings(result.stdout)}
    assert rules and all(rule.startswith("FB3") for rule in rules), result.stdout
    assert {"FB311", "FB304"}.isdisjoint(rules)  # measures on every level, each with its unit
    assert cli("fmt", str(path)).code == 0 and cli("validate", str(path)).code == result.code


def test_new_outside_a_repository_writes_a_relative_modeline(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "utkast" / "plan.yaml"
    assert cli("new", "Fjellvik kommune", "-o", str(target)).code == 0
    schema = target.read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
    assert not schema.startswith("/") and (target.parent / schema).resolve().is_file()


def test_an_unknown_plan_language_is_refused(cli, repository):
    result = cli("new", "Fjellvik kommune", "--language", "sv")
    assert result.code == 2 and "nb (bokmål) or nn (nynorsk)" in result.stderr
