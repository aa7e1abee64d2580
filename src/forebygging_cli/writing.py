"""Every file the tool writes goes through here: `render -o` (a page, or a
site's folder: `write_folder`), `fmt`, `new`, and the cache's entries. What a
path names decides how it is written:

* a regular file, or a path where nothing is yet: whole or not at all (a
  temporary file beside it, written to its last byte and synced, then
  renamed over it), keeping an existing file's mode, owner and group; a new
  file gets the mode the umask leaves of 0666 (or the `mode` asked for);
* a symbolic link: the file it points to is written as above; the link stays;
* a file with more than one hard link, or one whose owner could not be kept
  (a file of another user that this user may write), or in a folder where no
  temporary file can be made: written in place, so the links, the owner and
  the inode stay (the one case where a failure can leave it cut short, which
  the error then says);
* a device, a FIFO, a socket, `/dev/stdout` and the like: written directly,
  never replaced by a regular file;
* `exclusive=True` (`new`, `import`): created, never overwriting anything
  that is there (not even a dangling link), atomically against a race.

Temporary files are named `.NAME.forebygging-XXXXXXXX.tmp` beside NAME, and
one left behind by a killed run (older than ten minutes) is removed the next
time NAME is written.

Failures raise `WriteError` with the path and the system's reason.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Mapping

#: a temporary file left this long is a killed run's, not another writer's
STALE_TEMPORARY_SECONDS = 600
_TEMPORARY = ".forebygging-"


class WriteError(Exception):
    """A file could not be written: `path` and the system's `reason`."""

    def __init__(self, path: str, reason: str, *, cut_short: bool = False, errno: int | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.cut_short, self.errno = path, reason, cut_short, errno


def write_file(path: str, content: str | bytes, *, exclusive: bool = False, mode: int | None = None,
               sync: bool = True) -> None:
    """Write `content` (text is written as UTF-8 with \\n line ends) to `path`, as the module says."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if exclusive:
            _create(path, data, mode)
            return
        descriptor = _descriptor_of(path)
        if descriptor is not None:  # /dev/stdout: the descriptor the shell gave, as it is (a pipe, `>>` a file)
            _write_all(descriptor, data)
            return
        target = os.path.realpath(path) if os.path.islink(path) else path
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):  # a device, a FIFO: written, never replaced
            _in_place(target, data, truncate=False)
            return
        if info is not None and info.st_nlink > 1:
            _in_place(target, data)
            return
        _remove_stale_temporaries(target)
        _replace(target, data, info, mode, sync)
    except WriteError as exc:
        exc.path = path
        raise
    except OSError as exc:
        raise WriteError(path, exc.strerror or str(exc), errno=exc.errno) from None


def same_file(path: str, others: Iterable[str]) -> str | None:
    """The first of `others` that is the same file as `path` (links followed), or None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    for other in others:
        try:
            found = os.stat(other)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino) and stat.S_ISREG(found.st_mode):
            return other
    return None


def _descriptor_of(path: str) -> int | None:
    """The open descriptor a path such as /dev/stdout, /dev/fd/3 or /proc/self/fd/3 names, or None."""
    import re

    absolute = os.path.abspath(path)
    named = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}.get(absolute)
    if named is not None:
        return named
    found = re.fullmatch(r"/(?:dev/fd|proc/self/fd)/(\d+)", absolute)
    return int(found.group(1)) if found else None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _create(path: str, data: bytes, mode: int | None) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) |
                         getattr(os, "O_CLOEXEC", 0), 0o666 if mode is None else mode)
    try:
        _write_all(descriptor, data)
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        os.unlink(path)
        raise
    os.close(descriptor)


def _in_place(path: str, data: bytes, truncate: bool = True) -> None:
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | (os.O_TRUNC if truncate else 0)
    descriptor = os.open(path, flags)
    try:
        try:
            _write_all(descriptor, data)
        except OSError as exc:
            if truncate:
                raise WriteError(path, exc.strerror or str(exc), cut_short=True) from None
            raise
    finally:
        os.close(descriptor)


def _replace(target: str, data: bytes, info: os.stat_result | None, mode: int | None, sync: bool) -> None:
    import secrets

    directory, name = os.path.split(os.path.abspath(target))
    temporary = os.path.join(directory, f".{name}{_TEMPORARY}{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) |
                             getattr(os, "O_CLOEXEC", 0), 0o600)
    except PermissionError:
        if info is None:
            raise
        _in_place(target, data)  # the folder takes no new file, but the file itself may be written
        return
    try:
        try:
            _write_all(descriptor, data)
            if info is not None:
                if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(descriptor, info.st_uid, info.st_gid)
                    except PermissionError:  # another user's file: write it in place, so it stays theirs
                        os.close(descriptor)
                        descriptor = -1
                        os.unlink(temporary)
                        _in_place(target, data)
                        return
                os.fchmod(descriptor, stat.S_IMODE(info.st_mode))
            else:
                os.fchmod(descriptor, _new_file_mode() if mode is None else mode)
            if sync:
                os.fsync(descriptor)
        finally:
            if descriptor >= 0:
                os.close(descriptor)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _remove_stale_temporaries(target: str) -> None:
    """Temporary files of `target` that a killed run left (older than STALE_TEMPORARY_SECONDS)."""
    directory, name = os.path.split(os.path.abspath(target))
    prefix = f".{name}{_TEMPORARY}"
    try:
        entries = [entry for entry in os.scandir(directory) if entry.name.startswith(prefix)
                   and entry.name.endswith(".tmp")]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                os.unlink(entry.path)
        except OSError:
            continue


# ---------------------------------------------------------------------------
# a folder of files (render's site mode)

#: the file in a site's folder that lists the files `render` wrote there, so a later run may replace them
FOLDER_MARK = ".forebygging-site"
_MARK_LIMIT = 1024 * 1024


class FolderRefused(Exception):
    """A folder the tool will not write into: `path`; `kind` is "not-a-folder" (a file, a device, a dangling
    link), "not-empty" (a folder with files this tool did not write there), or "not-ours" (`names`: files of
    the same names as the ones to write, which this tool did not write there)."""

    def __init__(self, path: str, kind: str, names: Iterable[str] = ()) -> None:
        super().__init__(f"{path}: {kind}")
        self.path, self.kind, self.names = path, kind, tuple(names)


def write_folder(directory: str, files: Mapping[str, str | bytes], *, force: bool = False) -> None:
    """Write `files` (plain names -> content) into the folder `directory`, each whole or not at all
    (write_file), and list them in its FOLDER_MARK. A folder that is not there is made (its parent must be);
    a folder that holds other files is written into only when its mark says this tool wrote there, and
    then only over the files the mark lists, unless `force`. What is not a folder is never replaced.
    Everything is checked before anything is written: a refusal (FolderRefused) changes nothing."""
    import json

    for name in files:
        if not _plain_name(name):
            raise ValueError(f"not a plain file name: {name!r}")
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(directory, exc.strerror or str(exc), errno=exc.errno) from None
    if (info is None and os.path.lexists(directory)) or (info is not None and not stat.S_ISDIR(info.st_mode)):
        raise FolderRefused(directory, "not-a-folder")
    mark = os.path.join(directory, FOLDER_MARK)
    written: set[str] = set()
    if info is None:
        try:
            os.mkdir(directory)
        except OSError as exc:
            raise WriteError(directory, exc.strerror or str(exc), errno=exc.errno) from None
    else:
        try:
            entries = set(os.listdir(directory)) - {FOLDER_MARK}
        except OSError as exc:
            raise WriteError(directory, exc.strerror or str(exc), errno=exc.errno) from None
        listed = _marked(mark)
        if listed is None:
            if entries and not force:
                raise FolderRefused(directory, "not-empty")
        else:
            clash = sorted(name for name in files if name in entries and name not in listed)
            if clash and not force:
                raise FolderRefused(directory, "not-ours", clash)
            written = listed & entries
    for name, content in files.items():
        write_file(os.path.join(directory, name), content)
    written |= set(files)
    record = {"written_by": "forebygging render", "files": sorted(written)}
    write_file(mark, json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def _plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..", FOLDER_MARK) and "/" not in name and "\\" not in name \
        and "\x00" not in name


def _marked(path: str) -> set[str] | None:
    """The names a folder's mark lists, or None when there is no mark (or none this tool could have written:
    too large, not JSON of its shape). What it lists is read as untrusted: plain names only."""
    import json

    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MARK_LIMIT + 1)
    except OSError:
        return None
    try:
        record = json.loads(raw.decode("utf-8")) if len(raw) <= _MARK_LIMIT else None
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), list):
        return None
    return {name for name in record["files"] if isinstance(name, str) and _plain_name(name)}
