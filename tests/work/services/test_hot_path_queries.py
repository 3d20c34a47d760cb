"""A claim and a submit in a plain project (no gold policy, no rules, no dynamic overlap)
run a fixed, small number of statements: the quality and overlap hooks add none.

The bounds are what the hot path achieves (docs/concurrency.md); a hook that starts querying
again on every request fails here. Savepoints (the test runs inside a transaction) are not
statements of the request and are not counted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from datadam.datasets.models import AggregationState
from datadam.quality.models import WorkerQuality
from datadam.work.services import assignment_claim, assignment_release, assignment_submit

pytestmark = pytest.mark.django_db

# Claim: project row + flags, live lease, pick, lease (one statement of CTEs on PostgreSQL,
# three on SQLite). Submit: assignment + flags, then on PostgreSQL one statement of CTEs
# (submission, assignment, audit event, counters upsert), on SQLite four.
CLAIM = {"postgresql": 4, "sqlite": 6}
SUBMIT = {"postgresql": 2, "sqlite": 5}


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in ctx.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_a_plain_claim_and_submit_run_a_fixed_number_of_statements(make_project, worker):
    project = make_project(items=5)
    # The usual case under load: an aggregation is already requested (debounced).
    AggregationState.objects.create(project=project, requested=True, requested_at=timezone.now())
    first = assignment_claim(worker=worker, project_id=project.pk)
    assignment_submit(worker=worker, assignment_id=first.pk, answer={"label": "pos"})

    with CaptureQueriesContext(connection) as ctx:
        a = assignment_claim(worker=worker, project_id=project.pk)
    assert a is not None
    claim = _statements(ctx)
    assert len(claim) <= CLAIM[connection.vendor], "\n".join(claim)

    with CaptureQueriesContext(connection) as ctx:
        _submission, created = assignment_submit(
            worker=worker, assignment_id=a.pk, answer={"label": "neg"}
        )
    assert created
    submit = _statements(ctx)
    assert len(submit) <= SUBMIT[connection.vendor], "\n".join(submit)


def test_the_counters_upsert_counts_answers_days_and_skips(make_project, worker):
    project = make_project(items=6)
    for _ in range(2):
        a = assignment_claim(worker=worker, project_id=project.pk)
        assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    stats = WorkerQuality.objects.get(worker=worker, project=project)
    today = timezone.localdate()
    assert (stats.answers, stats.day, stats.day_answers, stats.skips_in_row) == (2, today, 2, 0)

    for _ in range(2):
        a = assignment_claim(worker=worker, project_id=project.pk)
        assignment_release(worker=worker, assignment_id=a.pk)
    stats.refresh_from_db()
    assert stats.skips_in_row == 2 and stats.answers == 2

    WorkerQuality.objects.filter(pk=stats.pk).update(day=today - timedelta(days=1))
    a = assignment_claim(worker=worker, project_id=project.pk)
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    stats.refresh_from_db()
    assert (stats.answers, stats.day, stats.day_answers, stats.skips_in_row) == (3, today, 1, 0)
    assert WorkerQuality.objects.filter(worker=worker, project=project).count() == 1


def test_a_first_skip_creates_the_counters(make_project, worker):
    project = make_project(items=2)
    a = assignment_claim(worker=worker, project_id=project.pk)
    assignment_release(worker=worker, assignment_id=a.pk)
    stats = WorkerQuality.objects.get(worker=worker, project=project)
    assert (stats.answers, stats.skips_in_row, stats.day) == (0, 1, None)
