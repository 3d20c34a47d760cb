"""Background jobs of the quality app, run by the database-backed task worker."""

from __future__ import annotations

from django.tasks import task

from .agreement import agreement_evaluate


@task()
def agreement_task(project_id: int | None = None) -> dict[str, int]:
    """Judge workers by agreement with the majority. Safe to run twice or concurrently."""
    return agreement_evaluate(project_id=project_id)
