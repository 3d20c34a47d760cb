"""The inbox pages through the test client: the list, opening (local links only), "Mark all
as read", paging, sign-in, and the header's bell with its unread count."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.notifications.models import Notification
from datadam.notifications.views import local_link

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bell(html: str) -> str:
    match = re.search(r'<a class="bell".*?</a>', html, re.S)
    assert match, "no notification bell in the header"
    return match.group(0)


def test_signed_out_the_inbox_sends_to_log_in_and_no_bell_shows(worker, notify):
    n = notify(worker)
    client = Client()
    for url in ("/notifications/", f"/notifications/{n.pk}/open"):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.post("/notifications/read-all").status_code == 302
    assert 'class="bell"' not in client.get("/accounts/login/").content.decode()
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_the_inbox_lists_mine_newest_first_with_the_unread_marked(worker, make_user, notify):
    read = notify(worker, dataset="Old set")
    unread = notify(worker, dataset="New set")
    Notification.objects.filter(pk=read.pk).update(read_at=unread.created_at)
    notify(make_user(), dataset="Not mine")
    html = signed_in(worker).get("/notifications/").content.decode()
    assert html.index("“New set”") < html.index("“Old set”")
    assert "Not mine" not in html
    assert re.search(rf'id="notification-{unread.pk}" data-unread', html)
    assert not re.search(rf'id="notification-{read.pk}" data-unread', html)
    assert f'href="/notifications/{unread.pk}/open"' in html
    assert "Mark all as read" in html


def test_an_empty_inbox_says_so_without_a_mark_all_button(worker):
    html = signed_in(worker).get("/notifications/").content.decode()
    assert "You have no notifications yet." in html and "Mark all as read" not in html


def test_opening_marks_read_and_follows_a_local_link(worker, notify):
    n = notify(worker, link="/work/?project=3")
    r = signed_in(worker).get(f"/notifications/{n.pk}/open")
    assert r.status_code == 302 and r["Location"] == "/work/?project=3"
    assert Notification.objects.get(pk=n.pk).read_at is not None


@pytest.mark.parametrize("link", [
    "", "https://evil.test/", "//evil.test/", "/\\evil.test/", "/\t/evil.test",
    "javascript:alert(1)", "work/", "http:/evil.test",
])
def test_opening_never_redirects_off_the_site(worker, notify, link):
    n = notify(worker, link=link)
    r = signed_in(worker).get(f"/notifications/{n.pk}/open")
    assert r.status_code == 302 and r["Location"] == "/notifications/"
    assert Notification.objects.get(pk=n.pk).read_at is not None
    assert not local_link(link)


def test_opening_someone_elses_notification_is_404(worker, make_user, notify):
    n = notify(worker)
    assert signed_in(make_user()).get(f"/notifications/{n.pk}/open").status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_mark_all_as_read_is_a_post_that_reads_all_of_mine(worker, make_user, notify):
    for _ in range(2):
        notify(worker)
    theirs = notify(make_user())
    client = signed_in(worker)
    assert client.get("/notifications/read-all").status_code == 405
    r = client.post("/notifications/read-all", follow=True)
    assert "Marked 2 notifications as read." in r.content.decode()
    assert not Notification.objects.filter(user=worker, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_older_pages_follow_the_keyset(worker, notify):
    from datadam.notifications import views

    sent = [notify(worker, dataset=f"Set {i}") for i in range(views.PAGE + 2)]
    client = signed_in(worker)
    first = client.get("/notifications/").content.decode()
    assert "“Set 51”" in first and "“Set 1”" not in first
    match = re.search(r'href="\?after=(\d+)" rel="next"', first)
    assert match and int(match.group(1)) == sent[2].pk
    older = client.get(f"/notifications/?after={match.group(1)}").content.decode()
    assert "“Set 1”" in older and "“Set 0”" in older and "“Set 2”" not in older
    assert 'rel="next"' not in older and "Back to the start" in older
    assert client.get("/notifications/?after=junk").status_code == 200


def test_the_bell_shows_the_unread_count_on_every_page(worker, notify):
    client = signed_in(worker)
    header = bell(client.get("/work/").content.decode())
    assert 'aria-label="Notifications"' in header and "unread-count" not in header
    for _ in range(3):
        notify(worker)
    response = client.get("/work/")
    assert response.context["unread_notifications"] == 3
    header = bell(response.content.decode())
    assert 'aria-label="Notifications, 3 unread"' in header
    assert re.search(r'id="unread-count"[^>]*>3</span>', header)
    client.post("/notifications/read-all")
    assert "unread-count" not in bell(client.get("/work/").content.decode())


def test_the_bell_caps_a_large_count(worker):
    Notification.objects.bulk_create(
        Notification(user=worker, code="hub.version_ready") for _ in range(120)
    )
    header = bell(signed_in(worker).get("/notifications/").content.decode())
    assert re.search(r'id="unread-count"[^>]*>99\+</span>', header)
    assert 'aria-label="Notifications, 120 unread"' in header
    assert 'aria-current="page"' in header


def test_a_page_without_the_header_does_not_count(worker, notify, django_assert_num_queries):
    from django.template import engines
    from django.test import RequestFactory

    notify(worker)
    request = RequestFactory().get("/")
    request.user = worker
    fragment = engines["django"].from_string("<p>{{ user.email }}</p>")
    with django_assert_num_queries(0):
        fragment.render({}, request)
    with django_assert_num_queries(1):
        html = engines["django"].from_string(
            "{% if unread_notifications %}{{ unread_notifications }}{% endif %}"
            "/{{ unread_notifications }}").render({}, request)
    assert html == "1/1"
