"""Dynamic overlap: give an item one more answer slot while its posterior is below target.

Called after every answer and review decision (``answer_recorded``) with constant work: only
that item's answers (at most ``max_answers`` rows) and the stored estimates of their workers.
The posterior is the one-coin model: a worker with accuracy ``a`` gives the true label with
probability ``a`` and each other label with ``(1 - a) / (K - 1)``; uniform class prior.
Multi-label items: the same model with K = 2 for every label (yes/no), the item's confidence
being the minimum over labels of ``max(p, 1 - p)``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.rawsql import table
from datadam.work.models import SLOT_HOLDING, Assignment, AssignmentStatus, Submission

from .current import estimates_of, posterior_result
from .fusion import item_fusion

#: Answers dynamic overlap judges an item by: approved and still awaiting review, whatever the
#: review policy. This schedules work (whether to ask for one more answer) without waiting for
#: review; a rejection gives the slot back (``slot_return``) and the item is judged again. What
#: a delivered result counts is ``counting``'s rule, not this.
LIVE_ANSWERS = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


def aggregatable(project: Project) -> bool:
    """The platform aggregates every classification project (single- and multi-label) and
    every project whose kind fuses each item's answers (shapes, points, text)."""
    config = project.config or {}
    return not get_kind(project.kind).crowd_labels or bool(config.get("labels"))


def item_confidence(project: Project, item_id: int) -> tuple[float, int]:
    """(confidence, answers) of one item from its live answers, from the database.

    Single-label: the posterior of the most likely label; multi-label: the minimum over labels
    of max(p, 1 - p). Constant work per item: its answers and their workers' estimates.
    """
    rows = list(
        Submission.objects.filter(
            assignment__item_id=item_id,
            assignment__status__in=LIVE_ANSWERS,
            revision=F("assignment__revisions"),
        ).values_list("assignment__worker_id", "answer")
    )
    if not rows:
        return 0.0, 0
    kind = get_kind(project.kind)
    estimates = estimates_of(project, (w for w, _ in rows))
    if not kind.crowd_labels:
        fused = item_fusion(kind, project.config, rows, estimates)
        return (0.0, 0) if fused is None else (fused["confidence"], len(rows))
    result = posterior_result(project.config, rows, estimates)
    if result is None:
        return 0.0, 0
    usable = "labels" if project.config.get("multi_label") else "label"
    return result["confidence"], sum(
        1 for _, answer in rows if isinstance(answer, dict) and usable in answer)


def overlap_check(*, project: Project, item_id: int) -> bool:
    """Open one more slot of a dynamic-overlap item if it needs one; True when opened.

    Runs inside the caller's transaction. The item row is locked first, so two answers to
    the same item arriving together are judged one after the other, each seeing the other.
    Waits (opens nothing) while a slot is open or someone still works on the item.
    """
    if not project.dynamic_overlap or not aggregatable(project):
        return False
    row = (
        Item.objects.select_for_update()
        .filter(pk=item_id)
        .values_list("slots_open", "gold")
        .first()
    )
    if row is None or row[0] > 0 or row[1] is not None:
        return False  # gold items keep their minimum: they score workers, not the dataset
    statuses = list(
        Assignment.objects.filter(item_id=item_id, status__in=SLOT_HOLDING).values_list(
            "status", flat=True
        )
    )
    if len(statuses) >= project.max_answers or any(
        s in (AssignmentStatus.LEASED, AssignmentStatus.RETURNED) for s in statuses
    ):
        return False
    confidence, _answers = item_confidence(project, item_id)
    if confidence >= (project.target_confidence or 0):
        return False
    return bool(Item.objects.filter(pk=item_id, slots_open=0).update(slots_open=1))


def results_pending_sql() -> str:
    """An SQL condition for a project row ``p``: an aggregation of it is requested (pending).

    The submit reads it with the assignment, so that ``answer_recorded`` costs no query
    while a request is pending (the usual case under load)."""
    from .models import AggregationState

    return (
        f"EXISTS (SELECT 1 FROM {table(AggregationState)} s"
        " WHERE s.project_id = p.id AND s.requested)"
    )


def answer_recorded(*, assignment: Any, pending: bool | None = None) -> None:
    """Hook for submit and review: re-judge the item's overlap, request a new aggregation.

    Constant work per call; runs inside the caller's transaction. ``pending``: whether an
    aggregation was requested already, when the caller read it in this transaction
    (``results_pending_sql``); None to look it up.
    """
    from .aggregation import results_request

    project = assignment.project
    if not aggregatable(project):
        return
    overlap_check(project=project, item_id=assignment.item_id)
    results_request(project_id=project.pk, pending=pending)
