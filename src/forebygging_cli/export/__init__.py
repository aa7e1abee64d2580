"""`forebygging export`: every plan as one dataset a person opens in a database
tool (Datasette, sqlite-utils, any SQL client) or a spreadsheet.

* `schema.py`: the tables, their columns and foreign keys, the full-text
  index and the views: one definition, which the database, the CSV files and
  docs/export.md follow;
* `rows.py`: Plans -> the rows of every table (pure; the computed ages, the
  age bands and the labels come from the library's own functions, as
  `query` and `coverage` compute them);
* `target.py`: where an export goes: what it refuses to replace, and writing
  whole or not at all;
* `database.py` and `csvfiles.py`: the two formats (`render/formats.py`
  registers them).

Data flows one way: Plans -> rows -> a database or CSV files.
"""
