"""On PostgreSQL the claim's statements are prepared once per connection, and after a few
runs PostgreSQL may reuse one generic plan for every parameter value. That generic plan
must still be a short index walk: a pick that fell back to the primary key or a scan would
read every finished item on each claim, and get slower as the project fills."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from datadam.projects.models import Item
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def _claim_statements(worker, project_id: int) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert assignment_claim(worker=worker, project_id=project_id) is not None
    return seen


def _fill(project, done: int, workers: list) -> None:
    """The project's first ``done`` items answered twice each, spread over ``workers``: tables
    of a realistic shape (many workers, each with a small share), so a scan is never cheap."""
    now = timezone.now()
    items = list(project.items.order_by("id").values_list("id", flat=True)[:done])
    Assignment.objects.bulk_create(
        Assignment(project=project, item_id=item, worker=w, status=AssignmentStatus.SUBMITTED,
                   leased_at=now, expires_at=now + timedelta(minutes=5), submitted_at=now)
        for i, item in enumerate(items)
        for w in (workers[i % len(workers)], workers[(i + 1) % len(workers)])
    )
    Item.objects.filter(id__in=items).update(slots_open=0)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _generic_plan(sql: str, params: tuple) -> str:
    """The plan PostgreSQL reuses for a prepared statement, whatever its parameters.

    Scans are priced out (enable_seqscan off): test tables are small enough that a scan is
    the cheapest plan, so what this asks is whether an index can serve the generic plan at
    all (a partial index cannot, for instance, when its condition's value is a parameter).
    """
    numbered = iter(range(1, len(params) + 1))
    text = re.sub(r"%s", lambda _: f"${next(numbered)}", sql)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"PREPARE probe AS {text}")
        try:
            literals = ", ".join(["%s"] * len(params))
            cur.execute(f"EXPLAIN (COSTS OFF) EXECUTE probe({literals})", params)
            return "\n".join(row[0] for row in cur.fetchall())
        finally:
            cur.execute("DEALLOCATE probe")


def test_the_generic_plan_of_the_pick_walks_the_open_items_index(make_project, worker, make_user):
    project = make_project(items=3000, overlap=2)
    make_project(items=2000, overlap=1)  # another project's open items around it
    # The front of the project is done: a walk that is not on the open-items index reads it.
    _fill(project, 2500, [make_user() for _ in range(40)])
    statements = _claim_statements(worker, project.pk)
    [(pick, params)] = [
        (sql, p) for sql, p in statements if "SKIP LOCKED" in sql and "projects_item" in sql
    ]
    plan = _generic_plan(pick, params)
    assert "item_open_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_generic_plans_of_the_claims_reads_use_indexes(make_project, worker, make_user):
    project = make_project(items=2000, overlap=2)
    _fill(project, 1500, [make_user() for _ in range(40)])
    statements = _claim_statements(worker, project.pk)
    reads = [(sql, p) for sql, p in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) >= 3
    for sql, params in reads:
        plan = _generic_plan(sql, params)
        # Small tables (users, projects) may be scanned; items and assignments never.
        for line in plan.splitlines():
            if "Seq Scan" in line:
                assert "projects_item" not in line and "work_assignment" not in line, plan
        if "expires_at <=" in sql:  # overdue leases: only the partial index of live ones
            assert "assignment_live_idx" in plan, plan
    assert any("expires_at <=" in sql for sql, _ in reads)


def test_autovacuum_leaves_the_assignment_tables_alone_until_they_hold_5000_changes():
    """Statistics taken at autovacuum's default 50 rows would plan the claim's anti-join and
    the submit's lookup as scans, kept by every connection while a new platform's first
    project fills the tables (docs/concurrency.md)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('work_assignment', 'work_submission') ORDER BY relname"
        )
        rows = cur.fetchall()
    assert [name for name, _ in rows] == ["work_assignment", "work_submission"]
    for _name, options in rows:
        assert {
            "autovacuum_analyze_threshold=5000",
            "autovacuum_vacuum_threshold=5000",
            "autovacuum_vacuum_insert_threshold=5000",
        } <= set(options or ()), options
