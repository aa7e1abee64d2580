"""Where the bundled JSON Schema for plan files lives.

An installed wheel carries it inside the package (`forebygging_cli/schemas/`);
a source checkout or editable install uses `schemas/` at the repository root,
which is the one copy that is edited.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

SCHEMA_NAME = "plan.schema.json"


def schema_path() -> Path:
    bundled = Path(__file__).parent / "schemas" / SCHEMA_NAME
    if bundled.is_file():
        return bundled
    return Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_NAME


def modeline_reference(directory: str) -> str:
    """The schema a plan file in `directory` names in its editor modeline (`# yaml-language-server:
    $schema=...`): the plan repository's own schemas/plan.schema.json when it has one, else the bundled
    schema; always relative to the file, so the line means the same on every machine the repository is
    checked out on (`new` and `import` write it)."""
    import os

    repository_schema = os.path.join(os.path.dirname(os.path.abspath(directory)), "schemas", SCHEMA_NAME)
    schema = repository_schema if os.path.isfile(repository_schema) else str(schema_path())
    return os.path.relpath(schema, os.path.abspath(directory)).replace(os.sep, "/")


@functools.cache
def schema_bytes() -> bytes:
    """The schema file's bytes, read once per run: the cache key and both validators use the same."""
    return schema_path().read_bytes()


@functools.cache
def schema() -> dict[str, Any]:
    """The schema, parsed once per run (read it, do not change it)."""
    import json

    return json.loads(schema_bytes())
