"""Every state change of the spine leaves an audit event naming its actor and action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.audit.models import AuditEvent
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import ReviewPolicy
from datadam.projects.services import project_close, project_launch, project_pause, project_update
from datadam.review.services import review_decide, submissions_auto_approve
from datadam.rewards.services import account_topup, payout_decide, payout_request
from datadam.work.models import Assignment
from datadam.work.services import assignment_claim, assignment_release, assignment_submit

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor_id", "action", "target_type", "target_id")
    )


def test_project_changes_are_recorded_with_their_actor(client_org, make_project):
    user, org = client_org
    project = make_project(items=0, launch=False)
    project_update(user=user, project_id=project.pk, name="Renamed")
    items_import(user=user, project_id=project.pk, lines=parse_records([{"text": "a"}]))
    project_launch(user=user, project_id=project.pk)
    project_pause(user=user, project_id=project.pk)
    project_launch(user=user, project_id=project.pk)
    project_close(user=user, project_id=project.pk)

    assert events(project_id=project.pk) == [
        (user.pk, action, "project", project.pk)
        for action in (
            "project.create",
            "project.update",
            "items.import",
            "project.launch",
            "project.pause",
            "project.resume",
            "project.close",
        )
    ]
    assert set(
        AuditEvent.objects.filter(project_id=project.pk).values_list("organization_id", flat=True)
    ) == {org.pk}
    launch = AuditEvent.objects.get(project_id=project.pk, action="project.launch")
    assert launch.data == {"funded": 1 * 1 * 12}
    close = AuditEvent.objects.get(project_id=project.pk, action="project.close")
    assert close.data == {"refund": 12}


def test_a_refused_change_leaves_no_event(make_client_org, make_project):
    from datadam.errors import InsufficientFunds

    user, org = make_client_org(credit=1)
    project = make_project(items=1, owner=(user, org), launch=False)
    before = AuditEvent.objects.count()
    with pytest.raises(InsufficientFunds):
        project_launch(user=user, project_id=project.pk)
    assert AuditEvent.objects.count() == before


def test_claim_release_submit_and_review_are_recorded(make_project, worker, reviewer):
    project = make_project(items=3)
    skipped = assignment_claim(worker=worker, project_id=project.pk)
    assignment_release(worker=worker, assignment_id=skipped.pk)
    a = assignment_claim(worker=worker, project_id=project.pk)
    s, _ = assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "pos"})
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="return", reason_code="other")
    s2, _ = assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": "neg"})
    review_decide(reviewer=reviewer, submission_id=s2.pk, decision="approve")

    assert events(project_id=project.pk, action__startswith="assignment") + events(
        project_id=project.pk, action__startswith="submission"
    ) + events(project_id=project.pk, action__startswith="review") == [
        (worker.pk, "assignment.claim", "assignment", skipped.pk),
        (worker.pk, "assignment.release", "assignment", skipped.pk),
        (worker.pk, "assignment.claim", "assignment", a.pk),
        (worker.pk, "submission.create", "submission", s.pk),
        (worker.pk, "submission.create", "submission", s2.pk),
        (reviewer.pk, "review.return", "submission", s.pk),
        (reviewer.pk, "review.approve", "submission", s2.pk),
    ]
    returned = AuditEvent.objects.get(action="review.return")
    assert returned.data == {"assignment": a.pk, "reason_code": "other"}


def test_auto_approval_is_recorded_without_an_actor(make_project, worker, do_work):
    project = make_project(items=1, review_policy=ReviewPolicy.AUTO, auto_approve_hours=1)
    s = do_work(project, worker)
    Assignment.objects.filter(pk=s.assignment_id).update(
        submitted_at=timezone.now() - timedelta(hours=2)
    )
    submissions_auto_approve()
    assert events(action="review.auto_approve") == [
        (None, "review.auto_approve", "submission", s.pk)
    ]


def test_money_movements_are_recorded(
    operator, make_client_org, make_project, worker, reviewer, do_work
):
    _, org = make_client_org(credit=0)
    account_topup(operator=operator, organization=org, amount=50, reference="ref-9")
    account_topup(operator=operator, organization=org, amount=50, reference="ref-9")
    assert events(action="ledger.topup", target_id=org.pk) == [
        (operator.pk, "ledger.topup", "organization", org.pk)
    ]

    s = do_work(make_project(items=2, reward=10), worker)
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    paid = payout_request(worker=worker, amount=4)
    refused = payout_request(worker=worker, amount=6)
    payout_decide(operator=operator, payout_id=paid.pk, paid=True)
    payout_decide(operator=operator, payout_id=refused.pk, paid=False, note="no")

    assert events(target_type="payout") == [
        (worker.pk, "payout.request", "payout", paid.pk),
        (worker.pk, "payout.request", "payout", refused.pk),
        (operator.pk, "payout.paid", "payout", paid.pk),
        (operator.pk, "payout.refused", "payout", refused.pk),
    ]
    assert AuditEvent.objects.get(action="payout.refused").data == {"amount": 6, "note": "no"}
