"""API of model assistance: a project's model settings, state and figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.errors import ErrorOut, NotFound
from datadam.projects.services import project_for_manager

from .models import Suggestion
from .selectors import assist_summary
from .services.settings import assist_configure, assist_disable

router = Router(tags=["assist"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class AssistIn(Schema):
    source: str
    mode: str = "assist"
    order: str = "none"
    backend_url: str = ""
    backend_token: str = ""
    timeout_s: float = 5.0
    target_accuracy: float | None = None
    min_labels: int = 20


def _summary(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = project_for_manager(user=request.user, project_id=project_id)
    summary = assist_summary(project)
    if summary is None:
        raise NotFound(_("this project has no model"))
    return summary


@router.get("/projects/{project_id}/assist", response={200: dict, **ERRORS})
def assist_get(request: HttpRequest, project_id: int) -> Any:
    """The project's model: settings, version, what it was trained on, its estimated
    accuracy, and what workers did with its suggestions."""
    return _summary(request, project_id)


@router.put("/projects/{project_id}/assist", response={200: dict, **ERRORS})
def assist_put(request: HttpRequest, project_id: int, payload: AssistIn) -> Any:
    """Set the project's model (built-in or your server); it trains and predicts in the
    background."""
    assist_configure(user=request.user, project_id=project_id, **payload.dict())
    return _summary(request, project_id)


@router.delete("/projects/{project_id}/assist", response={204: None, **ERRORS})
def assist_delete(request: HttpRequest, project_id: int) -> Any:
    assist_disable(user=request.user, project_id=project_id)
    return Status(204, None)


@router.post("/projects/{project_id}/assist/train", response={202: dict, **ERRORS})
def assist_train_now(request: HttpRequest, project_id: int) -> Any:
    """Train (when there are new approved labels) and predict again, in the background."""
    from .tasks import assist_train_task

    summary = _summary(request, project_id)
    assist_train_task.enqueue(project_id)
    return Status(202, summary)


@router.get("/projects/{project_id}/assist/suggestions", response={200: dict, **ERRORS})
def assist_suggestions(request: HttpRequest, project_id: int, after: int = 0,
                       limit: int = 50) -> Any:
    """The model's suggestions, by item (keyset)."""
    project = project_for_manager(user=request.user, project_id=project_id)
    limit = max(1, min(limit, 500))
    rows = list(Suggestion.objects.filter(project=project, item_id__gt=after).order_by("item_id")
                .values("item_id", "answer", "score", "uncertainty", "model_version",
                        "created_at")[:limit])
    return {"suggestions": rows,
            "next_after": rows[-1]["item_id"] if len(rows) == limit else None}
