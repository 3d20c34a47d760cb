"""Background job of the skills app, run by the database-backed task worker."""

from __future__ import annotations

from django.tasks import task

from .services import skills_compute


@task()
def skills_compute_task(worker_id: int | None = None) -> dict[str, int]:
    """Recompute skills (one worker, or everyone). Safe to run twice or concurrently."""
    return skills_compute(worker_ids=None if worker_id is None else [worker_id])
