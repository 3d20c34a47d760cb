"""Review decisions and the payments they trigger (exactly once per submission)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.datasets.overlap import answer_recorded
from datadam.errors import Conflict, InsufficientFunds, InvalidInput, NotFound, PermissionDenied
from datadam.projects.models import Project, ProjectStatus, ReviewPolicy
from datadam.projects.services import project_settle, user_can_manage
from datadam.reviewchecks.controls import control_decide, reviewer_blocked
from datadam.rewards.memos import BEYOND_ESCROW
from datadam.rewards.models import Account
from datadam.rewards.services import (
    escrow_account,
    ledger_post,
    organization_account,
    worker_account,
)
from datadam.skills.services import skill_bonus_pay
from datadam.work.models import Assignment, AssignmentStatus, Submission
from datadam.work.services.leases import slot_return

from .models import Decision, ReasonCode, Review

AUTO_APPROVE_BATCH = 500


def may_review(user: Any, project: Project) -> bool:
    """Reviewers review any project; a client's members may review their own projects."""
    if not user.is_active or reviewer_blocked(user, project):
        return False
    return bool(user.is_reviewer or user.is_operator or user_can_manage(user, project))


def _pay(project: Project, to: Account, amount: int, key: str, actor: Any, memo: str) -> None:
    """Pay from the project's escrow; work beyond the funded budget (extra reviews after a
    rejection or a revision) is drawn from the client's account instead."""
    if amount <= 0:
        return
    try:
        ledger_post(
            key=key,
            kind="pay",
            legs=[(escrow_account(project), -amount), (to, amount)],
            actor=actor,
            project_id=project.pk,
            memo=memo,
        )
    except InsufficientFunds:
        ledger_post(
            key=key,
            kind="pay",
            legs=[(organization_account(project.organization), -amount), (to, amount)],
            actor=actor,
            project_id=project.pk,
            memo=memo + BEYOND_ESCROW,
        )


def _apply(*, assignment: Assignment, submission: Submission, review: Review, actor: Any) -> None:
    """Move the assignment to its new state and pay, inside the caller's transaction."""
    project = assignment.project
    now = timezone.now()
    decision = review.decision
    if decision == Decision.APPROVE:
        assignment.status = AssignmentStatus.APPROVED
        assignment.finished_at = now
        _pay(
            project,
            worker_account(assignment.worker),
            project.reward,
            f"submission:{submission.pk}:reward",
            actor,
            f"approved answer #{assignment.pk}",  # the answer as My work numbers it
        )
        skill_bonus_pay(assignment=assignment, submission=submission, actor=actor)
    elif decision == Decision.REJECT:
        assignment.status = AssignmentStatus.REJECTED
        assignment.finished_at = now
        slot_return(
            item_id=assignment.item_id, project_id=assignment.project_id, gold_reservation=False
        )
    else:
        assignment.status = AssignmentStatus.RETURNED
        assignment.returned_at = now
        assignment.revisions = F("revisions") + 1
    assignment.save(update_fields=["status", "finished_at", "returned_at", "revisions"])
    reviewer = review.reviewer
    if reviewer is not None and reviewer.is_worker:
        _pay(
            project,
            worker_account(reviewer),
            project.review_reward,
            f"submission:{submission.pk}:review",
            actor,
            f"review of answer #{assignment.pk}",
        )
    if project.status == ProjectStatus.CLOSED:
        project_settle(project=project, key=f"submission:{submission.pk}:settle", actor=actor)
    answer_recorded(assignment=assignment)


def review_decide(
    *,
    reviewer: Any,
    submission_id: int,
    decision: str,
    reason_code: str = "",
    comment: str = "",
) -> Review:
    """Approve, reject (with a reason) or return (with a reason) one submission.

    The one-review-per-submission unique key makes a second decision, even a concurrent
    one, fail with 409 and pay nothing; payments carry their own unique keys as well.
    """
    if decision not in Decision.values:
        raise InvalidInput(
            _("decision must be one of %(value)s")
            % {"value": ', '.join(Decision.values)}
        )
    if decision != Decision.APPROVE:
        if reason_code not in ReasonCode.values:
            raise InvalidInput(
                _(
                    "a %(decision)s needs reason_code, one of %(value)s"
                )
                % {"decision": decision, "value": ', '.join(ReasonCode.values)}
            )
    elif reason_code and reason_code not in ReasonCode.values:
        raise InvalidInput(
            _("unknown reason_code %(reason_code)s")
            % {"reason_code": repr(reason_code)}
        )
    # A control answer (reviewer checks) is scored, never applied to work or paid.
    if (control := control_decide(reviewer=reviewer, submission_id=submission_id,
                                  decision=decision, reason_code=reason_code,
                                  comment=comment)) is not None:
        return control
    with transaction.atomic():
        submission = (
            Submission.objects.select_related("assignment__project")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None:
            raise NotFound(_("submission not found"))
        project = submission.assignment.project
        if not may_review(reviewer, project):
            # Work the caller may not review looks the same as missing work.
            raise NotFound(_("submission not found"))
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("project", "worker")
            .get(pk=submission.assignment_id)
        )
        if assignment.worker_id == reviewer.pk:
            raise PermissionDenied(_("nobody reviews their own work"))
        if assignment.status != AssignmentStatus.SUBMITTED or (
            submission.revision != assignment.revisions
        ):
            raise Conflict(_("this submission is not awaiting review"))
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    submission=submission,
                    reviewer=reviewer,
                    decision=decision,
                    reason_code=reason_code,
                    comment=comment[:5000],
                )
        except IntegrityError:
            raise Conflict(_("this submission has already been reviewed")) from None
        _apply(assignment=assignment, submission=submission, review=review, actor=reviewer)
        audit_record(
            actor=reviewer,
            action=f"review.{decision}",
            target=submission,
            project_id=project.pk,
            organization_id=project.organization_id,
            data={"assignment": assignment.pk, "reason_code": reason_code},
        )
    return review


def review_automatic(
    *,
    assignment: Assignment,
    submission: Submission,
    decision: str,
    reason_code: str = "",
    comment: str = "",
) -> Review:
    """Decide a submission with no reviewer (a gold answer scored on submit).

    Inside the caller's transaction, with the assignment locked and awaiting review. The
    one-review-per-submission key and the payment keys make it happen once.
    """
    review = Review.objects.create(
        submission=submission,
        reviewer=None,
        decision=decision,
        reason_code=reason_code,
        comment=comment[:5000],
        automatic=True,
    )
    _apply(assignment=assignment, submission=submission, review=review, actor=None)
    audit_record(
        actor=None,
        action=f"review.auto_{decision}",
        target=submission,
        project_id=assignment.project_id,
        organization_id=assignment.project.organization_id,
        data={"assignment": assignment.pk, "reason_code": reason_code},
    )
    return review


def submissions_auto_approve(*, now: Any = None, limit: int = AUTO_APPROVE_BATCH) -> int:
    """Approve submissions left unreviewed past their project's delay (auto policy).

    Safe to run twice or in parallel: each approval is guarded by the same unique keys.
    """
    now = now or timezone.now()
    approved = 0
    projects = Project.objects.filter(review_policy=ReviewPolicy.AUTO).exclude(
        status=ProjectStatus.DRAFT
    )
    for project in projects.only("pk", "auto_approve_hours"):
        cutoff = now - timedelta(hours=project.auto_approve_hours)
        due = Assignment.objects.filter(
            project=project, status=AssignmentStatus.SUBMITTED, submitted_at__lte=cutoff
        ).values_list("pk", flat=True)[: limit - approved]
        for pk in list(due):
            with transaction.atomic():
                assignment = (
                    Assignment.objects.select_for_update(of=("self",))
                    .select_related("project", "worker")
                    .filter(pk=pk)
                    .first()
                )
                if assignment is None or assignment.status != AssignmentStatus.SUBMITTED:
                    continue
                submission = Submission.objects.get(
                    assignment=assignment, revision=assignment.revisions
                )
                try:
                    with transaction.atomic():
                        review = Review.objects.create(
                            submission=submission,
                            reviewer=None,
                            decision=Decision.APPROVE,
                            automatic=True,
                            comment="approved automatically after the delay",
                        )
                except IntegrityError:
                    continue
                _apply(assignment=assignment, submission=submission, review=review, actor=None)
                audit_record(
                    actor=None,
                    action="review.auto_approve",
                    target=submission,
                    project_id=project.pk,
                    organization_id=project.organization_id,
                )
                approved += 1
        if approved >= limit:
            break
    return approved
