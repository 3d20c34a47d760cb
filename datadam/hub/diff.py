"""What changed between two versions, in SQL over their ``VersionItem`` rows (the unique
(version, key) index makes each side a lookup): added, removed and relabelled records
(the same key, another result digest)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from datadam import rawsql

from .models import VersionItem

CHANGES = ("added", "removed", "relabelled")


def _sql(change: str, table: str) -> str:
    if change == "added":
        return (f"SELECT n.key, NULL, n.label FROM {table} n WHERE n.version_id = %(new)s"
                f" AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.version_id = %(old)s"
                f" AND o.key = n.key)")
    if change == "removed":
        return (f"SELECT o.key, o.label, NULL FROM {table} o WHERE o.version_id = %(old)s"
                f" AND NOT EXISTS (SELECT 1 FROM {table} n WHERE n.version_id = %(new)s"
                f" AND n.key = o.key)")
    return (f"SELECT n.key, o.label, n.label FROM {table} n JOIN {table} o"
            f" ON o.version_id = %(old)s AND o.key = n.key"
            f" WHERE n.version_id = %(new)s AND o.digest <> n.digest")


def diff_counts(new: int, old: int | None) -> dict[str, int]:
    """{added, removed, relabelled}; against no previous version everything is added."""
    table = rawsql.table(VersionItem)
    if old is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE version_id = %s", [new])
            return {"added": cursor.fetchone()[0], "removed": 0, "relabelled": 0}
    out = {}
    with connection.cursor() as cursor:
        for change in CHANGES:
            cursor.execute(f"SELECT COUNT(*) FROM ({_sql(change, table)}) c",
                           {"new": new, "old": old})
            out[change] = cursor.fetchone()[0]
    return out


def diff_page(new: int, old: int | None, change: str, *, after: int = 0,
              limit: int = 50) -> list[dict[str, Any]]:
    """One page of the changed records of one sort, by key (keyset)."""
    if change not in CHANGES:
        raise ValueError(change)
    table = rawsql.table(VersionItem)
    if old is None:
        if change != "added":
            return []
        sql = (f"SELECT key, NULL, label FROM {table} WHERE version_id = %(new)s"
               f" AND key > %(after)s ORDER BY key LIMIT %(limit)s")
    else:
        sql = (f"SELECT * FROM ({_sql(change, table)}) c WHERE c.key > %(after)s"
               f" ORDER BY c.key LIMIT %(limit)s")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"new": new, "old": old, "after": after, "limit": limit})
        rows = cursor.fetchall()
    return [{"key": key, "old_label": old_label, "new_label": new_label}
            for key, old_label, new_label in rows]
