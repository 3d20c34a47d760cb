"""What operators read: payouts to process, users, organizations, the audit log, the ledger.

Every list is paginated by id (keyset: ``before``/``after`` an id, ``PAGE`` rows unless
``limit`` says otherwise), never by OFFSET, and per-row figures (balances, approval stats)
are fetched in one query per page, not per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from datadam.accounts.models import Membership, Organization, Role, User
from datadam.audit.models import AuditEvent
from datadam.errors import NotFound
from datadam.projects.models import Project
from datadam.rewards.models import Account, AccountKind, LedgerTransaction, Payout
from datadam.rewards.services import ledger_verify
from datadam.work.models import Assignment, AssignmentStatus

PAGE = 50


@dataclass
class Page:
    """One page of a keyset-paginated list; ``next_cursor`` is the id to pass as the cursor."""

    rows: list[Any]
    next_cursor: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _limit(limit: int) -> int:
    return max(1, min(limit or PAGE, 500))


def _cut(rows: list[Any], limit: int) -> Page:
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows=rows, next_cursor=rows[-1].pk)
    return Page(rows=rows)


def _balance_of(kind: str, **outer: str) -> Subquery:
    return Subquery(
        Account.objects.filter(kind=kind, **{k: OuterRef(v) for k, v in outer.items()}).values(
            "balance"
        )[:1]
    )


def _count_of(related: Any) -> Coalesce:
    """A correlated COUNT, so only the rows of the page are counted (no GROUP BY of all)."""
    counted = related.order_by().values("organization").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


# --- Workers' figures ------------------------------------------------------------------------
def worker_stats(*, user_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per worker: approved, rejected and returned answers, and the approval rate (or None)."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in user_ids}
    rows = (
        Assignment.objects.filter(
            worker_id__in=user_ids,
            status__in=[AssignmentStatus.APPROVED, AssignmentStatus.REJECTED,
                        AssignmentStatus.RETURNED],
        )
        .values("worker_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["worker_id"]][row["status"]] = row["n"]
    out = {}
    for pk, by in counts.items():
        approved = by.get(AssignmentStatus.APPROVED, 0)
        rejected = by.get(AssignmentStatus.REJECTED, 0)
        decided = approved + rejected
        out[pk] = {
            "approved": approved,
            "rejected": rejected,
            "returned": by.get(AssignmentStatus.RETURNED, 0),
            "approval_rate": round(100 * approved / decided) if decided else None,
        }
    return out


def worker_balances(*, user_ids: list[int]) -> dict[int, int]:
    return dict(
        Account.objects.filter(kind=AccountKind.WORKER, user_id__in=user_ids).values_list(
            "user_id", "balance"
        )
    )


def _with_worker_figures(payouts: list[Payout]) -> list[dict[str, Any]]:
    ids = list({p.worker_id for p in payouts})
    stats = worker_stats(user_ids=ids)
    balances = worker_balances(user_ids=ids)
    paid = dict(
        Payout.objects.filter(worker_id__in=ids, status=Payout.Status.PAID)
        .values("worker_id")
        .annotate(total=Sum("amount"))
        .values_list("worker_id", "total")
    )
    return [
        {
            "payout": p,
            "pk": p.pk,
            "balance": balances.get(p.worker_id, 0),
            "paid_before": paid.get(p.worker_id, 0),
            **stats[p.worker_id],
        }
        for p in payouts
    ]


# --- Payouts ---------------------------------------------------------------------------------
def payouts_requested(*, after: int = 0, limit: int = 0) -> Page:
    """Payouts waiting for a decision, oldest first, with the worker's figures."""
    qs = Payout.objects.filter(status=Payout.Status.REQUESTED).select_related("worker")
    if after:
        qs = qs.filter(pk__gt=after)
    payouts = list(qs.order_by("pk")[: _limit(limit) + 1])
    page = _cut(payouts, _limit(limit))
    page.rows = _with_worker_figures(page.rows)
    page.extra = {
        "waiting": Payout.objects.filter(status=Payout.Status.REQUESTED).aggregate(
            n=Count("pk"), total=Coalesce(Sum("amount"), 0)
        )
    }
    return page


def payouts_decided(*, before: int = 0, limit: int = 0) -> Page:
    """Paid and refused payouts, most recent first."""
    qs = Payout.objects.exclude(status=Payout.Status.REQUESTED).select_related(
        "worker", "decided_by"
    )
    if before:
        qs = qs.filter(pk__lt=before)
    return _cut(list(qs.order_by("-pk")[: _limit(limit) + 1]), _limit(limit))


def payout_row(*, payout_id: int) -> dict[str, Any]:
    payout = Payout.objects.select_related("worker", "decided_by").filter(pk=payout_id).first()
    if payout is None:
        raise NotFound(_("payout not found"))
    return _with_worker_figures([payout])[0]


# --- Users -----------------------------------------------------------------------------------
def users_list(
    *,
    q: str = "",
    role: str = "",
    reviewer: bool | None = None,
    active: bool | None = None,
    before: int = 0,
    limit: int = 0,  # 0: PAGE
) -> Page:
    """Users newest first; ``q`` searches the e-mail address."""
    qs = User.objects.all()
    if q:
        qs = qs.filter(email__icontains=q.strip())
    if role in Role.values:
        qs = qs.filter(role=role)
    if reviewer is not None:
        qs = qs.filter(is_reviewer=reviewer)
    if active is not None:
        qs = qs.filter(is_active=active)
    if before:
        qs = qs.filter(pk__lt=before)
    page = _cut(list(qs.order_by("-pk")[: _limit(limit) + 1]), _limit(limit))
    ids = [u.pk for u in page.rows]
    balances = worker_balances(user_ids=ids)
    stats = worker_stats(user_ids=ids)
    page.rows = [
        {"user": u, "pk": u.pk, "balance": balances.get(u.pk), **stats[u.pk]} for u in page.rows
    ]
    return page


def user_detail(*, user_id: int, events: int = 30, assignments: int = 20) -> dict[str, Any]:
    """One user: figures, recent assignments, organizations and the audit events about them."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("user not found"))
    recent = list(
        Assignment.objects.filter(worker=user)
        .select_related("project")
        .order_by("-pk")[:assignments]
    )
    audit = list(
        AuditEvent.objects.filter(Q(actor=user) | Q(target_type="user", target_id=user.pk))
        .select_related("actor")
        .order_by("-pk")[:events]
    )
    return {
        "target": user,
        "stats": worker_stats(user_ids=[user.pk])[user.pk],
        "balance": worker_balances(user_ids=[user.pk]).get(user.pk),
        "payouts": list(Payout.objects.filter(worker=user).order_by("-pk")[:10]),
        "organizations": list(
            Organization.objects.filter(membership__user=user).values("pk", "name")
        ),
        "assignments": recent,
        "events": audit,
    }


# --- Organizations ---------------------------------------------------------------------------
def organizations_list(*, q: str = "", before: int = 0, limit: int = 0) -> Page:
    """Organizations newest first with their account balance and number of projects."""
    qs = Organization.objects.annotate(
        balance=Coalesce(_balance_of(AccountKind.ORGANIZATION, organization="pk"), 0),
        projects_n=_count_of(Project.objects.filter(organization=OuterRef("pk"))),
        members_n=_count_of(Membership.objects.filter(organization=OuterRef("pk"))),
    )
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if before:
        qs = qs.filter(pk__lt=before)
    return _cut(list(qs.order_by("-pk")[: _limit(limit) + 1]), _limit(limit))


def organization_detail(*, organization_id: int) -> dict[str, Any]:
    from datadam.rewards.selectors import ledger_history

    org = Organization.objects.filter(pk=organization_id).first()
    if org is None:
        raise NotFound(_("organization not found"))
    account = Account.objects.filter(kind=AccountKind.ORGANIZATION, organization=org).first()
    projects = list(
        Project.objects.filter(organization=org)
        .annotate(escrow=Coalesce(_balance_of(AccountKind.ESCROW, project="pk"), 0))
        .order_by("-pk")[:50]
    )
    return {
        "org": org,
        "balance": account.balance if account else 0,
        "escrow": sum(p.escrow for p in projects),
        "projects": projects,
        "members": list(org.membership_set.select_related("user").order_by("pk")),
        "history": ledger_history(account=account, limit=30),
    }


def topup_by_reference(*, reference: str) -> dict[str, Any] | None:
    """The top-up already posted with this reference (and the organization it credited)."""
    if not reference:
        return None
    txn = LedgerTransaction.objects.filter(key=f"topup:{reference}").first()
    if txn is None:
        return None
    credited = (
        txn.entries.filter(account__kind=AccountKind.ORGANIZATION)
        .select_related("account__organization")
        .first()
    )
    return {
        "transaction": txn,
        "organization": credited.account.organization if credited else None,
        "amount": credited.amount if credited else 0,
    }


# --- Audit log -------------------------------------------------------------------------------
def audit_page(
    *,
    action: str = "",
    actor_email: str = "",
    project_id: int | None = None,
    before: int = 0,
    limit: int = 0,  # 0: PAGE
) -> Page:
    """Audit events newest first. ``action`` matches a prefix ("payout" finds payout.paid)."""
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action__startswith=action.strip())
    if actor_email:
        actor = User.objects.filter(email=actor_email.strip().lower()).values("pk").first()
        if actor is None:
            return Page(rows=[])
        qs = qs.filter(actor_id=actor["pk"])
    if project_id:
        qs = qs.filter(project_id=project_id)
    if before:
        qs = qs.filter(pk__lt=before)
    limit = _limit(limit)
    return _cut(list(qs.select_related("actor").order_by("-pk")[: limit + 1]), limit)


# --- Ledger health ---------------------------------------------------------------------------
def ledger_health() -> dict[str, Any]:
    """``ledger_verify``'s findings (none when healthy) and balances totalled by account kind."""
    labels = dict(AccountKind.choices)
    totals = [
        {"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), **row}
        for row in Account.objects.values("kind")
        .annotate(accounts=Count("pk"), total=Coalesce(Sum("balance"), 0))
        .order_by("kind")
    ]
    return {
        "problems": ledger_verify(),
        "totals": totals,
        "grand_total": sum(t["total"] for t in totals),
        "transactions": LedgerTransaction.objects.count(),
        "pending": Payout.objects.filter(status=Payout.Status.REQUESTED).aggregate(
            n=Count("pk"), total=Coalesce(Sum("amount"), 0)
        ),
    }
