"""The platform's aggregation job: every counted answer of a project → ItemResult rows.

``results_request`` marks a project for aggregation and enqueues the job once per debounce
window (called after submits and reviews). ``results_aggregate`` streams the answers in
chunks, runs ``datadam.quality.aggregation.aggregate`` with the project's method and its gold
items as gold, and writes results and worker estimates. Safe to run twice or concurrently:
the run number taken at the start decides which run may write (a newer one wins).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
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
from .multilabel import MultiLabelResult, aggregate_multilabel, item_label_posteriors
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


def _single_rows(project: Project, run: int, result: Any, answers: np.ndarray,
                 keep: np.ndarray, method: str) -> Iterator[list[ItemResult]]:
    """ItemResult rows of a single-label fit (``answers[i]``: labels of ``result.tasks[i]``)."""
    labels = project.config["labels"]
    now = timezone.now()
    tasks, codes, conf = result.tasks[keep], result.labels[keep], result.confidence[keep]
    counts = answers[keep]
    for start in range(0, len(tasks), WRITE_CHUNK):
        end = start + WRITE_CHUNK  # Python objects for one chunk at a time only
        yield [
            ItemResult(item_id=t, project_id=project.pk, label=labels[c],
                       result={"label": labels[c]}, confidence=round(p, 6), answers=n,
                       method=method, run=run, updated_at=now)
            for t, c, p, n in zip(tasks[start:end].tolist(), codes[start:end].tolist(),
                                  conf[start:end].tolist(), counts[start:end].tolist(),
                                  strict=True)
        ]


def _multi_rows(project: Project, run: int, result: MultiLabelResult, keep: np.ndarray,
                method: str) -> Iterator[list[ItemResult]]:
    """ItemResult rows of a multi-label fit: the label set, its confidence, per-label p."""
    labels = project.config["labels"]
    now = timezone.now()
    tasks, counts = result.items[keep], result.answers[keep]
    p_yes, conf = result.p_yes[keep], result.confidence()[keep]
    for start in range(0, len(tasks), WRITE_CHUNK):
        end = start + WRITE_CHUNK
        rows = []
        for t, probs, c, n in zip(tasks[start:end].tolist(), p_yes[start:end].tolist(),
                                  conf[start:end].tolist(), counts[start:end].tolist(),
                                  strict=True):
            chosen = [lb for lb, p in zip(labels, probs, strict=True) if p >= 0.5]
            rows.append(ItemResult(
                item_id=t, project_id=project.pk, label=", ".join(chosen)[:500],
                result={"labels": chosen,
                        "probabilities": {lb: round(p, 4)
                                          for lb, p in zip(labels, probs, strict=True)}},
                confidence=round(c, 6), answers=n, method=method, run=run, updated_at=now,
            ))
        yield rows


def _write(project: Project, run: int, chunks: Iterator[list[ItemResult]],
           workers: np.ndarray, skills: np.ndarray, n_labels: np.ndarray) -> int:
    """Upsert result rows (chunk by chunk) and worker estimates; -1 when superseded."""
    now = timezone.now()
    written = 0
    for rows in chunks:
        with transaction.atomic():
            if not _may_write(project.pk, run):
                return -1
            ItemResult.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["item"],
                update_fields=["label", "result", "confidence", "answers", "method", "run",
                               "updated_at"],
            )
        written += len(rows)
    estimates = [
        WorkerEstimate(project_id=project.pk, worker_id=w, skill=round(s, 6), n_labels=n, run=run,
                       updated_at=now)
        for w, s, n in zip(workers.tolist(), skills.tolist(), n_labels.tolist(), strict=True)
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
    return written


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


@dataclass
class _Fit:
    """What a fit hands to the writer: result rows (lazily, by chunk) and worker estimates."""

    rows: Iterator[list[ItemResult]]
    workers: np.ndarray
    skills: np.ndarray
    n_labels: np.ndarray
    n_answers: int
    mean_conf: float | None
    gold_total: int
    gold_correct: int
    chosen: str


def _fit_single(project: Project, run: int) -> _Fit | None:
    workers, items, labels = _read_answers(project)
    if not len(labels):
        return None
    w = np.frombuffer(workers, dtype=np.int64)
    t = np.frombuffer(items, dtype=np.int64)
    y = np.frombuffer(labels, dtype=np.int64)
    del workers, items, labels
    gold = _gold(project)
    k = len(project.config["labels"])
    method = project.aggregation_method
    result = aggregate(w, t, y, method=method or "auto", gold=dict(gold) or None)
    uniq, answers = np.unique(t, return_counts=True)  # aligned with result.tasks (sorted)
    if not np.array_equal(uniq, result.tasks):
        raise RuntimeError("aggregation returned tasks out of order")
    gold_total, gold_correct = _gold_hits(result, w, t, y, gold, k)
    keep = ~np.isin(result.tasks, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    return _Fit(
        rows=_single_rows(project, run, result, answers, keep, method),
        workers=result.workers, skills=result.worker_skill, n_labels=result.worker_n_labels,
        n_answers=len(y),
        mean_conf=float(result.confidence[keep].mean()) if keep.any() else None,
        gold_total=gold_total, gold_correct=gold_correct,
        chosen=str(result.details.get("chosen", method)),
    )


def _fit_multi(project: Project, run: int) -> _Fit | None:
    workers, items, offsets, codes = _read_multi_answers(project)
    if not len(workers):
        return None
    gold = _gold_multi(project)
    method = project.aggregation_method
    k = len(project.config["labels"])
    w = np.frombuffer(workers, dtype=np.int64)
    t = np.frombuffer(items, dtype=np.int64)
    off = np.frombuffer(offsets, dtype=np.int64)
    c = np.frombuffer(codes, dtype=np.int16)
    result = aggregate_multilabel(w, t, off, c, k, method=method or "auto", gold=gold or None)
    gold_total, gold_correct = _gold_hits_multi(result, w, t, off, c, gold, k)
    del workers, items, offsets, codes
    keep = ~np.isin(result.items, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    return _Fit(
        rows=_multi_rows(project, run, result, keep, method),
        workers=result.workers, skills=result.worker_skill, n_labels=result.worker_n_labels,
        n_answers=len(w),
        mean_conf=float(result.confidence()[keep].mean()) if keep.any() else None,
        gold_total=gold_total, gold_correct=gold_correct, chosen=result.chosen[:16],
    )


def _read_multi_answers(project: Project) -> tuple[array, array, array, array]:
    """(worker ids, item ids, offsets, label codes) of every counted multi-label answer.

    Answer ``a`` chose ``codes[offsets[a]:offsets[a + 1]]``; read in chunks into flat arrays
    (24 bytes per answer + 2 per chosen label).
    """
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    workers, items, offsets, chosen = array("q"), array("q"), array("q", [0]), array("h")
    rows = (
        Submission.objects.filter(
            assignment__project_id=project.pk,
            assignment__status__in=COUNTED,
            revision=F("assignment__revisions"),
        )
        .values_list("assignment__worker_id", "assignment__item_id", "answer")
        .iterator(chunk_size=READ_CHUNK)
    )
    for worker_id, item_id, answer in rows:
        labels = answer.get("labels") if isinstance(answer, dict) else None
        if not isinstance(labels, list):
            continue
        workers.append(worker_id)
        items.append(item_id)
        chosen.extend(sorted({codes[lb] for lb in labels if lb in codes}))
        offsets.append(len(chosen))
    return workers, items, offsets, chosen


def _gold_multi(project: Project) -> dict[int, list[int]]:
    codes = {label: i for i, label in enumerate(project.config["labels"])}
    out: dict[int, list[int]] = {}
    gold_items = Item.objects.filter(project=project, gold__isnull=False).values_list("pk", "gold")
    for pk, gold in gold_items.iterator(chunk_size=READ_CHUNK):
        labels = gold.get("labels") if isinstance(gold, dict) else None
        if isinstance(labels, list):
            out[pk] = sorted({codes[lb] for lb in labels if lb in codes})
    return out


def _gold_hits_multi(result: MultiLabelResult, w: np.ndarray, t: np.ndarray, off: np.ndarray,
                     c: np.ndarray, gold: dict[int, list[int]], k: int) -> tuple[int, int]:
    """Gold items answered by the crowd, and how many got exactly the gold label set.

    As for single-label gold, each is judged by the one-coin binary posterior of its own
    answers under the learned (binary) worker skills, label by label.
    """
    if not gold:
        return 0, 0
    skills = dict(zip(result.workers.tolist(), result.worker_skill.tolist(), strict=True))
    counts = dict(zip(result.workers.tolist(), result.worker_n_labels.tolist(), strict=True))
    per_item: dict[int, tuple[list[list[int]], list[float]]] = {}
    for a in np.flatnonzero(np.isin(t, np.fromiter(gold.keys(), dtype=np.int64))).tolist():
        chosen, sk = per_item.setdefault(int(t[a]), ([], []))
        chosen.append(c[off[a]:off[a + 1]].tolist())
        wi = int(w[a])
        sk.append(shrunk_skill(skills.get(wi), int(counts.get(wi, 0)), 2))
    correct = 0
    for ti, (chosen, sk) in per_item.items():
        p = item_label_posteriors(chosen, sk, k)
        correct += int([i for i in range(k) if p[i] >= 0.5] == gold[ti])
    return len(per_item), correct


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
    fit = _fit_multi(project, run) if project.config.get("multi_label") else _fit_single(
        project, run)
    if fit is None:
        with transaction.atomic():
            if _may_write(project.pk, run):
                ItemResult.objects.filter(project=project).delete()
                WorkerEstimate.objects.filter(project=project).delete()
                AggregationState.objects.filter(project_id=project_id).update(
                    finished_at=timezone.now(), n_labels=0, n_items=0, mean_confidence=None,
                    gold_total=0, gold_correct=0,
                )
        return {"run": run, "items": 0, "labels": 0}
    written = _write(project, run, fit.rows, fit.workers, fit.skills, fit.n_labels)
    if written < 0:
        return {"run": run, "superseded": True}
    gold_total, gold_correct, mean_conf, n_answers = (
        fit.gold_total, fit.gold_correct, fit.mean_conf, fit.n_answers)
    opened = _backstop(project)
    with transaction.atomic():
        if _may_write(project.pk, run):
            AggregationState.objects.filter(project_id=project_id).update(
                finished_at=timezone.now(), method=project.aggregation_method,
                chosen=fit.chosen, n_labels=n_answers, n_items=written, mean_confidence=mean_conf,
                gold_total=gold_total, gold_correct=gold_correct,
                slots_opened=F("slots_opened") + opened,
            )
            audit_record(actor=None, action="results.aggregate", target=project,
                         project_id=project.pk, organization_id=project.organization_id,
                         data={"run": run, "items": written, "labels": n_answers})
    return {"run": run, "items": written, "labels": n_answers, "gold": gold_total,
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
