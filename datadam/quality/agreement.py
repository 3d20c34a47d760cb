"""The periodic agreement check: each worker's answers against the majority of the others.

Run by the task worker (``tasks.agreement_task``). Idempotent: a worker is judged once per
number of compared answers (the hit key) and not again while a hit of the rule is in force.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from datadam.projects.models import ProjectStatus
from datadam.work.models import AssignmentStatus, Submission

from .models import QualityRule, RuleHit, RuleKind
from .rules import fire

RECENT_ANSWERS = 5000  # the newest answers of a project looked at per run (bounded work)


def worker_agreement(answers: list[tuple[int, int, str]]) -> dict[int, tuple[int, int]]:
    """(item, worker, answer key) rows → worker → (agreeing, compared).

    An answer is compared when at least two other workers answered the item; it agrees
    when it equals the most common of their answers (a tie counts as agreement).
    """
    by_item: dict[int, dict[int, str]] = defaultdict(dict)
    for item_id, worker_id, key in answers:
        by_item[item_id][worker_id] = key
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for per_worker in by_item.values():
        if len(per_worker) < 3:
            continue
        total = Counter(per_worker.values())
        for worker_id, key in per_worker.items():
            others = total.copy()
            others[key] -= 1
            top = max(others.values())
            out[worker_id][1] += 1
            out[worker_id][0] += int(others[key] == top)
    return {w: (a, n) for w, (a, n) in out.items()}


def _answers(project_id: int) -> list[tuple[int, int, str, int]]:
    """The newest answers of a project: (item, worker, answer key, submission id)."""
    rows = (
        Submission.objects.filter(
            assignment__project_id=project_id,
            assignment__item__gold__isnull=True,
            assignment__status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED],
        )
        .order_by("-pk")
        .values_list("assignment__item_id", "assignment__worker_id", "answer", "pk")[
            :RECENT_ANSWERS
        ]
    )
    return [
        (i, w, orjson.dumps(a, option=orjson.OPT_SORT_KEYS).decode(), pk)
        for i, w, a, pk in rows
    ]


def agreement_evaluate(*, project_id: int | None = None) -> dict[str, int]:
    """Apply every enabled agreement rule (of one project, or all running ones)."""
    rules = QualityRule.objects.filter(
        kind=RuleKind.AGREEMENT, enabled=True,
        project__status__in=[ProjectStatus.OPEN, ProjectStatus.PAUSED],
    ).order_by("project_id", "pk")
    if project_id is not None:
        rules = rules.filter(project_id=project_id)
    by_project: dict[int, list[QualityRule]] = defaultdict(list)
    for rule in rules:
        by_project[rule.project_id].append(rule)
    hits = 0
    now = timezone.now()
    for pid, project_rules in by_project.items():
        rows = _answers(pid)
        scores = worker_agreement([row[:3] for row in rows])
        # A hit's key names the worker's newest answer judged: a rerun over the same answers
        # repeats the key (applied once), new answers make a new one. (The count compared
        # is no key: over a sliding window it can come back to an earlier value.)
        newest: dict[int, int] = {}
        for _item, worker_id, _key, pk in rows:
            newest[worker_id] = max(newest.get(worker_id, 0), pk)
        for worker_id, (agree, compared) in sorted(scores.items()):
            for rule in project_rules:
                if compared < rule.params["min_answers"]:
                    continue
                if agree * 100 >= rule.params["threshold"] * compared:
                    continue
                with transaction.atomic():
                    hit: RuleHit | None = fire(
                        rule=rule, worker_id=worker_id, now=now,
                        reason=gettext_noop(
                            "%(pct)s%% agreement with the majority over %(n)s answers"
                        ),
                        reason_params={"pct": round(100 * agree / compared), "n": compared},
                        key=f"{worker_id}:agreement:{newest[worker_id]}")
                hits += hit is not None
    return {"projects": len(by_project), "hits": hits}
