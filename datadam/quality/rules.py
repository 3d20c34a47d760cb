"""Rules: their parameters, applying an action (a hit), and the triggers checked on work.

Each trigger fires at most once while an earlier hit of the same rule for the same worker
is still in force, and every hit has a unique key naming its event, so retries and the
periodic job never apply an action twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import InvalidInput, whole_number

from .models import QualityRule, RuleAction, RuleHit, RuleKind

GOLD_POLICY = "gold_policy"  # the kind of hits made by the gold policy's own threshold
WARNING_HOURS = 24  # how long a warning shows (and keeps its rule from firing again)
MAX_PAUSE_HOURS = 24 * 365

# Each rule kind's numbers: name → (lowest, highest, default).
PARAMS: dict[str, dict[str, tuple[int, int, int]]] = {
    RuleKind.FAST: {"seconds": (1, 3600, 5), "count": (1, 100, 3), "window": (1, 100, 10)},
    RuleKind.SKIPS: {"count": (2, 1000, 10)},
    RuleKind.GOLD: {"min_answers": (1, 1000, 5), "threshold": (0, 100, 70)},
    RuleKind.AGREEMENT: {"min_answers": (1, 10_000, 10), "threshold": (0, 100, 50)},
    RuleKind.DAILY_CAP: {"count": (1, 100_000, 500)},
}


def validate_rule(
    *, kind: Any, params: Any, action: Any, pause_hours: Any
) -> tuple[str, dict[str, int], str, int]:
    """Check a rule's fields; unknown numbers are refused, missing ones take defaults."""
    if kind not in PARAMS:
        raise InvalidInput(_("kind must be one of %(kinds)s") % {"kinds": ", ".join(PARAMS)})
    if action not in RuleAction.values:
        raise InvalidInput(
            _("action must be one of %(actions)s") % {"actions": ", ".join(RuleAction.values)}
        )
    if not isinstance(params, dict):
        raise InvalidInput(_("params must be an object"))
    spec = PARAMS[kind]
    unknown = set(params) - set(spec)
    if unknown:
        raise InvalidInput(_("unknown params: %(names)s") % {"names": ", ".join(sorted(unknown))})
    clean: dict[str, int] = {}
    for name, (low, high, default) in spec.items():
        clean[name] = whole_number(name, params.get(name, default), low, high)
    if kind == RuleKind.FAST and clean["count"] > clean["window"]:
        raise InvalidInput(_("count must not exceed window"))
    whole_number("pause_hours", pause_hours, 1, MAX_PAUSE_HOURS)
    return kind, clean, action, pause_hours


def in_force(now: datetime) -> Q:
    """Hits still in force: not lifted and not past their end."""
    return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gt=now))


def blocking_hits(*, worker_id: int, now: datetime) -> QuerySet[RuleHit]:
    """A worker's pauses, removals and suspensions in force (rule_hit_blocking_idx)."""
    return (
        RuleHit.objects.filter(worker_id=worker_id)
        .filter(in_force(now))
        .exclude(action=RuleAction.WARN)
    )


def restricted_projects(*, worker_id: int, now: datetime) -> Exists:
    """True for a project row (``OuterRef("pk")``) the worker is kept from: a blocking hit
    on it, or a platform-wide one. The feed leaves such projects out, as the claim
    refuses them."""
    return Exists(
        blocking_hits(worker_id=worker_id, now=now).filter(
            Q(project_id=OuterRef("pk")) | Q(project__isnull=True)
        )
    )


def blocking_hit(*, worker_id: int, project_id: int, now: datetime) -> RuleHit | None:
    """The restriction keeping a worker from a project, if any: one lookup along
    rule_hit_blocking_idx (a worker's unlifted pauses, removals and suspensions)."""
    return (
        blocking_hits(worker_id=worker_id, now=now)
        .filter(Q(project_id=project_id) | Q(project__isnull=True))
        .order_by("project_id", "-id")
        .first()
    )


def restriction_message(hit: RuleHit) -> str:
    if hit.action == RuleAction.SUSPEND:
        return _("Your account is suspended from taking tasks: %(reason)s. You can appeal "
                 "on your quality page.") % {"reason": hit.reason_text()}
    if hit.action == RuleAction.REMOVE:
        return _("You were removed from this project: %(reason)s. You can appeal on your "
                 "quality page.") % {"reason": hit.reason_text()}
    until = date_format(timezone.localtime(hit.until), "DATETIME_FORMAT") if hit.until else ""
    return _("You are paused in this project until %(until)s: %(reason)s. You can appeal on "
             "your quality page.") % {"until": until, "reason": hit.reason_text()}


def _end_of_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def hit_apply(
    *,
    worker_id: int,
    project_id: int,
    kind: str,
    action: str,
    reason: str,
    key: str,
    reason_params: dict[str, Any] | None = None,
    rule: QualityRule | None = None,
    pause_hours: int = 24,
    now: datetime | None = None,
) -> RuleHit | None:
    """Record a rule hit and apply its action; None when ``key`` was applied before.

    Warn: shown to the worker for a day. Pause: this project for ``pause_hours`` (a daily
    cap pauses until midnight). Remove: this project until lifted. Suspend: every project
    until an operator lifts it.
    """
    now = now or timezone.now()
    until: datetime | None = None
    if action == RuleAction.WARN:
        until = now + timedelta(hours=WARNING_HOURS)
    elif action == RuleAction.PAUSE:
        until = _end_of_day(now) if kind == RuleKind.DAILY_CAP else now + timedelta(
            hours=pause_hours
        )
    try:
        with transaction.atomic():
            hit = RuleHit.objects.create(
                worker_id=worker_id,
                project_id=None if action == RuleAction.SUSPEND else project_id,
                source_project_id=project_id,
                rule=rule,
                kind=kind,
                action=action,
                reason=reason[:1000],
                reason_params=reason_params,
                key=key[:200],
                until=until,
            )
    except IntegrityError:
        return None  # this event was applied already (a retry or a second job run)
    audit_record(
        actor=None,
        action=f"quality.{action}",
        target=hit,
        project_id=project_id,
        data={"worker": worker_id, "kind": kind, "rule": getattr(rule, "pk", None),
              "reason": reason % reason_params if reason_params else reason},
    )
    return hit


def rule_in_force(*, rule_id: int | None, kind: str, worker_id: int, project_id: int,
                  now: datetime) -> bool:
    """Whether an earlier hit of this rule (or the gold policy) still holds for the worker."""
    qs = RuleHit.objects.filter(worker_id=worker_id, source_project_id=project_id, kind=kind)
    if rule_id is not None:
        qs = qs.filter(rule_id=rule_id)
    return qs.filter(in_force(now)).exists()


def fire(*, rule: QualityRule, worker_id: int, reason: str, key: str,
         now: datetime, reason_params: dict[str, Any] | None = None) -> RuleHit | None:
    """Apply ``rule`` to a worker unless its previous hit is still in force."""
    if rule_in_force(rule_id=rule.pk, kind=rule.kind, worker_id=worker_id,
                     project_id=rule.project_id, now=now):
        return None
    return hit_apply(worker_id=worker_id, project_id=rule.project_id, kind=rule.kind,
                     action=rule.action, reason=reason, reason_params=reason_params,
                     key=f"rule:{rule.pk}:{key}",
                     rule=rule, pause_hours=rule.pause_hours, now=now)
