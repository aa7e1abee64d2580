"""The message catalogues: every message the code shows has a bokmål and a
nynorsk translation with the same placeholders, each compiled catalogue
matches its source, and the catalogues are in step with the code."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

# babel is a declared test dependency: without it these tests fail, never skip
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = ROOT / "src" / "forebygging_cli" / "locale"
PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "forebygging.po", "rb") as handle:
        return read_po(handle, locale=language)


def forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def test_the_catalogues_are_in_step_with_the_code():
    """A message added or changed in the code and not in the catalogues fails here:
    run `python tools/catalogues.py` and translate what it adds."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "catalogues.py"), "--check"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


LANGUAGES = ["nb", "nn"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_with_the_same_placeholders(language):
    untranslated, placeholders = [], []
    for message in catalogue(language):
        if not message.id:
            continue
        ids, strings = forms(message.id), forms(message.string)
        if message.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(ids[0])
            continue
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) not in (sorted(PLACEHOLDER.findall(i)) for i in ids):
                placeholders.append((ids[0], string))
    assert untranslated == []
    assert placeholders == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    source = {(tuple(forms(m.id)), m.context): forms(m.string) for m in catalogue(language) if m.id}
    with open(LOCALE / language / "LC_MESSAGES" / "forebygging.mo", "rb") as handle:
        compiled = {(tuple(forms(m.id)), m.context): forms(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source


def test_each_language_is_one_catalogue():
    from forebygging_cli import i18n

    assert i18n.available() == ("nb", "nn", "en")
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == LANGUAGES
