"""Reading balances and ledger history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from .memos import answer_event, statement_line
from .models import Account, AccountKind, LedgerEntry, Payout


def balance_summary(*, user: Any) -> dict[str, Any]:
    account = Account.objects.filter(kind=AccountKind.WORKER, user=user).first()
    if account is None:
        return {"balance": 0, "earned_7d": 0}
    week = timezone.now() - timedelta(days=7)
    earned = (
        LedgerEntry.objects.filter(
            account=account, amount__gt=0, created_at__gte=week, transaction__kind="pay"
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return {"balance": account.balance, "earned_7d": earned}


def ledger_history(*, account: Account | None, before: int = 0, limit: int = 100) -> list[dict]:
    """An account's entries, newest first. A line about one answer also names it as the
    worker knows it: ``answer_id`` (its assignment, as in My work) beside ``submission_id``
    (the version that was paid); both None for other lines. ``statement``: the line worded
    in the active language."""
    if account is None:
        return []
    qs = LedgerEntry.objects.filter(account=account)
    if before:
        qs = qs.filter(pk__lt=before)
    rows = [
        {
            "id": e.pk,
            "amount": e.amount,
            "kind": e.transaction.kind,
            "memo": e.transaction.memo,
            "key": e.transaction.key,
            "created_at": e.created_at,
        }
        for e in qs.select_related("transaction").order_by("-pk")[: max(1, min(limit, 500))]
    ]
    _name_answers(rows)
    return rows


def _name_answers(rows: list[dict]) -> None:
    """Add answer_event, submission_id, answer_id and statement to ledger history rows."""
    from datadam.work.models import Submission

    events = {i: answer_event(row["key"]) for i, row in enumerate(rows)}
    wanted = {found[1] for found in events.values() if found}
    assignments = dict(
        Submission.objects.filter(pk__in=wanted).values_list("pk", "assignment_id")
    ) if wanted else {}
    for i, row in enumerate(rows):
        found = events[i]
        row["answer_event"] = found[0] if found else ""
        row["submission_id"] = found[1] if found else None
        row["answer_id"] = assignments.get(found[1]) if found else None
        row["statement"] = statement_line(
            key=row["key"], memo=row["memo"], answer=row["answer_id"]
        )


# --- The worker's earnings page -------------------------------------------------------------
def worker_account_of(*, user: Any) -> Account | None:
    """The user's earnings account, or None before their first payment."""
    return Account.objects.filter(kind=AccountKind.WORKER, user=user).first()


def payouts_of(*, worker: Any, limit: int = 50) -> list[Payout]:
    """The worker's payout requests, newest first."""
    return list(Payout.objects.filter(worker=worker).order_by("-pk")[: max(1, min(limit, 500))])


def awaiting_review(*, worker: Any) -> dict[str, int]:
    """Answers of the worker waiting for a reviewer, and the points they pay when approved."""
    from datadam.work.models import Assignment, AssignmentStatus

    row = Assignment.objects.filter(worker=worker, status=AssignmentStatus.SUBMITTED).aggregate(
        answers=Count("pk"), points=Sum("project__reward")
    )
    return {"answers": row["answers"] or 0, "points": row["points"] or 0}
