"""Where output goes: how wide the terminal is, whether to use colour, and
writing that survives a reader who stops reading or a disk that is full.

Used by the CLI only; the renderers build text and never write.

* Width: `COLUMNS` when it is a positive whole number, else the terminal's
  width, else (a pipe or a file) no limit, so nothing is cut or wrapped for a
  program that reads the output. `COLUMNS=0` or junk means "unknown".
* Colour: `--color always|never` decides; with `auto` (the default) colour is
  on for a terminal, `FORCE_COLOR` turns it on elsewhere, and `NO_COLOR` turns
  every style off (colour, bold and dim), as https://no-color.org asks.
* Writing: stdout and stderr are wrapped so that every write is checked to
  its last byte, and an error while writing (a closed pipe, a full disk)
  surfaces as `OutputError`, whatever the output's size.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

#: Without a terminal nothing is cut: a program or a file gets whole lines.
UNLIMITED_WIDTH = 100_000
#: The exit status of a command whose reader went away, as a shell reports a
#: process ended by SIGPIPE (128 + 13), e.g. `yes | head -1`.
EXIT_CLOSED_PIPE = 141

COLOR_CHOICES = ("auto", "always", "never")


class OutputError(Exception):
    """Writing to stdout or stderr failed."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error

    @property
    def closed_pipe(self) -> bool:
        return isinstance(self.error, BrokenPipeError) or self.error.errno == errno.EPIPE

    @property
    def reason(self) -> str:
        return self.error.strerror or str(self.error)


class GuardedStream:
    """A text stream whose every write is checked to its last byte.

    Text is encoded and kept here, then written to the stream's file
    descriptor with `os.write` in a loop that checks each count, when 64 KB
    have gathered, at every line on a line-buffered stream (a terminal), and
    at `flush()`. So a write that the system takes only in part (a pipe whose
    reader went away after 64 KB, a disk that fills) ends in OutputError, which
    is not an `OSError`, so no library on the way up mistakes it for
    something else. (Python's own buffered writer can drop the error of such
    a short write and report success.) A stream with no file descriptor (the
    tests capture output in memory) is written through as it is.
    """

    CHUNK = 64 * 1024

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending: list[bytes] = []
        self._size = 0
        try:
            self._fd: int | None = stream.fileno() if os.linesep == "\n" else None
        except (AttributeError, ValueError, OSError):
            self._fd = None
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._errors = getattr(stream, "errors", None) or "strict"
        self._line_buffered = bool(getattr(stream, "line_buffering", False))

    def write(self, text: str) -> int:
        if self._fd is None:
            try:
                return self._stream.write(text)
            except OSError as exc:
                raise OutputError(exc) from None
        data = text.encode(self._encoding, self._errors)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.CHUNK or (self._line_buffered and b"\n" in data):
            self.flush()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()  # anything written past this wrapper goes first
            if self._fd is None or not self._pending:
                return
            data = memoryview(b"".join(self._pending))
            self._pending.clear()
            self._size = 0
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError as exc:
            self._pending.clear()
            self._size = 0
            raise OutputError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_standard_streams() -> None:
    """Wrap sys.stdout and sys.stderr (once) so that every write is checked (see GuardedStream)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, GuardedStream):
            setattr(sys, name, GuardedStream(stream))


def silence_stdout() -> None:
    """After stdout failed: point it at /dev/null, so that Python's own flush at
    exit does not print "Exception ignored ... BrokenPipeError"."""
    stream = sys.stdout
    inner = getattr(stream, "_stream", stream)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, inner.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture output)
        pass


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def width(stream: Any, environ: Mapping[str, str] | None = None) -> int:
    """Columns to lay out for: COLUMNS if it is a positive number, else the
    terminal's width, else no limit."""
    environ = os.environ if environ is None else environ
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if is_terminal(stream):
        try:
            return os.get_terminal_size(stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            return 80
    return UNLIMITED_WIDTH


def use_color(choice: str, stream: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to style output. `choice` is auto, always or never."""
    environ = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream) and environ.get("TERM") != "dumb"
