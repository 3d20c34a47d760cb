"""The notifications API: listing in pages with the unread count, the message in the
request's language, reading one or all; sign-in required, others' notifications 404."""

from __future__ import annotations

import pytest

from datadam.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_signed_out_every_endpoint_answers_401(api, worker, notify):
    n = notify(worker)
    anonymous = api(None)
    for r in (anonymous.get("notifications"), anonymous.post(f"notifications/{n.pk}/read"),
              anonymous.post("notifications/read-all")):
        assert r.status_code == 401 and r.json()["error"] == "unauthenticated"
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_gives_messages_params_links_and_the_unread_count(api, worker, notify):
    older = notify(worker, dataset="Signs", version="1.0", link="/hub/1/")
    newer = notify(worker, dataset="Faces", version="2.0", link="/hub/2/")
    body = api(worker).get("notifications").json()
    assert body["unread"] == 2 and body["next_after"] is None
    first = body["notifications"][0]
    assert first["id"] == newer.pk and first["code"] == "hub.version_ready"
    assert first["message"] == "Version 2.0 of “Faces” is ready."
    assert first["params"] == {"dataset": "Faces", "version": "2.0"}
    assert first["link"] == "/hub/2/" and first["read_at"] is None and first["created_at"]
    assert body["notifications"][1]["id"] == older.pk


def test_pages_continue_with_next_after_and_unread_filters(api, worker, notify):
    ids = [notify(worker).pk for _ in range(3)][::-1]
    client = api(worker)
    page = client.get("notifications?limit=2").json()
    assert [n["id"] for n in page["notifications"]] == ids[:2]
    page = client.get(f"notifications?limit=2&after={page['next_after']}").json()
    assert [n["id"] for n in page["notifications"]] == ids[2:] and page["next_after"] is None
    client.post(f"notifications/{ids[0]}/read")
    page = client.get("notifications?unread=true").json()
    assert [n["id"] for n in page["notifications"]] == ids[1:] and page["unread"] == 2


def test_reading_one_returns_it_read(api, worker, notify):
    n = notify(worker)
    r = api(worker).post(f"notifications/{n.pk}/read")
    assert r.status_code == 200 and r.json()["id"] == n.pk and r.json()["read_at"]
    assert api(worker).get("notifications").json()["unread"] == 0


def test_someone_elses_notification_is_404_and_stays_unread(api, worker, make_user, notify):
    n = notify(worker)
    stranger = api(make_user())
    r = stranger.post(f"notifications/{n.pk}/read")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert stranger.get("notifications").json() == {
        "notifications": [], "unread": 0, "next_after": None}
    assert api(worker).post("notifications/99999999999999999999999/read").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_read_all_counts_what_it_marked(api, worker, make_user, notify):
    for _ in range(2):
        notify(worker)
    theirs = notify(make_user())
    client = api(worker)
    assert client.post("notifications/read-all").json() == {"read": 2}
    assert client.post("notifications/read-all").json() == {"read": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_message_follows_the_request_language(api, worker, notify, monkeypatch):
    from django.utils import translation

    from datadam.notifications.messages import MESSAGES

    class Sentence:
        def __str__(self) -> str:
            if translation.get_language() == "ko":
                return "“%(dataset)s” %(version)s 버전이 준비되었습니다."
            return "Version %(version)s of “%(dataset)s” is ready."

    monkeypatch.setitem(MESSAGES, "hub.version_ready", Sentence())
    notify(worker, dataset="D", version="3")
    r = api(worker).get("notifications", headers={"Accept-Language": "ko"})
    assert r.json()["notifications"][0]["message"] == "“D” 3 버전이 준비되었습니다."


def test_odd_query_values_are_422_not_500(api, worker):
    client = api(worker)
    for query in ("limit=abc", "after=x", "unread=maybe"):
        r = client.get(f"notifications?{query}")
        assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    assert client.get("notifications?after=99999999999999999999999&limit=0").status_code == 200
