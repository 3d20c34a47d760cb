"""Project lifecycle and budget: create, update, launch, pause, close."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.accounts.models import Membership, Organization
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, whole_number
from datadam.kinds import get_kind
from datadam.rewards.models import Account
from datadam.rewards.services import escrow_account, ledger_post, organization_account

from .models import Item, Project, ProjectStatus, ReviewPolicy

MAX_NAME = Project._meta.get_field("name").max_length
EDITABLE_ALWAYS = {"name", "instructions", "lease_seconds", "review_policy", "auto_approve_hours"}
EDITABLE_IN_DRAFT = EDITABLE_ALWAYS | {
    "kind",
    "config",
    "reward",
    "review_reward",
    "overlap",
    "min_answers",
    "max_answers",
    "target_confidence",
    "aggregation_method",
}


def user_can_manage(user: Any, project: Project) -> bool:
    if getattr(user, "is_operator", False):
        return True
    return Membership.objects.filter(
        user_id=user.pk, organization_id=project.organization_id
    ).exists()


def project_for_manager(*, user: Any, project_id: int, lock: bool = False) -> Project:
    """The project if the user may manage it (its organization's members, operators)."""
    qs = Project.objects.select_for_update() if lock else Project.objects
    project = qs.filter(pk=project_id).first()
    if project is None or not user_can_manage(user, project):
        # Another organization's project looks the same as a missing one.
        raise NotFound(_("project not found"))
    return project


def _validate_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("name", "instructions"):
        if name in out and not isinstance(out[name], str):
            raise InvalidInput(_("%(name)s must be text") % {"name": name})
        if name in out and "\x00" in out[name]:
            raise InvalidInput(_("%(name)s must not contain NUL characters") % {"name": name})
    if "name" in out and not out["name"].strip():
        raise InvalidInput(_("name must not be empty"))
    if "name" in out and len(out["name"]) > MAX_NAME:
        raise InvalidInput(
            _("name must be at most %(max_name)s characters")
            % {"max_name": MAX_NAME}
        )
    for name, low, high in (
        ("reward", 0, 10**9),
        ("review_reward", 0, 10**9),
        ("overlap", 1, 100),
        ("lease_seconds", 30, 7 * 86400),
        ("auto_approve_hours", 0, 24 * 90),
    ):
        if name in out:
            whole_number(name, out[name], low, high)
    if "review_policy" in out and out["review_policy"] not in ReviewPolicy.values:
        raise InvalidInput(
            _("review_policy must be one of %(value)s")
            % {"value": ', '.join(ReviewPolicy.values)}
        )
    return _validate_overlap(out)


def _validate_overlap(out: dict[str, Any]) -> dict[str, Any]:
    """Dynamic overlap fields: ``max_answers`` is another name for ``overlap``."""
    from datadam.quality.aggregation import METHODS

    if "max_answers" in out:
        maximum = out.pop("max_answers")
        if maximum is not None:
            out["overlap"] = maximum
    for name in ("min_answers", "overlap"):
        if out.get(name) is not None:
            whole_number(name, out[name], 1, 100)
    target = out.get("target_confidence")
    if target is not None and (
        isinstance(target, bool) or not isinstance(target, int | float) or not 0.5 < target < 1
    ):
        raise InvalidInput(_("target_confidence must be a number above 0.5 and below 1"))
    if "aggregation_method" in out and out["aggregation_method"] not in METHODS:
        raise InvalidInput(
            _("aggregation_method must be one of %(value)s")
            % {"value": ", ".join(sorted(METHODS))}
        )
    return out


def _check_dynamic(project: Project) -> None:
    """min ≤ max with a target; without a target no minimum is kept."""
    if project.target_confidence is None:
        project.min_answers = None
        return
    if project.min_answers is None:
        raise InvalidInput(_("min_answers is required with target_confidence"))
    if project.min_answers > project.overlap:
        raise InvalidInput(_("min_answers must not exceed max_answers"))


def project_create(*, user: Any, organization_id: int, **fields: Any) -> Project:
    """A client member creates a draft project in their organization."""
    org = Organization.objects.filter(pk=organization_id).first()
    if org is None or not (
        getattr(user, "is_operator", False)
        or Membership.objects.filter(user_id=user.pk, organization=org).exists()
    ):
        # Another organization looks the same as a missing one.
        raise NotFound(_("organization not found"))
    unknown = set(fields) - EDITABLE_IN_DRAFT
    if unknown:
        raise InvalidInput(
            _("unknown fields: %(unknown)s")
            % {"unknown": ', '.join(sorted(unknown))}
        )
    for required in ("name", "kind", "reward"):
        if required not in fields:
            raise InvalidInput(_("%(required)s is required") % {"required": required})
    fields = _validate_fields(fields)
    kind = get_kind(fields["kind"])
    fields["config"] = kind.validate_config(fields.get("config") or {})
    project = Project(organization=org, created_by=user, **fields)
    _check_dynamic(project)
    with transaction.atomic():
        project.save()
        audit_record(
            actor=user,
            action="project.create",
            target=project,
            project_id=project.pk,
            organization_id=org.pk,
            data={"name": project.name, "kind": project.kind},
        )
    return project


def project_update(*, user: Any, project_id: int, **fields: Any) -> Project:
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        allowed = EDITABLE_IN_DRAFT if project.status == ProjectStatus.DRAFT else EDITABLE_ALWAYS
        refused = set(fields) - allowed
        if refused:
            raise Conflict(
                _(
                    "cannot change %(refused)s of a %(status)s project"
                )
                % {"refused": ', '.join(sorted(refused)), "status": project.status}
            )
        fields = _validate_fields(fields)
        kind = get_kind(fields.get("kind", project.kind))
        if "config" in fields or "kind" in fields:
            fields["config"] = kind.validate_config(fields.get("config", project.config))
        for name, value in fields.items():
            setattr(project, name, value)
        _check_dynamic(project)
        project.save()
        if fields.keys() & {"overlap", "min_answers", "target_confidence"}:
            # Draft only: items have no assignments yet.
            Item.objects.filter(project=project).update(slots_open=project.initial_slots)
        audit_record(
            actor=user,
            action="project.update",
            target=project,
            project_id=project.pk,
            organization_id=project.organization_id,
            data={k: v for k, v in fields.items() if k != "instructions"},
        )
    return project


def project_fund_items(*, user: Any, project: Project) -> int:
    """Move the budget of not-yet-funded items from the organization into escrow.

    Must run inside the caller's transaction with the project row locked. The expected
    gold answers of a project with a gold policy are funded as well (``gold_fund``).
    """
    from datadam.quality.gold import gold_fund

    gold_fund(user=user, project=project)
    new_items = project.items_count - project.funded_items
    if new_items <= 0:
        return 0
    amount = new_items * project.item_cost
    ledger_post(
        key=f"project:{project.pk}:fund:{project.funded_items}-{project.items_count}",
        kind="project_fund",
        legs=[
            (organization_account(project.organization), -amount),
            (escrow_account(project), amount),
        ],
        actor=user,
        project_id=project.pk,
        memo=f"budget for {new_items} items of {project.name}",
    )
    project.funded_items = project.items_count
    project.save(update_fields=["funded_items"])
    return amount


def project_launch(*, user: Any, project_id: int) -> Project:
    """Open a draft (funding its budget into escrow) or resume a paused project."""
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        if project.status not in (ProjectStatus.DRAFT, ProjectStatus.PAUSED):
            raise Conflict(
                _("a %(status)s project cannot be launched")
                % {"status": project.status}
            )
        if project.items_count == 0:
            raise Conflict(_("import items before launching"))
        funded = project_fund_items(user=user, project=project)
        action = "project.launch" if project.status == ProjectStatus.DRAFT else "project.resume"
        project.status = ProjectStatus.OPEN
        project.launched_at = project.launched_at or timezone.now()
        project.save(update_fields=["status", "launched_at"])
        audit_record(
            actor=user,
            action=action,
            target=project,
            project_id=project.pk,
            organization_id=project.organization_id,
            data={"funded": funded},
        )
    return project


def project_pause(*, user: Any, project_id: int) -> Project:
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        if project.status != ProjectStatus.OPEN:
            raise Conflict(_("a %(status)s project cannot be paused") % {"status": project.status})
        project.status = ProjectStatus.PAUSED
        project.save(update_fields=["status"])
        audit_record(
            actor=user,
            action="project.pause",
            target=project,
            project_id=project.pk,
            organization_id=project.organization_id,
        )
    return project


def project_close(*, user: Any, project_id: int) -> Project:
    """Stop the project for good: live leases end, unneeded escrow goes back to the client.

    Work already submitted or returned for revision keeps its budget reserved in escrow until
    it is reviewed (see ``project_settle``).
    """
    from datadam.work.models import Assignment, AssignmentStatus

    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        if project.status == ProjectStatus.CLOSED:
            raise Conflict(_("project is already closed"))
        now = timezone.now()
        # The project row is locked (FOR UPDATE) first, as claims share-lock it first: claims
        # in flight finish before this goes on, later ones see the project closed. Then the
        # live leases, then their items, each in id order, as leases_expire locks them: no
        # lock cycle with claims, submissions, skips or expiry sweeps (no deadlock).
        live = list(
            Assignment.objects.filter(project=project, status=AssignmentStatus.LEASED)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", "item_id")
        )
        Assignment.objects.filter(
            pk__in=[pk for pk, _ in live], status=AssignmentStatus.LEASED
        ).update(status=AssignmentStatus.EXPIRED, finished_at=now)
        for item_id, n in sorted(Counter(item_id for _, item_id in live).items()):
            # Gold items hold no slots: only ordinary items get theirs back.
            Item.objects.filter(pk=item_id, gold__isnull=True).update(
                slots_open=F("slots_open") + n
            )
        project.status = ProjectStatus.CLOSED
        project.closed_at = now
        project.save(update_fields=["status", "closed_at"])
        refund = project_settle(project=project, key=f"project:{project.pk}:close", actor=user)
        audit_record(
            actor=user,
            action="project.close",
            target=project,
            project_id=project.pk,
            organization_id=project.organization_id,
            data={"refund": refund},
        )
    return project


def project_settle(*, project: Project, key: str, actor: Any = None) -> int:
    """Return to the client what a closed project's escrow no longer needs.

    What stays is the pay for work still awaiting a decision. ``key`` names the event that
    triggered the settlement, so each event refunds at most once.
    """
    from datadam.work.models import Assignment, AssignmentStatus

    if project.status != ProjectStatus.CLOSED:
        return 0
    pending = Assignment.objects.filter(
        project=project, status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.RETURNED]
    ).aggregate(n=Count("pk"))["n"]
    # Lock the escrow row so two settlements never both count the same balance.
    escrow = Account.objects.select_for_update().get(pk=escrow_account(project).pk)
    refund = escrow.balance - pending * project.unit_cost
    if refund <= 0:
        return 0
    ledger_post(
        key=f"{key}:refund",
        kind="project_refund",
        legs=[(escrow, -refund), (organization_account(project.organization), refund)],
        actor=actor,
        project_id=project.pk,
        memo=f"unused budget of {project.name}",
    )
    return refund
