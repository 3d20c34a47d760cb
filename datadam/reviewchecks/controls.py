"""Control answers in review batches, and scoring a reviewer's decisions on them.

A control is a gold item (``Item.gold``) shown as if a worker had answered it: with its gold
answer (known-good: approving is right) or with the kind's ``wrong_answer`` (known-bad:
rejecting or returning is right). Controls are built on the fly; only the reviewer's
decision is stored (``ControlDecision``). A control's card carries an id in a range no
submission uses (``CONTROL_ID_BASE`` and up), so ``review_decide`` can route it here; a
secret bit per item keeps the id from telling a good control from a bad one.

No gold leaks to workers: a reviewer who is also a worker only gets controls from gold items
they have answered already, which no worker is ever given twice.
"""

from __future__ import annotations

import hashlib
import hmac
import statistics
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, NotFound
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.review.models import Decision, Review
from datadam.work.models import Assignment, AssignmentStatus, Submission

from .models import ControlDecision, ReviewerBlock
from .scoring import reviewer_evaluate

CONTROL_ID_BASE = 1 << 48
CONTROL_EVERY = 8  # one control per this many real answers in a batch, at least one
CANDIDATES = 200


def _flip(item_id: int) -> int:
    """A secret bit per item, so an id's parity does not tell a good control from a bad one."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"control:{item_id}".encode(), "sha256")
    return digest.digest()[0] & 1


def control_id(item_id: int, good: bool) -> int:
    return CONTROL_ID_BASE + item_id * 2 + (int(good) ^ _flip(item_id))


def parse_control_id(public_id: int) -> tuple[int, bool] | None:
    """(item id, good) of a control id, or None for an ordinary submission id."""
    if public_id < CONTROL_ID_BASE:
        return None
    item_id, bit = divmod(public_id - CONTROL_ID_BASE, 2)
    return item_id, bool(bit ^ _flip(item_id))


def _order(reviewer_id: int, item_id: int, good: bool) -> str:
    return hashlib.sha256(f"{reviewer_id}:{item_id}:{int(good)}".encode()).hexdigest()


def _eligible_items(reviewer: Any, project: Project) -> list[Item]:
    items = Item.objects.filter(project=project, gold__isnull=False)
    if reviewer.is_worker:
        # Only gold the reviewer has answered already: they can never be given it again.
        items = items.filter(assignments__worker=reviewer)
    return list(items.order_by("pk")[:CANDIDATES])


def _fake(project: Project, item: Item, good: bool, answer: Any, like: Submission,
          duration: int) -> Submission:
    pk = control_id(item.pk, good)
    at = like.created_at or timezone.now()
    assignment = Assignment(
        pk=pk, project=project, item=item, worker_id=like.assignment.worker_id,
        status=AssignmentStatus.SUBMITTED, leased_at=at - timedelta(milliseconds=duration),
        expires_at=at, submitted_at=at, revisions=0,
    )
    sub = Submission(pk=pk, assignment=assignment, revision=0, answer=answer,
                     duration_ms=duration)
    sub.created_at = at
    return sub


def controls_interleave(
    *, reviewer: Any, project: Project, submissions: list[Submission]
) -> list[Submission]:
    """The batch with undecided controls mixed in at stable places (same page on reload).

    An empty batch stays empty: a batch of controls alone would give them away.
    """
    if not submissions or not reviewer.is_active:
        return submissions
    kind = get_kind(project.kind)
    config = project.config or {}
    decided = set(
        ControlDecision.objects.filter(reviewer=reviewer, project=project)
        .values_list("item_id", "good")
    )
    pool = []
    for item in _eligible_items(reviewer, project):
        for good in (True, False):
            if (item.pk, good) in decided:
                continue
            answer = item.gold if good else kind.wrong_answer(item.gold, config)
            if answer is not None:
                pool.append((_order(reviewer.pk, item.pk, good), item, good, answer))
    if not pool:
        return submissions
    pool.sort(key=lambda row: row[0])
    wanted = max(1, len(submissions) // CONTROL_EVERY)
    duration = int(statistics.median(s.duration_ms for s in submissions))
    out = list(submissions)
    for key, item, good, answer in pool[:wanted]:
        place = int(key[:8], 16) % (len(out) + 1)
        like = out[min(place, len(out) - 1)]
        out.insert(place, _fake(project, item, good, answer, like, duration))
    return out


def _as_review(row: ControlDecision) -> Review:
    review = Review(
        pk=control_id(row.item_id, row.good), submission_id=control_id(row.item_id, row.good),
        reviewer=row.reviewer, decision=row.decision, reason_code=row.reason_code,
        comment=row.comment,
    )
    review.created_at = row.created_at
    return review


def control_reviews(*, reviewer: Any, project: Project, ids: list[int]) -> dict[int, Review | None]:
    """For the control ids among ``ids``: the reviewer's decision as a Review, or None."""
    wanted = {pid: parsed for pid in ids if (parsed := parse_control_id(pid))}
    if not wanted:
        return {}
    rows = ControlDecision.objects.filter(
        reviewer=reviewer, project=project, item_id__in={p[0] for p in wanted.values()}
    ).select_related("reviewer")
    found = {(r.item_id, r.good): r for r in rows}
    valid = set(
        Item.objects.filter(project=project, gold__isnull=False,
                            pk__in={p[0] for p in wanted.values()}).values_list("pk", flat=True)
    )
    return {
        pid: (_as_review(found[p]) if p in found else None)
        for pid, p in wanted.items() if p[0] in valid
    }


def control_decide(
    *, reviewer: Any, submission_id: int, decision: str, reason_code: str = "",
    comment: str = "",
) -> Review | None:
    """Score a decision on a control, or None when ``submission_id`` is not a control.

    Called first by ``review_decide`` (decision and reason already validated there). The
    decision is stored and scored, applies to no worker and pays nothing. A reviewer whose
    accuracy falls below the threshold is taken off the project (see ``scoring``).
    """
    parsed = parse_control_id(submission_id)
    if parsed is None:
        return None
    from datadam.review.services import may_review

    item_id, good = parsed
    item = Item.objects.select_related("project").filter(pk=item_id, gold__isnull=False).first()
    if item is None or not may_review(reviewer, item.project):
        raise NotFound(_("submission not found"))
    project = item.project
    if reviewer.is_worker and not Assignment.objects.filter(item=item, worker=reviewer).exists():
        raise NotFound(_("submission not found"))
    correct = (decision == Decision.APPROVE) == good
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = ControlDecision.objects.create(
                    reviewer=reviewer, project=project, item=item, good=good,
                    decision=decision, reason_code=reason_code, comment=comment[:5000],
                    correct=correct,
                )
        except IntegrityError:
            raise Conflict(_("this submission has already been reviewed")) from None
        audit_record(
            actor=reviewer, action="reviewcheck.control_decided", target=row,
            project_id=project.pk, organization_id=project.organization_id,
            data={"item": item.pk, "good": good, "decision": decision, "correct": correct},
        )
        reviewer_evaluate(reviewer=reviewer, project=project)
    return _as_review(row)


def control_project(public_id: int) -> Project | None:
    """The project of a control id (None for an ordinary submission id or an unknown one)."""
    parsed = parse_control_id(public_id)
    if parsed is None:
        return None
    return Project.objects.filter(items__pk=parsed[0], items__gold__isnull=False).first()


def reviewer_blocked(user: Any, project: Project) -> bool:
    """Whether the reviewer has been taken off reviewing this project."""
    return ReviewerBlock.objects.filter(project_id=project.pk, reviewer_id=user.pk).exists()
