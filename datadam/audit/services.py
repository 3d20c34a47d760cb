"""Recording audit events. Called by every service inside its transaction."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    target_type: str = "",
    target_id: int | None = None,
    project_id: int | None = None,
    organization_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``target`` (a model instance) fills type and id when given."""
    if target is not None:
        target_type = target_type or target._meta.model_name
        target_id = target.pk
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        project_id=project_id,
        organization_id=organization_id,
        data=data or {},
    )
