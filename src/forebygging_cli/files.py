"""A plan file's bytes: read within the limits, decoded as UTF-8, and the two
errors reading a plan file can end in. Light on purpose: a run served from the
cache reads and hashes each file, and needs nothing more (no parser).
"""

from __future__ import annotations

import os
import stat
from typing import Any

from .i18n import _, decimal, number

#: Plan files are tens of kilobytes (Lier: 90 KB); anything over 1 MB is not a plan,
#: and refusing it unread keeps time and memory bounded.
MAX_BYTES = 1024 * 1024


class UnreadableFile(Exception):
    """The file could not be opened or read at all (missing, permissions, a loop)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PlanFileError(Exception):
    """The file was read but is not a YAML document a plan can be built from.
    `path` is the data path where the problem stands, when there is one;
    `progress` how far the parser had come when it met the problem (values
    read, characters before it)."""

    progress: tuple[int, int] = (0, 0)

    def __init__(self, kind: str, message: str, line: int = 1, column: int = 1, path: tuple[Any, ...] = (),
                 restriction: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        #: the plan-file restriction (docs/yaml.md) this refusal of well-formed YAML stands for: "alias",
        #: "tag", "tab", ...; None for YAML that is not well-formed and for the file's own problems
        self.restriction = restriction


def read_bytes(shown: str) -> bytes:
    """A plan file's bytes, at most MAX_BYTES. Raises UnreadableFile or PlanFileError (too large)."""
    try:
        info = os.stat(shown)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile(shown, _("is a directory, not a plan file"))
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(shown, _("is not a regular file (a device, pipe or socket)"))
        with open(shown, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # bounded: never more than the limit
    except FileNotFoundError:
        raise UnreadableFile(shown, _("no such file")) from None
    except PermissionError:
        raise UnreadableFile(shown, _("permission denied: the file cannot be read (check its permissions)")) from None
    except OSError as exc:  # a symlink loop, an I/O error
        raise UnreadableFile(shown, _("cannot be read: {reason}").format(reason=exc.strerror or exc)) from None
    if len(raw) > MAX_BYTES:
        raise too_large(max(info.st_size, len(raw)))
    return raw


def too_large(size: int) -> PlanFileError:
    """The finding for a file over MAX_BYTES."""
    return PlanFileError(
        "file-too-large",
        _("the file is {size} bytes ({megabytes} MB); a plan file is at most {limit} bytes (1 MB; Lier's plan is "
          "90 KB). Is this the right file?").format(size=number(size), megabytes=decimal(size / 1024 / 1024),
                                                     limit=number(MAX_BYTES)),
    )


def decode(raw: bytes) -> str:
    """A plan file's text. Raises PlanFileError for an empty, binary or non-UTF-8 file."""
    if not raw.strip():
        raise PlanFileError("empty-file", _("the file is empty; a plan file starts with `schema_version: 1`"))
    if _is_utf16(raw):
        raise PlanFileError("not-utf8", _("the file is UTF-16 text (what Notepad saves as \"Unicode\"), not UTF-8; "
                                          "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)"))
    if b"\x00" in raw[:8192]:
        raise PlanFileError("binary-file", _("this is a binary file, not a YAML text file"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise PlanFileError(
            "not-utf8",
            _("byte 0x{byte} is not UTF-8; save the file as UTF-8 (plans are written in Norwegian, and æ, ø and å "
              "must be UTF-8)").format(byte=f"{raw[exc.start]:02x}"),
            line,
            column,
        ) from None
    if "\r" in text:
        # Windows (CR LF) and old Mac (CR alone) line endings: YAML reads every one of them as one line
        # break, so the lines and columns stay the same when they are read as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _is_utf16(raw: bytes) -> bool:
    """Whether the bytes are UTF-16: a byte order mark of UTF-16, or text in which every second byte is 0."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:512]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)
