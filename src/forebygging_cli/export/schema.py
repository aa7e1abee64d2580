"""The export's tables, full-text index and views: one definition that the
SQLite database, the CSV files (one per table) and docs/export.md follow.

Conventions: every table of things has an integer primary key `id`, except
`plans`, whose key `plan` is how people name a plan (its file stem, or its
path where two files share a stem); `slug` is an item's own id in the plan
file (what `forebygging show` takes); `position` is its place in its list in
the plan file, from 1. Yes/no columns are 0 or 1; lists are JSON arrays
(`json_each()` reads them, and Datasette facets them). A `*_derived` column is
1 when the plan does not state that value and whoever encoded the plan
inferred it; the columns follow the `derived` fields the plan schema allows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..coverage import ALL_LEVELS
from ..vocab import LEVELS

#: the highest age measure_ages lists for an open range ("fra 16 år"): the highest age `query --age` accepts
HIGHEST_AGE = 120
#: the full-text index's tokenizer: trigram finds a word inside a compound, as `query --text` does
#: ("fritidsklubb" in "Ungdomsfritidsklubben"), case-insensitively (SQLite 3.34 or newer)
FTS_TOKENIZER = "trigram"
#: the measure text the full-text index holds
FTS_COLUMNS = ("name", "description", "target_text", "group_name", "responsible")


@dataclass(frozen=True)
class Column:
    """A column: its name, SQL type, and the table(column) it refers to."""

    name: str
    type: str = "TEXT"
    references: str | None = None
    not_null: bool = False


@dataclass(frozen=True)
class Table:
    """A table: columns in order, its primary key, what is unique in it, and what is indexed."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ("id",)
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    #: stored in the order of its primary key (a table of keys only)
    without_rowid: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def create(self) -> str:
        """The SQL that creates the table (its indexes: `create_indexes`, after the rows are in)."""
        lines = []
        for column in self.columns:
            line = f"{column.name} {column.type}"
            if column.not_null:
                line += " NOT NULL"
            if column.references:
                line += f" REFERENCES {column.references}"
            lines.append(line)
        lines.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        lines += [f"UNIQUE ({', '.join(names)})" for names in self.unique]
        return f"CREATE TABLE {self.name} (\n  " + ",\n  ".join(lines) + "\n)" + (
            " WITHOUT ROWID" if self.without_rowid else "")

    def create_indexes(self) -> list[str]:
        return [f"CREATE INDEX {self.name}_{'_'.join(names)} ON {self.name} ({', '.join(names)})"
                for names in self.indexes]


def _int(name: str, references: str | None = None, not_null: bool = False) -> Column:
    return Column(name, "INTEGER", references, not_null)


def _text(name: str, references: str | None = None, not_null: bool = False) -> Column:
    return Column(name, "TEXT", references, not_null)


def _id() -> Column:
    return _int("id", not_null=True)


def _plan() -> Column:
    return _text("plan", "plans(plan)", not_null=True)


def derived_fields(kind: str) -> tuple[str, ...]:
    """The fields a measure's or unit's `derived` list may name, as the plan schema has them."""
    from ..schemafile import schema

    document = schema()
    if kind == "measure":
        items = document["$defs"]["measure"]["properties"]["derived"]["items"]
    else:
        items = document["properties"]["units"]["items"]["properties"]["derived"]["items"]
    return tuple(items["enum"])


def derived_column(field: str) -> str:
    """"target.ages" -> "target_ages_derived"."""
    return field.replace(".", "_") + "_derived"


@functools.cache
def tables() -> tuple[Table, ...]:
    """Every table, in an order where each refers only to those before it."""
    measure_marks = tuple(_int(derived_column(f)) for f in derived_fields("measure"))
    unit_marks = tuple(_int(derived_column(f)) for f in derived_fields("unit"))
    return (
        Table("export_info", (_text("key", not_null=True), _text("value")), ("key",)),
        Table("levels", (_text("level", not_null=True), _int("position"), _text("label")), ("level",)),
        Table("services", (_text("service", not_null=True), _int("position"), _text("label")), ("service",)),
        Table("age_bands", (_text("band", not_null=True), _int("position"), _int("age_from"), _int("age_to"),
                            _int("prenatal")), ("band",)),
        Table("plans", (
            _text("plan", not_null=True), _int("position"), _text("stem"), _text("path", not_null=True),
            _text("municipality"), _text("plan_title"), _text("subtitle"), _text("source_file"),
            _text("adopted_by"), _text("adopted_date"), _text("adopted_case_number"), _text("adopted_text"),
            _int("period_from"), _int("period_to"), _text("legal_basis"), _text("purpose"),
            _text("relevant_services"), _text("organisation"), _text("knowledge"), _text("follow_up"),
            _text("escalation"), *(_text(f"label_{level}") for level in LEVELS), _int("levels_derived"),
        ), ("plan",), unique=(("path",),)),
        Table("ignored_rules", (_plan(), _text("rule", not_null=True), _text("reason")), ("plan", "rule")),
        Table("units", (
            _id(), _plan(), _text("slug", not_null=True), _int("position"), _text("name"), _text("aliases"),
            _text("service", "services(service)"), _text("part_of"), _int("part_of_id", "units(id)"),
            _int("external"), _text("description"), _text("derived"), *unit_marks, _text("encoder_note"),
        ), unique=(("plan", "slug"),), indexes=(("part_of_id",),)),
        Table("measures", (
            _id(), _plan(), _text("slug", not_null=True), _int("position"), _text("name"), _text("group_name"),
            _text("level", "levels(level)"), _text("level_label"), _text("description"),
            _text("target_text"), _int("age_from"), _int("age_to"), _int("prenatal"), _text("age_rule"),
            _int("age_stated"), _int("age_derived"), _int("age_unknown"),
            _int("stated_ages_from"), _int("stated_ages_to"), _int("stated_ages_until"), _int("stated_grades_from"),
            _int("stated_grades_to"), _text("stated_stages"), _text("audience"), _int("staff_only"),
            _text("responsible"), _text("responsible_ids"), _text("responsible_text"), _text("services"),
            _text("requires_decision"), _text("requires_decision_label"), _text("staffing"),
            _text("source_section"), _int("source_line"), _text("derived"), *measure_marks, _text("encoder_note"),
        ), unique=(("plan", "slug"),), indexes=(("level",), ("age_from", "age_to"))),
        Table("measure_units", (_int("measure_id", "measures(id)", True), _int("unit_id", "units(id)", True),
                                _int("position")), ("measure_id", "unit_id"), indexes=(("unit_id",),)),
        Table("measure_contacts", (
            _id(), _int("measure_id", "measures(id)", True), _int("position"), _text("name"), _text("role"),
            _text("email"), _text("phone"), _text("url"), _text("text"),
        ), indexes=(("measure_id",),)),
        Table("measure_ages", (_int("age", not_null=True), _int("measure_id", "measures(id)", True)),
              ("age", "measure_id"), indexes=(("measure_id",),), without_rowid=True),
        Table("measure_bands", (_int("measure_id", "measures(id)", True), _text("band", "age_bands(band)", True)),
              ("measure_id", "band"), indexes=(("band",),)),
        Table("goals", (_id(), _plan(), _text("slug", not_null=True), _int("position"), _text("title"),
                        _text("description")), unique=(("plan", "slug"),)),
        Table("sub_goals", (_id(), _int("goal_id", "goals(id)", True), _int("position"), _int("number"),
                            _text("title")), indexes=(("goal_id",),)),
        Table("strategies", (_id(), _int("goal_id", "goals(id)", True), _int("sub_goal_id", "sub_goals(id)"),
                             _int("position"), _text("text")), indexes=(("goal_id",), ("sub_goal_id",))),
        Table("passages", (_id(), _plan(), _int("goal_id", "goals(id)"), _text("kind"), _int("position"),
                           _text("title"), _text("text"), _text("source_section"), _int("source_line")),
              indexes=(("plan",), ("goal_id",))),
        Table("arenas", (
            _id(), _plan(), _text("slug", not_null=True), _int("position"), _text("name"), _text("kind"),
            _text("status"), _text("purpose"), _text("target_group"), _text("members"), _text("members_as_needed"),
            _text("led_by"), _text("reports_to"), _text("meets"), _int("meets_per_year"), _text("tasks"),
            _text("description"),
        ), unique=(("plan", "slug"),)),
        Table("arena_units", (_int("arena_id", "arenas(id)", True), _int("unit_id", "units(id)", True),
                              _int("position")), ("arena_id", "unit_id"), indexes=(("unit_id",),)),
        Table("coordinators", (
            _id(), _plan(), _text("slug", not_null=True), _int("position"), _text("name"), _text("role"),
            _text("appointed_by"), _text("unit"), _int("unit_id", "units(id)"), _text("status"),
        ), unique=(("plan", "slug"),), indexes=(("unit_id",),)),
        Table("work_models", (_id(), _plan(), _text("slug", not_null=True), _int("position"), _text("name"),
                              _text("description")), unique=(("plan", "slug"),)),
        Table("work_model_components", (_id(), _int("work_model_id", "work_models(id)", True), _int("position"),
                                        _text("name"), _text("description")), indexes=(("work_model_id",),)),
        Table("work_model_units", (_int("work_model_id", "work_models(id)", True), _int("unit_id", "units(id)", True),
                                   _int("position")), ("work_model_id", "unit_id"), indexes=(("unit_id",),)),
        Table("factors", (_id(), _plan(), _text("domain"), _text("kind"), _int("position"), _text("text")),
              indexes=(("plan",),)),
        Table("definitions", (_id(), _plan(), _int("position"), _text("term"), _text("text")), indexes=(("plan",),)),
        Table("sources", (_id(), _plan(), _int("position"), _text("title"), _text("url")), indexes=(("plan",),)),
    )


def table(name: str) -> Table:
    return next(t for t in tables() if t.name == name)


def full_text_index() -> list[str]:
    """The FTS5 index on measure text, kept in the measures table (external content), so that Datasette
    finds it for the table's search box."""
    columns = ", ".join(FTS_COLUMNS)
    return [
        f'CREATE VIRTUAL TABLE measures_fts USING fts5({columns}, content="measures", content_rowid="id", '
        f'tokenize="{FTS_TOKENIZER}")',
        "INSERT INTO measures_fts(measures_fts) VALUES ('rebuild')",
    ]


def _level_counts() -> str:
    return ",\n  ".join(f"(SELECT count(*) FROM measures m WHERE m.plan = p.plan AND m.level = '{level}') AS {level}"
                        for level in LEVELS)


def views() -> dict[str, str]:
    """name -> the SELECT of each view."""
    return {
        # the measures for each age, as `query --age N` finds them
        # (from measure_ages, stored in the order of age and measure: a national view answers an age, counts
        # its rows and shows its first page without sorting; measures are numbered in plan and source order)
        "measures_by_age": """SELECT ma.age, p.plan, p.municipality, m.id AS measure_id, m.slug, m.name, m.level,
  m.level_label, m.target_text, m.age_from, m.age_to, m.prenatal, m.age_rule, m.responsible
FROM measure_ages ma
JOIN measures m ON m.id = ma.measure_id
JOIN plans p ON p.plan = m.plan
ORDER BY ma.age, ma.measure_id""",
        # each measure in each age band it covers, by level (the bands and the rule are coverage's)
        "measures_by_band": """SELECT p.plan, p.municipality, b.band, m.level, m.id AS measure_id, m.slug, m.name,
  m.target_text, m.age_from, m.age_to, m.prenatal, m.level_derived, m.age_derived
FROM measure_bands mb
JOIN age_bands b ON b.band = mb.band
JOIN measures m ON m.id = mb.measure_id
JOIN levels l ON l.level = m.level
JOIN plans p ON p.plan = m.plan
ORDER BY p.position, b.position, l.position, m.position""",
        # `forebygging coverage`: measures per plan, level and age band, every cell (0 is a gap)
        "coverage": f"""SELECT p.plan, p.municipality, l.level, b.band,
  (SELECT count(*) FROM measures m JOIN measure_bands mb ON mb.measure_id = m.id AND mb.band = b.band
   WHERE m.plan = p.plan AND (l.level = '{ALL_LEVELS}' OR m.level = l.level)) AS measures
FROM plans p
CROSS JOIN (SELECT level, position FROM levels UNION ALL SELECT '{ALL_LEVELS}', {len(LEVELS) + 1}) l
CROSS JOIN age_bands b
ORDER BY p.position, l.position, b.position""",
        # `forebygging plans`: each plan in a row, with its measures per level
        "plan_overview": f"""SELECT p.plan, p.municipality, p.period_from, p.period_to, p.adopted_by, p.adopted_date,
  {_level_counts()},
  (SELECT count(*) FROM measures m WHERE m.plan = p.plan) AS measures,
  p.levels_derived,
  (SELECT count(*) FROM units u WHERE u.plan = p.plan) AS units,
  (SELECT count(*) FROM goals g WHERE g.plan = p.plan) AS goals,
  (SELECT count(*) FROM arenas a WHERE a.plan = p.plan) AS arenas
FROM plans p
ORDER BY p.position""",
    }
