"""Reading a user's notifications: newest first, in keyset pages, and the unread count."""

from __future__ import annotations

from typing import Any

from .models import Notification

LIMIT_MAX = 200
_ID_MAX = 2**63 - 1  # beyond a bigint: no row is newer, so the cursor means "from the start"


def page_limit(limit: Any, default: int = 50) -> int:
    """``limit`` within 1..LIMIT_MAX (``default`` when it is not a whole number)."""
    if isinstance(limit, bool) or not isinstance(limit, int):
        return default
    return max(1, min(limit, LIMIT_MAX))


def notifications_of(
    user: Any, *, after: int | None = None, limit: int = 50, unread_only: bool = False
) -> list[Notification]:
    """``user``'s notifications, newest first: up to ``limit`` older than the id ``after``
    (the last id of the previous page; None or 0 for the first page)."""
    return _rows(user, after, page_limit(limit), unread_only)


def notifications_page(
    user: Any, *, after: int | None = None, limit: int = 50, unread_only: bool = False
) -> tuple[list[Notification], int | None]:
    """One page of ``notifications_of`` and the ``after`` of the next (None: the last page)."""
    size = page_limit(limit)
    rows = _rows(user, after, size + 1, unread_only)
    if len(rows) > size:
        return rows[:size], rows[size - 1].pk
    return rows, None


def _rows(user: Any, after: Any, count: int, unread_only: bool) -> list[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if isinstance(after, int) and not isinstance(after, bool) and 0 < after <= _ID_MAX:
        qs = qs.filter(pk__lt=after)
    return list(qs.order_by("-pk")[:count])


def unread_count(user: Any) -> int:
    """How many of ``user``'s notifications are unread (a COUNT on the partial index)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
