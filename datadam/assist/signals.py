"""When a project's model runs again: after items are imported or the project launched
(suggestions for the new items), and after an aggregation (new approved labels: train)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from datadam.audit.models import AuditEvent

from .models import ProjectModel

TRIGGERS = frozenset({"items.import", "project.launch", "project.resume"})


def _later(task_name: str, project_id: int) -> None:
    def enqueue() -> None:
        from . import tasks

        getattr(tasks, task_name).enqueue(project_id)

    transaction.on_commit(enqueue, robust=True)


def _after_audit(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.action not in TRIGGERS or not instance.project_id:
        return
    if ProjectModel.objects.filter(project_id=instance.project_id).exists():
        _later("assist_predict_task", instance.project_id)


def after_aggregation(project_id: int) -> None:
    """The aggregation job settled results: a project with a model learns from them."""
    if ProjectModel.objects.filter(project_id=project_id).exists():
        _later("assist_train_task", project_id)


def connect() -> None:
    post_save.connect(_after_audit, sender=AuditEvent, dispatch_uid="assist.after_audit")
