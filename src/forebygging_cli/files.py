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

    def __init__(self, kind: str, message: str, line: int = 1, column: int = 1, path: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.path = path


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
    if b"\x00" in raw[:8192]:
        raise PlanFileError("binary-file", _("this is a binary file, not a YAML text file"))
    try:
        return raw.decode("utf-8-sig")
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
