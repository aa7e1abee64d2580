"""Importers: a council document -> the neutral document model (document.py)
-> recognition (recognise.py) -> a draft plan file (draft.py).

One entry per kind of document in `KINDS`: the file endings it reads and the
function that reads it. `read()` picks the importer and applies the bounds
every importer shares; each refusal is an `ImportRefused` with one line.
"""

from __future__ import annotations

import os
from importlib import import_module

from ..i18n import _, number
from .document import Document
from .errors import ImportRefused

#: pasted text is a plan's words, not its pictures: a 100-page plan is about 300 KB of text
MAX_TEXT_BYTES = 5 * 1024 * 1024

#: file ending -> (module, function(path, source) -> Document)
KINDS: dict[str, tuple[str, str]] = {
    ".docx": ("docx", "read_docx"),
    ".txt": ("pasted", "read_file"),
    ".tsv": ("pasted", "read_file"),
    ".text": ("pasted", "read_file"),
}


def read(path: str) -> Document:
    """The Document of the file at `path`, by its ending. Raises ImportRefused."""
    ending = os.path.splitext(path)[1].lower()
    if ending not in KINDS:
        raise ImportRefused(_("import reads Word documents (.docx) and pasted text (.txt, .tsv, or - for standard "
                              "input); save the document as one of those"))
    if not os.path.isfile(path):
        raise ImportRefused(_("no such file") if not os.path.exists(path) else _("not a file"))
    module, function = KINDS[ending]
    return getattr(import_module(f"{__name__}.{module}"), function)(path, os.path.basename(path))


def read_text_bytes(raw: bytes, source: str) -> Document:
    """The Document of pasted text given as bytes (standard input). Raises ImportRefused."""
    from .pasted import read_text

    return read_text(decode(raw), source)


def decode(raw: bytes) -> str:
    if len(raw) > MAX_TEXT_BYTES:
        raise ImportRefused(_("the text is {size} bytes; pasted text to import is at most {limit}").format(
            size=number(len(raw)), limit=number(MAX_TEXT_BYTES)))
    if b"\x00" in raw[:4096]:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportRefused(_("the text is UTF-16 (what Notepad saves as \"Unicode\"); save it as UTF-8"))
        raise ImportRefused(_("this is not text: it holds binary data (is it a .docx saved as .txt?)"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("the text is not UTF-8 (byte {offset}); save it as UTF-8").format(
            offset=number(exc.start + 1))) from None
