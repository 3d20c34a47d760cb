"""The platform's aggregation job: every counted answer of a project → ItemResult rows.

``results_request`` marks a project for aggregation and enqueues the job once per debounce
window (called after submits and reviews). ``results_aggregate`` streams the answers in
chunks, runs ``datadam.quality.aggregation.aggregate`` with the project's method and its gold
items as gold, and writes results and worker estimates. Safe to run twice or concurrently:
the run number taken at the start decides which run may write (a newer one wins).
"""

from __future__ import annotations

from array import array
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.fields.json import KT
from django.utils import timezone

from datadam.audit.services import audit_record
from datadam.projects.models import Item, Project, ProjectStatus
from datadam.quality.aggregation import aggregate
from datadam.work.models import Assignment, AssignmentStatus, Submission

from .models import AggregationState, ItemResult, WorkerEstimate
from .overlap import COUNTED, aggregatable, overlap_check
from .posterior import item_posterior, shrunk_skill

READ_CHUNK = 10_000
WRITE_CHUNK = 2_000
BACKSTOP_LIMIT = 1_000


def _debounce() -> timedelta:
    return timedelta(seconds=settings.DATADAM.get("AGGREGATE_DEBOUNCE_S", 30))


def results_request(*, project_id: int, delay: bool = True, pending: bool | None = None) -> bool:
    """Ask for a new aggregation of the project; enqueues the job once per debounce window.

    While a request is pending (the usual case under load) this is one primary-key read and
    no write, cheap enough for the submit path; none when the caller read the flag already
    in its transaction (``pending``, see ``overlap.results_pending_sql``). Returns True when
    it enqueued the job; the flag moves only by conditional update or unique insert, so the
    job is enqueued once per request whatever ``pending`` said.
    """
    from .tasks import aggregate_task

    now = timezone.now()
    if pending is None:
        pending = AggregationState.objects.filter(project_id=project_id, requested=True).exists()
    if pending:
        return False  # the usual case under load: one indexed read (or none), no write
    if not AggregationState.objects.filter(project_id=project_id, requested=False).update(
        requested=True, requested_at=now
    ):
        if AggregationState.objects.filter(project_id=project_id).exists():
            return False  # another request flipped the flag first and enqueued the job
        try:
            with transaction.atomic():
                AggregationState.objects.create(
                    project_id=project_id, requested=True, requested_at=now
                )
        except IntegrityError:
            return False  # created by a concurrent request, which enqueues the job
    job = aggregate_task
    if delay and job.get_backend().supports_defer:  # a backend without a queue runs it now
        job = job.using(run_after=now + _debounce())
    job.enqueue(project_id)
    return True


def _read_answers(project: Project) -> tuple[array, array, array]:
    """(worker ids, item ids, class codes) of every counted answer, read in chunks."""
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    workers, items, labels = array("q"), array("q"), array("q")
    rows = (
        Submission.objects.filter(
            assignment__project_id=project.pk,
            assignment__status__in=COUNTED,
            revision=F("assignment__revisions"),
        )
        .values_list("assignment__worker_id", "assignment__item_id", KT("answer__label"))
        .iterator(chunk_size=READ_CHUNK)
    )
    for worker_id, item_id, label in rows:
        code = codes.get(label)
        if code is not None:
            workers.append(worker_id)
            items.append(item_id)
            labels.append(code)
    return workers, items, labels


def _gold(project: Project) -> dict[int, int]:
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    out: dict[int, int] = {}
    gold_items = Item.objects.filter(project=project, gold__isnull=False).values_list("pk", "gold")
    for pk, gold in gold_items.iterator(chunk_size=READ_CHUNK):
        label = gold.get("label") if isinstance(gold, dict) else None
        if label in codes:
            out[pk] = codes[label]
    return out


def _gold_hits(result: Any, w: np.ndarray, t: np.ndarray, y: np.ndarray, gold: dict[int, int],
               k: int) -> tuple[int, int]:
    """Gold items answered by the crowd, and how many the crowd's label got right.

    The aggregated label of a gold item is clamped to gold, so it is judged by the one-coin
    posterior of its own answers under the learned worker skills instead.
    """
    if not gold:
        return 0, 0
    skills = dict(zip(result.workers.tolist(), result.worker_skill.tolist(), strict=True))
    counts = dict(zip(result.workers.tolist(), result.worker_n_labels.tolist(), strict=True))
    mask = np.isin(t, np.fromiter(gold.keys(), dtype=np.int64))
    per_item: dict[int, tuple[list[int], list[float]]] = {}
    for wi, ti, yi in zip(w[mask].tolist(), t[mask].tolist(), y[mask].tolist(), strict=True):
        labels, sk = per_item.setdefault(ti, ([], []))
        labels.append(yi)
        sk.append(shrunk_skill(skills.get(wi), int(counts.get(wi, 0)), k))
    correct = 0
    for ti, (labels, sk) in per_item.items():
        post = item_posterior(labels, sk, k)
        correct += int(max(range(k), key=post.__getitem__) == gold[ti])
    return len(per_item), correct


def _may_write(project_id: int, run: int) -> bool:
    """Lock the state row; only the newest run writes."""
    state = AggregationState.objects.select_for_update().get(project_id=project_id)
    return state.run == run


def _write(project: Project, run: int, result: Any, answers: np.ndarray,
           gold: dict[int, int], method: str) -> int:
    """Upsert results (``answers[i]``: labels of ``result.tasks[i]``) and estimates in chunks."""
    labels = project.config["labels"]
    now = timezone.now()
    keep = ~np.isin(result.tasks, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    tasks, codes, conf = result.tasks[keep], result.labels[keep], result.confidence[keep]
    counts = answers[keep]
    for start in range(0, len(tasks), WRITE_CHUNK):
        end = start + WRITE_CHUNK  # Python objects for one chunk at a time only
        rows = [
            ItemResult(item_id=t, project_id=project.pk, label=labels[c],
                       result={"label": labels[c]}, confidence=round(p, 6), answers=n,
                       method=method, run=run, updated_at=now)
            for t, c, p, n in zip(tasks[start:end].tolist(), codes[start:end].tolist(),
                                  conf[start:end].tolist(), counts[start:end].tolist(),
                                  strict=True)
        ]
        with transaction.atomic():
            if not _may_write(project.pk, run):
                return -1
            ItemResult.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["item"],
                update_fields=["label", "result", "confidence", "answers", "method", "run",
                               "updated_at"],
            )
    estimates = [
        WorkerEstimate(project_id=project.pk, worker_id=w, skill=round(s, 6), n_labels=n, run=run,
                       updated_at=now)
        for w, s, n in zip(result.workers.tolist(), result.worker_skill.tolist(),
                           result.worker_n_labels.tolist(), strict=True)
    ]
    with transaction.atomic():
        if not _may_write(project.pk, run):
            return -1
        for start in range(0, len(estimates), WRITE_CHUNK):
            WorkerEstimate.objects.bulk_create(
                estimates[start:start + WRITE_CHUNK], update_conflicts=True,
                unique_fields=["project", "worker"],
                update_fields=["skill", "n_labels", "run", "updated_at"],
            )
        ItemResult.objects.filter(project=project).exclude(run=run).delete()
        WorkerEstimate.objects.filter(project=project).exclude(run=run).delete()
    return len(tasks)


def _backstop(project: Project) -> int:
    """Open slots a concurrent submit could not (dynamic overlap), for low-confidence items."""
    if not project.dynamic_overlap or project.status != ProjectStatus.OPEN:
        return 0
    holding = Assignment.objects.filter(
        item=OuterRef("pk"), status__in=[AssignmentStatus.LEASED, AssignmentStatus.RETURNED]
    )
    candidates = (
        ItemResult.objects.filter(
            project=project,
            confidence__lt=project.target_confidence,
            answers__lt=project.max_answers,
            item__slots_open=0,
        )
        .exclude(Exists(holding.filter(item=OuterRef("item_id"))))
        .values_list("item_id", flat=True)[:BACKSTOP_LIMIT]
    )
    opened = 0
    for item_id in list(candidates):
        with transaction.atomic():
            opened += overlap_check(project=project, item_id=item_id)
    return opened


def results_aggregate(*, project_id: int) -> dict[str, Any]:
    """Aggregate a project's answers into ItemResult and WorkerEstimate rows (idempotent)."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return {"skipped": "missing"}
    with transaction.atomic():
        state, _created = AggregationState.objects.select_for_update().get_or_create(
            project_id=project_id
        )
        state.requested = False
        state.run += 1
        state.save(update_fields=["requested", "run"])
        run = state.run
    if not aggregatable(project):
        return {"skipped": "kind"}
    workers, items, labels = _read_answers(project)
    if not len(labels):
        with transaction.atomic():
            if _may_write(project.pk, run):
                ItemResult.objects.filter(project=project).delete()
                WorkerEstimate.objects.filter(project=project).delete()
                AggregationState.objects.filter(project_id=project_id).update(
                    finished_at=timezone.now(), n_labels=0, n_items=0, mean_confidence=None,
                    gold_total=0, gold_correct=0,
                )
        return {"run": run, "items": 0, "labels": 0}
    w = np.frombuffer(workers, dtype=np.int64)
    t = np.frombuffer(items, dtype=np.int64)
    y = np.frombuffer(labels, dtype=np.int64)
    del workers, items, labels
    gold = _gold(project)
    k = len(project.config["labels"])
    result = aggregate(w, t, y, method=project.aggregation_method or "auto",
                       gold={g: c for g, c in gold.items()} or None)
    uniq, answers = np.unique(t, return_counts=True)  # aligned with result.tasks (sorted)
    if not np.array_equal(uniq, result.tasks):
        raise RuntimeError("aggregation returned tasks out of order")
    gold_total, gold_correct = _gold_hits(result, w, t, y, gold, k)
    written = _write(project, run, result, answers, gold, project.aggregation_method)
    if written < 0:
        return {"run": run, "superseded": True}
    keep = ~np.isin(result.tasks, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    mean_conf = float(result.confidence[keep].mean()) if keep.any() else None
    opened = _backstop(project)
    with transaction.atomic():
        if _may_write(project.pk, run):
            AggregationState.objects.filter(project_id=project_id).update(
                finished_at=timezone.now(), method=project.aggregation_method,
                chosen=str(result.details.get("chosen", project.aggregation_method)),
                n_labels=len(y), n_items=written, mean_confidence=mean_conf,
                gold_total=gold_total, gold_correct=gold_correct,
                slots_opened=F("slots_opened") + opened,
            )
            audit_record(actor=None, action="results.aggregate", target=project,
                         project_id=project.pk, organization_id=project.organization_id,
                         data={"run": run, "items": written, "labels": len(y)})
    return {"run": run, "items": written, "labels": len(y), "gold": gold_total,
            "slots_opened": opened}


def results_sweep() -> dict[str, int]:
    """Periodic: aggregate projects whose request waited past twice the debounce (a lost job)."""
    due = timezone.now() - 2 * _debounce()
    done = 0
    for pid in AggregationState.objects.filter(requested=True, requested_at__lte=due).values_list(
        "project_id", flat=True
    )[:50]:
        results_aggregate(project_id=pid)
        done += 1
    return {"aggregated": done}
