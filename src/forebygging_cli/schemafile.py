"""Where the bundled JSON Schema for plan files lives.

An installed wheel carries it inside the package (`forebygging_cli/schemas/`);
a source checkout or editable install uses `schemas/` at the repository root,
which is the one copy that is edited.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_NAME = "plan.schema.json"


def schema_path() -> Path:
    bundled = Path(__file__).parent / "schemas" / SCHEMA_NAME
    if bundled.is_file():
        return bundled
    return Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_NAME
