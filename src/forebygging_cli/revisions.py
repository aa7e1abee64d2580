"""Plan text from git: `REV:PATH` (a file as it was in a revision), `:PATH`
(as it is staged), and the plan files changed between a revision and the
working tree or the index.

git's output is read like any input from outside:

* git is called with an argument list (never a shell), with a neutral
  locale, and a failure becomes one clear line (`RevisionError`): a revision
  that does not exist, a path missing at that revision, no git repository,
  or no git at all;
* a revision the user wrote never reaches git as an option: one that starts
  with `-` is refused, and every other is checked first with `git rev-parse
  --verify --end-of-options`, so a mistyped tag is named as a revision;
* file names are read NUL-separated (`-z`) with `core.quotePath=false`, so
  `plans/tromsø.yaml` is the name git gives, byte for byte;
* a file's content comes from `git cat-file --batch` (its name on standard
  input, never on the command line), and its size is read before its bytes:
  a blob over the 1 MB limit is refused unread.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from .discover import PLAN_SUFFIXES
from .files import MAX_BYTES, too_large
from .i18n import _

#: every git command: names as they are (tromsø, not "troms\303\270"), whatever the user's configuration says
GIT = ("git", "-c", "core.quotePath=false")


class RevisionError(Exception):
    """Plan text could not be read from git; the message is one line for the user."""


@dataclass(frozen=True)
class Source:
    """One side of a diff: a file in the working tree (`revision` None), a file
    at a revision, or a staged file (`revision` ""). `untracked` marks a file
    in the working tree that git does not know yet."""

    path: str
    revision: str | None = None
    untracked: bool = False

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
    refuse_option(revision)
    return Source(path, revision)


def refuse_option(revision: str) -> None:
    """A revision that starts with `-` would be an option to git: refused."""
    if revision.startswith("-"):
        raise RevisionError(_("{revision} is not a revision: a revision never starts with '-'").format(
            revision=repr(revision)))


def _existing(path: str) -> str:
    """The nearest existing directory at or above `path`, absolute (a file or folder may be gone)."""
    directory = os.path.abspath(path)
    while not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    return directory


def _real(path: str) -> str:
    """`path` absolute, with the links of the part that exists resolved, as git names it."""
    existing = _existing(path)
    rest = os.path.relpath(os.path.abspath(path), existing)
    return os.path.normpath(os.path.join(os.path.realpath(existing), rest))


def _run(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, env=_environment(), timeout=120)
    except FileNotFoundError:
        raise RevisionError(_("git is not installed, so revisions cannot be read; install git or compare files")) from None


def _git(args: list[str], cwd: str, shown: str) -> bytes:
    """git's output; `shown` is what the user wrote (a path or a revision), for messages."""
    done = _run(args, cwd)
    if done.returncode != 0:
        raise RevisionError(_explain(done.stderr.decode("utf-8", "replace"), shown))
    return done.stdout


def _environment() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "", "GIT_PAGER": "cat"}


def _explain(stderr: str, shown: str) -> str:
    """git's complaint in one line of the user's language."""
    text = " ".join(line.strip() for line in stderr.strip().splitlines())
    if "not a git repository" in text:
        return _("{path} is not in a git repository, so it has no revisions").format(path=shown)
    return _("git could not read {spec}: {reason}").format(spec=shown, reason=text or "?")


def verify(revision: str, directory: str, shown: str) -> None:
    """Raise RevisionError unless `revision` names a commit of the repository
    `directory` is in (`shown`, what the user wrote, names that place)."""
    refuse_option(revision)
    found = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], directory)
    if found.returncode != 0:
        stderr = found.stderr.decode("utf-8", "replace")
        if stderr.strip():
            raise RevisionError(_explain(stderr, shown))
        raise RevisionError(_("there is no revision {revision} in this git repository").format(
            revision=repr(revision)))


def read(source: Source) -> bytes | None:
    """The bytes of `source` at its revision or in the index (None for a
    working-tree file: the caller reads those through load, with its own
    checks). Raises RevisionError, or PlanFileError for a blob over the limit
    (its size read from git, its bytes never)."""
    if source.revision is None:
        return None
    shown = source.path.removeprefix("./")
    directory = _existing(os.path.dirname(os.path.abspath(source.path)))
    root = repository_root(directory, shown)
    if source.revision:
        verify(source.revision, directory, shown)
    relative = os.path.relpath(_real(source.path), root)
    if "\n" in relative or relative.startswith(".."):
        raise RevisionError(_("{path} is outside the git repository it is in").format(path=shown))
    spec = f"{source.revision}:{relative}".encode("utf-8", "surrogateescape") + b"\n"
    try:
        process = subprocess.Popen([*GIT, "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
    except FileNotFoundError:
        raise RevisionError(_("git is not installed, so revisions cannot be read; install git or compare files")) from None
    with process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(spec)
        process.stdin.close()
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            process.kill()
            if source.revision:
                raise RevisionError(_("{path} does not exist in revision {revision}").format(
                    path=shown, revision=source.revision))
            raise RevisionError(_("{path} is not staged").format(path=shown))
        size = int(header[2])
        if size > MAX_BYTES:
            process.kill()
            raise too_large(size)
        content = process.stdout.read(size)
        process.kill()
    return content


def repository_root(start: str, shown: str) -> str:
    """The top folder of the git repository `start` is in (`shown` names it in messages)."""
    return os.fsdecode(_git(["rev-parse", "--show-toplevel"], start, shown).rstrip(b"\n"))


def changed_plans(revision: str | None, staged: bool, directory: str) -> list[tuple[Source | None, Source | None]]:
    """(old, new) for every plan file under `directory` that changed: between
    `revision` (default HEAD) and the working tree, with the plan files git
    does not track yet as new; or with `staged`, between HEAD and the index. A
    side is None where the file is new or gone. `directory` need not exist:
    the last plan may have been removed with it."""
    base = revision or "HEAD"
    here = _existing(directory)
    root = repository_root(here, directory)
    verify(base, root, directory)
    target = _real(directory)
    args = ["diff", "--name-status", "--no-renames", "-z"] + (["--cached"] if staged else []) + \
        ["--end-of-options", base, "--", target]
    fields = _git(args, root, directory).split(b"\0")
    pairs: list[tuple[Source | None, Source | None]] = []
    for status, name in zip(fields[0::2], fields[1::2]):
        path = os.path.relpath(os.path.join(root, os.fsdecode(name)))
        if not path.endswith(PLAN_SUFFIXES):
            continue
        old = None if status == b"A" else Source(path, base)
        if status == b"D":
            new = None
        else:
            new = Source(path, "") if staged else Source(path)
        pairs.append((old, new))
    if not staged:
        listed = _git(["ls-files", "--others", "--exclude-standard", "-z", "--", target], root, directory)
        for name in listed.split(b"\0"):
            path = os.path.relpath(os.path.join(root, os.fsdecode(name)))
            if name and path.endswith(PLAN_SUFFIXES):
                pairs.append((None, Source(path, untracked=True)))
    return pairs
