"""Plan text from git: `REV:PATH` (a file as it was in a revision), `:PATH`
(as it is staged), and the plan files changed between a revision and the
working tree or the index.

git is called with an argument list (never a shell), from the directory the
path lives in, with a neutral locale, and a failure becomes one clear line
(`RevisionError`): a revision that does not exist, a path missing at that
revision, no git repository, or no git at all.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from .discover import PLAN_SUFFIXES
from .i18n import _


class RevisionError(Exception):
    """Plan text could not be read from git; the message is one line for the user."""


@dataclass(frozen=True)
class Source:
    """One side of a diff: a file in the working tree (`revision` None), a file
    at a revision, or a staged file (`revision` "")."""

    path: str
    revision: str | None = None

    @property
    def name(self) -> str:
        if self.revision is None:
            return self.path
        return f"{self.revision}:{self.path}"


def parse_side(argument: str) -> Source:
    """`plans/lier.yaml` (a file), `HEAD~1:plans/lier.yaml` (a revision) or `:plans/lier.yaml` (staged)."""
    if os.path.exists(argument) or ":" not in argument:
        return Source(argument)
    revision, path = argument.split(":", 1)
    return Source(path, revision)


def _nearest_directory(path: str) -> str:
    """The nearest existing directory of `path` (the file may be gone from the working tree)."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    while not os.path.isdir(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def _git(args: list[str], cwd: str, shown: str | None = None) -> str:
    """git's output; `shown` is how the user wrote the path, for messages."""
    environment = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", "GIT_PAGER": "cat"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=environment, timeout=120)
    except FileNotFoundError:
        raise RevisionError(_("git is not installed, so revisions cannot be read; install git or compare files")) from None
    if done.returncode != 0:
        raise RevisionError(_explain(done.stderr.decode("utf-8", "replace"), args, shown))
    return done.stdout.decode("utf-8", "surrogateescape")


def _explain(stderr: str, args: list[str], shown: str | None = None) -> str:
    """git's complaint in one line of the user's language."""
    text = " ".join(line.strip() for line in stderr.strip().splitlines())
    spec = args[-1] if args else ""
    revision, _colon, path = spec.partition(":")
    path = shown or path
    if "not a git repository" in text:
        return _("{path} is not in a git repository, so it has no revisions").format(path=path or ".")
    if "does not exist in" in text or "exists on disk, but not in" in text:
        return _("{path} does not exist in revision {revision}").format(path=path.removeprefix("./"),
                                                                        revision=revision or _("the index"))
    if "invalid object name" in text or "unknown revision" in text or "bad revision" in text \
            or "ambiguous argument" in text or "Not a valid object name" in text:
        return _("there is no revision {revision} in this git repository").format(revision=repr(revision))
    if "is in the index, but not at stage" in text or "not in the index" in text:
        return _("{path} is not staged").format(path=path.removeprefix("./"))
    return _("git could not read {spec}: {reason}").format(spec=spec, reason=text or "?")


def read(source: Source) -> str | None:
    """The text of `source`: the file, or git's copy at the revision (None when a
    working-tree file does not exist; errors from git raise RevisionError)."""
    if source.revision is None:
        return None  # the caller reads working-tree files through load, with its own checks
    directory = _nearest_directory(source.path)
    relative = os.path.relpath(os.path.abspath(source.path), directory)
    return _git(["show", f"{source.revision}:./{relative}"], directory, source.path)


def repository_root(start: str = ".") -> str:
    return _git(["rev-parse", "--show-toplevel"], os.path.abspath(start)).strip()


def changed_plans(revision: str | None, staged: bool, directory: str) -> list[tuple[Source | None, Source | None]]:
    """(old, new) for every plan file under `directory` that changed: between
    `revision` (default HEAD) and the working tree, or with `staged`, between
    HEAD and the index. A side is None where the file is new or gone."""
    base = revision or "HEAD"
    root = repository_root(directory)
    args = ["diff", "--name-status", "--no-renames"] + (["--cached"] if staged else []) + [base, "--",
                                                                                              os.path.abspath(directory)]
    pairs: list[tuple[Source | None, Source | None]] = []
    for line in _git(args, root).splitlines():
        status, _tab, name = line.partition("\t")
        if not name.endswith(PLAN_SUFFIXES):
            continue
        path = os.path.relpath(os.path.join(root, name))
        old = None if status.startswith("A") else Source(path, base)
        if status.startswith("D"):
            new = None
        else:
            new = Source(path, "") if staged else Source(path)
        pairs.append((old, new))
    return pairs
