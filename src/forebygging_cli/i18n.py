"""One language per run: bokmål (nb, the default), nynorsk (nn) or English (en).

Every text a person reads goes through this module's `_` (and `ngettext`,
`pgettext`), backed by the standard library's gettext and the compiled
catalogues in `locale/<lang>/LC_MESSAGES/forebygging.mo`. The message ids are
English, so English needs no catalogue; bokmål is `locale/nb/...` and nynorsk
`locale/nn/...`.

Choosing the language (`choose`): `--lang`, else `FOREBYGGING_LANG`, else the
locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`): a locale that starts with
`en` gives English, `nn` nynorsk; a language with a catalogue gives that
language; anything else (`nb`, `no`, `C`, unset) gives bokmål.

What is published from a plan (its page, its document, the council's diff)
speaks the plan's own language (`plan.language`), whatever the run's: the
command switches to it while it renders (`speaking`), unless `--lang` asks for
another.

Plan files and JSON keep English keys and values: they are contracts, not
text for people.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DOMAIN = "forebygging"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "nb"
#: the codes of Norwegian: bokmål, nynorsk and plain "norsk"
NORWEGIAN = ("nb", "nn", "no")
SOURCE_LANGUAGE = "en"

_active: dict[str, Any] = {"language": None, "translation": None}


class UnknownLanguage(ValueError):
    """A language the tool has no catalogue for."""


def available() -> tuple[str, ...]:
    """The languages a run can use: English and every compiled catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(dict.fromkeys([DEFAULT, *found, SOURCE_LANGUAGE]))


def _language_of_locale(value: str) -> str:
    """'en_GB.UTF-8' -> 'en'; 'nb_NO' -> 'nb'; 'C' -> 'c'."""
    return value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()


def choose(requested: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language for this run. Raises UnknownLanguage for a --lang or
    FOREBYGGING_LANG the tool has no catalogue for."""
    environ = os.environ if environ is None else environ
    for source, value in (("--lang", requested), ("FOREBYGGING_LANG", environ.get("FOREBYGGING_LANG"))):
        if value:
            language = _language_of_locale(value)
            if language in available():
                return language
            if language in NORWEGIAN:  # nynorsk or "norsk" without a catalogue of its own: bokmål
                return DEFAULT
            raise UnknownLanguage(f"{source} {value}")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            language = _language_of_locale(value)
            return language if language in available() else DEFAULT
    return DEFAULT


def activate(language: str) -> None:
    """Make `language` the language of every message from now on."""
    if language == SOURCE_LANGUAGE:
        translation: Any = _gettext.NullTranslations()
    else:
        # a missing catalogue (a broken install) falls back to the English message ids
        translation = _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)
    _active["language"], _active["translation"] = language, translation


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Within the block, every message is in `language` (None: as it was); the run's language after it."""
    if language is None or language == current():
        yield
        return
    before = _active["language"], _active["translation"]
    activate(language)
    try:
        yield
    finally:
        _active["language"], _active["translation"] = before


def current() -> str:
    """The active language, chosen from the environment on first use."""
    if _active["translation"] is None:
        try:
            activate(choose())
        except UnknownLanguage:
            activate(DEFAULT)
    return _active["language"]


def _translation() -> Any:
    if _active["translation"] is None:
        current()
    return _active["translation"]


def _(message: str) -> str:
    """The message in the active language."""
    return _translation().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for `count`, in the active language."""
    return _translation().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """The message in the active language, where the same English words need
    different translations in different places (`context` tells them apart)."""
    return _translation().pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_` translates it where it is shown."""
    return message


def number(value: int) -> str:
    """A whole number as the language writes it: 20,000 (English), 20 000 (bokmål)."""
    grouped = f"{value:,}"
    return grouped if current() == SOURCE_LANGUAGE else grouped.replace(",", "\u00a0")


def decimal(value: float, digits: int = 1) -> str:
    """A decimal number as the language writes it: 1.5 (English), 1,5 (bokmål)."""
    text = f"{value:.{digits}f}"
    return text if current() == SOURCE_LANGUAGE else text.replace(".", ",")


def date_text(iso: str) -> str:
    """A date as the language writes it: 12.6.2024 (bokmål), 2024-06-12 (English, as written in plan files)."""
    if current() == SOURCE_LANGUAGE:
        return iso
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    return f"{day}.{month}.{year}"
