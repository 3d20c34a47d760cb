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
from django.db.models.fields.json import KT

from datadam.projects.models import Item, Project
from datadam.rawsql import table
from datadam.work.models import SLOT_HOLDING, Assignment, AssignmentStatus, Submission

from .multilabel import item_label_posteriors
from .posterior import item_posterior, shrunk_skill

#: Assignment statuses whose latest answer counts towards results (not rejected or returned).
COUNTED = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


def aggregatable(project: Project) -> bool:
    """The platform aggregates every classification project (single- and multi-label)."""
    config = project.config or {}
    return bool(config.get("labels"))


def item_confidence(project: Project, item_id: int) -> tuple[float, int]:
    """(posterior of the most likely label, counted answers) of one item, from the database."""
    from .models import WorkerEstimate

    if project.config.get("multi_label"):
        return _multi_item_confidence(project, item_id)
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    rows = list(
        Submission.objects.filter(
            assignment__item_id=item_id,
            assignment__status__in=COUNTED,
            revision=F("assignment__revisions"),
        ).values_list("assignment__worker_id", KT("answer__label"))
    )
    if not rows:
        return 0.0, 0
    estimates = dict(
        (w, (s, n))
        for w, s, n in WorkerEstimate.objects.filter(
            project_id=project.pk, worker_id__in=[w for w, _ in rows]
        ).values_list("worker_id", "skill", "n_labels")
    )
    k = len(codes)
    labels, skills = [], []
    for worker_id, label in rows:
        if label not in codes:
            continue
        skill, n = estimates.get(worker_id, (None, 0))
        labels.append(codes[label])
        skills.append(shrunk_skill(skill, n, k))
    if not labels:
        return 0.0, 0
    return max(item_posterior(labels, skills, k)), len(labels)


def _multi_item_confidence(project: Project, item_id: int) -> tuple[float, int]:
    """Multi-label: min over labels of max(p, 1 - p), each label's p from the one-coin binary
    posterior of the item's answers (``answers × labels`` work: constant per item)."""
    from .models import WorkerEstimate

    codes = {label: i for i, label in enumerate(project.config["labels"])}
    rows = [
        (w, answer.get("labels"))
        for w, answer in Submission.objects.filter(
            assignment__item_id=item_id,
            assignment__status__in=COUNTED,
            revision=F("assignment__revisions"),
        ).values_list("assignment__worker_id", "answer")
        if isinstance(answer, dict) and isinstance(answer.get("labels"), list)
    ]
    if not rows:
        return 0.0, 0
    estimates = dict(
        (w, (s, n))
        for w, s, n in WorkerEstimate.objects.filter(
            project_id=project.pk, worker_id__in=[w for w, _ in rows]
        ).values_list("worker_id", "skill", "n_labels")
    )
    chosen, skills = [], []
    for worker_id, labels in rows:
        skill, n = estimates.get(worker_id, (None, 0))
        chosen.append([codes[lb] for lb in labels if lb in codes])
        skills.append(shrunk_skill(skill, n, 2))
    p_yes = item_label_posteriors(chosen, skills, len(codes))
    return min(max(p, 1 - p) for p in p_yes), len(rows)


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
