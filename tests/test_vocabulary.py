"""The schema and the code name the same vocabularies: a value the schema
allows must be one the tool knows how to show and query."""

from __future__ import annotations

import json

from conftest import ROOT
from forebygging_cli.ages import STAGE_AGES
from forebygging_cli.query import STAGES
from forebygging_cli.vocab import AUDIENCES, LEVEL_DEFAULT_LABELS, LEVELS, SERVICES

DEFS = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))["$defs"]


def test_levels():
    assert DEFS["measure"]["properties"]["level"]["enum"] == list(LEVELS) == list(LEVEL_DEFAULT_LABELS)


def test_services():
    assert DEFS["service"]["enum"] == list(SERVICES)


def test_audiences():
    assert DEFS["target"]["properties"]["audience"]["items"]["enum"] == list(AUDIENCES)


def test_stages():
    schema_stages = set(DEFS["target"]["properties"]["stages"]["items"]["enum"])
    assert schema_stages == set(STAGE_AGES) | {"pregnancy"}
    assert set(STAGES) == schema_stages  # every stage a plan can state can be asked for
