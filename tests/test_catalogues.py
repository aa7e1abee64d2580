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


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_catalogue_answers_every_message_as_gettext_does(language):
    """i18n.Catalogue (a .mo read a message at a time) gives what the standard library's GNUTranslations gives
    for every message of the catalogue: plain, with a context, and each plural for counts 0 to 24; a message the
    catalogue lacks is the English id."""
    import gettext

    from forebygging_cli import i18n

    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    ours = i18n.Catalogue(path)
    with path.open("rb") as handle:
        reference = gettext.GNUTranslations(handle)
    plurals = {message.id[0]: message.id[1] for message in read_mo(path.open("rb")) if message.pluralizable}
    checked = 0
    for key in reference._catalog:
        if isinstance(key, tuple):
            singular, plural = key[0], plurals[key[0].split("\x04")[-1]]
            for count in range(25):
                if "\x04" in singular:
                    context, singular_id = singular.split("\x04")
                    assert ours.npgettext(context, singular_id, plural, count) == \
                        reference.npgettext(context, singular_id, plural, count)
                else:
                    assert ours.ngettext(singular, plural, count) == reference.ngettext(singular, plural, count)
            assert ours.gettext(singular) == reference.gettext(singular)
        elif "\x04" in key:
            context, message = key.split("\x04", 1)
            assert ours.pgettext(context, message) == reference.pgettext(context, message)
        else:
            assert ours.gettext(key) == reference.gettext(key)
        checked += 1
    assert checked > 1000
    for missing in ("not in any catalogue", "{count} not there"):
        assert ours.gettext(missing) == missing
        assert (ours.ngettext(missing, missing + "s", 1), ours.ngettext(missing, missing + "s", 2)) == \
            (missing, missing + "s")
        assert ours.pgettext("context", missing) == missing
    assert ours.plural(1) == 0 and ours.plural(2) == 1 and ours.plural(0) == 1


def test_a_run_reads_the_catalogue_with_catalogue(monkeypatch):
    from forebygging_cli import i18n

    i18n.activate("nn")
    try:
        assert isinstance(i18n._active["translation"], i18n.Catalogue)
        assert i18n._("Measure") != "Measure"
    finally:
        i18n.activate("en")
