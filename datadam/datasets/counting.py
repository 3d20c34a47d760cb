"""Which answers count towards a project's delivered results: one rule, used everywhere.

The aggregation job, the export's ``result`` field, the dataset card, the dashboard and
acceptance samples all read answers through this module (see docs/results.md):

- Only an assignment's latest revision is an answer; earlier revisions were replaced.
- Rejected answers and answers returned for revision never count.
- Approved answers always count.
- Answers awaiting review count only where the review policy approves automatically
  (``auto``: they become approved unless a reviewer acts). A result that rests on one of
  them is *provisional* until it is decided. Where a reviewer checks every submission
  (``manual``) an answer counts only once approved.
- Gold items are control questions, never data. Every answer given to one (approved or
  rejected by the gold check alike) is evidence of its worker's skill: the skill model and
  the gold check read them all, or a gold check would only ever see the right answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from datadam.projects.models import Project, ReviewPolicy
from datadam.work.models import AssignmentStatus

__all__ = [
    "GOLD_EVIDENCE",
    "counted_statuses",
    "is_counted",
    "is_provisional",
    "read_statuses",
    "rule_summary",
]

#: Statuses of a gold item's answers that teach the skill model and enter the gold check.
GOLD_EVIDENCE = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.REJECTED)


def counted_statuses(project: Project) -> tuple[str, ...]:
    """Assignment statuses whose latest answer counts towards a data item's result."""
    if project.review_policy == ReviewPolicy.AUTO:
        return (AssignmentStatus.APPROVED, AssignmentStatus.SUBMITTED)
    return (AssignmentStatus.APPROVED,)


def read_statuses(project: Project, *, with_gold: bool) -> tuple[str, ...]:
    """Statuses to read from the database: the counted ones, and gold evidence if any."""
    counted = counted_statuses(project)
    if not with_gold:
        return counted
    return tuple(dict.fromkeys((*counted, *GOLD_EVIDENCE)))


def is_counted(status: str, *, gold: bool, counted: Iterable[str]) -> bool:
    """Whether an answer of this assignment status counts (``counted``: counted_statuses)."""
    return status in (GOLD_EVIDENCE if gold else counted)


def is_provisional(status: str) -> bool:
    """A counted answer still awaiting review makes its item's result provisional."""
    return status == AssignmentStatus.SUBMITTED


def rule_summary(project: Project) -> dict[str, Any]:
    """The rule as the dataset card states it."""
    counted = counted_statuses(project)
    return {
        "review_policy": project.review_policy,
        "counted": list(counted),
        "provisional": AssignmentStatus.SUBMITTED in counted,
        "never": [AssignmentStatus.REJECTED, AssignmentStatus.RETURNED],
    }
