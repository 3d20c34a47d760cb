"""API: the audit log — operators see all, clients their projects' events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from datadam.errors import PermissionDenied
from datadam.projects.services import project_for_manager

from .models import AuditEvent

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    target_type: str
    target_id: int | None
    project_id: int | None
    data: dict[str, Any]


def _page(qs, before: int, limit: int) -> list[AuditEvent]:
    if before:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[: max(1, min(limit, 500))])


@router.get("/ops/audit", response=list[EventOut], tags=["operators"])
def all_events(
    request: HttpRequest, action: str = "", actor_id: int = 0, before: int = 0, limit: int = 100
):
    if not request.auth.is_operator:
        raise PermissionDenied(_("only operators read the whole audit log"))
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    return _page(qs, before, limit)


@router.get("/projects/{project_id}/audit", response=list[EventOut])
def project_events(request: HttpRequest, project_id: int, before: int = 0, limit: int = 100):
    project = project_for_manager(user=request.auth, project_id=project_id)
    return _page(AuditEvent.objects.filter(project_id=project.pk), before, limit)
