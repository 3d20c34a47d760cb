"""Background jobs of the work loop, run by the database-backed task worker.

Each is safe to run twice or concurrently: every state change is a conditional update and
every payment has a unique key.
"""

from __future__ import annotations

from django.tasks import task

from datadam.projects.models import Project, ProjectStatus
from datadam.review.services import submissions_auto_approve

from .services import leases_expire

SWEEP_LIMIT = 1000


def sweep() -> dict[str, int]:
    """Expire overdue leases in every active project and auto-approve due submissions."""
    from django.db import transaction

    expired = 0
    for pid in Project.objects.filter(
        status__in=[ProjectStatus.OPEN, ProjectStatus.PAUSED]
    ).values_list("pk", flat=True):
        with transaction.atomic():
            expired += leases_expire(project_id=pid, limit=SWEEP_LIMIT)
    return {"expired": expired, "auto_approved": submissions_auto_approve()}


@task()
def sweep_task() -> dict[str, int]:
    return sweep()
