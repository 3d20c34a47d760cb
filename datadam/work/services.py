"""Claiming, releasing and submitting work: the hot path, constant work per request.

How an item is handed out exactly once is written down in docs/concurrency.md.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from datadam.accounts.models import User
from datadam.audit.services import audit_record
from datadam.datasets.overlap import answer_recorded
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project, ProjectStatus
from datadam.qualifications.eligibility import claim_refusals
from datadam.qualifications.models import ProjectRequirement
from datadam.quality import hooks as quality

from .models import Assignment, AssignmentStatus, Submission

CLAIM_ATTEMPTS = 5
MAX_DURATION_MS = 2**31 - 1  # the largest value the duration columns hold


def _require_worker(user: Any) -> None:
    if not getattr(user, "is_worker", False) or not user.is_active:
        raise PermissionDenied(gettext("only active workers take tasks"))


def leases_expire(*, project_id: int, limit: int, now: Any = None, wait: bool = False) -> int:
    """Expire up to ``limit`` overdue leases of a project and give their slots back.

    Bounded, so a claim can call it first without doing work proportional to the backlog;
    the periodic sweep calls it with a larger limit. Safe to run twice or concurrently:
    each row changes state only by a conditional update from 'leased'. Leases another
    transaction is expiring right now are skipped, or with ``wait`` waited for, so that a
    claim sees the slots they free before it looks for an item.
    """
    now = now or timezone.now()
    due = list(
        Assignment.objects.filter(
            project_id=project_id, status=AssignmentStatus.LEASED, expires_at__lte=now
        )
        .order_by("expires_at", "pk")
        .select_for_update(skip_locked=not wait)
        .values_list("pk", "item_id")[:limit]
    )
    expired = 0
    # Item rows are locked in id order, so two concurrent sweeps never wait on each other
    # in a cycle (overdue leases of different workers can share an item).
    for pk, item_id in sorted(due, key=lambda row: row[1]):
        if Assignment.objects.filter(pk=pk, status=AssignmentStatus.LEASED).update(
            status=AssignmentStatus.EXPIRED, finished_at=now
        ):
            # Gold items hold no slots: only ordinary items get theirs back.
            Item.objects.filter(pk=item_id, gold__isnull=True).update(
                slots_open=F("slots_open") + 1
            )
            expired += 1
    return expired


def _pick_item(project_id: int, worker_id: int, *, wait: bool = False) -> Item | None:
    """The first item with an open slot that this worker has never had (id and data only).

    Walks the partial index (project, id) WHERE slots_open > 0 from the front; rows another
    transaction is claiming right now are skipped on PostgreSQL (SKIP LOCKED), and SQLite
    runs one writer at a time (BEGIN IMMEDIATE), so there is nothing to skip. With ``wait``
    locked rows are waited for instead, and re-checked once their claimer commits.

    The project is matched as a range and the order is (project, id) on purpose: with
    ``project_id = X ... ORDER BY id`` PostgreSQL's planner may walk the primary key instead
    (it cannot tell that the items at the front are full), which reads every finished item
    on each claim and gets slower as the project progresses. Only item_open_idx yields
    (project, id) order for a range, so the plan stays one short walk of open items.
    """
    mine = Assignment.objects.filter(item=OuterRef("pk"), worker_id=worker_id)
    return (
        Item.objects.filter(
            project_id__gte=project_id, project_id__lte=project_id, slots_open__gt=0
        )
        .exclude(Exists(mine))
        .order_by("project_id", "id")
        .select_for_update(skip_locked=not wait)
        .only("id", "project_id", "data")
        .first()
    )


def assignment_claim(*, worker: Any, project_id: int) -> Assignment | None:
    """Lease the next item of a project to a worker, or return None when none is left.

    A worker holds at most one live lease per project: asking again returns it.
    """
    _require_worker(worker)
    now = timezone.now()
    overdue = Assignment.objects.filter(
        project_id=OuterRef("pk"), status=AssignmentStatus.LEASED, expires_at__lte=now
    )
    project = (
        Project.objects.filter(pk=project_id)
        .only("status", "lease_seconds")
        .annotate(
            gated=Exists(ProjectRequirement.objects.filter(pk=OuterRef("pk"))),
            overdue=Exists(overdue),
        )
        .first()
    )
    if project is None:
        raise NotFound(gettext("project not found"))
    if project.status != ProjectStatus.OPEN:
        raise Conflict(
            gettext("project is %(status)s, not open for work")
            % {"status": project.status}
        )
    # Only a project with requirements costs the eligibility query.
    if project.gated and (refusals := claim_refusals(worker=worker, project_id=project_id)):
        raise PermissionDenied(" ".join(refusals), code="not_eligible", details=refusals)
    quality.restriction_check(worker=worker, project_id=project_id, now=now)
    # Overdue leases are expired in a transaction of their own, so the claim below holds no
    # item locks while it waits for other claimers (no lock cycles between claims). Usually
    # none is due, which the project query above already told (assignment_live_idx).
    if project.overdue:
        with transaction.atomic():
            leases_expire(
                project_id=project_id,
                limit=settings.DATADAM["EXPIRE_PER_CLAIM"],
                now=now,
                wait=True,
            )
    for attempt in range(CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                return _claim_locked(worker, project_id, project.lease_seconds, now)
        except IntegrityError:
            # The worker already had the item (impossible while claims of one worker are
            # serialized by the lock on their row; kept as a guard). Everything this attempt
            # did, the slot taken included, was rolled back; try again.
            if attempt == CLAIM_ATTEMPTS - 1:
                raise
    return None


def _claim_locked(worker: Any, project_id: int, lease_seconds: int, now: Any) -> Assignment | None:
    """The claim proper, inside the caller's transaction (see ``assignment_claim``)."""
    # One claim at a time per worker, so two tabs asking at once get the same lease.
    list(
        User.objects.select_for_update(no_key=True)
        .filter(pk=worker.pk)
        .values_list("pk", flat=True)
    )
    live = (
        Assignment.objects.filter(
            worker=worker,
            project_id=project_id,
            status=AssignmentStatus.LEASED,
            expires_at__gt=now,
        )
        .select_related("item")
        .first()
    )
    if live is not None:
        return live
    gold = quality.gold_claim(
        worker=worker, project_id=project_id, lease_seconds=lease_seconds, now=now
    )
    if gold is not None:
        return gold
    for _ in range(CLAIM_ATTEMPTS):
        item = _pick_item(project_id, worker.pk)
        if item is None and connection.features.has_select_for_update_skip_locked:
            # Items being claimed right now were skipped, and their claimers may leave
            # slots open: wait for them before telling the worker nothing is left.
            item = _pick_item(project_id, worker.pk, wait=True)
        if item is None:
            return None
        if not Item.objects.filter(pk=item.pk, slots_open__gt=0).update(
            slots_open=F("slots_open") - 1
        ):
            continue  # another writer took the last slot first; try the next item
        # A duplicate (item, worker) raises IntegrityError: assignment_claim rolls back.
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
            data={"item": item.pk},
        )
        return assignment
    return None


def _own_assignment(worker: Any, assignment_id: int, *, lock: bool) -> Assignment:
    qs = Assignment.objects.select_related("project")
    if lock:
        qs = qs.select_for_update(of=("self",))
    assignment = qs.filter(pk=assignment_id, worker=worker).first()
    if assignment is None:
        raise NotFound(gettext("assignment not found"))
    return assignment


def assignment_release(*, worker: Any, assignment_id: int) -> Assignment:
    """The worker skips a leased item; its slot goes to someone else, never back to them."""
    _require_worker(worker)
    with transaction.atomic():
        assignment = _own_assignment(worker, assignment_id, lock=True)
        if assignment.status != AssignmentStatus.LEASED:
            raise Conflict(
                gettext("assignment is %(status)s, not in progress")
                % {"status": assignment.status}
            )
        assignment.status = AssignmentStatus.RELEASED
        assignment.finished_at = timezone.now()
        assignment.save(update_fields=["status", "finished_at"])
        Item.objects.filter(pk=assignment.item_id, gold__isnull=True).update(
            slots_open=F("slots_open") + 1
        )
        quality.on_skip(assignment=assignment)
        audit_record(
            actor=worker,
            action="assignment.release",
            target=assignment,
            project_id=assignment.project_id,
        )
    return assignment


def assignment_submit(
    *,
    worker: Any,
    assignment_id: int,
    answer: Any,
    idempotency_key: str = "",
    client_duration_ms: int | None = None,
) -> tuple[Submission, bool]:
    """Validate and store an answer (first submission or a revision).

    Returns (submission, created). A retry with the same idempotency key returns the first
    submission and changes nothing, even if the assignment has moved on since.
    """
    _require_worker(worker)
    if client_duration_ms is not None and (
        isinstance(client_duration_ms, bool)
        or not isinstance(client_duration_ms, int)
        or not 0 <= client_duration_ms <= MAX_DURATION_MS
    ):
        raise InvalidInput(
            gettext("duration_ms must be a whole number from 0 to %(max_duration_ms)s")
            % {"max_duration_ms": MAX_DURATION_MS}
        )
    key = (idempotency_key or "")[:100]
    with transaction.atomic():
        assignment = _own_assignment(worker, assignment_id, lock=True)
        if key and assignment.status != AssignmentStatus.LEASED:
            # Looked up under the lock: a retry racing the first request waits for it and
            # then replays it. A leased assignment has no submission yet (nothing puts an
            # assignment back to 'leased'), so a first submit skips the lookup.
            done = Submission.objects.filter(assignment=assignment, idempotency_key=key).first()
            if done is not None:
                return done, False
        now = timezone.now()
        status = assignment.status
        if status == AssignmentStatus.LEASED and assignment.expires_at <= now:
            raise Conflict(gettext("the lease on this item expired; take a new task"))
        if status not in (AssignmentStatus.LEASED, AssignmentStatus.RETURNED):
            raise Conflict(
                gettext("assignment is %(status)s; nothing to submit")
                % {"status": status}
            )
        project = assignment.project
        clean = get_kind(project.kind).validate_answer(answer, project.config)
        started = assignment.returned_at or assignment.leased_at
        submission = Submission.objects.create(
            assignment=assignment,
            revision=assignment.revisions,
            answer=clean,
            duration_ms=min(MAX_DURATION_MS, max(0, int((now - started).total_seconds() * 1000))),
            client_duration_ms=client_duration_ms,
            idempotency_key=key,
        )
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = now
        assignment.save(update_fields=["status", "submitted_at"])
        audit_record(
            actor=worker,
            action="submission.create",
            target=submission,
            project_id=project.pk,
            data={"assignment": assignment.pk, "revision": submission.revision},
        )
        quality.on_submit(submission=submission, assignment=assignment)
        answer_recorded(assignment=assignment)
    return submission, True
