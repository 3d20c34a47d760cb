"""The batch page's counters follow each decision: the htmx answer carries them, out of band,
as the database has them after the decision."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.projects.models import Item
from datadam.review.services import review_decide
from datadam.reviewchecks.controls import CONTROL_ID_BASE

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def oob(html: str, element_id: str) -> str:
    """The out-of-band element with this id in an htmx answer (it must be there)."""
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</\1>',
                      html, re.S)
    assert found, f"no out-of-band #{element_id} in the answer"
    return " ".join(found.group(2).split())


def test_each_decision_answers_with_the_new_waiting_and_history_counts(
    make_project, do_work, reviewer, worker
):
    project = make_project(items=5)
    subs = [do_work(project, worker) for _ in range(4)]
    client = signed_in(reviewer)
    ids = [s.pk for s in subs]
    page = client.get(f"/review/projects/{project.pk}/").content.decode()
    assert "4 answers waiting in this project" in page

    approved = client.post(f"/review/submissions/{subs[0].pk}/decide/",
                           {"decision": "approve", "ids": ids}, headers=HTMX).content.decode()
    assert oob(approved, "batch-waiting") == "3 answers waiting in this project"
    assert "1 approved" in oob(approved, "batch-history")
    assert "0 rejected" in oob(approved, "batch-history")

    rejected = client.post(
        f"/review/submissions/{subs[1].pk}/decide/",
        {"decision": "reject", "reason_code": "careless", "ids": ids}, headers=HTMX,
    ).content.decode()
    assert oob(rejected, "batch-waiting") == "2 answers waiting in this project"
    history = oob(rejected, "batch-history")
    assert "1 approved" in history and "1 rejected" in history and "0 returned" in history

    returned = client.post(
        f"/review/submissions/{subs[2].pk}/decide/",
        {"decision": "return", "reason_code": "incomplete", "ids": ids}, headers=HTMX,
    ).content.decode()
    assert oob(returned, "batch-waiting") == "1 answer waiting in this project"
    assert "1 returned" in oob(returned, "batch-history")


def test_the_counts_include_what_other_reviewers_decided_meanwhile(
    make_project, do_work, make_user, worker
):
    project = make_project(items=4)
    subs = [do_work(project, worker) for _ in range(3)]
    me, colleague = make_user(reviewer=True), make_user(reviewer=True)
    review_decide(reviewer=colleague, submission_id=subs[2].pk, decision="reject",
                  reason_code="spam")
    answer = signed_in(me).post(
        f"/review/submissions/{subs[0].pk}/decide/",
        {"decision": "approve", "ids": [s.pk for s in subs]}, headers=HTMX,
    ).content.decode()
    assert oob(answer, "batch-waiting") == "1 answer waiting in this project"
    assert "1 approved" in oob(answer, "batch-history")
    assert "1 rejected" in oob(answer, "batch-history")


def test_a_refused_decision_still_brings_the_current_counts(
    make_project, do_work, make_user, worker
):
    project = make_project(items=3)
    subs = [do_work(project, worker) for _ in range(2)]
    me, colleague = make_user(reviewer=True), make_user(reviewer=True)
    review_decide(reviewer=colleague, submission_id=subs[0].pk, decision="approve")
    response = signed_in(me).post(
        f"/review/submissions/{subs[0].pk}/decide/",
        {"decision": "approve", "ids": [s.pk for s in subs]}, headers=HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert oob(html, "batch-waiting") == "1 answer waiting in this project"
    assert "1 approved" in oob(html, "batch-history")


def test_approving_the_rest_answers_with_the_counts_after_all_approvals(
    make_project, do_work, make_user, reviewer, worker
):
    project = make_project(items=5)
    subs = [do_work(project, worker) for _ in range(3)]
    do_work(project, make_user(Role.WORKER))  # another worker's answer, still waiting
    answer = signed_in(reviewer).post(
        f"/review/projects/{project.pk}/approve-rest/", {"ids": [s.pk for s in subs]},
        headers=HTMX,
    ).content.decode()
    assert oob(answer, "batch-waiting") == "1 answer waiting in this project"
    assert "3 approved" in oob(answer, "batch-history")


def test_a_decided_control_answer_stops_counting_as_waiting_and_changes_no_history(
    make_project, make_user, do_work
):
    project = make_project(items=20, overlap=2)
    reviewer = make_user(Role.WORKER, reviewer=True)
    for _ in range(12):
        do_work(project, reviewer)
    worker = make_user(Role.WORKER)
    for _ in range(12):
        do_work(project, worker)
    ids = list(Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    Item.objects.filter(pk__in=ids[:12]).update(gold={"label": "pos"})
    client = signed_in(reviewer)
    page = client.get(f"/review/projects/{project.pk}/").content.decode()
    shown = [int(x) for x in re.findall(r'data-sub="(\d+)"', page)]
    control = next(pk for pk in shown if pk >= CONTROL_ID_BASE)
    assert "13 answers waiting in this project" in page
    answer = client.post(f"/review/submissions/{control}/decide/",
                         {"decision": "approve", "ids": shown}, headers=HTMX).content.decode()
    assert oob(answer, "batch-waiting") == "12 answers waiting in this project"
    history = oob(answer, "batch-history")
    assert "0 approved" in history and "0 rejected" in history


def test_the_queue_says_how_long_ago_in_words(make_project, do_work, reviewer, worker):
    from datetime import timedelta

    from django.utils import timezone

    from datadam.work.models import Assignment

    project = make_project(items=3)
    sub = do_work(project, worker)
    client = signed_in(reviewer)
    assert "Oldest sent just now" in client.get("/review/").content.decode()
    Assignment.objects.filter(pk=sub.assignment_id).update(
        submitted_at=timezone.now() - timedelta(hours=2, minutes=5))
    html = client.get("/review/").content.decode()
    assert "Oldest sent 2 hours ago" in html and "ago ago" not in html
