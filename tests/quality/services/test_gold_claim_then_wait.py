"""PostgreSQL: a claim whose gold reservation found none left holds the policy row (a row
whose re-check fails stays locked); it must not go on to wait for other claimers' items
while holding it. A lease expiry that returns an expired gold lease's reservation needs
that row while it holds an item: waiting there deadlocked."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from datadam.projects.models import Item
from datadam.quality.models import QualityPolicy, WorkerQuality
from datadam.work.models import Assignment
from datadam.work.services import assignment_claim
from datadam.work.services.leases import leases_expire

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]


def test_a_claim_that_found_no_gold_left_waits_for_items_without_the_policy_row(
    gold_project, make_user, pg_connect, in_thread
):
    project = gold_project(items=2, golds=2, rate=50)
    ordinary, full = Item.objects.filter(project=project, gold__isnull=True).order_by("pk")
    gold = Item.objects.filter(project=project, gold__isnull=False).order_by("pk").first()
    holder_a, holder_b, worker = make_user(), make_user(), make_user()
    now = timezone.now()
    for who, item in ((holder_a, ordinary), (holder_b, gold)):  # leases the expiry will end
        Assignment.objects.create(project=project, item=item, worker=who, leased_at=now,
                                  expires_at=now + timedelta(hours=1))  # fmt: skip
    Item.objects.filter(pk=ordinary.pk).update(slots_open=1)
    Item.objects.filter(pk=full.pk).update(slots_open=0)
    QualityPolicy.objects.filter(project=project).update(gold_left=1)
    WorkerQuality.objects.create(worker=worker, project=project, answers=1)  # a gold turn
    passed, go_on = threading.Event(), threading.Event()
    out: dict[str, object] = {}

    def pause_after_first_pass(execute, sql, params, many, context):  # noqa: ANN001
        result = execute(sql, params, many, context)
        if "SKIP LOCKED" in sql and "projects_item" in sql and not passed.is_set():
            passed.set()
            go_on.wait(10)
        return result

    def expire():
        with transaction.atomic():
            later = timezone.now() + timedelta(days=2)
            return leases_expire(project_id=project.pk, limit=10, now=later, wait=True)

    with pg_connect() as other, pg_connect() as holder:
        # Another claim reserves the last funded gold; a third holds the ordinary item.
        other.execute("UPDATE quality_qualitypolicy SET gold_left = gold_left - 1"
                      " WHERE project_id = %s AND gold_left > 0", [project.pk])  # fmt: skip
        holder.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [ordinary.pk])
        claiming = in_thread(out, "claim", lambda: assignment_claim(
            worker=worker, project_id=project.pk), wrapper=pause_after_first_pass)  # fmt: skip
        time.sleep(0.5)
        other.commit()  # the worker's reservation re-checks, finds none left, keeps the lock
        assert passed.wait(10)
        holder.rollback()  # the claim on the ordinary item gave up: it is open again
        expiring = in_thread(out, "expired", expire)
        time.sleep(0.7)  # the expiry holds the ordinary item and wants the policy row
        go_on.set()
        claiming.join(30)
        expiring.join(30)
    assert not isinstance(out["claim"], BaseException), out
    assert not isinstance(out["expired"], BaseException), out
    assert out["expired"] == 2
    assert out["claim"] is not None and out["claim"].item_id == ordinary.pk
