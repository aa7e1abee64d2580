"""Which files to work on: paths, directories and globs -> plan file paths.

Pure path logic over the file system's listing; it opens no plan file.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

PLAN_SUFFIXES = (".yaml", ".yml")
DEFAULT_DIR = "plans"


@dataclass(frozen=True)
class Selection:
    files: tuple[str, ...]
    #: arguments that named nothing usable, with the reason, e.g. an empty directory
    problems: tuple[tuple[str, str], ...]


def select(arguments: list[str] | None) -> Selection:
    """The plan files named by `arguments`; every `*.yaml` under plans/ when there are none."""
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    if not arguments:
        if not os.path.isdir(DEFAULT_DIR):
            return Selection((), ((DEFAULT_DIR, "no plans/ directory here; run from the plan repository or name the files"),))
        arguments = [DEFAULT_DIR]
    for argument in arguments:
        if os.path.isdir(argument):
            found = _plans_under(argument)
            if not found:
                problems.append((argument, "directory holds no plan files (*.yaml or *.yml)"))
            files.extend(found)
        elif os.path.lexists(argument) or not glob.has_magic(argument):
            files.append(argument)  # a file, or a missing path the loader will report
        else:
            matches = sorted(m for m in glob.glob(argument, recursive=True) if not os.path.isdir(m))
            if not matches:
                problems.append((argument, "the pattern matches no files"))
            files.extend(matches)
    # one file named twice (plans/x.yaml and ./plans/x.yaml) is checked once
    seen: set[str] = set()
    unique = []
    for name in files:
        key = os.path.realpath(name) if os.path.exists(name) else name
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return Selection(tuple(unique), tuple(problems))


def _plans_under(directory: str) -> list[str]:
    found = []
    for root, dirs, names in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(PLAN_SUFFIXES))
    return found
