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
* the Python version (entries are pickles).

A changed plan, schema or tool gives another key: a stale entry is never
served, only never read again (entries unused for 30 days are removed when
files are checked, at most once a day). Entries are written to a temporary
file in the same directory and renamed into place, so a reader sees a whole
entry or none and two processes writing the same entry at once leave one
valid entry. An entry that cannot be read (cut short, from another tool) is a
miss; a cache directory that cannot be created or written (a read-only home)
is skipped silently, and the run works as without a cache.

Where: `platformdirs.user_cache_dir("forebygging")` (on Linux
`$XDG_CACHE_HOME/forebygging`, else `~/.cache/forebygging`), or
FOREBYGGING_CACHE_DIR. `--no-cache` turns it off for a run.

The entries are pickles, read only from the user's own cache directory
(created private, mode 0700): whoever can write there can already run code as
the user.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

#: the layout of an entry; a new layout is a new directory, so old entries are never misread
LAYOUT = "v1"
#: entries not used for this long are removed
MAX_AGE_SECONDS = 30 * 24 * 3600
_DAY = 24 * 3600
_PACKAGE = Path(__file__).resolve().parent


def directory() -> Path | None:
    """The cache directory of this user, or None when there is none to use."""
    configured = os.environ.get("FOREBYGGING_CACHE_DIR")
    if configured:
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
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            digest.update(f"{os.path.relpath(os.path.join(root, name), package)}|{info.st_size}|"
                          f"{info.st_mtime_ns}\n".encode())
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
        self.root = root
        self.writable = root is not None
        self.written = 0

    def _path(self, entry: str) -> Path:
        assert self.root is not None
        return self.root / entry[:2] / f"{entry}.pickle"

    def get(self, entry: str) -> Any | None:
        """The object stored under `entry`, or None."""
        if self.root is None:
            return None
        path = self._path(entry)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                modified = os.fstat(handle.fileno()).st_mtime
            value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - missing, cut short, another layout: a miss
            return None
        if time.time() - modified > _DAY:  # in use: keep it from being pruned (atime is often not kept)
            try:
                os.utime(path)
            except OSError:
                pass
        return value

    def put(self, entry: str, value: Any) -> None:
        """Store `value` under `entry`: a temporary file beside it, then an atomic rename."""
        if not self.writable:
            return
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - something that does not pickle is simply not cached
            return
        self.put_bytes(entry, data)

    def put_bytes(self, entry: str, data: bytes) -> None:
        if not self.writable:
            return
        import tempfile

        target = self._path(entry)
        try:
            if not target.parent.is_dir():
                _make_private(target.parent)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, target)
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise
        except OSError:
            self.writable = False  # a read-only or full cache: stop trying for this run
            return
        self.written += 1

    def prune_now_and_then(self) -> None:
        """Prune at most once a day (a marker file remembers when)."""
        if self.root is None or not self.writable:
            return
        marker = self.root / ".pruned"
        try:
            if time.time() - marker.stat().st_mtime < _DAY:
                return
        except OSError:
            pass
        self.prune()
        try:
            marker.touch()
        except OSError:
            pass

    def prune(self, now: float | None = None) -> int:
        """Remove entries not used (read or written) for MAX_AGE_SECONDS, and
        temporary files a stopped process left; returns how many were removed."""
        if self.root is None or not self.root.is_dir():
            return 0
        now = time.time() if now is None else now
        removed = 0
        for folder in _listing(self.root):
            for item in _listing(folder):  # a folder that is not one, gone, or not ours lists nothing
                try:
                    info = item.stat()
                    stale = item.name.endswith(".tmp") and now - info.st_mtime > 3600
                    if stale or now - max(info.st_atime, info.st_mtime) > MAX_AGE_SECONDS:
                        item.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed


def _make_private(folder: Path) -> None:
    """Create `folder` and any parent of it that is missing, each readable by the user only (0700)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:  # another run made it meanwhile
            pass


def _listing(folder: Path) -> list[Path]:
    """What a cache folder holds; nothing when it cannot be listed (removed meanwhile, not readable, a file)."""
    try:
        return list(folder.iterdir())
    except OSError:
        return []
