"""Background jobs of the results: aggregation per project and its periodic sweep, exports.

All are safe to run twice or concurrently (see ``aggregation.results_aggregate`` and
``export_jobs.export_run``).
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from .aggregation import results_aggregate, results_sweep


@task()
def aggregate_task(project_id: int) -> dict[str, Any]:
    from datadam.assist.signals import after_aggregation

    outcome = results_aggregate(project_id=project_id)
    after_aggregation(project_id)  # a model learns from the settled labels
    return outcome


@task()
def results_sweep_task() -> dict[str, int]:
    return results_sweep()


@task()
def export_task(export_id: int) -> dict[str, Any]:
    """Write one export's file (``export_jobs.export_run``; safe to run twice)."""
    from .export_jobs import export_run

    return export_run(export_id=export_id)
