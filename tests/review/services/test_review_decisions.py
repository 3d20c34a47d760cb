"""Review decisions and the payments they trigger: approve, reject, return, auto-approve."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.projects.models import Item, ReviewPolicy
from datadam.review.models import Review
from datadam.review.services import review_decide, submissions_auto_approve
from datadam.rewards.models import LedgerTransaction
from datadam.work.models import Assignment, AssignmentStatus, Submission
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db


def test_approving_pays_the_worker_the_reward_and_the_reviewer_the_review_reward(
    make_project, worker, reviewer, do_work, balance_of, ledger_ok
):
    project = make_project(items=2, overlap=1, reward=10, review_reward=3)
    escrow = balance_of(project)
    submission = do_work(project, worker)

    review = review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")

    assert review.decision == "approve"
    assert balance_of(worker) == 10
    assert balance_of(reviewer) == 3
    assert balance_of(project) == escrow - 13
    submission.assignment.refresh_from_db()
    assert submission.assignment.status == AssignmentStatus.APPROVED
    assert submission.assignment.finished_at is not None
    ledger_ok()


def test_a_second_decision_on_the_same_submission_is_a_conflict_and_pays_nothing_more(
    make_project, worker, reviewer, make_user, do_work, balance_of, ledger_ok
):
    project = make_project(items=1, reward=10, review_reward=3)
    submission = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    txns = LedgerTransaction.objects.count()
    second = make_user(reviewer=True)

    for who, decision, reason in (
        (reviewer, "approve", ""),
        (second, "approve", ""),
        (second, "reject", "spam"),
        (second, "return", "incomplete"),
    ):
        with pytest.raises(Conflict):
            review_decide(
                reviewer=who, submission_id=submission.pk, decision=decision, reason_code=reason
            )

    assert Review.objects.filter(submission=submission).count() == 1
    assert LedgerTransaction.objects.count() == txns
    assert (balance_of(worker), balance_of(reviewer), balance_of(second)) == (10, 3, 0)
    ledger_ok()


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_reject_and_return_need_a_known_reason_code(
    make_project, worker, reviewer, do_work, decision
):
    project = make_project(items=1)
    submission = do_work(project, worker)
    for reason in ("", "because", "WRONG_ANSWER"):
        with pytest.raises(InvalidInput):
            review_decide(
                reviewer=reviewer,
                submission_id=submission.pk,
                decision=decision,
                reason_code=reason,
            )
    assert not Review.objects.exists()
    submission.assignment.refresh_from_db()
    assert submission.assignment.status == AssignmentStatus.SUBMITTED


def test_an_unknown_decision_or_reason_is_invalid(make_project, worker, reviewer, do_work):
    submission = do_work(make_project(items=1), worker)
    with pytest.raises(InvalidInput):
        review_decide(reviewer=reviewer, submission_id=submission.pk, decision="maybe")
    with pytest.raises(InvalidInput):
        review_decide(
            reviewer=reviewer, submission_id=submission.pk, decision="approve", reason_code="x"
        )
    assert not Review.objects.exists()


def test_rejecting_pays_only_the_reviewer_and_frees_the_slot_for_another_worker(
    make_project, worker, reviewer, make_user, do_work, balance_of, ledger_ok
):
    project = make_project(items=1, overlap=1, reward=10, review_reward=3)
    submission = do_work(project, worker)

    review_decide(
        reviewer=reviewer,
        submission_id=submission.pk,
        decision="reject",
        reason_code="wrong_answer",
        comment="not even close",
    )

    submission.assignment.refresh_from_db()
    assert submission.assignment.status == AssignmentStatus.REJECTED
    assert Item.objects.get(pk=submission.assignment.item_id).slots_open == 1
    assert (balance_of(worker), balance_of(reviewer)) == (0, 3)
    assert assignment_claim(worker=worker, project_id=project.pk) is None
    replacement = make_user()
    assert assignment_claim(worker=replacement, project_id=project.pk).item_id == (
        submission.assignment.item_id
    )
    ledger_ok()


def test_a_returned_answer_goes_back_to_its_worker_who_resubmits_a_new_revision(
    make_project, worker, reviewer, make_user, do_work, balance_of, ledger_ok
):
    project = make_project(items=1, overlap=1, reward=10, review_reward=3)
    first = do_work(project, worker, {"label": "neg"})

    review_decide(
        reviewer=reviewer,
        submission_id=first.pk,
        decision="return",
        reason_code="guidelines",
        comment="see rule 2",
    )

    assignment = Assignment.objects.get(pk=first.assignment_id)
    assert assignment.status == AssignmentStatus.RETURNED
    assert assignment.revisions == 1
    assert assignment.returned_at is not None
    # The slot stays with the same worker: nobody else can take the item meanwhile.
    assert Item.objects.get(pk=assignment.item_id).slots_open == 0
    assert assignment_claim(worker=make_user(), project_id=project.pk) is None
    assert balance_of(reviewer) == 3

    second, created = assignment_submit(
        worker=worker, assignment_id=assignment.pk, answer={"label": "pos"}
    )

    assert created and second.pk != first.pk
    assert second.revision == 1
    assert [s.revision for s in Submission.objects.filter(assignment=assignment)] == [0, 1]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    # The old revision can no longer be decided; the new one can.
    with pytest.raises(Conflict):
        review_decide(reviewer=reviewer, submission_id=first.pk, decision="approve")
    review_decide(reviewer=reviewer, submission_id=second.pk, decision="approve")
    assert balance_of(worker) == 10
    assert balance_of(reviewer) == 6
    ledger_ok()


def test_a_returned_answer_cannot_be_decided_before_it_is_resubmitted(
    make_project, worker, reviewer, do_work
):
    submission = do_work(make_project(items=1), worker)
    review_decide(
        reviewer=reviewer, submission_id=submission.pk, decision="return", reason_code="other"
    )
    with pytest.raises(Conflict):
        review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")


def test_a_revision_long_after_the_return_is_accepted(make_project, worker, reviewer, do_work):
    submission = do_work(make_project(items=1), worker)
    review_decide(
        reviewer=reviewer, submission_id=submission.pk, decision="return", reason_code="other"
    )
    Assignment.objects.filter(pk=submission.assignment_id).update(
        returned_at=timezone.now() - timedelta(days=40)
    )
    revision, created = assignment_submit(
        worker=worker, assignment_id=submission.assignment_id, answer={"label": "neu"}
    )
    assert created
    assert revision.duration_ms > 0


def test_nobody_reviews_their_own_work(make_project, make_user, do_work):
    project = make_project(items=1)
    reviewing_worker = make_user(reviewer=True)
    submission = do_work(project, reviewing_worker)
    with pytest.raises(PermissionDenied):
        review_decide(reviewer=reviewing_worker, submission_id=submission.pk, decision="approve")
    assert not Review.objects.exists()


def test_workers_without_the_reviewer_role_and_other_organizations_cannot_review(
    make_project, worker, make_user, make_client_org, do_work
):
    submission = do_work(make_project(items=1), worker)
    outsider, _ = make_client_org()
    for who in (make_user(), outsider):
        with pytest.raises(NotFound):
            review_decide(reviewer=who, submission_id=submission.pk, decision="approve")
    assert not Review.objects.exists()


def test_the_client_reviews_its_own_project_without_earning_the_review_reward(
    client_org, make_project, worker, do_work, balance_of, ledger_ok
):
    project = make_project(items=1, reward=10, review_reward=3)
    submission = do_work(project, worker)
    review_decide(reviewer=client_org[0], submission_id=submission.pk, decision="approve")
    assert balance_of(worker) == 10
    assert balance_of(project) == 3  # the unused review reward stays in escrow
    ledger_ok()


def test_a_missing_submission_is_not_found(reviewer):
    with pytest.raises(NotFound):
        review_decide(reviewer=reviewer, submission_id=123456, decision="approve")


def test_pay_beyond_the_funded_budget_is_drawn_from_the_organization(
    client_org, make_project, make_user, reviewer, do_work, balance_of, ledger_ok
):
    _, org = client_org
    project = make_project(items=1, overlap=1, reward=10, review_reward=3)
    rejected = do_work(project, make_user())
    review_decide(
        reviewer=reviewer, submission_id=rejected.pk, decision="reject", reason_code="spam"
    )
    org_before = balance_of(org)
    approved_worker = make_user()
    approved = do_work(project, approved_worker)

    review_decide(reviewer=reviewer, submission_id=approved.pk, decision="approve")

    assert balance_of(approved_worker) == 10
    assert balance_of(reviewer) == 6
    assert balance_of(project) == 0
    assert balance_of(org) == org_before - 3
    ledger_ok()


# --- Auto-approval --------------------------------------------------------------------------
def _age(submission, hours):
    Assignment.objects.filter(pk=submission.assignment_id).update(
        submitted_at=timezone.now() - timedelta(hours=hours)
    )


def test_auto_approval_approves_only_submissions_older_than_the_projects_delay(
    make_project, make_user, do_work, balance_of, ledger_ok
):
    project = make_project(
        items=3, reward=10, review_reward=3, review_policy=ReviewPolicy.AUTO, auto_approve_hours=24
    )
    old_worker, young_worker = make_user(), make_user()
    old = do_work(project, old_worker)
    young = do_work(project, young_worker)
    _age(old, 25)
    _age(young, 23)

    assert submissions_auto_approve() == 1

    old_review = Review.objects.get(submission=old)
    assert old_review.automatic and old_review.reviewer is None
    assert not Review.objects.filter(submission=young).exists()
    assert balance_of(old_worker) == 10
    assert balance_of(young_worker) == 0
    ledger_ok()


def test_auto_approval_run_twice_pays_once(make_project, worker, do_work, balance_of, ledger_ok):
    project = make_project(
        items=1, reward=10, review_policy=ReviewPolicy.AUTO, auto_approve_hours=1
    )
    submission = do_work(project, worker)
    _age(submission, 2)

    assert submissions_auto_approve() == 1
    assert submissions_auto_approve() == 0

    assert Review.objects.filter(submission=submission).count() == 1
    assert balance_of(worker) == 10
    assert LedgerTransaction.objects.filter(kind="pay").count() == 1
    ledger_ok()


def test_auto_approval_leaves_manual_projects_and_decided_work_alone(
    make_project, make_user, reviewer, do_work, balance_of
):
    manual = make_project(items=1, review_policy=ReviewPolicy.MANUAL)
    auto = make_project(items=2, review_policy=ReviewPolicy.AUTO, auto_approve_hours=1)
    waiting = do_work(manual, make_user())
    rejected = do_work(auto, make_user())
    review_decide(
        reviewer=reviewer, submission_id=rejected.pk, decision="reject", reason_code="spam"
    )
    for s in (waiting, rejected):
        _age(s, 1000)

    assert submissions_auto_approve() == 0
    assert Review.objects.count() == 1


def test_auto_approval_uses_the_time_of_the_latest_revision(
    make_project, worker, reviewer, do_work
):
    project = make_project(items=1, review_policy=ReviewPolicy.AUTO, auto_approve_hours=5)
    first = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=first.pk, decision="return", reason_code="other")
    assignment_submit(worker=worker, assignment_id=first.assignment_id, answer={"label": "neg"})

    assert submissions_auto_approve(now=timezone.now() + timedelta(hours=4)) == 0
    assert submissions_auto_approve(now=timezone.now() + timedelta(hours=6)) == 1
    latest = Submission.objects.get(assignment_id=first.assignment_id, revision=1)
    assert latest.review.automatic


def test_auto_approval_is_limited_per_run(make_project, make_user, do_work):
    project = make_project(items=3, review_policy=ReviewPolicy.AUTO, auto_approve_hours=0)
    for _ in range(3):
        do_work(project, make_user())
    assert submissions_auto_approve(limit=2) == 2
    assert submissions_auto_approve(limit=2) == 1
