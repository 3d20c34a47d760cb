"""Payouts racing in real threads: a balance never goes negative (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

from datadam.errors import Conflict, InsufficientFunds
from datadam.rewards.models import Payout
from datadam.rewards.services import (
    external_account,
    ledger_post,
    payout_decide,
    payout_request,
    worker_account,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers and row locks: run with DATABASE_URL=postgres://…",
    ),
]


@pytest.fixture
def rich_worker(worker):
    ledger_post(
        key="test:earn",
        kind="pay",
        legs=[(external_account(), -100), (worker_account(worker), 100)],
    )
    return worker


def test_concurrent_payouts_beyond_the_balance_never_overdraw(rich_worker, race, ledger_ok):
    results = race(10, lambda i: payout_request(worker=rich_worker, amount=30))

    granted = [r for r in results if isinstance(r, Payout)]
    assert len(granted) == 3
    assert all(isinstance(r, InsufficientFunds) for r in results if not isinstance(r, Payout))
    assert Payout.objects.count() == 3
    assert worker_account(rich_worker).balance == 10
    ledger_ok()


def test_paying_and_refusing_one_payout_at_once_decides_it_once(
    rich_worker, make_user, race, ledger_ok
):
    from datadam.accounts.models import Role

    payout = payout_request(worker=rich_worker, amount=60)
    operators = [make_user(Role.OPERATOR) for _ in range(6)]

    results = race(
        6, lambda i: payout_decide(operator=operators[i], payout_id=payout.pk, paid=bool(i % 2))
    )

    decided = [r for r in results if isinstance(r, Payout)]
    assert len(decided) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Payout))
    payout.refresh_from_db()
    assert payout.status == decided[0].status
    assert worker_account(rich_worker).balance == (40 if payout.status == "paid" else 100)
    ledger_ok()
