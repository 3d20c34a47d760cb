"""Control answers in review batches: mixed in, scored, never applied or paid; demotion."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role
from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, NotFound
from datadam.review.models import Review
from datadam.review.selectors import batch_reviews, review_batch
from datadam.review.services import may_review, review_decide
from datadam.reviewchecks.controls import CONTROL_ID_BASE, parse_control_id
from datadam.reviewchecks.models import ControlDecision, ReviewerBlock
from datadam.reviewchecks.scoring import MIN_CONTROLS, reviewer_accuracy
from datadam.rewards.models import LedgerTransaction
from datadam.work.models import Assignment, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_project, mark_gold, make_user, do_work):
    """A project of 20 items, the first 12 gold; the reviewer (a worker) answered the gold
    items; another worker has 12 answers waiting."""
    project = make_project(items=20, overlap=2)
    reviewer = make_user(Role.WORKER, reviewer=True)
    for _ in range(12):
        do_work(project, reviewer)
    worker = make_user(Role.WORKER)
    waiting = [do_work(project, worker) for _ in range(12)]
    mark_gold(project, 12)
    return project, reviewer, waiting


def controls_in(batch):
    return [s for s in batch["submissions"] if s.pk >= CONTROL_ID_BASE]


def test_controls_are_mixed_in_stably_and_look_like_work(setup):
    project, reviewer, waiting = setup
    batch = review_batch(reviewer=reviewer, project=project)
    controls = controls_in(batch)
    assert len(controls) == 1
    assert len(batch["submissions"]) == 13
    control = controls[0]
    item_id, good = parse_control_id(control.pk)
    assert control.assignment.item_id == item_id
    assert control.assignment.item.gold == {"label": "pos"}
    assert control.answer == ({"label": "pos"} if good else {"label": "neg"})
    assert control.assignment.worker_id == waiting[0].assignment.worker_id
    again = review_batch(reviewer=reviewer, project=project)
    assert [s.pk for s in again["submissions"]] == [s.pk for s in batch["submissions"]]


def test_no_controls_from_gold_the_reviewer_could_still_be_given(make_project, mark_gold,
                                                                  make_user, do_work):
    project = make_project(items=10, overlap=2)
    reviewer = make_user(Role.WORKER, reviewer=True)
    worker = make_user(Role.WORKER)
    for _ in range(5):
        do_work(project, worker)
    mark_gold(project, 3)
    assert controls_in(review_batch(reviewer=reviewer, project=project)) == []


def test_a_control_decision_is_scored_not_applied_and_not_paid(setup, balance_of):
    project, reviewer, _waiting = setup
    control = controls_in(review_batch(reviewer=reviewer, project=project))[0]
    _item, good = parse_control_id(control.pk)
    counts = (Review.objects.count(), Submission.objects.count(),
              LedgerTransaction.objects.count(), balance_of(reviewer))
    review = review_decide(reviewer=reviewer, submission_id=control.pk, decision="approve")
    assert review.decision == "approve" and review.submission_id == control.pk
    assert counts == (Review.objects.count(), Submission.objects.count(),
                      LedgerTransaction.objects.count(), balance_of(reviewer))
    row = ControlDecision.objects.get(reviewer=reviewer)
    assert row.correct is good
    assert AuditEvent.objects.filter(action="reviewcheck.control_decided").count() == 1
    with pytest.raises(Conflict):
        review_decide(reviewer=reviewer, submission_id=control.pk, decision="approve")
    decided = batch_reviews(project=project, submission_ids=[control.pk], reviewer=reviewer)
    assert decided[control.pk].decision == "approve"
    # The decided control leaves the batch; the next one takes its place.
    assert control.pk not in [s.pk for s in review_batch(reviewer=reviewer,
                                                         project=project)["submissions"]]


def test_someone_else_cannot_decide_a_control_they_were_not_given(setup, make_user):
    project, reviewer, _waiting = setup
    control = controls_in(review_batch(reviewer=reviewer, project=project))[0]
    stranger = make_user(Role.WORKER, reviewer=True)
    with pytest.raises(NotFound):
        review_decide(reviewer=stranger, submission_id=control.pk, decision="approve")
    with pytest.raises(NotFound):
        review_decide(reviewer=reviewer, submission_id=CONTROL_ID_BASE + 10**9,
                      decision="approve")


def test_a_reviewer_clearly_below_the_threshold_loses_the_project(setup):
    project, reviewer, _waiting = setup
    for _ in range(MIN_CONTROLS):
        batch = review_batch(reviewer=reviewer, project=project)
        control = controls_in(batch)[0]
        _item, good = parse_control_id(control.pk)
        wrong = {"decision": "reject", "reason_code": "wrong_answer"} if good else {
            "decision": "approve"}
        review_decide(reviewer=reviewer, submission_id=control.pk, **wrong)
    acc = reviewer_accuracy(reviewer_id=reviewer.pk, project_id=project.pk)
    assert acc["controls"] == MIN_CONTROLS and acc["accuracy"] == 0.0
    assert acc["below_threshold"] and acc["ci_high"] < 0.7
    assert ReviewerBlock.objects.filter(project=project, reviewer=reviewer).exists()
    assert AuditEvent.objects.filter(action="reviewcheck.reviewer_removed").count() == 1
    assert not may_review(reviewer, project)
    real = Submission.objects.filter(assignment__project=project,
                                     assignment__status="submitted").first()
    with pytest.raises(NotFound):
        review_decide(reviewer=reviewer, submission_id=real.pk, decision="approve")


def test_a_good_reviewer_keeps_the_project_and_work_is_untouched(setup):
    project, reviewer, waiting = setup
    statuses = list(Assignment.objects.order_by("pk").values_list("status", flat=True))
    for _ in range(MIN_CONTROLS):
        control = controls_in(review_batch(reviewer=reviewer, project=project))[0]
        _item, good = parse_control_id(control.pk)
        right = {"decision": "approve"} if good else {"decision": "return",
                                                      "reason_code": "wrong_answer"}
        review_decide(reviewer=reviewer, submission_id=control.pk, **right)
    assert reviewer_accuracy(reviewer_id=reviewer.pk)["accuracy"] == 1.0
    assert not ReviewerBlock.objects.exists()
    assert list(Assignment.objects.order_by("pk").values_list("status", flat=True)) == statuses
