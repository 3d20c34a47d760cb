"""Reads of reviewer checks: a reviewer's own accuracy, and every reviewer's for operators."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from datadam.accounts.models import User
from datadam.errors import PermissionDenied
from datadam.projects.models import Project

from .models import ControlDecision, ReviewerBlock
from .scoring import MIN_ACCURACY, MIN_CONTROLS, accuracy_row


def _rows(qs: Any) -> list[dict[str, Any]]:
    counts = list(
        qs.values("reviewer_id", "project_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(correct=True)))
        .order_by("reviewer_id", "project_id")
    )
    projects = Project.objects.in_bulk({r["project_id"] for r in counts})
    users = User.objects.in_bulk({r["reviewer_id"] for r in counts})
    blocks = set(ReviewerBlock.objects.values_list("reviewer_id", "project_id"))
    return [
        {
            "reviewer": users.get(r["reviewer_id"]),
            "project": projects.get(r["project_id"]),
            "blocked": (r["reviewer_id"], r["project_id"]) in blocks,
            **accuracy_row(r["n"], r["ok"]),
        }
        for r in counts
    ]


def my_control_scores(*, reviewer: Any) -> list[dict[str, Any]]:
    """The reviewer's accuracy on controls per project."""
    return _rows(ControlDecision.objects.filter(reviewer_id=reviewer.pk))


def all_control_scores(*, user: Any, limit: int = 500) -> list[dict[str, Any]]:
    """Operators: every reviewer's accuracy per project, flagged ones first."""
    if not user.is_operator:
        raise PermissionDenied(_("operators only"))
    rows = _rows(ControlDecision.objects.all())
    rows.sort(key=lambda r: (not r["blocked"], not r["below_threshold"], r["accuracy"] or 0))
    return rows[:limit]


def thresholds() -> dict[str, float]:
    return {"min_controls": MIN_CONTROLS, "min_accuracy": MIN_ACCURACY}
