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
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    translation: Any = _gettext.NullTranslations()  # English; also a missing catalogue (a broken install)
    if language != SOURCE_LANGUAGE:
        try:
            translation = Catalogue(path)
        except (OSError, ValueError):  # unreadable, or not a catalogue Catalogue reads: the standard library's way
            translation = _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)
    _active["language"], _active["translation"] = language, translation


class Catalogue(_gettext.NullTranslations):
    """A compiled catalogue (.mo) that decodes a message when it is asked for: what gettext.GNUTranslations
    answers, without decoding all of the catalogue's ~1,400 messages when it is opened (3 ms of every run's
    start, which uses a few dozen). Message ids are found by their bytes in a dict of the catalogue's table."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        import struct

        data = path.read_bytes()
        magic, revision, count, originals, translations = struct.unpack_from("<5I", data)
        if magic != 0x950412DE or revision >> 16 > 1:
            raise ValueError(f"{path}: not a catalogue")
        keys = [data[offset:offset + length]
                for length, offset in struct.iter_unpack("<2I", data[originals:originals + 8 * count])]
        self._data = data
        self._spans = list(struct.iter_unpack("<2I", data[translations:translations + 8 * count]))
        self._index = {key: number for number, key in enumerate(keys)}
        #: plural messages by their singular id ("{count} plan" for "{count} plan\0{count} plans")
        self._plurals = {key.split(b"\0", 1)[0]: number for number, key in enumerate(keys) if b"\0" in key}
        header = self._text(self._index[b""]) if b"" in self._index else ""
        plural = "n != 1"
        for line in header.splitlines():
            name, _colon, value = line.partition(":")
            if name.strip().lower() == "content-type" and "charset=" in value \
                    and value.split("charset=")[1].strip().lower() not in ("utf-8", "utf8"):
                raise ValueError(f"{path}: not UTF-8")
            if name.strip().lower() == "plural-forms" and "plural=" in value:
                plural = value.split("plural=", 1)[1].strip().rstrip(";")
        self.plural = _gettext.c2py(plural)

    def _text(self, number: int) -> str:
        length, offset = self._spans[number]
        return self._data[offset:offset + length].decode("utf-8")

    def _form(self, singular: str, count: int) -> str | None:
        number = self._plurals.get(singular.encode("utf-8", "surrogatepass"))
        if number is None:
            return None
        forms = self._text(number).split("\0")
        index = self.plural(count)
        return forms[index] if index < len(forms) else None

    def gettext(self, message: str) -> str:
        number = self._index.get(message.encode("utf-8", "surrogatepass"))
        found = self._text(number) if number is not None else self._form(message, 1)
        return message if found is None else found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._form(msgid1, n)
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found

    def pgettext(self, context: str, message: str) -> str:
        found = self.gettext(f"{context}\x04{message}")
        return message if found == f"{context}\x04{message}" else found

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = self._form(f"{context}\x04{msgid1}", n)
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found


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
