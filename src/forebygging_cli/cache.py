"""The cache of checked plans, kept between runs: an unchanged plan file is
neither parsed nor checked again, so a query answers in the time it takes to
start Python.

An entry holds what checking one file gave (its FileReport: findings, and the
Plan when it was built), under a key made of everything that could change
that report:

* the file's bytes (BLAKE2b), and the name it is reported under;
* the schema's bytes;
* the tool: its version and the size and modification time of each of its
  own files (modules, catalogues, templates), so an edited checkout is a new
  tool too, and the modification time of the site-packages folders (pip
  changes them on every install, upgrade or removal of a library, and a
  library's words reach some findings);
* the language of the run (findings are messages);
* the Python version.

A changed plan, schema or tool gives another key: a stale entry is never
served, only never read again (entries unused for 30 days are removed when
files are checked, at most once a day; so are those of an earlier layout,
which live in a folder of their own beside this one's). Entries are written
to a temporary file in the same directory and renamed into place, so a
reader sees a whole entry or none and two processes writing the same entry
at once leave one valid entry. An entry that cannot be read (cut short, from
another tool) is a miss; a cache directory that cannot be created or
written (a read-only home) is skipped silently, and the run works as without
a cache.

Where: `platformdirs.user_cache_dir("forebygging")` (on Linux
`$XDG_CACHE_HOME/forebygging`, else `~/.cache/forebygging`), or
FOREBYGGING_CACHE_DIR, which must be an absolute path. `--no-cache` turns it
off for a run.

What is read from the cache is untrusted all the same. An entry is plain data
(JSON, turned back into objects by `codec.py`, which checks every value's
type), never a pickle or anything else that could run code when read. And a
cache folder is used only when it is the user's own: the folder is owned by
the user and writable by nobody else, every folder above it is owned by the
user or by root and writable by nobody else unless sticky (as /tmp is), every
link on the way to it is the user's or root's (another user's link in /tmp
could lead it anywhere), and each entry, opened without following a link, is
a regular file owned by the user and writable by nobody else (checked on the
open file). Otherwise the run goes on without a cache, and says once why
(`refused`). Folders the tool creates are readable by the user only (0700),
entries 0600.

An entry is a header line, `FBC4 <flags> <length> <length> ...`, then its
sections one after another, so that a reader reads only the sections it
needs and passes over the others unread (validate reads the report, not the
plan; a query reads the store's facts, neither report nor plan). What the
flags and the sections mean is batch.py's (the report, the plan) and
store.py's (the query-shaped store's sections, which follow them): one file
per key, so a plan checked for the first time costs one new file, however
many commands read it.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

#: the layout of an entry; a new layout is a new directory, so old entries are never misread
LAYOUT = "v4"
#: entries not used for this long are removed
MAX_AGE_SECONDS = 30 * 24 * 3600
_DAY = 24 * 3600
_PACKAGE = Path(__file__).resolve().parent
#: what starts an entry's header, and ends its file's name
MAGIC, SUFFIX = b"FBC4", ".entry"
#: the longest header an entry can have (a few numbers)
_MAX_HEADER = 256

#: why this run does not use the cache folder it was given, when it does not (said once, by the CLI)
refused: dict[str, str] = {}


def directory() -> Path | None:
    """The cache directory of this user, or None when there is none to use (a relative
    FOREBYGGING_CACHE_DIR is refused: it would put a cache wherever a command runs)."""
    configured = os.environ.get("FOREBYGGING_CACHE_DIR")
    if configured:
        if not os.path.isabs(configured):
            refused[configured] = "relative"
            return None
        return Path(configured) / LAYOUT
    try:
        if sys.platform.startswith("linux"):
            # what platformdirs.user_cache_dir gives on Linux (the XDG base directory rule), without
            # importing it: the import costs more than a warm query takes
            base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
            if not os.path.isabs(base):
                return None
            return Path(base) / "forebygging" / LAYOUT
        import platformdirs

        return Path(platformdirs.user_cache_dir("forebygging", appauthor=False)) / LAYOUT
    except Exception:  # noqa: BLE001 - no home directory, an odd platform: no cache
        return None


def untrusted_reason(folder: Path) -> str | None:
    """Why the existing folder `folder` may not hold this user's cache, or None when it may (see the
    module's docstring): "owner" when it or a folder above it belongs to someone else, "writable" when
    someone else may write in it, "not-a-folder"."""
    uid = _uid()
    if uid is None:  # pragma: no cover - Windows: folder permissions are ACLs, not modes
        return None
    if _foreign_link(os.path.abspath(folder), uid):  # someone else's link could point it anywhere, at any time
        return "owner"
    real = os.path.realpath(folder)
    try:
        info = os.lstat(real)
    except OSError:
        return "not-a-folder"
    if not stat.S_ISDIR(info.st_mode):
        return "not-a-folder"
    if info.st_uid != uid:
        return "owner"
    if info.st_mode & 0o022:
        return "writable"
    parent = os.path.dirname(real)
    while True:
        try:
            info = os.lstat(parent)
        except OSError:
            return "not-a-folder"
        if info.st_uid not in (uid, 0):
            return "owner"
        if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
            return "writable"
        above = os.path.dirname(parent)
        if above == parent:
            return None
        parent = above


def _foreign_link(path: str, uid: int) -> bool:
    """Whether finding the absolute `path` follows a symbolic link that someone other than the user or root
    owns (as a link in a shared sticky folder such as /tmp may be): the folders at its end are checked, but
    such a link could be pointed elsewhere between the check and a write or a removal. The path is resolved
    a component at a time, each link's own path and target looked at; a loop counts as foreign."""
    from collections import deque

    pending, resolved, links = deque(path.split("/")), "/", 0
    while pending:
        name = pending.popleft()
        if name in ("", "."):
            continue
        if name == "..":
            resolved = os.path.dirname(resolved)
            continue
        candidate = os.path.join(resolved, name)
        try:
            info = os.lstat(candidate)
        except OSError:
            return False  # not there (yet): the folder checks that follow say so
        if not stat.S_ISLNK(info.st_mode):
            resolved = candidate
            continue
        links += 1
        if info.st_uid not in (uid, 0) or links > 40:
            return True
        try:
            target = os.readlink(candidate)
        except OSError:
            return True
        if target.startswith("/"):
            resolved = "/"
        pending.extendleft(reversed(target.split("/")))
    return False


def _blake2b() -> Any:
    """BLAKE2b, from the C module hashlib takes it from: importing hashlib also loads
    OpenSSL, which costs a warm query a sixth of its time."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python without the module
        from hashlib import blake2b
    return blake2b


@functools.cache
def tool_fingerprint(package: Path = _PACKAGE, libraries: tuple[str, ...] | None = None) -> str:
    """The tool's version, the size and modification time of every file it is made of, and the
    modification time of the folders its libraries are installed in (`libraries`, default the
    site-packages folders): installing, upgrading or removing a library (PyYAML, jsonschema, whose
    words some findings quote) changes such a folder, so the cache starts afresh."""
    import forebygging_cli

    digest = _blake2b()(f"{forebygging_cli.__version__}|{sys.version}".encode())
    for folder in _library_folders() if libraries is None else libraries:
        try:
            digest.update(f"{folder}|{os.stat(folder).st_mtime_ns}\n".encode())
        except OSError:
            continue
    top = len(str(package)) + 1  # each file by its path inside the package (what os.path.relpath gives, faster)
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path[top:]}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _library_folders() -> tuple[str, ...]:
    import site

    try:
        return (*site.getsitepackages(), site.getusersitepackages())
    except AttributeError:  # pragma: no cover - an embedded Python without them
        return tuple(path for path in sys.path if path.endswith("site-packages"))


def context_key(schema: bytes, language: str) -> bytes:
    """The part of every key that is the same for all files of a run."""
    blake2b = _blake2b()
    return blake2b(b"|".join((tool_fingerprint().encode(), blake2b(schema).digest(), language.encode()))).digest()


def key(context: bytes, shown: str, content: bytes) -> str:
    """The entry key of a file's bytes (BLAKE2b, 256 bits), reported under the name `shown`."""
    digest = _blake2b()(context, digest_size=32)
    digest.update(shown.encode("utf-8", "surrogateescape"))
    digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


class Cache:
    """Entries under one directory. Every method fails quietly: the cache only ever saves time."""

    def __init__(self, root: Path | None) -> None:
        self.root = self._usable(root)
        self.writable = self.root is not None

    @staticmethod
    def _usable(root: Path | None) -> Path | None:
        """`root` when it may hold this user's cache (it is made, private, when it is not there yet)."""
        if root is None:
            return None
        if not root.is_absolute():  # never given one: directory() refuses a relative folder, and says so
            return None
        if not os.path.lexists(root):
            try:
                _make_private(root)
            except OSError:
                return None  # a read-only home: no cache, and nothing to say
        reason = untrusted_reason(root)
        if reason is not None:
            refused[str(root)] = reason
            return None
        return root

    def _path(self, entry: str) -> Path:
        assert self.root is not None
        return self.root / entry[:2] / f"{entry}{SUFFIX}"

    def get(self, entry: str, sections: int | None = None, *,
            skip: frozenset[int] = frozenset()) -> tuple[int, list[bytes | None]] | None:
        """(flags, the first `sections` sections, or all) of the entry stored under `entry`, or None: also for
        a file that is not a regular file of this user's that nobody else may write. A section in `skip` is
        passed over unread (None in its place)."""
        if self.root is None:
            return None
        path = self._path(entry)
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            with os.fdopen(descriptor, "rb") as handle:
                info = os.fstat(handle.fileno())
                if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022
                        or _uid() not in (None, info.st_uid)):
                    return None
                header = handle.readline(_MAX_HEADER).split()
                if len(header) < 2 or header[0] != MAGIC:
                    return None
                flags, lengths = int(header[1]), [int(n) for n in header[2:]]
                wanted = lengths if sections is None else lengths[:sections]
                if len(wanted) != (len(lengths) if sections is None else sections) or min(wanted, default=0) < 0:
                    return None
                found: list[bytes | None] = []
                for number, length in enumerate(wanted):
                    if number in skip:
                        handle.seek(length, os.SEEK_CUR)
                        found.append(None)
                        continue
                    part = handle.read(length)
                    if len(part) != length:  # cut short
                        return None
                    found.append(part)
        except (OSError, ValueError):
            return None
        if time.time() - info.st_mtime > _DAY:  # in use: keep it from being pruned (atime is often not kept)
            try:
                os.utime(path)
            except OSError:
                pass
        return flags, found

    def put(self, entry: str, flags: int, sections: list[bytes]) -> None:
        """Store the sections under `entry`: a temporary file beside it, then an atomic rename."""
        if not self.writable:
            return
        from .writing import WriteError, write_file

        header = b" ".join([MAGIC, str(flags).encode(), *(str(len(s)).encode() for s in sections)]) + b"\n"
        target = self._path(entry)
        try:
            if not target.parent.is_dir():
                _make_private(target.parent)
            write_file(str(target), b"".join([header, *sections]), mode=0o600, sync=False)
        except (OSError, WriteError):
            self.writable = False  # a read-only or full cache: stop trying for this run

    def prune_now_and_then(self) -> None:
        """Prune at most once a day (a marker file remembers when; one dated in the future is ignored)."""
        if self.root is None or not self.writable:
            return
        marker = self.root / ".pruned"
        try:
            age = time.time() - os.lstat(marker).st_mtime
            if 0 <= age < _DAY:
                return
        except OSError:
            pass
        self.prune()
        try:
            if os.path.islink(marker):
                os.unlink(marker)
            marker.touch()
        except OSError:
            pass

    def prune(self, now: float | None = None) -> int:
        """Remove entries not used (read or written) for MAX_AGE_SECONDS, and temporary files a stopped
        process left; returns how many were removed. The folders of earlier layouts beside this one (v1 to v3:
        never read again) are pruned by the same rule, so their entries are gone 30 days after the tool
        changed its layout, and the folders with them (`_earlier_layouts`: only the user's own, and in them
        only what the tool writes). Links are never followed: only regular files inside the cache's own
        folders are removed."""
        if self.root is None:
            return 0
        now = time.time() if now is None else now
        removed = _prune_folder(self.root, now)
        for old in self._earlier_layouts():
            removed += _prune_folder(old, now, only_ours=True)
            _remove_if_empty(old)
        return removed

    def _earlier_layouts(self) -> list[Path]:
        """The folders beside this cache's that earlier layouts of it made (`v1` to `v3`: a lower number than
        LAYOUT's) and that may be this user's cache (untrusted_reason: the user's own, writable by nobody
        else); none where this cache's folder is not a layout's (a Cache made on another folder, in tests)."""
        assert self.root is not None
        if self.root.name != LAYOUT:
            return []
        import re

        current = int(LAYOUT[1:])
        return [Path(folder.path) for folder in _listing(self.root.parent)
                if re.fullmatch(_LAYOUT_NAME, folder.name) and int(folder.name[1:]) < current
                and folder.is_dir(follow_symlinks=False) and untrusted_reason(Path(folder.path)) is None]


#: the name of a layout's folder, as LAYOUT is (ASCII digits, no leading zero: v0, v02 and v² are not one)
_LAYOUT_NAME = r"v[1-9][0-9]*"
#: what the tool writes in a layout's folder: folders named by a key's first two hex digits, and in them
#: entries (`.entry`; `.facts` in layout v2), and the temporary files they are written through
_SHARD = r"[0-9a-f]{2}"
_OURS = r"[0-9a-f]{64}\.(?:entry|facts)|\.[0-9a-f]{64}\.(?:entry|facts)\.forebygging-[0-9a-f]+\.tmp"


def _prune_folder(root: Path, now: float, only_ours: bool = False) -> int:
    """Remove from the folders in `root` (the cache's, or an earlier layout's) the regular files not used for
    MAX_AGE_SECONDS and temporary files older than an hour; how many were removed. `only_ours`: only what the
    tool writes there (_SHARD, _OURS), in folders of the user's own."""
    import re

    removed = 0
    for folder in _listing(root):
        if not folder.is_dir(follow_symlinks=False):
            continue
        if only_ours and (not re.fullmatch(_SHARD, folder.name) or _uid() not in (None, _owner(folder))):
            continue
        for item in _listing(folder):  # a folder that is gone or not readable lists nothing
            if only_ours and not re.fullmatch(_OURS, item.name):
                continue
            try:
                info = item.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                stale = item.name.endswith(".tmp") and now - info.st_mtime > 3600
                if stale or now - max(info.st_atime, info.st_mtime) > MAX_AGE_SECONDS:
                    os.unlink(item.path)
                    removed += 1
            except OSError:
                continue
    return removed


def _remove_if_empty(layout: Path) -> None:
    """Remove an earlier layout's folder once pruning has left nothing of the tool's in it: its emptied key
    folders, then its `.pruned` marker and itself, when nothing else is there."""
    import re

    for folder in _listing(layout):
        if re.fullmatch(_SHARD, folder.name) and folder.is_dir(follow_symlinks=False):
            try:
                os.rmdir(folder.path)  # only if empty
            except OSError:
                pass
    left = _listing(layout)
    if [item.name for item in left] in ([], [".pruned"]):
        try:
            if left and left[0].is_file(follow_symlinks=False):
                os.unlink(left[0].path)
            os.rmdir(layout)
        except OSError:
            pass


def _owner(item: os.DirEntry) -> int | None:
    try:
        return item.stat(follow_symlinks=False).st_uid
    except OSError:
        return None


def _uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _make_private(folder: Path) -> None:
    """Create `folder` and any parent of it that is missing, each readable by the user only (0700)."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:  # another run made it meanwhile
            pass


def _listing(folder: Path) -> list[os.DirEntry]:
    """What a cache folder holds; nothing when it cannot be listed (removed meanwhile, not readable, a file)."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []
