"""Who may manage a qualification, and granting and revoking it (every change audited).

Every grant goes through ``holding_grant``: one row per (worker, qualification), locked while
it changes, so two grants at once (an exam passed while a rule runs) cannot both insert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.accounts.models import Membership, User
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied, whole_number

from .models import LEVEL_MAX, Qualification, Source, WorkerQualification


def is_member(user: Any, organization_id: int | None) -> bool:
    if organization_id is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user_id=user.pk, organization_id=organization_id).exists()


def may_manage(user: Any, qualification: Qualification) -> bool:
    """Operators manage every qualification; an organization's members manage its own."""
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_operator", False):
        return True
    return is_member(user, qualification.organization_id)


def qualification_for_manager(
    *, user: Any, qualification_id: int, lock: bool = False
) -> Qualification:
    qs = Qualification.objects.select_for_update() if lock else Qualification.objects
    qualification = qs.filter(pk=qualification_id).first()
    if qualification is None or not may_manage(user, qualification):
        # Another organization's qualification looks the same as a missing one.
        raise NotFound(_("qualification not found"))
    return qualification


def check_level(level: Any, name: str = "level") -> int:
    return whole_number(name, level, 0, LEVEL_MAX)


def _require_worker_account(worker: Any) -> None:
    if not getattr(worker, "is_worker", False):
        raise InvalidInput(_("only workers hold qualifications"))


def holding_grant(
    *,
    qualification: Qualification,
    worker: Any,
    level: int,
    source: str,
    actor: Any,
    expires_at: datetime | None = None,
    upward_only: bool = False,
) -> tuple[WorkerQualification, bool]:
    """Grant ``qualification`` to ``worker`` at ``level``; returns (holding, changed).

    ``upward_only`` (exams, computed rules over another source): an active holding keeps a
    higher level. Otherwise the level and expiry are set as given. Granting what is already
    held changes nothing and records nothing, so callers may repeat a grant safely.
    """
    check_level(level)
    _require_worker_account(worker)
    now = timezone.now()
    with transaction.atomic():
        holding = (
            WorkerQualification.objects.select_for_update()
            .filter(worker_id=worker.pk, qualification_id=qualification.pk)
            .first()
        )
        if holding is None:
            try:
                with transaction.atomic():
                    holding = WorkerQualification.objects.create(
                        worker_id=worker.pk, qualification=qualification, level=level,
                        source=source, granted_at=now, granted_by=actor if actor else None,
                        expires_at=expires_at,
                    )
            except IntegrityError:  # a concurrent grant inserted it first
                holding = WorkerQualification.objects.select_for_update().get(
                    worker_id=worker.pk, qualification_id=qualification.pk
                )
            else:
                _audit_grant(holding, actor, previous=None)
                return holding, True
        holding.qualification = qualification
        active = holding.is_active(now)
        previous = holding.level if active else None
        if active and upward_only:
            if level <= holding.level:
                return holding, False
        elif active and (holding.level, holding.expires_at, holding.source) == (
            level, expires_at, source
        ):
            return holding, False
        holding.level = level
        holding.source = source
        holding.expires_at = expires_at if not (active and upward_only) else holding.expires_at
        holding.revoked_at = None
        holding.granted_at = now
        holding.granted_by = actor if actor else None
        holding.save()
        _audit_grant(holding, actor, previous=previous)
    return holding, True


def _audit_grant(holding: WorkerQualification, actor: Any, *, previous: int | None) -> None:
    audit_record(
        actor=actor,
        action="qualification.grant",
        target=holding,
        organization_id=holding.qualification.organization_id,
        data={
            "worker": holding.worker_id,
            "qualification": holding.qualification_id,
            "level": holding.level,
            "previous_level": previous,
            "source": holding.source,
            "expires_at": holding.expires_at.isoformat() if holding.expires_at else None,
        },
    )


def holding_revoke(
    *, holding: WorkerQualification, actor: Any, reason: str = ""
) -> WorkerQualification:
    """End a holding now (the row stays, for history). Inside the caller's transaction."""
    holding.revoked_at = timezone.now()
    holding.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="qualification.revoke",
        target=holding,
        organization_id=holding.qualification.organization_id,
        data={"worker": holding.worker_id, "qualification": holding.qualification_id,
              "level": holding.level, "reason": reason[:500]},
    )
    return holding


def _worker_by(email: str = "", worker_id: int | None = None) -> User:
    qs = User.objects.filter(pk=worker_id) if worker_id else User.objects.filter(
        email=(email or "").strip().lower()
    )
    worker = qs.first()
    if worker is None or not worker.is_worker:
        raise NotFound(_("no worker with that e-mail") if not worker_id else _("worker not found"))
    return worker


def qualification_grant(
    *,
    actor: Any,
    qualification_id: int,
    level: int,
    email: str = "",
    worker_id: int | None = None,
    expires_at: datetime | None = None,
) -> WorkerQualification:
    """An operator (or the owning organization) grants a qualification directly."""
    qualification = qualification_for_manager(user=actor, qualification_id=qualification_id)
    check_level(level)
    worker = _worker_by(email, worker_id)
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("the expiry must be in the future"))
    holding, _changed = holding_grant(
        qualification=qualification, worker=worker, level=level, source=Source.MANUAL,
        actor=actor, expires_at=expires_at,
    )
    return holding


def qualification_revoke(
    *,
    actor: Any,
    qualification_id: int,
    email: str = "",
    worker_id: int | None = None,
    reason: str = "",
) -> WorkerQualification:
    """An operator (or the owning organization) takes a qualification away."""
    if not getattr(actor, "is_active", False):
        raise PermissionDenied(_("inactive users cannot revoke qualifications"))
    qualification = qualification_for_manager(user=actor, qualification_id=qualification_id)
    worker = _worker_by(email, worker_id)
    with transaction.atomic():
        holding = (
            WorkerQualification.objects.select_for_update()
            .filter(worker=worker, qualification=qualification)
            .first()
        )
        if holding is None or holding.revoked_at is not None:
            raise Conflict(_("the worker does not hold this qualification"))
        return holding_revoke(holding=holding, actor=actor, reason=reason)
