"""The claim's quality steps cost the same whatever the worker's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from datadam.quality.hooks import restriction_check
from datadam.quality.rules import hit_apply
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db


def _gold_claim_queries(project, worker) -> int:
    with CaptureQueriesContext(connection) as ctx:
        a = assignment_claim(worker=worker, project_id=project.pk)
    assert a is not None and a.item.gold is not None
    assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    return len(ctx.captured_queries)


def test_a_gold_claim_costs_the_same_after_many_gold_items(gold_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
    project = gold_project(items=60, golds=25, rate=50, gold_min_answers=1000)
    counts = []
    for _ in range(20):
        monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)
        counts.append(_gold_claim_queries(project, worker))
        monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.99)
        a = assignment_claim(worker=worker, project_id=project.pk)  # an ordinary one between
        assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    assert len(set(counts[1:])) == 1, counts  # the first also creates the counters row


def test_the_restriction_check_is_one_query(make_project, worker):
    project = make_project(items=2)
    now = timezone.now()
    for i in range(5):  # warnings and lifted pauses do not make it slower
        hit_apply(worker_id=worker.pk, project_id=project.pk, kind="skips", action="warn",
                  reason="x", key=f"w{i}")
    with CaptureQueriesContext(connection) as ctx:
        restriction_check(worker=worker, project_id=project.pk, now=now)
    assert len(ctx.captured_queries) == 1
