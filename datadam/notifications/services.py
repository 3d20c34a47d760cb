"""Sending notifications and marking them read.

Other apps call ``notification_send`` / ``notifications_send`` with a registered code (see
``messages.MESSAGES``); an unknown code is a programming error and raises ValueError, so a
typo fails in tests rather than showing a code to users.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import NotFound

from .messages import is_known
from .models import Notification

LINK_MAX = Notification._meta.get_field("link").max_length


def _checked(code: str, params: dict[str, Any] | None, link: str) -> dict[str, Any]:
    """The params to store, after checking what the caller (code, not a user) passed."""
    if not is_known(code):
        raise ValueError(f"unknown notification code {code!r}: add it to notifications.messages")
    if params is not None and not isinstance(params, dict):
        raise ValueError("notification params must be a dict")
    if not isinstance(link, str) or len(link) > LINK_MAX:
        raise ValueError(f"notification link must be text of at most {LINK_MAX} characters")
    return dict(params or {})


def notification_send(
    *, user: Any, code: str, params: dict[str, Any] | None = None, link: str = ""
) -> Notification:
    """Tell ``user`` something: one unread notification with ``code``'s sentence."""
    values = _checked(code, params, link)
    return Notification.objects.create(user=user, code=code, params=values, link=link)


def notifications_send(
    *, users: Iterable[Any], code: str, params: dict[str, Any] | None = None, link: str = ""
) -> list[Notification]:
    """The same notification to each of ``users`` (a user listed twice gets one), in one
    bulk insert."""
    values = _checked(code, params, link)
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            rows.append(Notification(user=user, code=code, params=dict(values), link=link))
    return Notification.objects.bulk_create(rows, batch_size=500)


def organization_notify(
    *, organization_id: int, code: str, params: dict[str, Any] | None = None, link: str = "",
    exclude: Any = None,
) -> list[Notification]:
    """The same notification to every active member of an organization (a client's people:
    who hears of their datasets' requests and their models' failures), but ``exclude``."""
    from datadam.accounts.models import User

    members = User.objects.filter(membership__organization_id=organization_id, is_active=True)
    if exclude is not None:
        members = members.exclude(pk=exclude.pk)
    return notifications_send(users=members, code=code, params=params, link=link)


@transaction.atomic
def notification_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read (again: unchanged). Another user's
    notification is NotFound, like a missing one."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(_("notification not found"))
    if notification.read_at is None:
        now = timezone.now()
        # Only an unread row is stamped, so a second reader at the same time keeps the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_read_all(*, user: Any) -> int:
    """Mark all of ``user``'s unread notifications read; how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
