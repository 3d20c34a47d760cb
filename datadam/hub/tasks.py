"""The hub's background jobs; each is safe to run twice (see ``snapshot.version_build`` and
``formats.version_format_build``)."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def version_build_task(version_id: int) -> dict[str, Any]:
    from .snapshot import version_build

    return version_build(version_id=version_id)


@task()
def version_format_task(file_id: int) -> dict[str, Any]:
    from .formats import version_format_build

    return version_format_build(file_id=file_id)
