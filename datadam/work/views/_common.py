"""Helpers shared by the worker's pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from datadam.projects.models import Project, ProjectStatus

# Posted fields that are not part of an answer.
CONTROL_FIELDS = {"csrfmiddlewaretoken", "assignment", "key", "done", "duration_ms"}
MAX_CLIENT_DURATION_MS = 24 * 3600 * 1000


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def to_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def client_duration(value: Any) -> int | None:
    """The browser's measured time on a task, if it sent a sane one."""
    ms = to_int(value, -1)
    return ms if 0 <= ms <= MAX_CLIENT_DURATION_MS else None


def has_answer(post: Any) -> bool:
    """Whether the widget posted anything at all (nothing picked is a form error)."""
    return any(
        v.strip() for k in post if k not in CONTROL_FIELDS for v in post.getlist(k)
    )


def workable_project(project_id: int) -> Project:
    """A project a worker may look at: launched at some point (drafts are private)."""
    project = Project.objects.filter(pk=project_id).exclude(status=ProjectStatus.DRAFT).first()
    if project is None:
        raise Http404
    return project
