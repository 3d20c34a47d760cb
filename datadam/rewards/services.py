"""Moving points: the only code that writes ledger entries or account balances."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InsufficientFunds, InvalidInput, NotFound, PermissionDenied

from .models import Account, AccountKind, LedgerEntry, LedgerTransaction, Payout

Leg = tuple[Account, int]


# --- Accounts ---------------------------------------------------------------------------------
def _account(kind: str, **owner: object) -> Account:
    account = Account.objects.filter(kind=kind, **owner).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(
                kind=kind, allow_negative=(kind == AccountKind.EXTERNAL), **owner
            )
    except IntegrityError:  # created by a concurrent request
        return Account.objects.get(kind=kind, **owner)


def external_account() -> Account:
    return _account(AccountKind.EXTERNAL)


def pending_payouts_account() -> Account:
    return _account(AccountKind.PAYOUT_PENDING)


def organization_account(organization: object) -> Account:
    return _account(AccountKind.ORGANIZATION, organization=organization)


def escrow_account(project: object) -> Account:
    return _account(AccountKind.ESCROW, project=project)


def worker_account(user: object) -> Account:
    return _account(AccountKind.WORKER, user=user)


# --- Posting ----------------------------------------------------------------------------------
def ledger_post(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    actor: object = None,
    memo: str = "",
    project_id: int | None = None,
) -> tuple[LedgerTransaction, bool]:
    """Post one balanced transaction at most once per ``key``.

    Returns (transaction, created). A second call with the same key posts nothing and returns
    the first transaction: the unique key is what makes each business event pay once, even
    when two requests race (the loser waits on the unique index, then sees the winner's row).
    Raises InsufficientFunds, rolling everything back, if an account would go negative.
    """
    legs = [(account, int(amount)) for account, amount in legs if int(amount) != 0]
    if sum(amount for _, amount in legs) != 0:
        raise ValueError("ledger legs must sum to zero")
    with transaction.atomic():
        try:
            with transaction.atomic():
                txn = LedgerTransaction.objects.create(
                    key=key,
                    kind=kind,
                    memo=memo[:300],
                    actor_id=getattr(actor, "pk", None),
                    project_id=project_id,
                )
        except IntegrityError:
            return LedgerTransaction.objects.get(key=key), False
        # Lock accounts in id order so two transactions never wait on each other in a cycle.
        for account, amount in sorted(legs, key=lambda leg: leg[0].pk):
            updated = (
                Account.objects.filter(pk=account.pk)
                .filter(Q(allow_negative=True) | Q(balance__gte=-amount))
                .update(balance=F("balance") + amount)
            )
            if not updated:
                have = Account.objects.filter(pk=account.pk).values_list("balance", flat=True)[0]
                raise InsufficientFunds(
                    gettext(
                        "not enough points in %(kind)s account: need %(value)s, have %(have)s"
                    )
                    % {"kind": account.kind, "value": -amount, "have": have},
                    details={"account": account.kind, "need": -amount, "have": have},
                )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(transaction=txn, account=account, amount=amount)
                for account, amount in legs
            ]
        )
    return txn, True


def ledger_verify() -> list[dict[str, int]]:
    """Accounts whose cached balance differs from the sum of their entries (should be none)."""
    sums = dict(
        LedgerEntry.objects.values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    )
    bad = []
    for pk, balance in Account.objects.values_list("pk", "balance"):
        if sums.get(pk, 0) != balance:
            bad.append({"account": pk, "balance": balance, "entries": sums.get(pk, 0)})
    unbalanced = (
        LedgerEntry.objects.values("transaction")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .count()
    )
    if unbalanced:
        bad.append({"unbalanced_transactions": unbalanced})
    return bad


# --- Top-ups and payouts ----------------------------------------------------------------------
MAX_AMOUNT = 10**12  # points in one top-up or payout; keeps every balance far from overflow
MAX_REFERENCE = 150  # the transaction key holds "topup:" and the reference


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(
            gettext("amount must be a whole number of points from 1 to %(max_amount)s")
            % {"max_amount": MAX_AMOUNT}
        )


def account_topup(
    *, operator: object, organization: object, amount: int, reference: str = ""
) -> LedgerTransaction:
    """An operator credits a client organization (a payment received outside the platform).

    ``reference`` (e.g. the bank transfer id) makes a retried top-up post once.
    """
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(gettext("only operators can credit accounts"))
    _check_amount(amount)
    if len(reference) > MAX_REFERENCE:
        raise InvalidInput(
            gettext("reference must be at most %(max_reference)s characters")
            % {"max_reference": MAX_REFERENCE}
        )
    key = f"topup:{reference}" if reference else f"topup:{uuid4()}"
    with transaction.atomic():
        credited = organization_account(organization)
        txn, created = ledger_post(
            key=key,
            kind="topup",
            legs=[(external_account(), -amount), (credited, amount)],
            actor=operator,
            memo=f"top-up {reference}".strip(),
        )
        if not created and not txn.entries.filter(account=credited, amount=amount).exists():
            # A retry must be the same payment; anything else would be silently dropped.
            raise Conflict(
                gettext("reference %(reference)s was already used for a different top-up")
                % {"reference": repr(reference)}
            )
        if created:
            audit_record(
                actor=operator,
                action="ledger.topup",
                target=organization,
                organization_id=organization.pk,
                data={"amount": amount, "reference": reference},
            )
    return txn


def payout_request(*, worker: object, amount: int) -> Payout:
    """A worker asks to cash out; the points move to the pending account until decided."""
    if not getattr(worker, "is_worker", False):
        raise PermissionDenied(gettext("only workers request payouts"))
    _check_amount(amount)
    with transaction.atomic():
        payout = Payout.objects.create(worker=worker, amount=amount)
        ledger_post(
            key=f"payout:{payout.pk}:request",
            kind="payout_request",
            legs=[(worker_account(worker), -amount), (pending_payouts_account(), amount)],
            actor=worker,
            memo=f"payout #{payout.pk} requested",
        )
        audit_record(actor=worker, action="payout.request", target=payout, data={"amount": amount})
    return payout


def payout_decide(*, operator: object, payout_id: int, paid: bool, note: str = "") -> Payout:
    """An operator marks a payout paid (points leave) or refused (points return to the worker)."""
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(gettext("only operators process payouts"))
    with transaction.atomic():
        payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
        if payout is None:
            raise NotFound(gettext("payout not found"))
        if payout.status != Payout.Status.REQUESTED:
            raise Conflict(gettext("payout already %(status)s") % {"status": payout.status})
        payout.status = Payout.Status.PAID if paid else Payout.Status.REFUSED
        payout.decided_at = timezone.now()
        payout.decided_by = operator
        payout.note = note[:300]
        payout.save(update_fields=["status", "decided_at", "decided_by", "note"])
        to = external_account() if paid else worker_account(payout.worker)
        ledger_post(
            key=f"payout:{payout.pk}:{payout.status}",
            kind=f"payout_{payout.status}",
            legs=[(pending_payouts_account(), -payout.amount), (to, payout.amount)],
            actor=operator,
            memo=f"payout #{payout.pk} {payout.status}",
        )
        audit_record(
            actor=operator,
            action=f"payout.{payout.status}",
            target=payout,
            data={"amount": payout.amount, "note": note},
        )
    return payout
