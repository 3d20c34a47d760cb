"""Closing a project while workers claim and submit in it: no deadlock, no lease left.

PostgreSQL only (row locks, concurrent writers). Closing used to lock the project row
(FOR UPDATE) and then items in no particular order, while a claim held an item and then
needed the project row for its assignment's foreign key: a lock cycle, which PostgreSQL
broke by failing one side with "deadlock detected".
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.db.models import Count, Q

from datadam.errors import Conflict
from datadam.projects.models import Item, ProjectStatus
from datadam.projects.services import project_close
from datadam.work.models import SLOT_HOLDING, Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers and row locks: run with DATABASE_URL=postgres://…",
    ),
]


def test_closing_while_a_claim_holds_an_item_waits_for_it_instead_of_deadlocking(
    make_project, make_user, client_org, in_thread
):
    """The claim is held still right after it locked its item (the pick), which is the
    item of a live lease that the close must end; the close starts meanwhile."""
    project = make_project(items=1, overlap=3)
    holder = make_user()
    assert assignment_claim(worker=holder, project_id=project.pk) is not None
    claimer = make_user()
    holds_item, close_started = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def pause_after_pick(execute, sql, params, many, context):  # noqa: ANN001
        out = execute(sql, params, many, context)
        if "projects_item" in sql and "SKIP LOCKED" in sql and not holds_item.is_set():
            holds_item.set()
            close_started.wait(10)
            time.sleep(0.5)  # the close is now waiting on a lock (or holding one)
        return out

    def close():
        holds_item.wait(10)
        close_started.set()
        return project_close(user=client_org[0], project_id=project.pk)

    threads = [
        in_thread(results, "claim", lambda: assignment_claim(worker=claimer,
                                                             project_id=project.pk),
                  wrapper=pause_after_pick),
        in_thread(results, "close", close),
    ]  # fmt: skip
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)

    assert not isinstance(results["claim"], BaseException), results["claim"]
    assert not isinstance(results["close"], BaseException), results["close"]
    assert results["claim"] is not None  # it was in flight: it finished first
    # ... and the close then ended its lease with the other one, giving both slots back.
    assert not Assignment.objects.filter(project=project, status=AssignmentStatus.LEASED).exists()
    assert Item.objects.get(project=project).slots_open == 3


@pytest.mark.parametrize("close_after_ms", [0, 20])
def test_closing_while_workers_claim_and_submit_never_deadlocks(
    make_project, make_user, client_org, race, close_after_ms
):
    project = make_project(items=20, overlap=3)
    holders = [make_user() for _ in range(12)]
    for worker in holders:  # live leases for the close to end
        assert assignment_claim(worker=worker, project_id=project.pk) is not None
    workers = [make_user() for _ in range(10)]
    client = client_org[0]

    def act(i: int):
        if i == 0:
            time.sleep(close_after_ms / 1000)
            return project_close(user=client, project_id=project.pk)
        done = 0
        worker = workers[i - 1]
        try:
            while (a := assignment_claim(worker=worker, project_id=project.pk)) is not None:
                assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
                done += 1
        except Conflict:
            pass  # the project closed under this worker: expected
        return done

    results = race(len(workers) + 1, act)

    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    # Claims in flight finished before the close went on; none came after it.
    assert not Assignment.objects.filter(project=project, status=AssignmentStatus.LEASED).exists()
    for item in Item.objects.filter(project=project).annotate(
        holding=Count("assignments", filter=Q(assignments__status__in=SLOT_HOLDING))
    ):
        assert item.slots_open + item.holding == project.overlap, f"item {item.pk} slots drift"
