"""What the work app calls on its hot path: one call each in claim, skip and submit.

``restriction_check`` is a single indexed lookup; ``gold_claim`` is constant work (see
``gold``); ``on_submit`` and ``on_skip`` update the worker's counters with conditional /
F() updates and check the project's rules, all inside the work app's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import DomainError
from datadam.projects.models import Item
from datadam.work.models import Assignment, Submission

from .gold import gold_claim, gold_score, stats_row
from .models import QualityPolicy, QualityRule, RuleKind, WorkerQuality
from .rules import GOLD_POLICY, blocking_hit, fire, hit_apply, restriction_message, rule_in_force

__all__ = ["Restricted", "gold_claim", "on_skip", "on_submit", "restriction_check"]


class Restricted(DomainError):
    """The worker is paused, removed or suspended (a rule hit in force)."""

    status = 403
    code = "restricted"


def restriction_check(*, worker: Any, project_id: int, now: Any = None) -> None:
    """Refuse the claim of a worker restricted here or on the whole platform."""
    hit = blocking_hit(worker_id=worker.pk, project_id=project_id, now=now or timezone.now())
    if hit is not None:
        raise Restricted(restriction_message(hit), details={"hit": hit.pk, "action": hit.action})


def _rules(project_id: int, *kinds: str) -> list[QualityRule]:
    return list(QualityRule.objects.filter(project_id=project_id, enabled=True, kind__in=kinds))


def on_skip(*, assignment: Any) -> None:
    """Count a skip; fire the skips-in-a-row rules at their count."""
    stats = stats_row(assignment.worker_id, assignment.project_id)
    WorkerQuality.objects.filter(pk=stats.pk).update(skips_in_row=F("skips_in_row") + 1)
    rules = _rules(assignment.project_id, RuleKind.SKIPS)
    if not rules:
        return
    skips = WorkerQuality.objects.filter(pk=stats.pk).values_list("skips_in_row", flat=True)[0]
    now = timezone.now()
    for rule in rules:
        if skips >= rule.params["count"]:
            fire(rule=rule, worker_id=assignment.worker_id, now=now,
                 key=f"{assignment.worker_id}:skip:{assignment.pk}",
                 reason=_("%(n)s tasks skipped in a row") % {"n": skips})


def on_submit(*, submission: Submission, assignment: Any) -> None:
    """Score a gold answer or count an ordinary one, then check the project's rules."""
    now = timezone.now()
    worker_id, project_id = assignment.worker_id, assignment.project_id
    stats = stats_row(worker_id, project_id)
    gold = (
        Item.objects.filter(pk=assignment.item_id, gold__isnull=False)
        .values_list("gold", flat=True)
        .first()
    )
    if gold is not None:
        correct = gold_score(submission=submission, assignment=assignment, gold=gold)
        WorkerQuality.objects.filter(pk=stats.pk).update(
            gold_answered=F("gold_answered") + 1,
            gold_correct=F("gold_correct") + int(correct),
            skips_in_row=0,
        )
        stats.refresh_from_db()
        _gold_checks(stats, now)
        return
    today = timezone.localdate(now)
    if not WorkerQuality.objects.filter(pk=stats.pk, day=today).update(
        answers=F("answers") + 1, day_answers=F("day_answers") + 1, skips_in_row=0
    ):
        WorkerQuality.objects.filter(pk=stats.pk).update(
            answers=F("answers") + 1, day=today, day_answers=1, skips_in_row=0
        )
    for rule in _rules(project_id, RuleKind.FAST, RuleKind.DAILY_CAP):
        if rule.kind == RuleKind.FAST:
            _check_fast(rule, submission, worker_id, now)
        else:
            day_answers = WorkerQuality.objects.filter(pk=stats.pk).values_list(
                "day_answers", flat=True
            )[0]
            if day_answers >= rule.params["count"]:
                fire(rule=rule, worker_id=worker_id, now=now, key=f"{worker_id}:day:{today}",
                     reason=_("daily cap of %(n)s answers reached") % {"n": rule.params["count"]})


def _check_fast(rule: QualityRule, submission: Submission, worker_id: int, now: Any) -> None:
    """M answers under N seconds among the worker's last K answers in the project."""
    limit_ms = rule.params["seconds"] * 1000
    if submission.duration_ms >= limit_ms:
        return
    window = rule.params["window"]
    # The worker's latest answered assignments here (assignment_mine_idx, newest first),
    # then their answers: bounded by the window, whatever the size of the project.
    answered = Assignment.objects.filter(
        worker_id=worker_id, project_id=rule.project_id, submitted_at__isnull=False
    ).order_by("-pk").values_list("pk", flat=True)[:window]
    recent = list(
        Submission.objects.filter(assignment_id__in=list(answered))
        .order_by("-pk")
        .values_list("duration_ms", flat=True)[:window]
    )
    fast = sum(1 for ms in recent if ms < limit_ms)
    if fast >= rule.params["count"]:
        fire(rule=rule, worker_id=worker_id, now=now, key=f"{worker_id}:fast:{submission.pk}",
             reason=_("%(fast)s of the last %(n)s answers took under %(s)s seconds")
             % {"fast": fast, "n": len(recent), "s": rule.params["seconds"]})


def _gold_checks(stats: WorkerQuality, now: Any) -> None:
    """The policy's threshold action, then the gold-accuracy rules."""
    n, correct = stats.gold_answered, stats.gold_correct
    reason = _("gold accuracy %(acc)s%% after %(n)s gold answers") % {
        "acc": stats.accuracy, "n": n}
    policy = QualityPolicy.objects.filter(project_id=stats.project_id).first()
    if (
        policy is not None
        and n >= policy.gold_min_answers
        and correct * 100 < policy.gold_threshold * n
        and not rule_in_force(rule_id=None, kind=GOLD_POLICY, worker_id=stats.worker_id,
                              project_id=stats.project_id, now=now)
    ):
        hit_apply(worker_id=stats.worker_id, project_id=stats.project_id, kind=GOLD_POLICY,
                  action=policy.gold_action, reason=reason, pause_hours=policy.gold_pause_hours,
                  key=f"gold:{stats.project_id}:{stats.worker_id}:{n}", now=now)
    for rule in _rules(stats.project_id, RuleKind.GOLD):
        if n >= rule.params["min_answers"] and correct * 100 < rule.params["threshold"] * n:
            fire(rule=rule, worker_id=stats.worker_id, now=now,
                 key=f"{stats.worker_id}:gold:{n}", reason=reason)
