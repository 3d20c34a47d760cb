"""The numbers behind the console: throughput per hour, ETA, balances, the project list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.accounts.models import Membership, Organization, Role
from datadam.projects.selectors import (
    organization_balances,
    project_dashboard,
    projects_overview,
    submissions_per_hour,
)
from datadam.projects.services import project_pause
from datadam.review.services import review_decide
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db


def age(submission, hours: float) -> None:
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_submissions_are_counted_in_their_clock_hour(make_project, make_user, do_work):
    project = make_project(items=5)
    now = timezone.now()
    subs = [do_work(project, make_user(Role.WORKER)) for _ in range(4)]
    age(subs[0], 3)
    age(subs[1], 30)  # outside the window
    series = submissions_per_hour(project=project, hours=24, now=now)
    assert len(series) == 24
    assert series[-1][0] == now.replace(minute=0, second=0, microsecond=0)
    assert series[-1][1] == 2
    three_ago = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    assert dict(series)[three_ago] == 1
    assert sum(n for _hour, n in series) == 3


def test_submissions_of_other_projects_are_not_counted(make_project, make_user, do_work):
    mine, other = make_project(), make_project()
    do_work(other, make_user(Role.WORKER))
    assert sum(n for _h, n in submissions_per_hour(project=mine)) == 0


def test_eta_divides_the_answers_left_by_the_rate_since_launch(make_project, make_user, do_work):
    project = make_project(items=10, overlap=1)
    for _ in range(4):
        do_work(project, make_user(Role.WORKER))
    now = timezone.now()
    project.launched_at = now - timedelta(hours=2)
    board = project_dashboard(project=project, now=now)
    assert board["rate_per_hour"] == 2.0
    assert board["remaining"] == 6
    assert board["eta_hours"] == pytest.approx(3.0)
    assert board["eta_at"] == now + timedelta(hours=3)


def test_rates_and_eta_for_a_paused_project(client_org, make_project, make_user, do_work):
    project = make_project(items=3, overlap=1)
    reviewer = make_user(Role.WORKER, reviewer=True)
    a = do_work(project, make_user(Role.WORKER))
    b = do_work(project, make_user(Role.WORKER))
    review_decide(reviewer=reviewer, submission_id=a.pk, decision="approve")
    review_decide(reviewer=reviewer, submission_id=b.pk, decision="reject",
                  reason_code="wrong_answer")
    project = project_pause(user=client_org[0], project_id=project.pk)
    board = project_dashboard(project=project)
    assert (board["approval_rate"], board["rejection_rate"]) == (0.5, 0.5)
    # The rejected answer's slot is open again: two answers still to collect.
    assert board["remaining"] == 2
    assert board["eta_hours"] is None


def test_launch_cost_counts_only_unfunded_items(make_project):
    draft = make_project(items=4, overlap=2, reward=10, review_reward=5, launch=False)
    assert project_dashboard(project=draft)["launch_cost"] == 4 * 2 * 15
    live = make_project(items=4)
    assert project_dashboard(project=live)["launch_cost"] == 0


def test_balances_of_the_users_organizations(client_org, make_user):
    user, org = client_org
    empty = Organization.objects.create(name="Aardvark Labs")
    Membership.objects.create(organization=empty, user=user)
    Organization.objects.create(name="Not mine")
    rows = organization_balances(user=user)
    assert [(r["organization"].name, r["balance"]) for r in rows] == [
        ("Aardvark Labs", 0), (org.name, 1_000_000),
    ]


def test_project_list_counts_approvals_and_pay(client_org, make_project, make_user, do_work,
                                               make_client_org):
    user, _org = client_org
    project = make_project(items=2, overlap=2, reward=10, review_reward=3)
    make_project(owner=make_client_org())  # another organization's
    sub = do_work(project, make_user(Role.WORKER))
    review_decide(reviewer=make_user(Role.WORKER, reviewer=True), submission_id=sub.pk,
                  decision="approve")
    [row] = projects_overview(user=user)
    assert row["project"] == project
    assert (row["approved"], row["answers_wanted"], row["progress"]) == (1, 4, 0.25)
    assert (row["spent"], row["budget"]) == (13, 52)
    assert projects_overview(user=user, status="closed") == []
