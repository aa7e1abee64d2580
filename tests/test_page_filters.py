"""The page's finder reads what a parent types exactly as `forebygging query` reads it: one list of awkward
inputs (quotes, apostrophes, unbalanced quotes, æøå, ß, hyphens, dashes, nynorsk and bokmål forms,
non-breaking and other spaces, combining accents, emoji, other scripts' digits) goes to both the Python
functions (query.search_terms, vocab.fold and fold_words, query.parse_age, parse_grade) and the page's
script (page.js, with the tables render/finder.py ships), and both must give the same answers. Folding is
also compared character by character over every character Python knows, and the age and grade grammars
over every short string of their alphabets."""

from __future__ import annotations

import itertools
import shlex
import unicodedata

import pytest

from browser import browser, opener  # noqa: F401 - fixtures
from conftest import FIXTURES, run_cli

from forebygging_cli import ages
from forebygging_cli.query import FilterError, parse_age, parse_grade, search_terms
from forebygging_cli.vocab import fold, fold_words

#: what a parent may type in the words field
AWKWARD = [
    "IL's", "Lier IL's klubbhus", "Tranby IL's", '"de skulle"', "'de skulle'", 'de "skulle', "de 'skulle",
    "it's \"a b\" c", '"unbalanced', "unbalanced'", "'", '"', '""', "''", '"" barn', "barn ''", "a\"b\"c",
    "a'b'c", "\\", "barn\\", "a\\ b", 'a\\"b', '"a\\"b"', '"a\\b"', "'a\\'b'", "'a\\b'", '"a\\\\b"',
    "ÆØÅ æøå", "Ærlig Øvre Åsen", "Straße", "STRASSE", "ß", "ẞ", "ﬁre", "ǅ", "İstanbul", "ΣΟΦΟΣ σοφος",
    "barne-vern", "0–6 år", "0—6 år", "13–15", "PP-tjenesten", "PP–tenesta",
    "foreldre\u00a0barn", "\u2002barn\u2003foreldre\u3000", "\x85barn\x1c", "\u200bbarn", "\ufeffbarn",
    "\t  mellom\n rom  \r", "e\u0301lev", "Ø\u0301", "ǿ", "Å", "A\u030a", "barn\u0308", "ꞵ", "ı", "ŉ",
    "🙂 barn", "👨\u200d👩\u200d👧 familie", "𝔟𝔞𝔯𝔫", "１３ år", "١٣", "²",
    "Foreldrerettleiing", "foreldreveiledning", "føresette", "foresatte", "rettleiing og veiledning",
    "barnevernstenesta", "barneverntjenesten", "skulehelsetenesta", "ungdomsskulen", "nokre einskilde",
    "born borna", "kvar veke", "tilsette", "familiar", "heile", "naudsynt", "vidaregåande",
    "#kommentar", "a;b|c&d", "$HOME ~ *", "(barn)", "barn,foreldre", "", "   ",
]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("side") / "fjellvik.html"
    result = run_cli("render", str(FIXTURES / "fjellvik.yaml"), "--format", "html", "-o", str(path))
    assert result.code == 0, result.output
    return path


@pytest.fixture
def page(opener, page_file):
    opened = opener(page_file)
    assert opened.errors == []
    return opened


def in_browser(page, function: str, inputs: list[str]) -> list:
    """What window.forebygging.FUNCTION gives for each input ('error' where it throws); an age or grade
    refusal keeps only which refusal it is (the numbers it carries are for the message)."""
    answers = page.evaluate(f"inputs => inputs.map(text => {{ try {{ return window.forebygging.{function}(text); }} "
                         "catch (problem) { return 'error'; } })", inputs)
    return [{"problem": a["problem"]} if isinstance(a, dict) and "problem" in a else a for a in answers]


def test_the_words_field_splits_and_folds_as_query_text(page):
    assert in_browser(page, "terms", AWKWARD) == [search_terms(text) for text in AWKWARD]


def test_the_split_is_shlex_where_shlex_splits(page):
    def python(text):
        try:
            return shlex.split(text)
        except ValueError:
            return "error"

    assert in_browser(page, "shlexSplit", AWKWARD) == [python(text) for text in AWKWARD]
    assert "error" in in_browser(page, "shlexSplit", AWKWARD)  # the fallback is tried too


def test_folding_is_vocab_fold_for_whole_texts(page):
    assert in_browser(page, "fold", AWKWARD) == [fold(text) for text in AWKWARD]
    assert in_browser(page, "foldWords", AWKWARD) == [fold_words(text) for text in AWKWARD]


def test_folding_is_vocab_fold_for_every_character(page):
    """Every character Python's Unicode database knows, alone and between letters, folds alike (the browser
    may know newer characters; those Python does not know are left out)."""
    characters = [c for c in map(chr, range(0x110000)) if unicodedata.category(c) not in ("Cn", "Co", "Cs")]
    texts = [f"a{c}b" for c in characters]
    browser_folds = page.evaluate("texts => texts.map(t => window.forebygging.foldWords(t))", texts)
    different = [(c, fold_words(t), b) for c, t, b in zip(characters, texts, browser_folds) if fold_words(t) != b]
    assert different == []


def _age(text: str):
    try:
        return {"range": list(parse_age(text))}
    except FilterError as exc:
        message = str(exc)
        kind = ("age_reversed" if "ends before it starts" in message else
                "age_implausible" if "plausible" in message else "age_invalid")
        return {"problem": kind}


def _grade(text: str):
    try:
        low, high = parse_grade(text)
    except FilterError as exc:
        return {"problem": "grade_invalid" if "is not a school grade" in str(exc) else "grade_range"}
    return {"grades": [low, high], "range": list(ages.grade_ages(low, high))}


AGES = ["13", "0", "120", "121", "200", "1.5", "-3", "13-10", "13-15", "13 - 15", "13–15", "13 år", "13 ÅR", "13år",
        "13 years", "13 year", "13 Years", "13+", "13-", "13+15", "13 +", "13 -", " 13 ", "13\u00a0år", "\u200313",
        "１３", "١٣", "१३", "13.", "013", "0013", "1e1", "0x10", "+13", "13 åring", "13-120", "13-121", "99-", "",
        "år", "13-15 år", "13 - år", "ſ", "13 yearſ", "13 \u212a"]
GRADES = ["8", "8.", "8. trinn", "8.trinn", "8 trinn", "8-10", "8–10", "8. - 10.", "vg1", "VG1", "Vg 2", "vg1-vg3",
          "VG1-VG3", "vg3-vg1", "vg4", "vg0", "0", "1", "13", "14", "10-8", "8-vg1", "vg1-12", "１", "٨", "8 TRINN",
          "trinn", "1.5", "-3", "200", "", "8,", "vg", "v g1", "8-", "8+"]


def test_the_age_field_reads_and_refuses_as_age_does(page):
    alphabet = ["1", "3", "0", "9", "-", "+", " ", ".", "–", "å"]
    texts = AGES + ["".join(p) for n in (1, 2, 3) for p in itertools.product(alphabet, repeat=n)]
    assert in_browser(page, "parseAge", texts) == [_age(text) for text in texts]


def test_the_grade_field_reads_and_refuses_as_grade_does(page):
    alphabet = ["v", "G", "1", "3", "8", "-", " ", ".", "t"]
    texts = GRADES + ["".join(p) for n in (1, 2, 3) for p in itertools.product(alphabet, repeat=n)]
    assert in_browser(page, "parseGrade", texts) == [_grade(text) for text in texts]


def test_the_inputs_are_awkward_enough():
    """The list holds what the issue names: each kind of input at least once, and some that make the
    shlex split fail, so the fallback is compared too."""
    kinds = {
        "apostrophe": "IL's", "unbalanced": 'de "skulle', "æøå": "ÆØÅ æøå", "ß": "Straße", "hyphen": "barne-vern",
        "en dash": "0–6 år", "nynorsk": "Foreldrerettleiing", "bokmål": "foreldreveiledning",
        "non-breaking space": "foreldre\u00a0barn", "combining accent": "e\u0301lev", "emoji": "🙂 barn",
    }
    assert all(text in AWKWARD for text in kinds.values())
    failing = [text for text in AWKWARD if _shlex_fails(text)]
    assert len(failing) >= 5


def _shlex_fails(text: str) -> bool:
    try:
        shlex.split(text)
    except ValueError:
        return True
    return False
