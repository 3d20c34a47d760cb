"""Sending notifications, reading them (only one's own), read-all, and the inbox's keyset
pages and unread count."""

from __future__ import annotations

import pytest

from datadam.errors import NotFound
from datadam.notifications import selectors
from datadam.notifications.models import Notification
from datadam.notifications.services import (
    notification_read,
    notification_send,
    notifications_read_all,
    notifications_send,
)

pytestmark = pytest.mark.django_db


def test_sending_stores_an_unread_notification_with_code_params_and_link(worker):
    n = notification_send(user=worker, code="hub.access_approved",
                          params={"dataset": "Signs"}, link="/hub/datasets/3/")
    n.refresh_from_db()
    assert (n.user_id, n.code, n.params, n.link, n.read_at) == (
        worker.pk, "hub.access_approved", {"dataset": "Signs"}, "/hub/datasets/3/", None)
    assert n.created_at is not None
    assert notification_send(user=worker, code="hub.version_ready").params == {}


def test_an_unknown_code_is_a_programming_error_and_stores_nothing(worker):
    with pytest.raises(ValueError, match="unknown notification code"):
        notification_send(user=worker, code="hub.no_such_thing")
    with pytest.raises(ValueError, match="unknown notification code"):
        notifications_send(users=[worker], code="typo")
    assert not Notification.objects.exists()


def test_a_link_longer_than_the_column_is_refused(worker):
    with pytest.raises(ValueError, match="link"):
        notification_send(user=worker, code="hub.version_ready", link="/" + "a" * 300)


def test_sending_to_many_users_makes_one_notification_each(make_user):
    users = [make_user() for _ in range(3)]
    sent = notifications_send(users=[*users, users[0]], code="hub.version_ready",
                              params={"dataset": "D", "version": "2"}, link="/x/")
    assert len(sent) == 3
    rows = Notification.objects.order_by("user_id")
    assert [r.user_id for r in rows] == sorted(u.pk for u in users)
    assert all(r.params == {"dataset": "D", "version": "2"} and r.link == "/x/" for r in rows)
    assert notifications_send(users=[], code="hub.version_ready") == []


def test_reading_marks_it_read_once(worker, notify):
    n = notify(worker)
    first = notification_read(user=worker, notification_id=n.pk)
    assert first.read_at is not None
    again = notification_read(user=worker, notification_id=n.pk)
    assert again.read_at == first.read_at


def test_another_users_notification_cannot_be_read_and_stays_unread(worker, make_user, notify):
    n = notify(worker)
    with pytest.raises(NotFound):
        notification_read(user=make_user(), notification_id=n.pk)
    with pytest.raises(NotFound):
        notification_read(user=worker, notification_id=n.pk + 1000)
    n.refresh_from_db()
    assert n.read_at is None


def test_read_all_marks_only_my_unread_ones_and_counts_them(worker, make_user, notify):
    other = make_user()
    mine = [notify(worker) for _ in range(3)]
    notification_read(user=worker, notification_id=mine[0].pk)
    theirs = notify(other)
    assert notifications_read_all(user=worker) == 2
    assert notifications_read_all(user=worker) == 0
    assert selectors.unread_count(worker) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None and selectors.unread_count(other) == 1


def test_pages_run_newest_first_by_keyset(worker, make_user, notify):
    sent = [notify(worker, version=str(i)) for i in range(5)]
    notify(make_user())  # someone else's is never listed
    ids = [n.pk for n in reversed(sent)]
    rows, after = selectors.notifications_page(worker, limit=2)
    assert [r.pk for r in rows] == ids[:2] and after == ids[1]
    rows, after = selectors.notifications_page(worker, after=after, limit=2)
    assert [r.pk for r in rows] == ids[2:4] and after == ids[3]
    rows, after = selectors.notifications_page(worker, after=after, limit=2)
    assert [r.pk for r in rows] == ids[4:] and after is None
    assert [r.pk for r in selectors.notifications_of(worker, limit=3)] == ids[:3]


def test_unread_only_lists_and_counts_the_unread(worker, notify):
    a, b, c = notify(worker), notify(worker), notify(worker)
    notification_read(user=worker, notification_id=b.pk)
    assert [n.pk for n in selectors.notifications_of(worker, unread_only=True)] == [c.pk, a.pk]
    assert selectors.unread_count(worker) == 2


def test_odd_cursors_and_limits_start_from_the_newest(worker, notify):
    newest = [notify(worker) for _ in range(3)][-1]
    for after in (None, 0, -5, 2**70, True):
        assert selectors.notifications_of(worker, after=after, limit=1)[0].pk == newest.pk
    assert len(selectors.notifications_of(worker, limit=0)) == 1
    assert len(selectors.notifications_of(worker, limit=10**9)) == 3


def test_a_full_page_of_the_largest_size_still_has_a_next_page(worker):
    notifications_send(users=[worker], code="hub.version_ready")
    Notification.objects.bulk_create(
        Notification(user=worker, code="hub.version_ready") for _ in range(selectors.LIMIT_MAX)
    )
    rows, after = selectors.notifications_page(worker, limit=selectors.LIMIT_MAX + 50)
    assert len(rows) == selectors.LIMIT_MAX and after == rows[-1].pk
    rest, end = selectors.notifications_page(worker, after=after, limit=selectors.LIMIT_MAX)
    assert len(rest) == 1 and end is None
