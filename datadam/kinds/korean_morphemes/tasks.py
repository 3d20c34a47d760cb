"""Background job of the Korean morpheme kind: analysing imported items (``jobs.py``)."""

from __future__ import annotations

from django.tasks import task

from .jobs import morphemes_analyse


@task()
def morphemes_analyse_task(project_id: int) -> dict[str, int]:
    """Store Kiwi's analysis in the project's items that lack it (safe to run twice)."""
    return morphemes_analyse(project_id=project_id)
