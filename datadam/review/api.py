"""API: reviewers take a worker's batch and decide on each submission."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.errors import DomainError, NotFound
from datadam.projects.models import Project
from datadam.reviewchecks.controls import parse_control_id

from . import services
from .models import Review
from .selectors import review_batch, review_projects

router = Router(tags=["review"])


def _assignment_of(review: Review) -> int:
    """The assignment a decided submission belongs to. A control answer is no worker's: its
    card's made-up assignment carries the control's own id, as the batch shows it."""
    if parse_control_id(review.submission_id):
        return review.submission_id
    return review.submission.assignment_id


class QueueOut(Schema):
    project_id: int
    name: str
    kind: str
    pending: int


class BatchItemOut(Schema):
    submission_id: int
    assignment_id: int
    item_id: int
    revision: int
    data: Any
    answer: Any
    duration_ms: int
    submitted_at: datetime


class BatchOut(Schema):
    project_id: int
    worker_id: int | None
    submissions: list[BatchItemOut]


class ReviewDecisionIn(Schema):
    decision: str
    reason_code: str = ""
    comment: str = ""


class DecisionOut(Schema):
    id: int
    submission_id: int
    assignment_id: int  # the answer's number, as the worker's My work and ledger show it
    decision: str
    reason_code: str
    comment: str
    created_at: datetime

    @staticmethod
    def resolve_assignment_id(obj: Review) -> int:
        return _assignment_of(obj)


class BatchDecisionIn(ReviewDecisionIn):
    submission_id: int


class BatchDecisionsIn(Schema):
    decisions: list[BatchDecisionIn]


class BatchResultOut(Schema):
    submission_id: int
    assignment_id: int | None = None
    ok: bool
    decision: str | None = None
    error: str | None = None
    message: str | None = None


@router.get("/review/queue", response=list[QueueOut])
def queue(request: HttpRequest):
    """Projects with submissions awaiting review."""
    return [
        {
            "project_id": row["project"].pk,
            "name": row["project"].name,
            "kind": row["project"].kind,
            "pending": row["pending"],
        }
        for row in review_projects(reviewer=request.auth)
        if row["pending"]
    ]


@router.get("/review/projects/{project_id}/batch", response=BatchOut)
def batch(request: HttpRequest, project_id: int, limit: int = 50):
    """The oldest waiting worker's submissions in a project, together."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None or not services.may_review(request.auth, project):
        raise NotFound(_("project not found"))
    found = review_batch(reviewer=request.auth, project=project, limit=max(1, min(limit, 200)))
    return {
        "project_id": project.pk,
        "worker_id": found["worker_id"],
        "submissions": [
            {
                "submission_id": s.pk,
                "assignment_id": s.assignment_id,
                "item_id": s.assignment.item_id,
                "revision": s.revision,
                "data": s.assignment.item.data,
                "answer": s.answer,
                "duration_ms": s.duration_ms,
                "submitted_at": s.created_at,
            }
            for s in found["submissions"]
        ],
    }


@router.post("/submissions/{submission_id}/review", response={201: DecisionOut})
def decide(request: HttpRequest, submission_id: int, payload: ReviewDecisionIn):
    """Approve, reject (reason required) or return for revision (reason required)."""
    review = services.review_decide(
        reviewer=request.auth, submission_id=submission_id, **payload.dict()
    )
    return Status(201, review)


@router.post("/review/decisions", response=list[BatchResultOut])
def decide_many(request: HttpRequest, payload: BatchDecisionsIn):
    """Decide a whole batch; each decision stands or fails on its own."""
    results = []
    for d in payload.decisions[:500]:
        try:
            review = services.review_decide(
                reviewer=request.auth,
                submission_id=d.submission_id,
                decision=d.decision,
                reason_code=d.reason_code,
                comment=d.comment,
            )
            results.append({
                "submission_id": d.submission_id, "assignment_id": _assignment_of(review),
                "ok": True, "decision": review.decision,
            })
        except DomainError as exc:
            results.append(
                {
                    "submission_id": d.submission_id,
                    "ok": False,
                    "error": exc.code,
                    "message": exc.message,
                }
            )
    return results
