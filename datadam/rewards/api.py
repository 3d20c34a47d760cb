"""API: balances, ledger history, payouts, operators' top-ups and payout processing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.accounts.models import Membership, Organization
from datadam.errors import NotFound, PermissionDenied

from . import services
from .models import Account, AccountKind, Payout
from .selectors import balance_summary, ledger_history

router = Router(tags=["points"])


class BalanceOut(Schema):
    balance: int
    earned_7d: int


class EntryOut(Schema):
    id: int
    amount: int
    kind: str
    memo: str
    created_at: datetime
    # A line about one answer names it as GET /assignments does (the assignment's id), and
    # the version paid; both null for other lines. statement: the line in the request's
    # language, with the answer's number (the stored memo of older lines has the version's).
    answer_id: int | None = None
    submission_id: int | None = None
    statement: str = ""


class PayoutIn(Schema):
    amount: int


class PayoutOut(Schema):
    id: int
    worker_id: int
    amount: int
    status: str
    requested_at: datetime
    decided_at: datetime | None
    note: str


class TopupIn(Schema):
    amount: int
    reference: str = ""


class TransactionOut(Schema):
    id: int
    key: str
    kind: str
    memo: str


class PayoutDecideIn(Schema):
    paid: bool
    note: str = ""


class OrgBalanceOut(Schema):
    organization_id: int
    balance: int


@router.get("/me/balance", response=BalanceOut)
def my_balance(request: HttpRequest):
    return balance_summary(user=request.auth)


@router.get("/me/ledger", response=list[EntryOut])
def my_ledger(request: HttpRequest, before: int = 0, limit: int = 100):
    account = Account.objects.filter(kind=AccountKind.WORKER, user=request.auth).first()
    return ledger_history(account=account, before=before, limit=limit)


def _organization(user: Any, org_id: int) -> Organization:
    """The organization if it exists and the user is one of its members or an operator."""
    org = Organization.objects.filter(pk=org_id).first()
    if org is None or not (
        user.is_operator or Membership.objects.filter(user=user, organization=org).exists()
    ):
        raise NotFound(_("organization not found"))
    return org


@router.get("/organizations/{org_id}/balance", response=OrgBalanceOut)
def org_balance(request: HttpRequest, org_id: int):
    org = _organization(request.auth, org_id)
    account = Account.objects.filter(kind=AccountKind.ORGANIZATION, organization=org).first()
    return {"organization_id": org.pk, "balance": account.balance if account else 0}


@router.get("/organizations/{org_id}/ledger", response=list[EntryOut])
def org_ledger(request: HttpRequest, org_id: int, before: int = 0, limit: int = 100):
    org = _organization(request.auth, org_id)
    account = Account.objects.filter(kind=AccountKind.ORGANIZATION, organization=org).first()
    return ledger_history(account=account, before=before, limit=limit)


@router.get("/payouts", response=list[PayoutOut])
def my_payouts(request: HttpRequest):
    return list(Payout.objects.filter(worker=request.auth).order_by("-pk")[:200])


@router.post("/payouts", response={201: PayoutOut})
def request_payout(request: HttpRequest, payload: PayoutIn):
    """Cash out: the points are held until an operator pays or refuses."""
    return Status(201, services.payout_request(worker=request.auth, amount=payload.amount))


@router.post(
    "/ops/organizations/{org_id}/topup", response={201: TransactionOut}, tags=["operators"]
)
def topup(request: HttpRequest, org_id: int, payload: TopupIn):
    """Credit a client's account after receiving their payment (retry-safe with reference)."""
    if not request.auth.is_operator:
        raise PermissionDenied(_("only operators can credit accounts"))
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        raise NotFound(_("organization not found"))
    return Status(
        201,
        services.account_topup(
            operator=request.auth,
            organization=org,
            amount=payload.amount,
            reference=payload.reference,
        ),
    )


@router.get("/ops/payouts", response=list[PayoutOut], tags=["operators"])
def pending_payouts(request: HttpRequest, status: str = "requested"):
    if not request.auth.is_operator:
        raise PermissionDenied(_("only operators process payouts"))
    return list(Payout.objects.filter(status=status).order_by("pk")[:500])


@router.post("/ops/payouts/{payout_id}/decide", response=PayoutOut, tags=["operators"])
def decide_payout(request: HttpRequest, payout_id: int, payload: PayoutDecideIn):
    return services.payout_decide(
        operator=request.auth, payout_id=payout_id, paid=payload.paid, note=payload.note
    )
