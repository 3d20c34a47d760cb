"""Leases: who may hold one, and giving back the slots of overdue leases (bounded work)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from datadam.errors import PermissionDenied
from datadam.projects.models import Item
from datadam.quality.gold import gold_unreserve

from ..models import Assignment, AssignmentStatus

CLAIM_ATTEMPTS = 5


def _require_worker(user: Any) -> None:
    if not getattr(user, "is_worker", False) or not user.is_active:
        raise PermissionDenied(gettext("only active workers take tasks"))


def slot_return(*, item_id: int, project_id: int, gold_reservation: bool = True) -> None:
    """An assignment ended without an answer to keep (skipped, expired, rejected): its item
    gets the slot back, so another worker answers it. A gold item holds no slot (gold stays
    out of the ordinary pick); it held a reservation of the funded gold budget instead,
    given back when ``gold_reservation`` (not for a rejected gold answer: its pay stays
    reserved in escrow until an appeal is decided). Called in the transaction that moved
    the assignment out of its state by a conditional update, so each gives back once."""
    if not Item.objects.filter(pk=item_id, gold__isnull=True).update(
        slots_open=F("slots_open") + 1
    ) and gold_reservation:
        gold_unreserve(project_id=project_id)


def leases_expire(*, project_id: int, limit: int, now: Any = None, wait: bool = False) -> int:
    """Expire up to ``limit`` overdue leases of a project and give their slots back.

    Bounded, so a claim can call it first without doing work proportional to the backlog;
    the periodic sweep calls it with a larger limit. Safe to run twice or concurrently:
    each row changes state only by a conditional update from 'leased'. Leases another
    transaction is expiring right now are skipped, or with ``wait`` waited for, so that a
    claim sees the slots they free before it looks for an item.
    """
    now = now or timezone.now()
    oldest = (
        Assignment.objects.filter(
            project_id=project_id, status=AssignmentStatus.LEASED, expires_at__lte=now
        )
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    # Rows are locked in id order (assignments, then items), as project_close locks them,
    # so two expirers, or an expirer and a close, never wait on each other in a cycle.
    due = list(
        Assignment.objects.filter(pk__in=list(oldest), status=AssignmentStatus.LEASED)
        .order_by("pk")
        .select_for_update(skip_locked=not wait)
        .values_list("pk", "item_id")
    )
    expired = 0
    # Overdue leases of different workers can share an item: item rows in id order too.
    for pk, item_id in sorted(due, key=lambda row: row[1]):
        if Assignment.objects.filter(pk=pk, status=AssignmentStatus.LEASED).update(
            status=AssignmentStatus.EXPIRED, finished_at=now
        ):
            slot_return(item_id=item_id, project_id=project_id)
            expired += 1
    return expired
