"""The full-text index of the dataset hub (datadam.hub.search).

SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.35+), filled from the
``search_text`` already stored (titles on its first line, the rest on the second).
PostgreSQL: a GIN index over ``to_tsvector('simple', search_text)``; the search's WHERE
clause uses the same expression, so the planner can use it.
"""

import sqlite3

from django.db import migrations

FTS_TABLE = "hub_dataset_fts"
PG_INDEX = "dataset_search_idx"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        if sqlite3.sqlite_version_info < (3, 35):
            raise RuntimeError(
                "The dataset search needs SQLite 3.35 or later (FTS5 trigram tokenizer, "
                f"MATERIALIZED); this Python has SQLite {sqlite3.sqlite_version}."
            )
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, tokenize='trigram')"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, text) "
            "SELECT id, "
            "CASE WHEN instr(search_text, char(10)) > 0 "
            "THEN substr(search_text, 1, instr(search_text, char(10)) - 1) "
            "ELSE search_text END, "
            "CASE WHEN instr(search_text, char(10)) > 0 "
            "THEN substr(search_text, instr(search_text, char(10)) + 1) ELSE '' END "
            "FROM hub_dataset WHERE search_text != ''"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON hub_dataset "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("hub", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
