"""Where an export goes: what it refuses to replace, and writing whole or not at all.

* A database file that exists is replaced only with `force`; a directory of
  CSV files that is not empty is written into only with `force`.
* A link, a device or anything else that is not a regular file is never
  replaced by one (the same for a CSV file of the name a table's file takes).
* What is written is built beside its target (a temporary file, or a
  temporary directory for a new directory of CSV files) and renamed into
  place, so a reader never sees half an export and a failure leaves the old
  one as it was. A replaced file keeps its permissions.

Every refusal and failure is an `ExportError`: one line, naming the path.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

from ..i18n import _

PREFIX = ".forebygging-"
NEW_FILE_MODE = 0o644
NEW_DIRECTORY_MODE = 0o755


class ExportError(Exception):
    """The export cannot go where it was asked to; the message says why, in one line."""


def cannot_write(path: str, error: BaseException) -> ExportError:
    reason = getattr(error, "strerror", None) or str(error)
    return ExportError(_("cannot write {path}: {reason}").format(path=path, reason=reason))


def _kind(path: str) -> str | None:
    """"file", "directory", "other" (a link, a device, a pipe), or None when nothing is there."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    return "other"


def _not_replaced(path: str) -> ExportError:
    return ExportError(_("{path} is a link or a special file, not a regular file; export never replaces one "
                         "(give another path)").format(path=path))


def check_file(path: str, force: bool) -> None:
    """Whether a database may be written to `path`; raises ExportError when not."""
    if path in ("", "-"):
        raise ExportError(_("--format sqlite writes a database file, not standard output; give its name "
                            "(-o plans.db)"))
    kind = _kind(path)
    if kind == "directory":
        raise ExportError(_("{path} is a directory; --format sqlite writes one database file (-o plans.db), "
                            "--format csv a directory of CSV files").format(path=path))
    if kind == "other":
        raise _not_replaced(path)
    if kind == "file" and not force:
        raise ExportError(_("{path} exists; add --force to replace it").format(path=path))


def check_directory(path: str, force: bool, names: Iterable[str]) -> None:
    """Whether the CSV files `names` may be written into the directory `path`; raises ExportError when not."""
    if path in ("", "-"):
        raise ExportError(_("--format csv writes a directory of CSV files, not standard output; give its name "
                            "(-o DIR)"))
    kind = _kind(path)
    if kind is None:
        return
    if kind != "directory" and not (kind == "other" and os.path.isdir(path)):
        raise ExportError(_("{path} is not a directory; --format csv writes a directory of CSV files (-o DIR), "
                            "--format sqlite one database file").format(path=path))
    try:
        present = os.listdir(path)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    if present and not force:
        raise ExportError(_("{path} is not empty; add --force to write the CSV files into it (files of the same "
                            "name are replaced)").format(path=path))
    for name in names:
        inside = os.path.join(path, name)
        if _kind(inside) not in (None, "file"):
            raise _not_replaced(inside)


@contextmanager
def file_beside(path: str, force: bool) -> Iterator[str]:
    """A temporary file beside `path` to build the result in; renamed to `path` when the block ends
    without an error, removed when it fails. The check runs again just before the rename, so a
    file that appeared meanwhile is not replaced without `force`."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=PREFIX, suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        yield temporary
        _sync(temporary)
        check_file(path, force)
        os.chmod(temporary, _mode_of(path, NEW_FILE_MODE))
        os.replace(temporary, path)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def write_directory(path: str, files: Mapping[str, Callable[[], bytes]], force: bool) -> None:
    """Write `files` (name -> its bytes, made when it is written) into the directory `path`.

    A new directory is built whole beside `path` and renamed into place. Into
    a directory that exists, each file is written to a temporary file beside
    it and renamed, so each file is whole."""
    check_directory(path, force, list(files))
    if _kind(path) is None:
        parent = os.path.dirname(os.path.abspath(path))
        try:
            temporary = tempfile.mkdtemp(dir=parent, prefix=PREFIX, suffix=".tmp")
        except OSError as exc:
            raise cannot_write(path, exc) from None
        try:
            for name, content in files.items():
                _write_new(os.path.join(temporary, name), content())
            os.chmod(temporary, NEW_DIRECTORY_MODE)
            os.rename(temporary, path)
        except OSError as exc:
            raise cannot_write(path, exc) from None
        finally:
            if os.path.lexists(temporary):
                for name in os.listdir(temporary):
                    os.unlink(os.path.join(temporary, name))
                os.rmdir(temporary)
        return
    for name, content in files.items():
        inside = os.path.join(path, name)
        with file_beside(inside, force=True) as temporary:
            with open(temporary, "wb") as out:
                out.write(content())


def _write_new(path: str, content: bytes) -> None:
    with open(path, "xb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, NEW_FILE_MODE)


def _sync(path: str) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _mode_of(path: str, default: int) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return default
