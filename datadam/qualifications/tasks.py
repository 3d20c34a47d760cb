"""Background jobs of the qualifications app, run by the database-backed task worker."""

from __future__ import annotations

from django.tasks import task

from .services import qualifications_compute


@task()
def compute_task(qualification_id: int | None = None) -> dict[str, int]:
    """Apply the rules of computed qualifications (one, or all). Safe to run twice."""
    return qualifications_compute(qualification_id=qualification_id)
