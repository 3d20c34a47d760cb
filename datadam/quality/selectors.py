"""Reads of the quality app, each scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import PermissionDenied
from datadam.projects.models import Item
from datadam.projects.services import project_for_manager

from .models import Appeal, AppealStatus, QualityPolicy, QualityRule, RuleHit, WorkerQuality
from .rules import in_force

LIST_LIMIT = 200


def policy_warnings(*, project_id: int, gold_rate: int, gold_items: int | None = None
                    ) -> list[str]:
    """What a valid policy will not do as the client may expect, in words with what to do:
    a gold rate while the project has no gold items serves no gold (``gold_items``: the
    count, when the caller has it)."""
    if gold_rate <= 0:
        return []
    if gold_items is None:
        gold_items = Item.objects.filter(project_id=project_id, gold__isnull=False).count()
    if gold_items:
        return []
    return [_(
        "The gold rate is %(rate)s%%, but this project has no gold items, so no gold "
        "question is served and nobody is judged by gold. Add gold items with a \"gold\" "
        "column (the correct answer as JSON) in the item import, or with "
        "POST /api/v1/projects/%(id)s/gold."
    ) % {"rate": gold_rate, "id": project_id}]


def project_quality(*, user: Any, project_id: int) -> dict[str, Any]:
    """A project's policy, rules, gold items and per-worker scores (its managers only:
    another organization's project is a 404)."""
    project = project_for_manager(user=user, project_id=project_id)
    hits = dict(
        RuleHit.objects.filter(source_project=project)
        .values("worker").annotate(n=Count("pk")).values_list("worker", "n")
    )
    workers = list(
        WorkerQuality.objects.filter(project=project)
        .select_related("worker").order_by("-gold_answered", "worker_id")[:LIST_LIMIT]
    )
    # The defaults (no gold) until the client saves a policy; a read writes nothing.
    policy = QualityPolicy.objects.filter(project=project).first() or QualityPolicy(
        project=project)
    gold_items = Item.objects.filter(project=project, gold__isnull=False).count()
    return {
        "project": project,
        "policy": policy,
        "warnings": policy_warnings(project_id=project.pk, gold_rate=policy.gold_rate,
                                    gold_items=gold_items),
        "rules": list(QualityRule.objects.filter(project=project).order_by("pk")),
        "gold_items": gold_items,
        "workers": [{"stats": w, "hits": hits.get(w.worker_id, 0)} for w in workers],
        "hits": list(
            RuleHit.objects.filter(source_project=project)
            .select_related("worker").order_by("-pk")[:LIST_LIMIT]
        ),
    }


def my_quality(*, worker: Any) -> dict[str, Any]:
    """A worker's own gold scores per project, rule hits (newest first) and appeals."""
    now = timezone.now()
    hits = list(
        RuleHit.objects.filter(worker_id=worker.pk)
        .annotate(in_force=ExpressionWrapper(in_force(now), output_field=BooleanField()))
        .select_related("source_project").order_by("-pk")[:LIST_LIMIT]
    )
    appeals = {a.hit_id: a for a in Appeal.objects.filter(hit__in=hits)}
    for hit in hits:
        hit.appeal_row = appeals.get(hit.pk)
        hit.appeal_status = hit.appeal_row.status if hit.appeal_row else None
        hit.can_appeal = hit.in_force and hit.blocking and hit.appeal_row is None
    scores = list(
        WorkerQuality.objects.filter(worker_id=worker.pk, gold_answered__gt=0)
        .select_related("project").order_by("-pk")[:LIST_LIMIT]
    )
    return {"scores": scores, "hits": hits}


def appeals_queue(*, operator: Any, status: str = AppealStatus.PENDING) -> QuerySet[Appeal]:
    """Appeals for operators, oldest first."""
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(_("only operators see appeals"))
    qs = Appeal.objects.select_related("worker", "hit", "hit__source_project")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("pk")[:LIST_LIMIT]
