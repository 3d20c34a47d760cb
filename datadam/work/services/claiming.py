"""Claiming the next task of a project: exactly once per slot, constant work per request.

How an item is handed out exactly once is written down in docs/concurrency.md.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from datadam import rawsql
from datadam.accounts.models import User
from datadam.assist.models import ProjectModel
from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, NotFound, PermissionDenied, QuotaReached
from datadam.kinds import get_kind
from datadam.projects.models import Item, Project, ProjectStatus
from datadam.qualifications.eligibility import claim_refusals
from datadam.qualifications.models import ProjectRequirement
from datadam.quality import hooks as quality
from datadam.rawsql import Ref, attnames, columns, fits, insert_parts, instance, q, table

from ..models import Assignment, AssignmentStatus
from .leases import CLAIM_ATTEMPTS, _require_worker, leases_expire


def _pick_item(project_id: int, worker_id: int, *, lock: bool = True) -> Item | None:
    """The first item with an open slot that this worker has never had (id and data only),
    in claim order: ``priority`` (0 unless active learning ranks the items), then id.

    Walks the partial index (project, priority, id) WHERE slots_open > 0 from the front;
    rows another transaction is claiming right now are skipped on PostgreSQL (SKIP LOCKED),
    and SQLite runs one writer at a time (BEGIN IMMEDIATE), so there is nothing to skip. Without
    ``lock`` the row is only read, locked or not (``_wait_for_item`` then locks it alone).

    The project is matched as a range and the order is (project, id) on purpose: with
    ``project_id = X ... ORDER BY id`` PostgreSQL's planner may walk the primary key instead
    (it cannot tell that the items at the front are full), which reads every finished item
    on each claim and gets slower as the project progresses. Only item_open_idx yields
    (project, priority, id) order for a range, so the plan stays one short walk of open
    items.
    One hand-written statement: the ORM would spend several times its cost building it.
    """
    clause = " FOR UPDATE SKIP LOCKED" if lock and connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {columns(Item, 'i', _ITEM_COLS)} FROM {table(Item)} i"
        " WHERE i.project_id >= %s AND i.project_id <= %s AND i.slots_open > 0"
        f" AND NOT EXISTS (SELECT 1 FROM {table(Assignment)} a"
        " WHERE a.item_id = i.id AND a.worker_id = %s)"
        f" ORDER BY i.project_id, i.priority, i.id LIMIT 1{clause}"
    )
    with rawsql.cursor() as cur:
        cur.execute(sql, [project_id, project_id, worker_id])
        row = cur.fetchone()
    return None if row is None else instance(Item, _ITEM_COLS, row)


WAIT_ATTEMPTS = 10  # items waited for, one after another, before "nothing left"


def _wait_for_item(project_id: int, worker_id: int) -> Item | None:
    """After SKIP LOCKED found nothing (PostgreSQL): wait for the items other claimers hold,
    so that the last slots are not reported as "nothing left" while someone claims them.

    One row at a time, each in a savepoint: read the first candidate without locking, then
    lock that row alone (waiting for its claimer to commit; read committed re-checks
    ``slots_open > 0`` on the new version). A row whose re-check fails stays locked by
    PostgreSQL until the (sub)transaction ends, so its savepoint is rolled back before the
    next candidate: a waiting claim never holds an item another waiter needs. (One
    ``FOR UPDATE`` walk over all rows kept such locks and let three claims deadlock.)
    """
    sql = (
        f"SELECT {columns(Item, 'i', _ITEM_COLS)} FROM {table(Item)} i"
        " WHERE i.id = %s AND i.slots_open > 0"
        f" AND NOT EXISTS (SELECT 1 FROM {table(Assignment)} a"
        " WHERE a.item_id = i.id AND a.worker_id = %s) FOR UPDATE"
    )
    for _ in range(WAIT_ATTEMPTS):
        candidate = _pick_item(project_id, worker_id, lock=False)
        if candidate is None:
            return None
        point = transaction.savepoint_create()
        with rawsql.cursor() as cur:
            cur.execute(sql, [candidate.pk, worker_id])
            row = cur.fetchone()
        if row is not None:
            transaction.savepoint_commit(point)
            return instance(Item, _ITEM_COLS, row)
        transaction.savepoint_rollback(point)  # releases the lock the re-check left
    return None


_ITEM_COLS = ("id", "project_id", "data")
_ASSIGNMENT_COLS = attnames(Assignment)


def _lock_for_claim(worker_id: int, project_id: int, now: Any) -> Project | None:
    """Lock the worker's row, share-lock the project's and read the project, in one query.

    The worker's row (FOR NO KEY UPDATE): one claim at a time per worker. The project's row
    (FOR KEY SHARE, which the assignment's foreign key takes anyway, only now first): claims
    never block each other on it, but closing or pausing the project (FOR UPDATE) waits for
    the claims in flight, and the claims after it see the new status. Claims and closing
    both take the project row first, so they never wait on each other in a cycle. SQLite
    runs one writer at a time: there the project is only read.

    The project comes with its status and lease length, whether it has requirements
    (``gated``), whether any of its leases is overdue (``overdue``, answered by
    assignment_live_idx), whether a pause, removal or suspension of the worker is in force
    (``restricted``, on rule_hit_blocking_idx) and the gold rate of a funded gold policy
    (``gold_rate``, 0 without one) and whether it has a model (``assisted``), so that a
    plain project's claim runs no quality or suggestion query. None when there is no such
    project.
    """
    if not fits(project_id):
        return None
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        "SELECT p.id, p.status, p.lease_seconds, p.kind,"
        f" EXISTS (SELECT 1 FROM {table(ProjectRequirement)} r WHERE r.project_id = p.id),"
        # The status is written into the statement, not passed: a prepared statement's
        # generic plan can use the partial index (status = 'leased') only for a constant.
        f" EXISTS (SELECT 1 FROM {table(Assignment)} a WHERE a.project_id = p.id"
        f"   AND a.status = '{AssignmentStatus.LEASED.value}' AND a.expires_at <= %s),"
        f" {quality.restricted_sql()}, {quality.gold_rate_sql()},"
        # Whether the project has a model (datadam.assist): only then may the task come
        # with a suggestion, so a project without one costs no query for it.
        f" EXISTS (SELECT 1 FROM {table(ProjectModel)} m WHERE m.project_id = p.id)"
        f" FROM {table(Project)} p"
    )
    params = [at, worker_id, at]
    if connection.features.has_select_for_update:
        sql += (
            f", {table(User)} u WHERE p.id = %s AND u.id = %s"
            " FOR KEY SHARE OF p FOR NO KEY UPDATE OF u"
        )
        params += [project_id, worker_id]
    else:
        sql += " WHERE p.id = %s"
        params += [project_id]
    with rawsql.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    project = instance(Project, ("id", "status", "lease_seconds", "kind"), row[:4])
    project.gated, project.overdue = bool(row[4]), bool(row[5])
    project.restricted, project.gold_rate = bool(row[6]), row[7] or 0
    project.assisted = bool(row[8])
    return project


def _per_worker_check(worker_id: int, project_id: int) -> None:
    """Collection projects may take at most ``per_worker`` answers from one person (a face
    dataset wants many people, not many photos of a few): answers sent, returned or
    approved count; a rejected one does not."""
    cap = (Project.objects.filter(pk=project_id).values_list("config", flat=True).first()
           or {}).get("per_worker") or 0
    if not cap:
        return
    done = Assignment.objects.filter(
        worker_id=worker_id, project_id=project_id,
        status__in=(AssignmentStatus.SUBMITTED, AssignmentStatus.RETURNED,
                    AssignmentStatus.APPROVED)).count()
    if done >= cap:
        raise QuotaReached(gettext("You have sent as many answers as this project takes from one "
                               "person (%(n)s). Thank you: try another project.") % {"n": cap})


class _ExpireFirst(Exception):
    """Overdue leases are to be expired before this claim (in a transaction of their own)."""


class _WaitAfresh(Exception):
    """SKIP LOCKED found nothing: wait for other claimers' items in a transaction of its own.

    The first pass may hold locks it did not ask for (a row whose re-check failed stays
    locked; so does the gold policy row after a reservation that found none left), and a
    claim that waits must hold no item or policy row another transaction may wait for.
    """


def _live_lease(worker_id: int, project_id: int, now: Any) -> Assignment | None:
    """The worker's live lease in the project, with its item's data, or None."""
    names = _ASSIGNMENT_COLS
    sql = (
        f"SELECT {columns(Assignment, 'a')}, i.{q('data')} FROM {table(Assignment)} a"
        f" JOIN {table(Item)} i ON i.id = a.item_id"
        " WHERE a.worker_id = %s AND a.project_id = %s AND a.status = %s AND a.expires_at > %s"
        " LIMIT 1"
    )
    with rawsql.cursor() as cur:
        cur.execute(
            sql,
            [
                worker_id,
                project_id,
                AssignmentStatus.LEASED.value,
                connection.ops.adapt_datetimefield_value(now),
            ],
        )
        row = cur.fetchone()
    if row is None:
        return None
    assignment = instance(Assignment, names, row[: len(names)])
    item_values = (assignment.item_id, assignment.project_id, row[len(names)])
    assignment.item = instance(Item, _ITEM_COLS, item_values)
    return assignment


def _lease(worker: Any, project_id: int, item: Item, lease_seconds: int, now: Any):
    """Take one of the item's slots, insert the assignment and its audit event.

    Returns the assignment, or None when another writer took the item's last slot first.
    On PostgreSQL this is one statement (three data-modifying CTEs); the slot is taken only
    while ``slots_open > 0`` (the check constraint backs that up), and a second lease of the
    same item to the worker fails on the unique (item, worker) constraint.
    """
    values = {
        "project_id": project_id,
        "item_id": item.pk,
        "worker_id": worker.pk,
        "status": AssignmentStatus.LEASED,
        "leased_at": now,
        "expires_at": now + timedelta(seconds=lease_seconds),
        "revisions": 0,
    }
    event = {
        "at": now,
        "actor_id": worker.pk,
        "action": "assignment.claim",
        "target_type": Assignment._meta.model_name,
        "project_id": project_id,
        "organization_id": None,
        "data": {"item": item.pk},
    }
    take = f"UPDATE {table(Item)} SET slots_open = slots_open - 1 WHERE id = %s AND slots_open > 0"
    with rawsql.cursor() as cur:
        if connection.vendor == "postgresql":
            a_cols, a_exprs, a_params = insert_parts(
                Assignment, {**values, "item_id": Ref("took.id")}
            )
            e_cols, e_exprs, e_params = insert_parts(
                AuditEvent, {**event, "target_id": Ref("made.id")}
            )
            cur.execute(
                f"WITH took AS ({take} RETURNING id),"
                f" made AS (INSERT INTO {table(Assignment)} ({a_cols}) SELECT {a_exprs} FROM took"
                "  RETURNING id),"
                f" logged AS (INSERT INTO {table(AuditEvent)} ({e_cols})"
                f"  SELECT {e_exprs} FROM made)"
                " SELECT id FROM made",
                [item.pk, *a_params, *e_params],
            )
            row = cur.fetchone()
            if row is None:
                return None
            pk = row[0]
        else:
            cur.execute(take, [item.pk])
            if not cur.rowcount:
                return None
            a_cols, a_exprs, a_params = insert_parts(Assignment, values)
            cur.execute(f"INSERT INTO {table(Assignment)} ({a_cols}) VALUES ({a_exprs})", a_params)
            pk = cur.lastrowid
            e_cols, e_exprs, e_params = insert_parts(AuditEvent, {**event, "target_id": pk})
            cur.execute(f"INSERT INTO {table(AuditEvent)} ({e_cols}) VALUES ({e_exprs})", e_params)
    assignment = Assignment(pk=pk, **values)
    assignment._state.adding = False
    assignment._state.db = connection.alias
    assignment.item = item
    return assignment


def assignment_claim(*, worker: Any, project_id: int) -> Assignment | None:
    """Lease the next item of a project to a worker, or return None when none is left.

    A worker holds at most one live lease per project: asking again returns it.
    """
    _require_worker(worker)
    now = timezone.now()
    expired = waiting = False
    for attempt in range(CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                project = _lock_for_claim(worker.pk, project_id, now)
                if project is None:
                    raise NotFound(gettext("project not found"))
                if project.status != ProjectStatus.OPEN:
                    raise Conflict(
                        gettext("project is %(status)s, not open for work")
                        % {"status": project.status}
                    )
                # Only a project with requirements costs the eligibility query.
                if project.gated and (
                    refusals := claim_refusals(worker=worker, project_id=project_id)
                ):
                    raise PermissionDenied(
                        " ".join(refusals), code="not_eligible", details=refusals
                    )
                if project.restricted:  # reads the hit for its message, raises Restricted
                    quality.restriction_check(worker=worker, project_id=project_id, now=now)
                if get_kind(project.kind).caps_per_worker:
                    _per_worker_check(worker.pk, project_id)
                if project.overdue and not expired:
                    raise _ExpireFirst
                claimed = _claim_locked(
                    worker, project_id, project.lease_seconds, now, project.gold_rate,
                    wait=waiting,
                )
                if claimed is not None:
                    claimed.assisted = project.assisted  # read above: a suggestion may come
                return claimed
        except _WaitAfresh:
            waiting = True  # rolled back: the next attempt holds only the worker and project
        except _ExpireFirst:
            # Overdue leases are expired in a transaction of their own, so that no claim
            # holds item locks while it waits for other claimers (no lock cycles between
            # claims). Usually none is due, which the query above already told.
            with transaction.atomic():
                leases_expire(
                    project_id=project_id,
                    limit=settings.DATADAM["EXPIRE_PER_CLAIM"],
                    now=now,
                    wait=True,
                )
            expired = True
        except IntegrityError:
            # The worker already had the item (impossible while claims of one worker are
            # serialized by the lock on their row; kept as a guard). Everything this attempt
            # did, the slot taken included, was rolled back; try again.
            if attempt == CLAIM_ATTEMPTS - 1:
                raise
    return None


def _claim_locked(
    worker: Any, project_id: int, lease_seconds: int, now: Any, gold_rate: int = 0,
    *, wait: bool = False,
) -> Assignment | None:
    """The claim proper, inside the caller's transaction, once ``_lock_for_claim`` locked
    the worker's row (one claim at a time per worker, so two tabs asking at once get the
    same lease) and share-locked the open project's (see ``assignment_claim``).

    First pass: SKIP LOCKED, never waiting. When that finds nothing on PostgreSQL, it raises
    ``_WaitAfresh``, and the caller's next transaction comes back with ``wait``: no gold,
    and the items other claimers hold waited for one at a time (``_wait_for_item``).
    """
    # The live lease is read by a statement of its own, after the lock: its snapshot then
    # sees whatever the worker's previous claim committed.
    live = _live_lease(worker.pk, project_id, now)
    if live is not None:
        return live
    if gold_rate and not wait:  # a funded gold policy (read by _lock_for_claim)
        gold = quality.gold_claim(
            worker=worker, project_id=project_id, lease_seconds=lease_seconds, now=now,
            rate=gold_rate,
        )
        if gold is not None:
            return gold
    for _ in range(CLAIM_ATTEMPTS):
        item = _wait_for_item(project_id, worker.pk) if wait else _pick_item(
            project_id, worker.pk
        )
        if item is None and not wait and connection.features.has_select_for_update_skip_locked:
            # Items being claimed right now were skipped, and their claimers may leave
            # slots open: wait for them (afresh) before telling the worker nothing is left.
            raise _WaitAfresh
        if item is None:
            return None
        # Slot, assignment and audit event; a duplicate (item, worker) raises IntegrityError
        # and assignment_claim rolls back.
        assignment = _lease(worker, project_id, item, lease_seconds, now)
        if assignment is None:
            continue  # another writer took the last slot first; try the next item
        return assignment
    return None
