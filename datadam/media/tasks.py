"""Background job of the media app: renditions of freshly uploaded images.

Safe to run twice or concurrently (see ``services.media_renditions_make``).
"""

from __future__ import annotations

from django.tasks import task

from .services import media_renditions_make, media_sweep


@task()
def media_renditions_task(asset_ids: list[int]) -> dict[str, int]:
    return media_renditions_make(asset_ids=asset_ids)


@task()
def media_sweep_task() -> dict[str, int]:
    """Queue renditions lost with their job (``services.media_sweep``)."""
    return {"queued": media_sweep()}
