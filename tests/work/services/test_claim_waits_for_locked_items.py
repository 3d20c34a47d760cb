"""PostgreSQL: when every open item is being claimed by someone else, a claim waits for
them one at a time, and holds no item it has given up on while it waits for the next
(holding one let three waiting claims deadlock)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection

from datadam.projects.models import Item
from datadam.work.services import assignment_claim

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]


def _dsn() -> str:
    settings = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"], port=settings["PORT"] or 5432,
    )  # fmt: skip


def test_a_claim_waits_out_other_claims_and_lets_go_of_an_item_that_filled(
    make_project, make_user
):
    project = make_project(items=2, overlap=1)
    first, second = Item.objects.filter(project=project).order_by("pk")
    worker = make_user()
    seen: dict[str, object] = {}
    with psycopg.connect(_dsn()) as one, psycopg.connect(_dsn()) as two:
        # Two other claims in flight: one holds the first item and will take its last slot,
        # the other holds the second and will leave it open.
        one.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [first.pk])
        two.execute("SELECT id FROM projects_item WHERE id = %s FOR UPDATE", [second.pk])
        claimed: list[object] = []
        claim = threading.Thread(target=lambda: claimed.append(
            assignment_claim(worker=worker, project_id=project.pk)))  # fmt: skip
        claim.start()
        time.sleep(0.5)
        assert claim.is_alive()  # waiting: SKIP LOCKED found nothing, and slots are open
        one.execute("UPDATE projects_item SET slots_open = 0 WHERE id = %s", [first.pk])
        one.commit()
        time.sleep(0.5)
        # The claim re-checked the first item (full now) and waits for the second. It must
        # not keep the first one locked meanwhile.
        with psycopg.connect(_dsn()) as probe:
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
    connection.close()
    assert seen["first_free"] is True
    [assignment] = claimed
    assert assignment is not None and assignment.item_id == second.pk
