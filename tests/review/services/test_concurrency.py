"""Review decisions racing in real threads: one decision, one payment (PostgreSQL only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from datadam.errors import Conflict
from datadam.projects.models import Item, ReviewPolicy
from datadam.review.models import Review
from datadam.review.services import review_decide, submissions_auto_approve
from datadam.rewards.models import LedgerTransaction
from datadam.work.models import Assignment, AssignmentStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers and row locks: run with DATABASE_URL=postgres://…",
    ),
]


def test_many_reviewers_approving_one_submission_at_once_pay_exactly_once(
    make_project, worker, make_user, do_work, race, balance_of, ledger_ok
):
    project = make_project(items=1, reward=10, review_reward=3)
    submission = do_work(project, worker)
    reviewers = [make_user(reviewer=True) for _ in range(12)]

    results = race(
        len(reviewers),
        lambda i: review_decide(
            reviewer=reviewers[i], submission_id=submission.pk, decision="approve"
        ),
    )

    won = [r for r in results if isinstance(r, Review)]
    assert len(won) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Review)), results
    assert Review.objects.filter(submission=submission).count() == 1
    assert balance_of(worker) == 10
    assert sum(balance_of(r) for r in reviewers) == 3
    assert balance_of(won[0].reviewer) == 3
    assert LedgerTransaction.objects.filter(kind="pay").count() == 2
    ledger_ok()


def test_one_reviewer_double_clicking_approve_pays_once(
    make_project, worker, reviewer, do_work, race, balance_of, ledger_ok
):
    project = make_project(items=1, reward=10, review_reward=3)
    submission = do_work(project, worker)

    results = race(
        8,
        lambda i: review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve"),
    )

    assert sum(isinstance(r, Review) for r in results) == 1
    assert (balance_of(worker), balance_of(reviewer)) == (10, 3)
    ledger_ok()


def test_reject_and_approve_at_once_exactly_one_wins(
    make_project, worker, make_user, do_work, race, balance_of, ledger_ok
):
    project = make_project(items=1, overlap=1, reward=10, review_reward=3)
    submission = do_work(project, worker)
    reviewers = [make_user(reviewer=True) for _ in range(10)]

    def decide(i):
        if i % 2:
            return review_decide(
                reviewer=reviewers[i],
                submission_id=submission.pk,
                decision="reject",
                reason_code="wrong_answer",
            )
        return review_decide(reviewer=reviewers[i], submission_id=submission.pk, decision="approve")

    results = race(len(reviewers), decide)

    won = [r for r in results if isinstance(r, Review)]
    assert len(won) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Review))
    assignment = Assignment.objects.get(pk=submission.assignment_id)
    item = Item.objects.get(pk=assignment.item_id)
    if won[0].decision == "approve":
        assert assignment.status == AssignmentStatus.APPROVED
        assert (balance_of(worker), item.slots_open) == (10, 0)
    else:
        assert assignment.status == AssignmentStatus.REJECTED
        assert (balance_of(worker), item.slots_open) == (0, 1)
    assert sum(balance_of(r) for r in reviewers) == 3
    ledger_ok()


def test_auto_approval_racing_reviewers_and_itself_decides_once(
    make_project, worker, make_user, do_work, race, balance_of, ledger_ok
):
    project = make_project(
        items=1, reward=10, review_reward=3, review_policy=ReviewPolicy.AUTO, auto_approve_hours=1
    )
    submission = do_work(project, worker)
    Assignment.objects.filter(pk=submission.assignment_id).update(
        submitted_at=timezone.now() - timedelta(hours=2)
    )
    reviewers = [make_user(reviewer=True) for _ in range(4)]

    def act(i):
        if i < 4:
            return submissions_auto_approve()
        return review_decide(
            reviewer=reviewers[i - 4],
            submission_id=submission.pk,
            decision="reject",
            reason_code="spam",
        )

    results = race(8, act)

    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)]
    assert Review.objects.filter(submission=submission).count() == 1
    review = Review.objects.get(submission=submission)
    assert balance_of(worker) == (10 if review.decision == "approve" else 0)
    assert sum(r for r in results if isinstance(r, int)) == (1 if review.automatic else 0)
    ledger_ok()
