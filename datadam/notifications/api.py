"""API: my notifications (newest first, in keyset pages), marking one or all read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from datadam.errors import ErrorOut

from . import selectors, services
from .messages import render
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    code: str
    message: str
    params: dict[str, Any]
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationsOut(Schema):
    notifications: list[NotificationOut]
    unread: int
    next_after: int | None


class ReadAllOut(Schema):
    read: int


def _out(notification: Notification) -> dict[str, Any]:
    """One notification, its sentence in the request's language."""
    return {
        "id": notification.pk, "code": notification.code,
        "message": render(notification.code, notification.params),
        "params": notification.params if isinstance(notification.params, dict) else {},
        "link": notification.link, "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get("/notifications", response=NotificationsOut)
def notifications_list(
    request: HttpRequest, unread: bool = False, after: int | None = None, limit: int = 50
):
    """My notifications, newest first: ``limit`` (1 to 200) older than the id ``after``;
    ``next_after`` continues (null at the end). ``unread=true``: only the unread ones.
    ``message`` is the sentence in the request's language; ``unread`` counts all unread."""
    rows, next_after = selectors.notifications_page(
        request.auth, after=after, limit=limit, unread_only=unread
    )
    return {
        "notifications": [_out(n) for n in rows],
        "unread": selectors.unread_count(request.auth),
        "next_after": next_after,
    }


@router.post("/notifications/read-all", response=ReadAllOut)
def notifications_read_all(request: HttpRequest):
    """Mark all my notifications read; ``read``: how many were unread."""
    return {"read": services.notifications_read_all(user=request.auth)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut,
                                                                 404: ErrorOut})
def notification_read(request: HttpRequest, notification_id: int):
    """Mark one of my notifications read (reading it again changes nothing)."""
    return _out(services.notification_read(user=request.auth, notification_id=notification_id))
