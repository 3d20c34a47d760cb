"""Reading projects, always scoped to what the caller may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import NotFound
from datadam.kinds import get_kind
from datadam.rewards.models import LedgerEntry
from datadam.rewards.services import escrow_account

from .models import Item, Project, ProjectStatus


def projects_visible(user: Any) -> QuerySet[Project]:
    """Clients: their organizations' projects. Workers: open projects. Operators: all."""
    if user.is_operator:
        return Project.objects.all()
    if user.is_client:
        return Project.objects.filter(organization__membership__user=user)
    return Project.objects.filter(status=ProjectStatus.OPEN)


def project_visible(user: Any, project_id: int) -> Project:
    project = projects_visible(user).filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("project not found"))
    return project


def project_stats(project: Project) -> dict[str, Any]:
    """Progress, review outcomes and money of one project (for its dashboard)."""
    from datadam.work.models import Assignment

    by_status = dict(
        Assignment.objects.filter(project=project)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    slots_total = project.items_count * project.overlap
    open_slots = Item.objects.filter(project=project).aggregate(s=Sum("slots_open"))["s"] or 0
    if project.dynamic_overlap:
        from datadam.datasets.selectors import answers_used  # datasets builds on projects

        # Answers wanted so far: handed out or still open (grows while items need more).
        slots_total = answers_used(project, open_slots=open_slots)
    escrow = escrow_account(project)
    spent = -(
        LedgerEntry.objects.filter(account=escrow, amount__lt=0, transaction__kind="pay").aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    approved = by_status.get("approved", 0)
    rejected = by_status.get("rejected", 0)
    decided = approved + rejected
    return {
        "items": project.items_count,
        "answers_wanted": slots_total,
        "open_slots": open_slots,
        "assignments": by_status,
        "approved": approved,
        "progress": round(approved / slots_total, 4) if slots_total else 0.0,
        "approval_rate": round(approved / decided, 4) if decided else None,
        "budget": project.funded_items * project.item_cost,
        "escrow_balance": escrow.balance,
        "spent": spent,
    }


# --- The client console ---------------------------------------------------------------------
def organization_balances(*, user: Any) -> list[dict[str, Any]]:
    """The user's organizations with their points balance (0 when never credited).

    Reads only: an organization without an account yet shows 0 rather than creating one.
    """
    from datadam.accounts.models import Organization
    from datadam.rewards.models import Account, AccountKind

    orgs = list(Organization.objects.filter(membership__user=user).order_by("name", "pk"))
    balances = dict(
        Account.objects.filter(kind=AccountKind.ORGANIZATION, organization__in=orgs).values_list(
            "organization_id", "balance"
        )
    )
    return [{"organization": o, "balance": balances.get(o.pk, 0)} for o in orgs]


def projects_overview(*, user: Any, status: str = "") -> list[dict[str, Any]]:
    """The console's project list: each visible project with progress and spend.

    A fixed number of queries whatever the number of projects (no per-project stats call).
    """
    from datadam.rewards.models import AccountKind
    from datadam.work.models import Assignment, AssignmentStatus

    qs = projects_visible(user).select_related("organization").order_by("-pk")
    if status:
        qs = qs.filter(status=status)
    projects = list(qs)
    ids = [p.pk for p in projects]
    approved = dict(
        Assignment.objects.filter(project_id__in=ids, status=AssignmentStatus.APPROVED)
        .values("project_id")
        .annotate(n=Count("pk"))
        .values_list("project_id", "n")
    )
    spent = dict(
        LedgerEntry.objects.filter(
            account__kind=AccountKind.ESCROW,
            account__project_id__in=ids,
            amount__lt=0,
            transaction__kind="pay",
        )
        .values("account__project_id")
        .annotate(s=Sum("amount"))
        .values_list("account__project_id", "s")
    )
    rows = []
    for p in projects:
        wanted = p.items_count * p.overlap
        done = approved.get(p.pk, 0)
        rows.append(
            {
                "project": p,
                "approved": done,
                "answers_wanted": wanted,
                "progress": round(done / wanted, 4) if wanted else 0.0,
                "spent": -(spent.get(p.pk) or 0),
                "budget": p.funded_items * p.item_cost,
            }
        )
    return rows


def submissions_per_hour(
    *, project: Project, hours: int = 24, now: datetime | None = None
) -> list[tuple[datetime, int]]:
    """Submissions (revisions included) per clock hour, oldest first, the current hour last.

    Always ``hours`` entries; hours without submissions count 0.
    """
    from datadam.work.models import Submission

    now = now or timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours)
    counts: dict[datetime, int] = {}
    rows = (
        Submission.objects.filter(
            assignment__project_id=project.pk, created_at__gte=start, created_at__lt=end
        )
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("hour")
        .annotate(n=Count("pk"))
        .values_list("hour", "n")
    )
    for hour, n in rows:
        key = hour.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        counts[key] = counts.get(key, 0) + n
    first = start.astimezone(UTC)
    return [
        (first + timedelta(hours=i), counts.get(first + timedelta(hours=i), 0))
        for i in range(hours)
    ]


def project_dashboard(
    *, project: Project, hours: int = 24, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the project dashboard shows: ``project_stats`` plus throughput and ETA.

    Throughput is the submissions per hour averaged since launch, over at most ``hours``
    hours; the ETA divides the answers still to collect by it (None while nothing came in or
    when the project is not open).
    """
    now = now or timezone.now()
    stats = project_stats(project)
    series = submissions_per_hour(project=project, hours=hours, now=now)
    by_status = stats["assignments"]
    rejected = by_status.get("rejected", 0)
    decided = stats["approved"] + rejected
    answered = sum(by_status.get(s, 0) for s in ("submitted", "returned", "approved"))
    remaining = max(0, stats["answers_wanted"] - answered)
    window_start = now - timedelta(hours=hours)
    if project.launched_at and project.launched_at > window_start:
        window_start = project.launched_at
    window_hours = max((now - window_start).total_seconds() / 3600, 1.0)
    recent = sum(n for hour, n in series if hour + timedelta(hours=1) > window_start)
    rate = recent / window_hours
    eta_hours = None
    if project.status == ProjectStatus.OPEN and rate > 0 and remaining:
        eta_hours = remaining / rate
    return {
        **stats,
        "rejected": rejected,
        "rejection_rate": round(rejected / decided, 4) if decided else None,
        "awaiting_review": by_status.get("submitted", 0),
        "in_progress": by_status.get("leased", 0),
        "remaining": remaining,
        "throughput": series,
        "rate_per_hour": round(rate, 2),
        "eta_hours": eta_hours,
        "eta_at": now + timedelta(hours=eta_hours) if eta_hours is not None else None,
        "unfunded_items": max(0, project.items_count - project.funded_items),
        "launch_cost": max(0, project.items_count - project.funded_items) * project.item_cost,
        # a collection project: its dashboard links the captures
        "collects": get_kind(project.kind).collects,
    }
