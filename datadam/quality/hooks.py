"""What the work app calls on its hot path: one call each in claim, skip and submit.

``restriction_check`` is a single indexed lookup; ``gold_claim`` is constant work (see
``gold``); ``on_submit`` and ``on_skip`` update the worker's counters with conditional /
F() updates and check the project's rules, all inside the work app's transaction.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from datadam.errors import DomainError
from datadam.projects.models import Item
from datadam.rawsql import insert_parts, q, table
from datadam.work.models import Assignment, Submission

from .gold import gold_claim, gold_score
from .models import QualityPolicy, QualityRule, RuleAction, RuleHit, RuleKind, WorkerQuality
from .rules import GOLD_POLICY, blocking_hit, fire, hit_apply, restriction_message, rule_in_force

__all__ = [
    "Restricted",
    "answer_count_sql",
    "gold_claim",
    "gold_rate_sql",
    "on_skip",
    "on_submit",
    "restricted_sql",
    "restriction_check",
    "rules_sql",
]


class Restricted(DomainError):
    """The worker is paused, removed or suspended (a rule hit in force)."""

    status = 403
    code = "restricted"


@cache
def restricted_sql() -> str:
    """An SQL condition for a claim's project row ``p``: a pause, removal or suspension of
    the worker (first parameter) in force at the time (second parameter) keeps them from
    ``p``. The same hits as ``rules.blocking_hit``, on rule_hit_blocking_idx."""
    return (
        f"EXISTS (SELECT 1 FROM {table(RuleHit)} h WHERE h.worker_id = %s"
        f" AND h.lifted_at IS NULL AND h.action <> '{RuleAction.WARN.value}'"
        " AND (h.project_id = p.id OR h.project_id IS NULL)"
        " AND (h.until IS NULL OR h.until > %s))"
    )


@cache
def gold_rate_sql() -> str:
    """An SQL value for a claim's project row ``p``: the gold rate of its policy while the
    policy serves gold (rate above 0, funded gold left), else NULL (no gold query then)."""
    return (
        f"(SELECT g.gold_rate FROM {table(QualityPolicy)} g WHERE g.project_id = p.id"
        " AND g.gold_rate > 0 AND g.gold_left > 0)"
    )


def restriction_check(*, worker: Any, project_id: int, now: Any = None) -> None:
    """Refuse the claim of a worker restricted here or on the whole platform."""
    hit = blocking_hit(worker_id=worker.pk, project_id=project_id, now=now or timezone.now())
    if hit is not None:
        raise Restricted(restriction_message(hit), details={"hit": hit.pk, "action": hit.action})


#: Rule kinds checked on submit and skip (gold-accuracy rules only after a gold answer).
HOOK_KINDS = (RuleKind.FAST, RuleKind.DAILY_CAP, RuleKind.SKIPS)


@cache
def rules_sql() -> str:
    """An SQL condition for a project row ``p``: it has enabled rules of ``HOOK_KINDS``.
    Submit and skip read it with the assignment, so a project without rules costs no
    rule query (quality_rule_project_idx)."""
    kinds = ", ".join(f"'{kind.value}'" for kind in HOOK_KINDS)
    return (
        f"EXISTS (SELECT 1 FROM {table(QualityRule)} r WHERE r.project_id = p.id"
        f" AND r.kind IN ({kinds}) AND r.enabled)"
    )


def _rules(project_id: int, *kinds: str) -> list[QualityRule]:
    return list(QualityRule.objects.filter(project_id=project_id, enabled=True, kind__in=kinds))


def _count_sql(worker_id: int, project_id: int, new: dict[str, Any], sets: str,
               params: list[Any], returning: tuple[str, ...]) -> tuple[str, list[Any]]:
    """(SQL, params) creating or updating the (worker, project) counters in one statement
    (an upsert on the unique (worker, project) key; SQLite and PostgreSQL both have it): a
    new row gets ``new`` (other counters their defaults), an existing one ``sets``, which
    refers to the row's current values as ``w.<column>``. Returns ``returning``'s values."""
    t = table(WorkerQuality)
    cols, exprs, values = insert_parts(
        WorkerQuality, {"worker_id": worker_id, "project_id": project_id, **new}
    )
    sql = (
        f"INSERT INTO {t} ({cols}) VALUES ({exprs})"
        f" ON CONFLICT ({q('worker_id')}, {q('project_id')}) DO UPDATE SET"
        f" {sets.replace('w.', t + '.')} RETURNING {', '.join(q(c) for c in returning)}"
    )
    return sql, [*values, *params]


def _count(*args: Any) -> tuple:
    """Run ``_count_sql(*args)``: the counters' returned values."""
    sql, params = _count_sql(*args)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def answer_count_sql(*, worker_id: int, project_id: int, now: Any) -> tuple[str, list[Any]]:
    """(SQL, params) counting an ordinary answer (answers, the day's answers, the skip streak
    reset), returning the day's answers: the work app runs it inside the submit's own
    statement on PostgreSQL and passes the result to ``on_submit`` as ``counted``."""
    today = timezone.localdate(now)
    day = connection.ops.adapt_datefield_value(today)
    return _count_sql(
        worker_id, project_id, {"answers": 1, "day": today, "day_answers": 1},
        "answers = w.answers + 1,"
        " day_answers = CASE WHEN w.day = %s THEN w.day_answers + 1 ELSE 1 END,"
        " day = %s, skips_in_row = 0", [day, day], ("day_answers",),
    )


def on_skip(*, assignment: Any, rules: bool = True) -> None:
    """Count a skip; fire the skips-in-a-row rules at their count. ``rules``: False when the
    caller knows the project has no enabled rules of ``HOOK_KINDS``."""
    (skips,) = _count(
        assignment.worker_id, assignment.project_id, {"skips_in_row": 1},
        "skips_in_row = w.skips_in_row + 1", [], ("skips_in_row",),
    )
    if not rules:
        return
    found = _rules(assignment.project_id, RuleKind.SKIPS)
    if not found:
        return
    now = timezone.now()
    for rule in found:
        if skips >= rule.params["count"]:
            fire(rule=rule, worker_id=assignment.worker_id, now=now,
                 key=f"{assignment.worker_id}:skip:{assignment.pk}",
                 reason=gettext_noop("%(n)s tasks skipped in a row"), reason_params={"n": skips})


_UNKNOWN: Any = object()


def on_submit(
    *,
    submission: Submission,
    assignment: Any,
    gold: Any = _UNKNOWN,
    rules: bool = True,
    counted: tuple | None = None,
) -> None:
    """Score a gold answer or count an ordinary one, then check the project's rules.

    ``gold``: the item's gold answer (None for an ordinary item) when the caller read it;
    ``rules``: False when the caller knows the project has no enabled rules of
    ``HOOK_KINDS``; ``counted``: what ``answer_count_sql`` returned when the caller ran it
    (an ordinary item). An ordinary answer in a project without rules is one statement, or
    none with ``counted``.
    """
    now = timezone.now()
    worker_id, project_id = assignment.worker_id, assignment.project_id
    if gold is _UNKNOWN:
        gold = (
            Item.objects.filter(pk=assignment.item_id, gold__isnull=False)
            .values_list("gold", flat=True)
            .first()
        )
    if gold is not None:
        correct = int(gold_score(submission=submission, assignment=assignment, gold=gold))
        answered, right = _count(
            worker_id, project_id, {"gold_answered": 1, "gold_correct": correct},
            "gold_answered = w.gold_answered + 1, gold_correct = w.gold_correct + %s,"
            " skips_in_row = 0", [correct], ("gold_answered", "gold_correct"),
        )
        stats = WorkerQuality(
            worker_id=worker_id, project_id=project_id, gold_answered=answered,
            gold_correct=right,
        )
        _gold_checks(stats, now)
        return
    today = timezone.localdate(now)
    if counted is None:
        sql, params = answer_count_sql(worker_id=worker_id, project_id=project_id, now=now)
        with connection.cursor() as cur:
            cur.execute(sql, params)
            counted = cur.fetchone()
    (day_answers,) = counted
    if not rules:
        return
    for rule in _rules(project_id, RuleKind.FAST, RuleKind.DAILY_CAP):
        if rule.kind == RuleKind.FAST:
            _check_fast(rule, submission, worker_id, now)
        else:
            if day_answers >= rule.params["count"]:
                fire(rule=rule, worker_id=worker_id, now=now, key=f"{worker_id}:day:{today}",
                     reason=gettext_noop("daily cap of %(n)s answers reached"),
                     reason_params={"n": rule.params["count"]})


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
             reason=gettext_noop("%(fast)s of the last %(n)s answers took under %(s)s seconds"),
             reason_params={"fast": fast, "n": len(recent), "s": rule.params["seconds"]})


def _gold_checks(stats: WorkerQuality, now: Any) -> None:
    """The policy's threshold action, then the gold-accuracy rules."""
    n, correct = stats.gold_answered, stats.gold_correct
    reason = gettext_noop("gold accuracy %(acc)s%% after %(n)s gold answers")
    params = {"acc": stats.accuracy, "n": n}
    policy = QualityPolicy.objects.filter(project_id=stats.project_id).first()
    if (
        policy is not None
        and n >= policy.gold_min_answers
        and correct * 100 < policy.gold_threshold * n
        and not rule_in_force(rule_id=None, kind=GOLD_POLICY, worker_id=stats.worker_id,
                              project_id=stats.project_id, now=now)
    ):
        hit_apply(worker_id=stats.worker_id, project_id=stats.project_id, kind=GOLD_POLICY,
                  action=policy.gold_action, reason=reason, reason_params=params,
                  pause_hours=policy.gold_pause_hours,
                  key=f"gold:{stats.project_id}:{stats.worker_id}:{n}", now=now)
    for rule in _rules(stats.project_id, RuleKind.GOLD):
        if n >= rule.params["min_answers"] and correct * 100 < rule.params["threshold"] * n:
            fire(rule=rule, worker_id=stats.worker_id, now=now,
                 key=f"{stats.worker_id}:gold:{n}", reason=reason, reason_params=params)
