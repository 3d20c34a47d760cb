"""PostgreSQL: when every open item is being claimed by someone else, a claim waits for
them one at a time, in a transaction of its own, and holds no item it has given up on (or
met on its first pass) while it waits: holding one let claims deadlock with each other and
with lease expiry."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from datadam.projects.models import Item
from datadam.work.services import assignment_claim
from datadam.work.services.leases import leases_expire

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]


def test_a_claim_waits_out_other_claims_and_lets_go_of_an_item_that_filled(
    make_project, make_user, pg_connect, in_thread
):
    project = make_project(items=2, overlap=1)
    first, second = Item.objects.filter(project=project).order_by("pk")
    worker = make_user()
    seen: dict[str, object] = {}
    with pg_connect() as one, pg_connect() as two:
        # Two other claims in flight: one holds the first item and will take its last slot,
        # the other holds the second and will leave it open.
        one.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [first.pk])
        two.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [second.pk])
        claimed: dict[str, object] = {}
        claim = in_thread(claimed, "claim",
                          lambda: assignment_claim(worker=worker, project_id=project.pk))
        time.sleep(0.5)
        assert claim.is_alive()  # waiting: SKIP LOCKED found nothing, and slots are open
        one.execute("UPDATE projects_item SET slots_open = 0 WHERE id = %s", [first.pk])
        one.commit()
        time.sleep(0.5)
        # The claim re-checked the first item (full now) and waits for the second. It must
        # not keep the first one locked meanwhile.
        with pg_connect() as probe:
            try:
                probe.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE NOWAIT",
                              [first.pk])  # fmt: skip
                seen["first_free"] = True
            except psycopg.errors.LockNotAvailable:
                seen["first_free"] = False
        assert claim.is_alive()
        two.commit()  # the second claim gave up: its item is still open
        claim.join(30)
    assert not claim.is_alive()
    assert seen["first_free"] is True
    assignment = claimed["claim"]
    assert assignment is not None and assignment.item_id == second.pk, assignment


def test_a_lock_left_by_the_first_pass_is_gone_before_the_claim_waits(
    make_project, make_user, pg_connect, in_thread
):
    """The SKIP LOCKED pass can lock a row whose re-check then fails (another claim took its
    last slot while the statement ran) and PostgreSQL keeps that lock. A claim that went on
    to wait while holding it deadlocked with a lease expiry returning a slot to that item
    while holding the item the claim waited for."""
    project = make_project(items=2, overlap=3)
    first, second = Item.objects.filter(project=project).order_by("pk")
    for _ in range(4):  # three leases on the first item, one on the second
        assert assignment_claim(worker=make_user(), project_id=project.pk) is not None
    Item.objects.filter(pk__in=[first.pk, second.pk]).update(slots_open=1)
    worker = make_user()
    passed, go_on = threading.Event(), threading.Event()
    out: dict[str, object] = {}

    def slow_first_pass(execute, sql, params, many, context):  # noqa: ANN001
        if "SKIP LOCKED" in sql and not passed.is_set():
            # The walk reaches the second item only after a second, as a walk over items
            # this worker already did would: by then another claim has taken its slot.
            sql = sql.replace(" AND i.slots_open > 0", " AND i.slots_open > 0 AND (i.id <> "
                              f"{second.pk} OR pg_sleep(1) IS NOT NULL)", 1)  # fmt: skip
            result = execute(sql, params, many, context)
            passed.set()
            go_on.wait(10)
            return result
        return execute(sql, params, many, context)

    def expire():
        with transaction.atomic():
            later = timezone.now() + timedelta(days=2)
            return leases_expire(project_id=project.pk, limit=10, now=later, wait=True)

    with pg_connect() as holder, pg_connect() as taker:
        holder.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [first.pk])
        taker.execute("UPDATE projects_item SET slots_open = 0 WHERE id = %s", [second.pk])
        claiming = in_thread(out, "claim", lambda: assignment_claim(
            worker=worker, project_id=project.pk), wrapper=slow_first_pass)  # fmt: skip
        time.sleep(0.4)
        taker.commit()  # takes the second item's last slot while the first pass walks
        assert passed.wait(10)
        holder.rollback()  # the claim on the first item gave up: it is open again
        expiring = in_thread(out, "expired", expire)
        time.sleep(0.7)  # the expiry has returned a slot to the first item, then the second
        go_on.set()
        claiming.join(30)
        expiring.join(30)
    assert not isinstance(out["claim"], BaseException), out
    assert not isinstance(out["expired"], BaseException), out
    assert out["expired"] == 4
    assert out["claim"] is not None and out["claim"].item_id in (first.pk, second.pk)
