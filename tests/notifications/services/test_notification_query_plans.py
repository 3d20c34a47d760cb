"""On PostgreSQL the header's unread count uses the partial unread index and the inbox page
the (user, -id) index: no scan of everyone's notifications on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from datadam.notifications import selectors
from datadam.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def _plan(sql: str, params: tuple) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def _only_query(fn) -> tuple[str, tuple]:  # noqa: ANN001
    seen: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fn()
    [query] = seen
    return query


def test_the_unread_count_and_the_inbox_page_use_their_indexes(make_user):
    users = [make_user() for _ in range(200)]  # each with a small share of the rows
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(user=users[i % 200], code="hub.version_ready",
                     read_at=None if i % 7 == 0 else now)
        for i in range(8000)
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE notifications_notification")
    user = users[7]
    count_sql = _only_query(lambda: selectors.unread_count(user))
    page_sql = _only_query(lambda: selectors.notifications_of(user, limit=50))
    assert "notification_unread_idx" in _plan(*count_sql)
    assert "notification_user_idx" in _plan(*page_sql)
