"""PostgreSQL: no automatic ANALYZE or VACUUM of the assignment and submission tables
before they hold some 5,000 changed rows.

Each connection keeps its prepared plans for the hot path until the tables' statistics
change. Statistics taken while these tables are nearly empty (autovacuum's defaults act
after 50 rows) make the claim's anti-join and the submit's lookup plan sequential scans,
and those plans stay while a new project's first thousands of claims grow the tables:
every claim then reads the whole table. Never analyzed, the planner assumes a table of
some size and walks the indexes; the first statistics now come when the tables are large
enough for the indexes to win. Past that, the usual 10 % / 20 % scale factors rule.
"""

from django.db import migrations

TABLES = ("work_assignment", "work_submission")
SETTINGS = (
    "autovacuum_analyze_threshold = 5000, autovacuum_vacuum_threshold = 5000, "
    "autovacuum_vacuum_insert_threshold = 5000"
)
NAMES = (
    "autovacuum_analyze_threshold, autovacuum_vacuum_threshold, "
    "autovacuum_vacuum_insert_threshold"
)


def tune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET ({SETTINGS})")


def untune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET ({NAMES})")


class Migration(migrations.Migration):
    dependencies = [("work", "0002_drop_prefix_covered_indexes")]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
