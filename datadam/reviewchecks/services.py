"""Writes of reviewer checks beyond scoring (which lives in ``controls``): lifting a block."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import NotFound, PermissionDenied

from .models import ReviewerBlock


def reviewer_block_lift(*, user: Any, block_id: int) -> None:
    """Operators give a reviewer back the right to review a project (audited)."""
    if not user.is_operator:
        raise PermissionDenied(_("operators only"))
    with transaction.atomic():
        block = ReviewerBlock.objects.select_related("project").filter(pk=block_id).first()
        if block is None:
            raise NotFound(_("block not found"))
        audit_record(
            actor=user, action="reviewcheck.block_lifted", target=block,
            project_id=block.project_id, organization_id=block.project.organization_id,
            data={"reviewer": block.reviewer_id},
        )
        block.delete()
