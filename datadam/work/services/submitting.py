"""Submitting an answer (first version or revision, idempotent) and skipping a task."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from datadam import rawsql
from datadam.assist.models import Suggestion
from datadam.assist.outcomes import outcome_record
from datadam.audit.models import AuditEvent
from datadam.audit.services import audit_record
from datadam.datasets.overlap import answer_recorded, results_pending_sql
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project
from datadam.quality import hooks as quality
from datadam.rawsql import Ref, attnames, columns, fits, insert_parts, instance, q, table

from ..models import Assignment, AssignmentStatus, Submission
from .claiming import _ASSIGNMENT_COLS
from .leases import _require_worker, slot_return

MAX_DURATION_MS = 2**31 - 1  # the largest value the duration columns hold


def _own_assignment(worker: Any, assignment_id: int, *, lock: bool) -> Assignment:
    """The worker's assignment with its project, the assignment row locked if ``lock``.

    The same statement reads what the submit and skip hooks would otherwise query: the
    item's gold answer (``assignment.gold``, None for an ordinary item), whether the project
    has enabled rules these hooks check (``project.rules_on``), whether an aggregation is
    already requested (``project.results_pending``) and whether a model suggested an answer
    for the item (``assignment.suggested``: only then is the suggestion's outcome recorded).

    Locking also share-locks the project row (FOR KEY SHARE), first: the lock order of
    claims and project_close (project, then leases), so whatever a submit or skip inserts
    with a foreign key to the project (which takes that lock anyway) never waits for a
    close while holding a lease the close waits for.
    """
    if not fits(assignment_id):
        raise NotFound(gettext("assignment not found"))
    names = _ASSIGNMENT_COLS
    p_names = attnames(Project)
    sql = (
        f"SELECT {columns(Assignment, 'a')}, {columns(Project, 'p')}, i.{q('gold')},"
        f" {quality.rules_sql()}, {results_pending_sql()},"
        # Whether a model suggested an answer for the item (its primary key: one probe).
        f" EXISTS (SELECT 1 FROM {table(Suggestion)} s WHERE s.item_id = a.item_id)"
        f" FROM {table(Project)} p JOIN {table(Assignment)} a ON a.project_id = p.id"
        f" JOIN {table(Item)} i ON i.id = a.item_id WHERE a.id = %s AND a.worker_id = %s"
    )
    if lock and connection.features.has_select_for_update:
        sql += " FOR KEY SHARE OF p FOR UPDATE OF a"
    with rawsql.cursor() as cur:
        cur.execute(sql, [assignment_id, worker.pk])
        row = cur.fetchone()
    if row is None:
        raise NotFound(gettext("assignment not found"))
    end = len(names) + len(p_names)
    assignment = instance(Assignment, names, row[: len(names)])
    assignment.project = project = instance(Project, p_names, row[len(names) : end])
    assignment.gold = instance(Item, _GOLD_COLS, (assignment.item_id, row[end])).gold
    project.rules_on, project.results_pending = bool(row[end + 1]), bool(row[end + 2])
    assignment.suggested = bool(row[end + 3])
    return assignment


_GOLD_COLS = ("id", "gold")


def _store_submission(
    worker: Any,
    assignment: Assignment,
    values: dict[str, Any],
    now: Any,
    count: tuple[str, list[Any]] | None = None,
) -> tuple[Submission, tuple | None]:
    """Insert the submission, mark the assignment submitted and record the audit event.

    One statement on PostgreSQL (data-modifying CTEs), three on SQLite. On PostgreSQL
    ``count`` (an upsert returning one row, ``quality.answer_count_sql``) runs in the same
    statement; returns (submission, its row), the row None when it did not run.
    """
    event = {
        "at": now,
        "actor_id": worker.pk,
        "action": "submission.create",
        "target_type": Submission._meta.model_name,
        "project_id": assignment.project_id,
        "organization_id": None,
        "data": {"assignment": assignment.pk, "revision": values["revision"]},
    }
    move = f"UPDATE {table(Assignment)} SET status = %s, submitted_at = %s WHERE id = %s"
    move_params = [
        AssignmentStatus.SUBMITTED.value,
        connection.ops.adapt_datetimefield_value(now),
        assignment.pk,
    ]
    s_cols, s_exprs, s_params = insert_parts(Submission, values)
    with rawsql.cursor() as cur:
        if connection.vendor == "postgresql":
            e_cols, e_exprs, e_params = insert_parts(
                AuditEvent, {**event, "target_id": Ref("made.id")}
            )
            c_sql, c_params = count or ("", [])
            counted = f", counted AS ({c_sql})" if count else ""
            cur.execute(
                f"WITH made AS (INSERT INTO {table(Submission)} ({s_cols}) VALUES ({s_exprs})"
                "  RETURNING id),"
                f" moved AS ({move}),"
                f" logged AS (INSERT INTO {table(AuditEvent)} ({e_cols})"
                f"  SELECT {e_exprs} FROM made){counted}"
                f" SELECT made.id{', counted.*' if count else ''} FROM made"
                f"{', counted' if count else ''}",
                [*s_params, *move_params, *e_params, *c_params],
            )
            row = cur.fetchone()
            pk, extra = row[0], (tuple(row[1:]) if count else None)
        else:
            extra = None
            cur.execute(f"INSERT INTO {table(Submission)} ({s_cols}) VALUES ({s_exprs})", s_params)
            pk = cur.lastrowid
            cur.execute(move, move_params)
            e_cols, e_exprs, e_params = insert_parts(AuditEvent, {**event, "target_id": pk})
            cur.execute(f"INSERT INTO {table(AuditEvent)} ({e_cols}) VALUES ({e_exprs})", e_params)
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = now
    submission = Submission(pk=pk, **values)
    submission._state.adding = False
    submission._state.db = connection.alias
    return submission, extra


def assignment_release(*, worker: Any, assignment_id: int, stop: bool = False) -> Assignment:
    """The worker skips a leased item; its slot goes to someone else, never back to them.

    With ``stop`` the worker is leaving ("Stop for now") rather than skipping this item: the
    same for the item and the quality rules (an item given back unanswered either way), but
    recorded as ``stopped``, so My work can say which the worker did.
    """
    _require_worker(worker)
    with transaction.atomic():
        assignment = _own_assignment(worker, assignment_id, lock=True)
        if assignment.status != AssignmentStatus.LEASED:
            raise Conflict(
                gettext("assignment is %(status)s, not in progress")
                % {"status": assignment.status}
            )
        assignment.status = AssignmentStatus.STOPPED if stop else AssignmentStatus.RELEASED
        assignment.finished_at = timezone.now()
        assignment.save(update_fields=["status", "finished_at"])
        slot_return(item_id=assignment.item_id, project_id=assignment.project_id)
        quality.on_skip(assignment=assignment, rules=assignment.project.rules_on)
        audit_record(
            actor=worker,
            action="assignment.stop" if stop else "assignment.release",
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
        kind = get_kind(project.kind)
        item_data = (
            Item.objects.filter(pk=assignment.item_id).values_list("data", flat=True).first()
            if kind.answer_needs_item else None
        )
        clean = kind.validate_answer(answer, project.config, item_data)
        if kind.submit_hooks:
            clean = kind.answer_received(clean, project=project, assignment=assignment,
                                         worker=worker)
        started = assignment.returned_at or assignment.leased_at
        # An ordinary answer's counters move in the submission's own statement (PostgreSQL).
        count = None
        if assignment.gold is None and connection.vendor == "postgresql":
            count = quality.answer_count_sql(
                worker_id=worker.pk, project_id=assignment.project_id, now=now
            )
        submission, counted = _store_submission(
            worker,
            assignment,
            {
                "assignment_id": assignment.pk,
                "revision": assignment.revisions,
                "answer": clean,
                "duration_ms": min(
                    MAX_DURATION_MS, max(0, int((now - started).total_seconds() * 1000))
                ),
                "client_duration_ms": client_duration_ms,
                "idempotency_key": key,
                "created_at": now,
            },
            now,
            count,
        )
        if kind.submit_hooks:
            kind.answer_stored(submission=submission, project=project, assignment=assignment,
                               worker=worker)
        if assignment.suggested:
            outcome_record(submission=submission, assignment=assignment, project=project)
        quality.on_submit(
            submission=submission,
            assignment=assignment,
            gold=assignment.gold,
            rules=project.rules_on,
            counted=counted,
        )
        answer_recorded(assignment=assignment, pending=project.results_pending)
    return submission, True
