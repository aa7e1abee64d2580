"""Which files to work on: paths, directories and globs -> plan file paths.

Pure path logic over the file system's listing; it opens no plan file.

Directories and `**` patterns follow symbolic links, but each real directory
is entered once and each real file is listed once, so a link back up the tree
(`plans/self -> .`, `plans/up -> ..`) costs one visit, not one per path that
reaches it. Names that start with a dot are skipped unless the pattern names
them, as in the shell. The walk keeps its own stack, so folders nested
thousands deep cost no recursion, and a folder that cannot be listed (no
permission) is a problem of the selection, never skipped in silence: a run
that could not see every plan must not pass.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .i18n import _

PLAN_SUFFIXES = (".yaml", ".yml")
DEFAULT_DIR = "plans"


@dataclass(frozen=True)
class Selection:
    """The plan files the arguments name, and the arguments that named none."""

    files: tuple[str, ...]
    #: arguments that named nothing usable, with the reason, e.g. an empty directory
    problems: tuple[tuple[str, str], ...]


#: what may not stand in a file name as shown: every C0 control (newline and tab too), DEL, C1, the
#: bidirectional overrides, and the bytes a name held that are not UTF-8 (Python's surrogate escapes)
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def shown(path: str) -> str:
    """A file name as every output shows it: control characters and undecodable bytes as \\xNN or
    \\uNNNN, so that a name holding a newline cannot forge a line of findings or an annotation, nor
    break an XML report."""
    if not _UNSHOWABLE.search(path):
        return path
    return _UNSHOWABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xdc00:02x}" if ord(m.group()) >= 0xdc80
                           else f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", path)


def plans_directory(start: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The plan repository's plans/ directory: FOREBYGGING_PLANS when set, else
    the nearest plans/ in the working directory or a directory above it (as git
    finds .git). A path relative to the working directory when it is below it.
    None when there is none."""
    environ = os.environ if environ is None else environ
    if environ.get("FOREBYGGING_PLANS"):
        return environ["FOREBYGGING_PLANS"]
    here = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(here, DEFAULT_DIR)
        if os.path.isdir(candidate):
            relative = os.path.relpath(candidate)
            return relative if not relative.startswith("..") or len(relative) < len(candidate) else candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def select(arguments: list[str] | None, default_dir: str | None = None) -> Selection:
    """The plan files named by `arguments`; every `*.yaml` under the plan
    repository's plans/ directory (see `plans_directory`) when there are none."""
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    if not arguments:
        directory = default_dir or plans_directory()
        if directory is None:
            return Selection((), ((DEFAULT_DIR, _(
                "no plans/ directory in {here} or any directory above it; run inside a plan repository, name the "
                "files, or set FOREBYGGING_PLANS to the plans directory").format(here=os.getcwd())),))
        if not os.path.isdir(directory):
            return Selection((), ((directory, _("FOREBYGGING_PLANS names {path}, which is not a directory").format(
                path=directory)),))
        arguments = [directory]
    for argument in arguments:
        unlisted: list[str] = []
        if os.path.isdir(argument):
            found = plans_under(argument, unlisted)
            if not found and not unlisted:
                problems.append((argument, _("directory holds no plan files (*.yaml or *.yml)")))
            files.extend(found)
        elif os.path.lexists(argument) or not glob.has_magic(argument):
            files.append(argument)  # a file, or a missing path the loader will report
        else:
            matches = expand(argument, unlisted)
            if not matches and not unlisted:
                problems.append((argument, _("the pattern matches no files")))
            files.extend(matches)
        problems += [(folder, _("the folder cannot be read, so the plans in it were not checked: {reason}").format(
            reason=reason)) for folder, reason in unlisted]
    return Selection(tuple(_unique(files)), tuple((shown(argument), reason) for argument, reason in problems))


def _unique(files: list[str]) -> Iterator[str]:
    """One file named twice (plans/x.yaml, ./plans/x.yaml, or through a link) is listed once."""
    seen: set[str] = set()
    for name in files:
        key = os.path.realpath(name) if os.path.exists(name) else name
        if key not in seen:
            seen.add(key)
            yield name


def plans_under(directory: str, unlisted: list | None = None) -> list[str]:
    """Every *.yaml and *.yml file under `directory`, at any depth, sorted. Folders that could not be
    listed are added to `unlisted` as (folder, reason)."""
    return sorted(path for path in _files(directory, ["**", "*"], set(), unlisted)
                  if path.endswith(PLAN_SUFFIXES))


def expand(pattern: str, unlisted: list | None = None) -> list[str]:
    """The files a glob pattern matches (`*`, `?`, `[...]`, and `**` for any
    number of directories), sorted; directories themselves are not listed."""
    head, *parts = pattern.split(os.sep)
    if head == "":  # an absolute pattern
        base, segments = os.sep, parts
    else:
        base, segments = "", [head, *parts]
    return sorted(set(_files(base, [s for s in segments if s], set(), unlisted)))


def _files(directory: str, segments: list[str], visited: set[tuple[int, int]],
           unlisted: list | None = None) -> Iterator[str]:
    """Files under `directory` whose relative path matches `segments`, by a walk with its own stack.

    `visited` holds the real directories a `**` has already entered."""
    stack = [(directory, segments)]
    while stack:
        directory, segments = stack.pop()
        segment, rest = segments[0], segments[1:]
        found: list[tuple[str, list[str]]] = []
        if segment == "**":
            identity = _identity(directory or ".")
            if identity is None or identity in visited:
                continue
            visited.add(identity)
            if rest:
                found.append((directory, rest))
            for name in _names(directory, unlisted):
                path = os.path.join(directory, name)
                if not name.startswith(".") and os.path.isdir(path):
                    found.append((path, segments))
                elif not rest and not name.startswith("."):
                    yield path
        else:
            if glob.has_magic(segment):
                names = [n for n in _names(directory, unlisted) if fnmatch.fnmatchcase(n, segment)]
                if not segment.startswith("."):
                    names = [n for n in names if not n.startswith(".")]
            else:
                names = [segment]
            for name in names:
                path = os.path.join(directory, name)
                if rest:
                    if os.path.isdir(path):
                        found.append((path, rest))
                elif os.path.isfile(path):
                    yield path
        stack.extend(reversed(found))


def _names(directory: str, unlisted: list | None = None) -> list[str]:
    try:
        return sorted(os.listdir(directory or "."))
    except PermissionError as exc:  # a folder this user may not list: said, never skipped in silence
        if unlisted is not None:
            unlisted.append((directory or ".", exc.strerror or str(exc)))
        return []
    except OSError:  # vanished meanwhile, or a loop the OS refuses
        return []


def _identity(directory: str) -> tuple[int, int] | None:
    try:
        info = os.stat(directory)
    except OSError:
        return None
    return info.st_dev, info.st_ino
