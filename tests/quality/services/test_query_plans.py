"""On PostgreSQL the quality steps of a claim use their partial indexes (no scans)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from datadam.projects.models import Item
from datadam.quality.hooks import restriction_check
from datadam.quality.models import RuleHit, WorkerQuality

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def _plan(sql: str, params: tuple) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def test_gold_pick_and_restriction_check_use_their_indexes(gold_project, worker, make_user):
    project = gold_project(items=3000, golds=2000, rate=20)
    others = [make_user() for _ in range(20)]
    RuleHit.objects.bulk_create(
        RuleHit(worker=others[i % 20], project=project, source_project=project, kind="skips",
                action="pause" if i % 3 else "warn", reason="x", key=f"k{i}",
                lifted_at=timezone.now() if i % 2 else None)
        for i in range(3000)
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE projects_item")
        cur.execute("ANALYZE quality_rulehit")
    stats = WorkerQuality.objects.create(worker=worker, project=project, last_gold_item=0)
    pick = (
        Item.objects.filter(project_id__gte=project.pk, project_id__lte=project.pk,
                            gold__isnull=False, pk__gt=stats.last_gold_item)
        .order_by("project_id", "id").only("id", "project_id", "data")[:1]
    )
    sql, params = pick.query.sql_with_params()
    assert "item_gold_idx" in _plan(sql, params)
    with CaptureQueriesContext(connection) as ctx:
        restriction_check(worker=worker, project_id=project.pk, now=timezone.now())
    [query] = ctx.captured_queries
    plan = _plan(query["sql"], ())
    assert "rule_hit_blocking_idx" in plan, plan


def test_the_claims_restriction_exists_uses_the_blocking_index(make_project, worker, make_user):
    """The claim's first statement answers the restriction check on rule_hit_blocking_idx."""
    from datadam.work.services import assignment_claim

    project = make_project(items=3)
    others = [make_user() for _ in range(20)]
    RuleHit.objects.bulk_create(
        RuleHit(worker=others[i % 20], project=project, source_project=project, kind="skips",
                action="pause" if i % 3 else "warn", reason="x", key=f"k{i}",
                lifted_at=timezone.now() if i % 2 else None)
        for i in range(3000)
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE quality_rulehit")
    seen: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    # The claim's statements are prepared (bound on the server): their text carries
    # placeholders, so the plan is asked for with the parameters they ran with.
    with connection.execute_wrapper(record):
        assert assignment_claim(worker=worker, project_id=project.pk) is not None
    [(first, params)] = [(sql, p) for sql, p in seen if "quality_rulehit" in sql]
    plan = _plan(first, params)
    assert "rule_hit_blocking_idx" in plan, plan
