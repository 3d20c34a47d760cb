"""Gold questions: funding them, serving them inside the claim, scoring them on submit.

Both hooks run inside the work app's transactions (the claim holds the worker's row lock;
the submit holds the assignment's), so they add a few indexed statements and no scans.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.rewards.services import escrow_account, ledger_post, organization_account

from .models import QualityPolicy, WorkerQuality

MAX_GOLD_RATE = 50


def stats_row(worker_id: int, project_id: int) -> WorkerQuality:
    """The (worker, project) counters, created on first use (a racing insert is reused)."""
    return WorkerQuality.objects.get_or_create(worker_id=worker_id, project_id=project_id)[0]


def expected_gold(*, answers: int, rate: int) -> int:
    """Gold answers expected alongside ``answers`` ordinary ones at ``rate`` percent."""
    if rate <= 0 or answers <= 0:
        return 0
    return math.ceil(answers * rate / (100 - rate))


def gold_fund(*, user: Any, project: Project) -> int:
    """Move the pay of the expected gold answers into escrow (the top-up since last time).

    Called with the project row locked, after ``items_count`` changed or the rate rose.
    Each funded gold answer adds one to ``gold_left``, which serving a gold item reserves.
    """
    policy = QualityPolicy.objects.select_for_update().filter(project_id=project.pk).first()
    if policy is None or policy.gold_rate == 0:
        return 0
    needed = expected_gold(answers=project.items_count * project.overlap, rate=policy.gold_rate)
    extra = needed - policy.gold_funded
    if extra <= 0:
        return 0
    amount = extra * project.reward
    if amount:
        ledger_post(
            key=f"project:{project.pk}:gold:{policy.gold_funded}-{needed}",
            kind="project_fund",
            legs=[
                (organization_account(project.organization), -amount),
                (escrow_account(project), amount),
            ],
            actor=user,
            project_id=project.pk,
            memo=f"budget for {extra} gold answers of {project.name}",
        )
    QualityPolicy.objects.filter(pk=policy.pk).update(
        gold_funded=needed, gold_left=F("gold_left") + extra
    )
    return amount


def _gold_turn(stats: WorkerQuality, rate: int) -> bool:
    """Whether this claim serves gold: random at ``rate`` %, kept within one of the rate."""
    behind = rate * (stats.answers + stats.gold_served + 1) / 100 - stats.gold_served
    if behind >= 1:
        return True
    if behind < 0:
        return False
    return random.random() * 100 < rate


def gold_claim(
    *, worker: Any, project_id: int, lease_seconds: int, now: Any, rate: int | None = None
) -> Any:
    """Lease a gold item at the policy's rate, or None to let the ordinary pick run.

    Inside the claim's transaction with the worker's row locked. Constant work: the policy
    row, the worker's counters, one probe of item_open_idx (gold only while ordinary work
    remains), one seek in item_gold_idx past the worker's cursor (gold items go to each
    worker in id order, so one they had is never picked again), a conditional decrement of
    the funded gold budget, then the same Assignment an ordinary claim creates. ``rate``:
    the funded policy's gold rate when the caller read it already (``hooks.gold_rate_sql``).
    """
    from datadam.work.models import Assignment

    if rate is None:
        rate = (
            QualityPolicy.objects.filter(project_id=project_id, gold_rate__gt=0, gold_left__gt=0)
            .values_list("gold_rate", flat=True)
            .first()
        )
    if not rate:
        return None
    stats = stats_row(worker.pk, project_id)
    if not _gold_turn(stats, rate):
        return None
    # One probe of item_open_idx (a range on project, as in the ordinary pick, so the planner
    # never walks the project's full items instead): no ordinary work left, no gold.
    if not Item.objects.filter(
        project_id__gte=project_id, project_id__lte=project_id, slots_open__gt=0
    ).order_by("project_id", "priority", "id").values_list("pk", flat=True)[:1]:
        return None
    item = (
        Item.objects.filter(
            project_id__gte=project_id,
            project_id__lte=project_id,
            gold__isnull=False,
            pk__gt=stats.last_gold_item,
        )
        .order_by("project_id", "id")
        .only("id", "project_id", "data")
        .first()
    )
    if item is None:
        return None
    if not QualityPolicy.objects.filter(project_id=project_id, gold_left__gt=0).update(
        gold_left=F("gold_left") - 1
    ):
        return None  # the funded gold budget is spent: escrow could not pay another
    WorkerQuality.objects.filter(pk=stats.pk).update(
        gold_served=F("gold_served") + 1, last_gold_item=item.pk
    )
    assignment = Assignment.objects.create(
        project_id=project_id,
        item=item,
        worker=worker,
        leased_at=now,
        expires_at=now + timedelta(seconds=lease_seconds),
    )
    audit_record(
        actor=worker,
        action="assignment.claim",
        target=assignment,
        project_id=project_id,
        data={"item": item.pk, "gold": True},
    )
    return assignment


def gold_unreserve(*, project_id: int) -> None:
    """A served gold task was skipped or expired: its reservation goes back to the funded
    budget (``gold_left``), so another gold item can be served in its place. Called in the
    transaction that moved the assignment out of 'leased' by a conditional update, so each
    lease gives back at most once; an expired or skipped lease can never be paid."""
    QualityPolicy.objects.filter(project_id=project_id).update(gold_left=F("gold_left") + 1)


def answer_text(kind: Any, answer: dict[str, Any]) -> str:
    """An answer as a worker reads it (labels, or the JSON)."""
    labels = kind.labels_of(answer)
    return ", ".join(labels) if labels else str(answer)


def gold_score(*, submission: Any, assignment: Any, gold: Any) -> bool:
    """Decide a gold submission at once: right → approved and paid, wrong → rejected.

    Runs in the submit's transaction with the assignment locked; the review path pays
    exactly once (one review per submission, unique ledger keys).
    """
    from datadam.review.models import Decision, ReasonCode
    from datadam.review.services import review_automatic

    project = assignment.project
    kind = get_kind(project.kind)
    correct = kind.answer_matches(submission.answer, gold, project.config)
    if correct:
        review_automatic(assignment=assignment, submission=submission, decision=Decision.APPROVE,
                         comment=_("gold answer correct"))
    elif kind.crowd_labels:
        review_automatic(
            assignment=assignment,
            submission=submission,
            decision=Decision.REJECT,
            reason_code=ReasonCode.WRONG_ANSWER,
            comment=_("gold mismatch: the correct answer is %(answer)s")
            % {"answer": answer_text(kind, gold)},
        )
    else:  # shapes, points, text: say how close the answer came and what was expected
        score = kind.score_answer(submission.answer, gold, project.config)
        review_automatic(
            assignment=assignment,
            submission=submission,
            decision=Decision.REJECT,
            reason_code=ReasonCode.WRONG_ANSWER,
            comment=_("gold mismatch: your answer scored %(score).2f; right means %(rule)s. "
                      "The known answer: %(answer)s")
            % {"score": score, "rule": kind.correctness(project.config),
               "answer": kind.summary(gold)},
        )
    return correct
