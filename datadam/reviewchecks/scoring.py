"""A reviewer's accuracy on controls, with its confidence interval, and the demotion rule.

Accuracy is right decisions out of control decisions; the interval is the Wilson 95 % score
interval. A reviewer with at least ``MIN_CONTROLS`` controls in a project whose interval lies
wholly below ``MIN_ACCURACY`` (upper bound under the threshold: clearly below, not just
unlucky) loses the right to review that project; operators see the flag and the audit event.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from datadam.audit.services import audit_record
from datadam.datasets.accuracy import wilson_interval

from .models import ControlDecision, ReviewerBlock

MIN_CONTROLS = 10
MIN_ACCURACY = 0.7


def accuracy_row(total: int, correct: int) -> dict[str, Any]:
    low, high = wilson_interval(correct, total)
    return {
        "controls": total,
        "correct": correct,
        "accuracy": round(correct / total, 4) if total else None,
        "ci_low": round(low, 4),
        "ci_high": round(high, 4),
        "below_threshold": total >= MIN_CONTROLS and high < MIN_ACCURACY,
    }


def reviewer_accuracy(*, reviewer_id: int, project_id: int | None = None) -> dict[str, Any]:
    qs = ControlDecision.objects.filter(reviewer_id=reviewer_id)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    agg = qs.aggregate(n=Count("pk"), ok=Count("pk", filter=Q(correct=True)))
    return accuracy_row(agg["n"], agg["ok"])


def reviewer_evaluate(*, reviewer: Any, project: Any) -> ReviewerBlock | None:
    """Take the reviewer off the project when clearly below the threshold (once; audited).
    Runs inside the caller's transaction."""
    row = reviewer_accuracy(reviewer_id=reviewer.pk, project_id=project.pk)
    if not row["below_threshold"]:
        return None
    block, created = ReviewerBlock.objects.get_or_create(
        project=project, reviewer=reviewer,
        defaults={"accuracy": row["accuracy"], "controls": row["controls"]},
    )
    if created:
        audit_record(
            actor=None, action="reviewcheck.reviewer_removed", target=block,
            project_id=project.pk, organization_id=project.organization_id,
            data={"reviewer": reviewer.pk, **row},
        )
    return block
