"""API: reviewers' accuracy on control answers (their own; operators see everyone's)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import selectors, services
from .models import ReviewerBlock

router = Router(tags=["reviewer checks"])


class ScoreOut(Schema):
    reviewer_id: int
    project_id: int
    controls: int
    correct: int
    accuracy: float | None
    ci_low: float
    ci_high: float
    below_threshold: bool
    blocked: bool


class BlockOut(Schema):
    id: int
    reviewer_id: int
    project_id: int
    accuracy: float
    controls: int


def _out(rows: list[dict]) -> list[dict]:
    return [{**r, "reviewer_id": r["reviewer"].pk, "project_id": r["project"].pk}
            for r in rows if r["reviewer"] and r["project"]]


@router.get("/review-checks/me", response=list[ScoreOut])
def mine(request: HttpRequest):
    """Your accuracy on control answers per project, with a 95 % interval."""
    return _out(selectors.my_control_scores(reviewer=request.auth))


@router.get("/review-checks/reviewers", response=list[ScoreOut])
def everyone(request: HttpRequest):
    """Operators: every reviewer's accuracy; removed and below-threshold reviewers first."""
    return _out(selectors.all_control_scores(user=request.auth))


@router.get("/review-checks/blocks", response=list[BlockOut])
def blocks(request: HttpRequest):
    """Operators: reviewers taken off a project."""
    selectors.all_control_scores(user=request.auth, limit=0)
    return list(ReviewerBlock.objects.order_by("-pk")[:500])


@router.delete("/review-checks/blocks/{block_id}", response={204: None})
def lift(request: HttpRequest, block_id: int):
    """Operators: let the reviewer review the project again."""
    services.reviewer_block_lift(user=request.auth, block_id=block_id)
    return Status(204, None)
