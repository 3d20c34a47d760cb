"""Writes of the recommendations app: searching (audited), inviting, answering invitations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.accounts.models import Role, User
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.projects.models import ProjectStatus
from datadam.projects.services import project_for_manager

from .models import Invitation, InvitationStatus
from .parsing import Criterion, ParsedQuery, parse_query
from .ranking import Match, rank_workers
from .reasons import MAX_REASONS, reason_clean
from .selectors import vocabulary

MAX_QUERY = 1000


MAX_FILTER_TEXT = 100  # a profile's region and occupation hold at most this many characters
MAX_FILTER_ENTRIES = 50


def _check_filters(filters: dict[str, Any]) -> None:
    """Filters no profile could match are refused, not searched for (an over-long region
    also made a pattern SQLite refuses: 'LIKE or GLOB pattern too complex')."""
    for name in ("region", "occupation", "kind"):
        if len(str(filters.get(name) or "")) > MAX_FILTER_TEXT:
            raise InvalidInput(
                _("%(name)s must be at most %(limit)s characters")
                % {"name": name, "limit": MAX_FILTER_TEXT}
            )
    for name in ("languages", "tags", "qualifications"):
        values = filters.get(name) or []
        if len(values) > MAX_FILTER_ENTRIES or any(
            len(str(v)) > MAX_FILTER_TEXT for v in values
        ):
            raise InvalidInput(
                _("%(name)s may list at most %(limit)s entries of %(max)s characters")
                % {"name": name, "limit": MAX_FILTER_ENTRIES, "max": MAX_FILTER_TEXT}
            )


def _filters_as_criteria(filters: dict[str, Any]) -> list[Criterion]:
    """Structured filters from the form or API: each a required criterion."""
    _check_filters(filters)
    out: list[Criterion] = []
    for code in filters.get("languages") or []:
        out.append(Criterion("language", str(code), 1.0, True))
    for name in ("region", "occupation"):
        if filters.get(name):
            out.append(Criterion(name, str(filters[name]).strip(), 1.0, True))
    if filters.get("kind"):
        out.append(Criterion("kind", str(filters["kind"]), 1.0, True))
    for tag in filters.get("tags") or []:
        out.append(Criterion("tag", str(tag).casefold(), 1.0, True))
    for qid in filters.get("qualifications") or []:
        out.append(Criterion("qualification", str(int(qid)), 1.0, True))
    return out


def recommendation_search(
    *, user: Any, project_id: int, query: str = "", filters: dict[str, Any] | None = None,
    limit: int = 20,
) -> tuple[ParsedQuery, list[Match]]:
    """Parse the description, add the filters and rank workers for one of the user's projects.

    Workers already invited to the project are left out. The search is audited (who looked
    for whom), though it changes nothing.
    """
    if len(query or "") > MAX_QUERY:
        raise InvalidInput(
            _("describe the workers in at most %(max)s characters") % {"max": MAX_QUERY}
        )
    filters = filters or {}
    min_skill = filters.get("min_skill")
    if min_skill is not None:
        try:
            min_skill = float(min_skill)
        except (TypeError, ValueError):
            raise InvalidInput(_("min_skill must be a number between 0 and 1")) from None
        if not 0 <= min_skill <= 1:
            raise InvalidInput(_("min_skill must be between 0 and 1"))
    project = project_for_manager(user=user, project_id=project_id)
    parsed = parse_query(query or "", vocabulary(user=user))
    criteria = list(parsed.criteria) + _filters_as_criteria(filters)
    invited = set(Invitation.objects.filter(
        project=project, status__in=[InvitationStatus.PENDING, InvitationStatus.ACCEPTED]
    ).values_list("worker_id", flat=True))
    matches = rank_workers(
        criteria=criteria, kind=project.kind,
        min_skill=min_skill, exclude=invited, limit=limit,
    )
    with transaction.atomic():
        audit_record(
            actor=user, action="recommendation.search", target=project, project_id=project.pk,
            organization_id=project.organization_id,
            data={"query": (query or "")[:300], "filters": filters,
                  "criteria": [f"{c.name}:{c.value}" for c in criteria],
                  "results": [m.worker.pk for m in matches]},
        )
    return ParsedQuery(tuple(criteria), parsed.unknown), matches


def _answered(invitation: Invitation) -> str:
    """Why an invitation that is no longer pending cannot be answered or withdrawn."""
    return {
        InvitationStatus.ACCEPTED: _("this invitation was already accepted"),
        InvitationStatus.DECLINED: _("this invitation was declined"),
        InvitationStatus.WITHDRAWN: _("this invitation was withdrawn"),
    }.get(invitation.status, _("this invitation is no longer pending"))

def invitation_create(
    *, user: Any, project_id: int, worker_id: int, message: str = "",
    reasons: Iterable[str | dict[str, Any]] = (),
) -> Invitation:
    """Invite a worker to one of the user's projects. Inviting again after a decline asks
    again; a pending or accepted invitation is a conflict. ``reasons``: why this worker,
    as facts from the recommendation (shown in the worker's language) or plain text."""
    try:
        cleaned = [reason_clean(r) for r in list(reasons)[:MAX_REASONS]]
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        if project.status == ProjectStatus.CLOSED:
            raise Conflict(_("the project is closed"))
        worker = User.objects.filter(pk=worker_id, role=Role.WORKER, is_active=True).first()
        if worker is None:
            raise NotFound(_("worker not found"))
        invitation = (
            Invitation.objects.select_for_update().filter(project=project, worker=worker).first()
        )
        if invitation is not None and invitation.status in (
            InvitationStatus.PENDING, InvitationStatus.ACCEPTED
        ):
            raise Conflict(_("this worker is already invited"))
        if invitation is None:
            invitation = Invitation(project=project, worker=worker)
        invitation.invited_by = user
        invitation.status = InvitationStatus.PENDING
        invitation.message = (message or "")[:2000]
        invitation.reasons = cleaned
        invitation.responded_at = None
        invitation.save()
        audit_record(
            actor=user, action="invitation.create", target=invitation, project_id=project.pk,
            organization_id=project.organization_id, data={"worker": worker.pk},
        )
    return invitation


def invitation_respond(*, worker: Any, invitation_id: int, accept: bool) -> Invitation:
    """The invited worker accepts or declines; only a pending invitation can be answered."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("project")
            .filter(pk=invitation_id, worker_id=worker.pk).first()
        )
        if invitation is None:
            raise NotFound(_("invitation not found"))
        if invitation.status != InvitationStatus.PENDING:
            raise Conflict(_answered(invitation))
        invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        audit_record(
            actor=worker, action=f"invitation.{invitation.status}", target=invitation,
            project_id=invitation.project_id,
            organization_id=invitation.project.organization_id,
        )
    return invitation


def invitation_withdraw(*, user: Any, invitation_id: int) -> Invitation:
    """The client takes back a pending invitation."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None:
            raise NotFound(_("invitation not found"))
        project = project_for_manager(user=user, project_id=invitation.project_id)
        if invitation.status != InvitationStatus.PENDING:
            raise Conflict(_answered(invitation))
        if not user.is_client and not user.is_operator:
            raise PermissionDenied(_("only the project's organization withdraws invitations"))
        invitation.status = InvitationStatus.WITHDRAWN
        invitation.save(update_fields=["status"])
        audit_record(
            actor=user, action="invitation.withdraw", target=invitation, project_id=project.pk,
            organization_id=project.organization_id,
        )
    return invitation
