"""Model jobs (``services.jobs``); each is safe to run twice."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def assist_train_task(project_id: int) -> dict[str, Any]:
    from .services.jobs import assist_train

    return assist_train(project_id=project_id)


@task()
def assist_predict_task(project_id: int) -> dict[str, Any]:
    from .services.jobs import assist_predict

    return assist_predict(project_id=project_id)
