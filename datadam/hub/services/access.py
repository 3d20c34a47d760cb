"""Access to a by-request dataset: asking (a purpose and the usage terms accepted), and the
owner's or an operator's decision."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound

from ..models import AccessRequest, AccessStatus, Dataset, Visibility
from ..visibility import can_manage, dataset_managed, dataset_seen

MIN_PURPOSE = 10
MAX_PURPOSE = 5000


def terms_digest(dataset: Dataset) -> str:
    """Names the exact terms a requester accepted (they may change later)."""
    return hashlib.sha256(dataset.usage_terms.encode()).hexdigest()


def access_request_create(*, user: Any, dataset_id: int, purpose: str, accept_terms: bool,
                          organization_name: str = "") -> AccessRequest:
    """Ask for access: the purpose in words and the usage terms accepted. A declined or
    revoked requester may ask again."""
    from datadam.notifications.services import organization_notify

    if not isinstance(purpose, str) or not MIN_PURPOSE <= len(purpose.strip()) <= MAX_PURPOSE:
        raise InvalidInput(_("state the purpose in %(min)s to %(max)s characters")
                           % {"min": MIN_PURPOSE, "max": MAX_PURPOSE})
    if accept_terms is not True:
        raise InvalidInput(_("accept the usage terms to request access"))
    if not isinstance(organization_name, str) or len(organization_name) > 200:
        raise InvalidInput(_("organization_name must be text of at most 200 characters"))
    with transaction.atomic():
        dataset = dataset_seen(user=user, dataset_id=dataset_id)
        if dataset.visibility != Visibility.REQUEST:
            raise Conflict(_("this dataset is not shared by request: no access request is "
                             "needed or possible"))
        if can_manage(user, dataset):
            raise Conflict(_("you manage this dataset already"))
        existing = AccessRequest.objects.select_for_update().filter(
            dataset=dataset, user=user).first()
        if existing is not None and existing.status == AccessStatus.APPROVED:
            raise Conflict(_("your access was approved already"))
        if existing is not None and existing.status == AccessStatus.PENDING:
            raise Conflict(_("your access request is waiting for a decision"))
        fields = {"purpose": purpose.strip(), "organization_name": organization_name.strip(),
                  "terms_digest": terms_digest(dataset), "terms_accepted_at": timezone.now(),
                  "status": AccessStatus.PENDING, "reason": "", "decided_by": None,
                  "decided_at": None}
        if existing is None:
            try:
                with transaction.atomic():  # a savepoint: the same first request at once
                    request = AccessRequest.objects.create(dataset=dataset, user=user,
                                                           **fields)
            except IntegrityError:
                raise Conflict(_("your access request is waiting for a decision")) from None
        else:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            request = existing
        audit_record(actor=user, action="hub.access.request", target=request,
                     organization_id=dataset.organization_id, data={"dataset": dataset.pk})
        organization_notify(organization_id=dataset.organization_id,
                            code="hub.access_requested",
                            params={"dataset": dataset.title,
                                    "user": user.display_name or user.email},
                            link=f"/hub/{dataset.pk}/access/")
    return request


def access_request_decide(*, user: Any, request_id: int, approve: bool,
                          reason: str = "") -> AccessRequest:
    """Approve or decline a pending request (declining needs a reason), or revoke an
    approved one (``approve=False``)."""
    from datadam.notifications.services import notification_send

    if not isinstance(approve, bool):
        raise InvalidInput(_("approve must be true or false"))
    if not isinstance(reason, str) or len(reason) > 2000:
        raise InvalidInput(_("reason must be text of at most 2000 characters"))
    with transaction.atomic():
        request = AccessRequest.objects.select_for_update().select_related("dataset").filter(
            pk=request_id).first()
        if request is None:
            raise NotFound(_("access request not found"))
        dataset = dataset_managed(user=user, dataset_id=request.dataset_id)
        if approve:
            if request.status != AccessStatus.PENDING:
                raise Conflict(_("only a waiting request can be approved"))
            request.status = AccessStatus.APPROVED
        else:
            if not reason.strip():
                raise InvalidInput(_("say why the request is declined"))
            if request.status == AccessStatus.PENDING:
                request.status = AccessStatus.DECLINED
            elif request.status == AccessStatus.APPROVED:
                request.status = AccessStatus.REVOKED
            else:
                raise Conflict(_("the request was decided already"))
        request.reason = reason.strip()
        request.decided_by = user
        request.decided_at = timezone.now()
        request.save()
        audit_record(actor=user, action=f"hub.access.{request.status}", target=request,
                     organization_id=dataset.organization_id,
                     data={"dataset": dataset.pk, "reason": request.reason})
        notification_send(
            user=request.user,
            code="hub.access_approved" if approve else "hub.access_declined",
            params={"dataset": dataset.title, "reason": request.reason},
            link=f"/hub/{dataset.pk}/")
    return request
