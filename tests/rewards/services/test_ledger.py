"""The points ledger: balanced transactions, exactly-once keys, top-ups and payouts."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role
from datadam.errors import Conflict, InsufficientFunds, InvalidInput, NotFound, PermissionDenied
from datadam.rewards.models import Account, LedgerEntry, LedgerTransaction, Payout
from datadam.rewards.services import (
    account_topup,
    external_account,
    ledger_post,
    ledger_verify,
    organization_account,
    payout_decide,
    payout_request,
    pending_payouts_account,
    worker_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(worker):
    """Give the worker 100 points as if earned (a balanced transaction from the outside)."""
    ledger_post(
        key="test:earn",
        kind="pay",
        legs=[(external_account(), -100), (worker_account(worker), 100)],
    )
    return worker


def test_a_posted_transaction_balances_and_updates_the_cached_balances(client_org, ledger_ok):
    _, org = client_org
    start = organization_account(org).balance
    txn, created = ledger_post(
        key="k1",
        kind="test",
        legs=[(organization_account(org), -30), (external_account(), 30)],
    )
    assert created
    assert sorted(txn.entries.values_list("amount", flat=True)) == [-30, 30]
    assert Account.objects.get(pk=organization_account(org).pk).balance == start - 30
    ledger_ok()


def test_the_same_key_posts_once(client_org, ledger_ok):
    _, org = client_org
    legs = [(organization_account(org), -5), (external_account(), 5)]
    first, created = ledger_post(key="once", kind="test", legs=legs)
    again, created_again = ledger_post(key="once", kind="test", legs=legs)
    assert created and not created_again
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(transaction__key="once").count() == 2
    ledger_ok()


def test_unbalanced_legs_are_refused(client_org):
    _, org = client_org
    with pytest.raises(ValueError):
        ledger_post(key="bad", kind="test", legs=[(organization_account(org), -5)])
    assert not LedgerTransaction.objects.filter(key="bad").exists()


def test_an_overdraft_rolls_back_the_whole_transaction(make_client_org, worker, ledger_ok):
    _, org = make_client_org(credit=10)
    with pytest.raises(InsufficientFunds) as exc:
        ledger_post(
            key="overdraft",
            kind="test",
            legs=[(organization_account(org), -11), (worker_account(worker), 11)],
        )
    assert exc.value.details == {"account": "organization", "need": 11, "have": 10}
    assert not LedgerTransaction.objects.filter(key="overdraft").exists()
    assert worker_account(worker).balance == 0
    assert organization_account(org).balance == 10
    ledger_ok()


def test_ledger_verify_finds_a_tampered_balance(client_org):
    _, org = client_org
    assert ledger_verify() == []
    Account.objects.filter(pk=organization_account(org).pk).update(balance=1)
    assert ledger_verify() != []


# --- Top-ups ----------------------------------------------------------------------------------
def test_an_operator_top_up_credits_the_organization(operator, make_client_org, ledger_ok):
    _, org = make_client_org(credit=0)
    account_topup(operator=operator, organization=org, amount=500, reference="bank-1")
    assert organization_account(org).balance == 500
    assert external_account().balance < 0
    ledger_ok()


def test_a_retried_top_up_with_the_same_reference_posts_once(operator, make_client_org, ledger_ok):
    _, org = make_client_org(credit=0)
    first = account_topup(operator=operator, organization=org, amount=500, reference="bank-2")
    again = account_topup(operator=operator, organization=org, amount=500, reference="bank-2")
    assert again.pk == first.pk
    assert organization_account(org).balance == 500
    ledger_ok()


def test_top_ups_without_a_reference_are_separate_payments(operator, make_client_org):
    _, org = make_client_org(credit=0)
    account_topup(operator=operator, organization=org, amount=5)
    account_topup(operator=operator, organization=org, amount=5)
    assert organization_account(org).balance == 10


def test_reusing_a_reference_for_a_different_top_up_is_a_conflict(
    operator, make_client_org, ledger_ok
):
    _, org = make_client_org(credit=0)
    _, other = make_client_org(credit=0)
    account_topup(operator=operator, organization=org, amount=500, reference="bank-3")
    with pytest.raises(Conflict):
        account_topup(operator=operator, organization=other, amount=500, reference="bank-3")
    with pytest.raises(Conflict):
        account_topup(operator=operator, organization=org, amount=700, reference="bank-3")
    assert organization_account(org).balance == 500
    assert organization_account(other).balance == 0
    ledger_ok()


@pytest.mark.parametrize("amount", [0, -5, 10**20])
def test_top_up_amounts_must_be_positive_and_sane(operator, make_client_org, amount):
    _, org = make_client_org(credit=0)
    with pytest.raises(InvalidInput):
        account_topup(operator=operator, organization=org, amount=amount)
    assert organization_account(org).balance == 0


def test_an_overlong_top_up_reference_is_invalid(operator, make_client_org):
    _, org = make_client_org(credit=0)
    with pytest.raises(InvalidInput):
        account_topup(operator=operator, organization=org, amount=5, reference="r" * 300)
    assert organization_account(org).balance == 0


@pytest.mark.parametrize("role", [Role.CLIENT, Role.WORKER])
def test_only_operators_top_up(make_user, make_client_org, role):
    user, org = make_client_org(credit=0)
    for who in (user, make_user(role)):
        with pytest.raises(PermissionDenied):
            account_topup(operator=who, organization=org, amount=5)
    assert organization_account(org).balance == 0


# --- Payouts ----------------------------------------------------------------------------------
def test_a_payout_request_moves_points_to_pending(earned, ledger_ok):
    payout = payout_request(worker=earned, amount=60)
    assert payout.status == Payout.Status.REQUESTED
    assert worker_account(earned).balance == 40
    assert pending_payouts_account().balance == 60
    ledger_ok()


def test_a_payout_above_the_balance_is_refused_and_leaves_no_trace(earned, ledger_ok):
    with pytest.raises(InsufficientFunds) as exc:
        payout_request(worker=earned, amount=101)
    assert exc.value.status == 402
    assert not Payout.objects.exists()
    assert worker_account(earned).balance == 100
    ledger_ok()


@pytest.mark.parametrize("amount", [0, -1, 10**20])
def test_payout_amounts_must_be_positive_and_sane(earned, amount):
    with pytest.raises(InvalidInput):
        payout_request(worker=earned, amount=amount)
    assert not Payout.objects.exists()


def test_only_workers_request_payouts(client_org, operator):
    for who in (client_org[0], operator):
        with pytest.raises(PermissionDenied):
            payout_request(worker=who, amount=1)


def test_a_paid_payout_leaves_the_platform(earned, operator, ledger_ok):
    payout = payout_request(worker=earned, amount=70)
    outside = external_account().balance
    decided = payout_decide(operator=operator, payout_id=payout.pk, paid=True, note="wired")
    assert decided.status == Payout.Status.PAID
    assert decided.decided_by == operator and decided.decided_at is not None
    assert pending_payouts_account().balance == 0
    assert external_account().balance == outside + 70
    assert worker_account(earned).balance == 30
    ledger_ok()


def test_a_refused_payout_returns_the_points(earned, operator, ledger_ok):
    payout = payout_request(worker=earned, amount=70)
    payout_decide(operator=operator, payout_id=payout.pk, paid=False, note="bad account")
    assert worker_account(earned).balance == 100
    assert pending_payouts_account().balance == 0
    ledger_ok()


@pytest.mark.parametrize("first", [True, False])
def test_deciding_a_payout_twice_is_a_conflict(earned, operator, first, ledger_ok):
    payout = payout_request(worker=earned, amount=70)
    payout_decide(operator=operator, payout_id=payout.pk, paid=first)
    for paid in (True, False):
        with pytest.raises(Conflict):
            payout_decide(operator=operator, payout_id=payout.pk, paid=paid)
    assert worker_account(earned).balance == (30 if first else 100)
    ledger_ok()


def test_only_operators_decide_payouts_and_missing_ones_are_not_found(earned, operator):
    payout = payout_request(worker=earned, amount=10)
    with pytest.raises(PermissionDenied):
        payout_decide(operator=earned, payout_id=payout.pk, paid=True)
    with pytest.raises(NotFound):
        payout_decide(operator=operator, payout_id=999999, paid=True)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED
