"""Claims and submissions racing in real threads: slots are handed out exactly once.

The races that need row locks and concurrent writers run on PostgreSQL only. SQLite
serializes writers (BEGIN IMMEDIATE with a busy timeout); its variant proves that racing
claimers queue instead of failing with "database is locked", and that the invariants hold.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from datadam.errors import Conflict
from datadam.projects.models import Item
from datadam.work.models import SLOT_HOLDING, Assignment, AssignmentStatus, Submission
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers and row locks: run with DATABASE_URL=postgres://…",
)


def assert_no_over_assignment(project) -> None:
    items = Item.objects.filter(project=project).annotate(
        holding=Count("assignments", filter=Q(assignments__status__in=SLOT_HOLDING))
    )
    for item in items:
        assert item.holding <= project.overlap, f"item {item.pk} over-assigned"
        assert item.slots_open == project.overlap - item.holding, f"item {item.pk} slots drift"
    assert not (
        Assignment.objects.filter(project=project)
        .values("item", "worker")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    ), "a worker holds the same item twice"


def _errors(results):
    return [r for r in results if isinstance(r, BaseException)]


def _claim_last_slots(make_project, make_user, race, threads):
    """A project with overlap 3 whose last 7 slots are raced for by ``threads`` new workers."""
    project = make_project(items=4, overlap=3)
    for _ in range(5):  # 12 slots, 5 already taken
        assert assignment_claim(worker=make_user(), project_id=project.pk) is not None
    workers = [make_user() for _ in range(threads)]
    results = race(threads, lambda i: assignment_claim(worker=workers[i], project_id=project.pk))
    return project, workers, results


@postgres_only
def test_thirty_workers_racing_for_the_last_seven_slots_get_exactly_seven_leases(
    make_project, make_user, race
):
    project, _, results = _claim_last_slots(make_project, make_user, race, threads=30)

    assert _errors(results) == []
    granted = [r for r in results if r is not None]
    assert len(granted) == 7
    assert len({(a.item_id, a.worker_id) for a in granted}) == 7
    assert Assignment.objects.filter(project=project).count() == 12
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {0}
    assert_no_over_assignment(project)


@postgres_only
def test_workers_claiming_and_submitting_until_nothing_is_left_fill_every_slot_once(
    make_project, make_user, race
):
    project = make_project(items=6, overlap=3)
    workers = [make_user() for _ in range(12)]

    def work(i):
        done = []
        while (a := assignment_claim(worker=workers[i], project_id=project.pk)) is not None:
            assignment_submit(worker=workers[i], assignment_id=a.pk, answer={"label": "neg"})
            done.append(a.item_id)
        return done

    results = race(len(workers), work)

    assert _errors(results) == []
    assert sum(len(r) for r in results) == 18
    assert all(len(r) == len(set(r)) for r in results)
    assert Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).count() == 18
    assert_no_over_assignment(project)


@postgres_only
def test_expired_leases_are_recycled_once_when_many_claimers_sweep_together(
    make_project, make_user, race
):
    project = make_project(items=5, overlap=3)
    old = [assignment_claim(worker=make_user(), project_id=project.pk) for _ in range(15)]
    Assignment.objects.filter(pk__in=[a.pk for a in old]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    workers = [make_user() for _ in range(20)]

    def claim_until_none(i):
        got = []
        while (a := assignment_claim(worker=workers[i], project_id=project.pk)) is not None:
            assignment_submit(worker=workers[i], assignment_id=a.pk, answer={"label": "pos"})
            got.append(a)
        return got

    results = race(len(workers), claim_until_none)

    assert _errors(results) == []
    assert sum(len(r) for r in results) == 15
    assert Assignment.objects.filter(status=AssignmentStatus.EXPIRED).count() == 15
    assert_no_over_assignment(project)


@postgres_only
def test_one_worker_claiming_from_many_tabs_at_once_holds_one_lease(make_project, worker, race):
    project = make_project(items=10, overlap=1)

    results = race(10, lambda i: assignment_claim(worker=worker, project_id=project.pk))

    assert _errors(results) == []
    assert {a.pk for a in results} == {results[0].pk}
    assert Assignment.objects.filter(worker=worker, status=AssignmentStatus.LEASED).count() == 1
    assert_no_over_assignment(project)


@postgres_only
def test_a_submission_retried_concurrently_with_one_key_is_stored_once(make_project, worker, race):
    project = make_project(items=1)
    a = assignment_claim(worker=worker, project_id=project.pk)

    results = race(
        8,
        lambda i: assignment_submit(
            worker=worker, assignment_id=a.pk, answer={"label": "pos"}, idempotency_key="same"
        ),
    )

    assert _errors(results) == []
    assert len({s.pk for s, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Submission.objects.filter(assignment=a).count() == 1


@postgres_only
def test_concurrent_submissions_without_a_key_store_one_answer_and_refuse_the_rest(
    make_project, worker, race
):
    project = make_project(items=1)
    a = assignment_claim(worker=worker, project_id=project.pk)

    results = race(
        6, lambda i: assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    )

    stored = [r for r in results if isinstance(r, tuple)]
    assert len(stored) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, tuple))
    assert Submission.objects.filter(assignment=a).count() == 1


def test_racing_claimers_queue_instead_of_failing_on_any_database(make_project, make_user, race):
    """The claim race on whatever database runs: no 'database is locked', invariants hold.

    SQLite cannot run writers in parallel, but with BEGIN IMMEDIATE and a busy timeout the
    threads must wait their turn; exactly the available slots are granted either way.
    """
    project, _, results = _claim_last_slots(make_project, make_user, race, threads=12)

    errors = _errors(results)
    assert errors == [], [repr(e) for e in errors]
    granted = [r for r in results if r is not None]
    assert len(granted) == 7
    assert set(Item.objects.filter(project=project).values_list("slots_open", flat=True)) == {0}
    assert_no_over_assignment(project)
