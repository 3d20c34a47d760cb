"""My work says what the worker did with each item (skipped, stopped, timed out) and how
long ago, as a person says it, in English and Korean."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from datadam.audit.models import AuditEvent
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_release
from datadam.work.templatetags.ago import ago

pytestmark = pytest.mark.django_db


def card(html: str, assignment_id: int) -> str:
    found = re.search(rf'<article class="sub" id="answer-{assignment_id}".*?</article>', html, re.S)
    assert found, f"no card for assignment {assignment_id}"
    return " ".join(found.group(0).split())


@pytest.fixture
def left(client, make_project, worker):
    """One item skipped with Skip, one left with Stop for now (through the pages)."""
    project = make_project(items=4)
    client.force_login(worker)
    skipped = assignment_claim(worker=worker, project_id=project.pk)
    client.post(f"/work/projects/{project.pk}/task/skip/", {"assignment": skipped.pk},
                headers={"HX-Request": "true"})
    stopped = Assignment.objects.get(worker=worker, status=AssignmentStatus.LEASED)
    client.post(f"/work/projects/{project.pk}/task/stop/", {"assignment": stopped.pk})
    return skipped, stopped


def test_skip_and_stop_are_recorded_apart(left):
    skipped, stopped = left
    assert Assignment.objects.get(pk=skipped.pk).status == AssignmentStatus.RELEASED
    assert Assignment.objects.get(pk=stopped.pk).status == AssignmentStatus.STOPPED
    # The last event of each assignment (its claim came first).
    actions = dict(AuditEvent.objects.filter(target_type="assignment").order_by("pk")
                   .values_list("target_id", "action"))
    assert actions[skipped.pk] == "assignment.release"
    assert actions[stopped.pk] == "assignment.stop"


def test_my_work_says_skipped_for_a_skip_and_stopped_for_stop_for_now(client, left):
    skipped, stopped = left
    html = client.get("/work/mine/").content.decode()
    assert "Skipped" in card(html, skipped.pk)
    assert "You skipped this item" in card(html, skipped.pk)
    assert "Stopped" in card(html, stopped.pk) and "Skipped" not in card(html, stopped.pk)
    assert "Stop for now" in card(html, stopped.pk)


def test_the_stopped_filter_lists_only_what_was_left_with_stop_for_now(client, left):
    skipped, stopped = left
    html = client.get("/work/mine/?status=stopped").content.decode()
    assert re.findall(r'data-assignment="(\d+)"', html) == [str(stopped.pk)]
    assert ">Stopped</a>" in html


def test_an_expired_lease_says_time_ran_out(client, make_project, worker):
    from datadam.work.services import leases_expire

    project = make_project(items=2)
    a = assignment_claim(worker=worker, project_id=project.pk)
    Assignment.objects.filter(pk=a.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    leases_expire(project_id=project.pk, limit=10)
    client.force_login(worker)
    assert "Time ran out" in card(client.get("/work/mine/").content.decode(), a.pk)


def test_a_task_taken_seconds_ago_says_just_now_not_0_minutes(client, make_project, worker):
    project = make_project(items=2)
    a = assignment_claim(worker=worker, project_id=project.pk)
    client.force_login(worker)
    shown = card(client.get("/work/mine/").content.decode(), a.pk)
    assert "Taken just now" in shown
    assert "0 minutes" not in shown


def test_times_are_counted_in_minutes_hours_and_days(client, make_project, worker, do_work):
    project = make_project(items=3)
    sub = do_work(project, worker)
    Assignment.objects.filter(pk=sub.assignment_id).update(
        submitted_at=timezone.now() - timedelta(minutes=3, seconds=20))
    client.force_login(worker)
    assert "Sent 3 minutes ago" in card(client.get("/work/mine/").content.decode(),
                                        sub.assignment_id)


@pytest.mark.parametrize(
    ("delta", "english", "korean"),
    [
        (timedelta(seconds=5), "just now", "방금"),
        (timedelta(minutes=1, seconds=5), "1 minute ago", "1분 전"),
        (timedelta(minutes=3), "3 minutes ago", "3분 전"),
        (timedelta(hours=1, minutes=59), "1 hour ago", "1시간 전"),
        (timedelta(hours=5), "5 hours ago", "5시간 전"),
        (timedelta(days=1, hours=2), "1 day ago", "1일 전"),
        (timedelta(days=12), "12 days ago", "12일 전"),
    ],
)
def test_how_long_ago_reads_right_in_both_languages(delta, english, korean):
    now = timezone.now()
    with translation.override("en"):
        assert ago(now - delta, now) == english
    with translation.override("ko"):
        assert ago(now - delta, now) == korean


def test_a_time_in_the_future_or_long_ago_reads_sensibly():
    now = timezone.now()
    assert ago(now + timedelta(seconds=3), now) == "just now"  # clocks a little apart
    assert ago(None) == ""
    old = ago(now - timedelta(days=90), now)
    assert "ago" not in old and str((now - timedelta(days=90)).year) in old


def test_my_work_reads_in_korean(make_project, worker):
    project = make_project(items=3)
    a = assignment_claim(worker=worker, project_id=project.pk)
    assignment_release(worker=worker, assignment_id=a.pk, stop=True)
    b = assignment_claim(worker=worker, project_id=project.pk)
    client = Client(headers={"Accept-Language": "ko"})
    client.force_login(worker)
    html = client.get("/work/mine/").content.decode()
    assert "방금 받음" in card(html, b.pk)
    assert "그만함" in card(html, a.pk)
