"""Writes of the quality app: policy, rules, gold import, appeals, lifting restrictions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied, whole_number
from datadam.projects.importing import ImportReport, items_import, parse_records
from datadam.projects.models import ProjectStatus
from datadam.projects.services import project_for_manager

from .gold import MAX_GOLD_RATE, gold_fund
from .models import Appeal, AppealStatus, GoldAction, QualityPolicy, QualityRule, RuleHit
from .rules import in_force, validate_rule

POLICY_FIELDS: dict[str, tuple[int, int]] = {
    "gold_rate": (0, MAX_GOLD_RATE),
    "gold_min_answers": (1, 10_000),
    "gold_threshold": (0, 100),
    "gold_pause_hours": (1, 24 * 365),
}
MAX_MESSAGE = 2000


def policy_get(*, project_id: int) -> QualityPolicy:
    """The project's policy, created with defaults (no gold) on first use."""
    return QualityPolicy.objects.get_or_create(project_id=project_id)[0]


def policy_update(*, user: Any, project_id: int, **fields: Any) -> QualityPolicy:
    """Change a project's gold policy; raising the rate of a running project funds the
    extra gold answers from the organization at once (402 when it cannot pay)."""
    unknown = set(fields) - set(POLICY_FIELDS) - {"gold_action"}
    if unknown:
        raise InvalidInput(_("unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    clean = {
        n: whole_number(n, v, *POLICY_FIELDS[n]) for n, v in fields.items() if n in POLICY_FIELDS
    }
    if "gold_action" in fields:
        if fields["gold_action"] not in GoldAction.values:
            raise InvalidInput(_("gold_action must be one of %(values)s")
                               % {"values": ", ".join(GoldAction.values)})
        clean["gold_action"] = fields["gold_action"]
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        if project.status == ProjectStatus.CLOSED:
            raise Conflict(_("a closed project's quality policy cannot change"))
        policy = policy_get(project_id=project.pk)
        QualityPolicy.objects.filter(pk=policy.pk).update(**clean, updated_at=timezone.now())
        funded = 0
        if project.status in (ProjectStatus.OPEN, ProjectStatus.PAUSED):
            funded = gold_fund(user=user, project=project)
        audit_record(actor=user, action="quality.policy_update", target=project,
                     project_id=project.pk, organization_id=project.organization_id,
                     data={**clean, "funded": funded})
        policy.refresh_from_db()
    return policy


def gold_import(*, user: Any, project_id: int, items: list[Any]) -> ImportReport:
    """Add gold items ({"data", "external_id"?, "gold"}) through the ordinary import."""
    if not isinstance(items, list) or not items:
        raise InvalidInput(_("items must be a non-empty list"))
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "data" not in item or item.get("gold") is None:
            raise InvalidInput(
                _("item %(n)s: a gold item needs data and gold (its correct answer)")
                % {"n": number}
            )
    return items_import(
        user=user, project_id=project_id, lines=parse_records(items), numbered="item"
    )


def rule_create(*, user: Any, project_id: int, kind: Any, params: Any = None,
                action: Any = "warn", pause_hours: Any = 24, enabled: bool = True) -> QualityRule:
    kind, params, action, pause_hours = validate_rule(
        kind=kind, params=params or {}, action=action, pause_hours=pause_hours)
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        rule = QualityRule.objects.create(project=project, kind=kind, params=params,
                                          action=action, pause_hours=pause_hours,
                                          enabled=bool(enabled))
        audit_record(actor=user, action="quality.rule_create", target=rule,
                     project_id=project.pk, organization_id=project.organization_id,
                     data={"kind": kind, "params": params, "action": action})
    return rule


def _own_rule(user: Any, project_id: int, rule_id: int) -> QualityRule:
    project = project_for_manager(user=user, project_id=project_id, lock=True)
    rule = QualityRule.objects.filter(pk=rule_id, project=project).first()
    if rule is None:
        raise NotFound(_("rule not found"))
    return rule


def rule_update(*, user: Any, project_id: int, rule_id: int, **fields: Any) -> QualityRule:
    unknown = set(fields) - {"params", "action", "pause_hours", "enabled"}
    if unknown:
        raise InvalidInput(_("unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        rule = _own_rule(user, project_id, rule_id)
        _kind, params, action, hours = validate_rule(
            kind=rule.kind, params=fields.get("params", rule.params),
            action=fields.get("action", rule.action),
            pause_hours=fields.get("pause_hours", rule.pause_hours))
        rule.params, rule.action, rule.pause_hours = params, action, hours
        if "enabled" in fields:
            rule.enabled = bool(fields["enabled"])
        rule.save()
        audit_record(actor=user, action="quality.rule_update", target=rule,
                     project_id=rule.project_id, data={"params": params, "action": action,
                                                       "enabled": rule.enabled})
    return rule


def rule_delete(*, user: Any, project_id: int, rule_id: int) -> None:
    with transaction.atomic():
        rule = _own_rule(user, project_id, rule_id)
        audit_record(actor=user, action="quality.rule_delete", target=rule,
                     project_id=rule.project_id, data={"kind": rule.kind})
        rule.delete()


def appeal_create(*, worker: Any, hit_id: int, message: str) -> Appeal:
    """A worker appeals one of their own restrictions (once per restriction)."""
    if not isinstance(message, str) or not message.strip():
        raise InvalidInput(_("say why the restriction should be lifted"))
    with transaction.atomic():
        hit = RuleHit.objects.select_for_update().filter(pk=hit_id, worker_id=worker.pk).first()
        if hit is None:
            raise NotFound(_("restriction not found"))
        if not hit.blocking or not RuleHit.objects.filter(
            pk=hit.pk).filter(in_force(timezone.now())).exists():
            raise Conflict(_("only a restriction in force can be appealed"))
        if Appeal.objects.filter(hit=hit).exists():
            raise Conflict(_("this restriction has been appealed already"))
        appeal = Appeal.objects.create(hit=hit, worker=worker, message=message[:MAX_MESSAGE])
        audit_record(actor=worker, action="quality.appeal", target=appeal,
                     project_id=hit.source_project_id, data={"hit": hit.pk})
    return appeal


def appeal_decide(*, operator: Any, appeal_id: int, lift: bool, note: str = "") -> Appeal:
    """An operator accepts an appeal (the restriction is lifted) or refuses it."""
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(_("only operators decide appeals"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None:
            raise NotFound(_("appeal not found"))
        if appeal.status != AppealStatus.PENDING:
            raise Conflict(_("this appeal has been decided already"))
        now = timezone.now()
        appeal.status = AppealStatus.LIFTED if lift else AppealStatus.REFUSED
        appeal.decided_at, appeal.decided_by, appeal.note = now, operator, str(note)[:MAX_MESSAGE]
        appeal.save()
        if lift:
            RuleHit.objects.filter(pk=appeal.hit_id, lifted_at__isnull=True).update(
                lifted_at=now, lifted_by=operator)
        audit_record(actor=operator, action=f"quality.appeal_{appeal.status}", target=appeal,
                     project_id=appeal.hit.source_project_id,
                     data={"hit": appeal.hit_id, "note": appeal.note})
    return appeal
