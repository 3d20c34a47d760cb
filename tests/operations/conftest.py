"""Fixtures of the operators' pages: workers with earned points and payouts waiting."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from datadam.accounts.models import User
from datadam.rewards.models import Payout
from datadam.rewards.services import (
    external_account,
    ledger_post,
    payout_request,
    worker_account,
)

_seq = itertools.count(1)


@pytest.fixture
def earn() -> Callable[[User, int], None]:
    """Credit a worker's account as if they had been paid for approved answers."""

    def credit(worker: User, points: int) -> None:
        ledger_post(
            key=f"test-earn:{worker.pk}:{next(_seq)}",
            kind="pay",
            legs=[(external_account(), -points), (worker_account(worker), points)],
            memo="earned in a test",
        )

    return credit


@pytest.fixture
def make_payout(make_user, earn) -> Callable[..., Payout]:
    """A requested payout of ``amount`` by a worker who had earned ``earned`` points."""

    def make(amount: int = 300, *, earned: int = 1000, worker: User | None = None) -> Payout:
        worker = worker or make_user()
        earn(worker, earned)
        return payout_request(worker=worker, amount=amount)

    return make
