"""The platform's aggregation job: every counted answer of a project → ItemResult rows.

``results_request`` marks a project for aggregation and enqueues the job once per debounce
window (called after submits and reviews). ``results_aggregate`` streams the answers in
chunks, runs ``datadam.quality.aggregation.aggregate`` with the project's method and its gold
items as gold, and writes results and worker estimates. Safe to run twice or concurrently:
the run number taken at the start decides which run may write (a newer one wins).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from datadam.audit.services import audit_record
from datadam.kinds import get_kind
from datadam.projects.models import Project, ProjectStatus
from datadam.quality.aggregation import aggregate
from datadam.work.models import Assignment, AssignmentStatus

from .answers import gold_multi, gold_single, provisional_of, read_answers, read_multi_answers
from .fusion import ItemsFit
from .models import AggregationState, ItemResult, WorkerEstimate
from .multilabel import MultiLabelResult, aggregate_multilabel, item_label_posteriors
from .overlap import aggregatable, overlap_check
from .posterior import (
    VOTE_METHODS,
    item_posterior,
    one_coin_posteriors,
    shrunk_skill,
    shrunk_skills,
)

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


def _single_rows(project: Project, run: int, result: Any, confidence: np.ndarray,
                 answers: np.ndarray, provisional: np.ndarray, keep: np.ndarray,
                 method: str) -> Iterator[list[ItemResult]]:
    """ItemResult rows of a single-label fit (``answers[i]``: labels of ``result.tasks[i]``)."""
    labels = project.config["labels"]
    now = timezone.now()
    tasks, codes, conf = result.tasks[keep], result.labels[keep], confidence[keep]
    counts, prov = answers[keep], provisional[keep]
    for start in range(0, len(tasks), WRITE_CHUNK):
        end = start + WRITE_CHUNK  # Python objects for one chunk at a time only
        yield [
            ItemResult(item_id=t, project_id=project.pk, label=labels[c],
                       result={"label": labels[c]}, confidence=round(p, 6), answers=n,
                       provisional=v, method=method, run=run, updated_at=now)
            for t, c, p, n, v in zip(tasks[start:end].tolist(), codes[start:end].tolist(),
                                     conf[start:end].tolist(), counts[start:end].tolist(),
                                     prov[start:end].tolist(), strict=True)
        ]


def _multi_rows(project: Project, run: int, result: MultiLabelResult, provisional: np.ndarray,
                keep: np.ndarray, method: str) -> Iterator[list[ItemResult]]:
    """ItemResult rows of a multi-label fit: the label set, its confidence, per-label p."""
    labels = project.config["labels"]
    now = timezone.now()
    tasks, counts, prov = result.items[keep], result.answers[keep], provisional[keep]
    p_yes, conf = result.p_yes[keep], result.confidence()[keep]
    for start in range(0, len(tasks), WRITE_CHUNK):
        end = start + WRITE_CHUNK
        rows = []
        for t, probs, c, n, v in zip(tasks[start:end].tolist(), p_yes[start:end].tolist(),
                                     conf[start:end].tolist(), counts[start:end].tolist(),
                                     prov[start:end].tolist(), strict=True):
            chosen = [lb for lb, p in zip(labels, probs, strict=True) if p >= 0.5]
            rows.append(ItemResult(
                item_id=t, project_id=project.pk, label=", ".join(chosen)[:500],
                result={"labels": chosen,
                        "probabilities": {lb: round(p, 4)
                                          for lb, p in zip(labels, probs, strict=True)}},
                confidence=round(c, 6), answers=n, provisional=v, method=method, run=run,
                updated_at=now,
            ))
        yield rows


def _write(project: Project, run: int, fit: _Fit | ItemsFit) -> int:
    """Upsert result rows (chunk by chunk), then worker estimates; -1 when superseded.

    The estimates are read from ``fit`` after its rows: a fusion fit scores workers while
    it produces the rows."""
    written = 0
    for rows in fit.rows:
        with transaction.atomic():
            if not _may_write(project.pk, run):
                return -1
            ItemResult.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["item"],
                update_fields=["label", "result", "confidence", "answers", "provisional",
                               "method", "run", "updated_at"],
            )
        written += len(rows)
    now = timezone.now()
    workers, skills, n_labels = fit.workers, fit.skills, fit.n_labels
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
    n_provisional: int


def _confidence(result: Any, w: np.ndarray, t: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Posterior of each task's delivered label (aligned with ``result.tasks``).

    Model-based methods report their posterior. Vote methods report a share of votes (1.0
    for a lone answer), so their confidence is the one-coin posterior of the delivered label
    under the fitted worker skills, shrunk towards the prior (``posterior.shrunk_skills``).
    """
    chosen = str(result.details.get("chosen") or result.method)
    if chosen not in VOTE_METHODS:
        return result.confidence
    skill = shrunk_skills(result.worker_skill, result.worker_n_labels, k)
    post = one_coin_posteriors(np.searchsorted(result.tasks, t),
                               y, skill[np.searchsorted(result.workers, w)], len(result.tasks), k)
    return post[np.arange(len(result.tasks)), result.labels]


def _fit_single(project: Project, run: int) -> _Fit | None:
    gold = gold_single(project)
    workers, items, labels, pending = read_answers(project, gold)
    if not len(labels):
        return None
    w = np.frombuffer(workers, dtype=np.int64)
    t = np.frombuffer(items, dtype=np.int64)
    y = np.frombuffer(labels, dtype=np.int64)
    waiting = np.frombuffer(pending, dtype=np.int8)
    del workers, items, labels, pending
    k = len(project.config["labels"])
    method = project.aggregation_method
    result = aggregate(w, t, y, method=method or "auto", gold=dict(gold) or None)
    uniq, answers = np.unique(t, return_counts=True)  # aligned with result.tasks (sorted)
    if not np.array_equal(uniq, result.tasks):
        raise RuntimeError("aggregation returned tasks out of order")
    confidence = _confidence(result, w, t, y, k)
    gold_total, gold_correct = _gold_hits(result, w, t, y, gold, k)
    keep = ~np.isin(result.tasks, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    provisional = provisional_of(result.tasks, t, waiting)
    return _Fit(
        rows=_single_rows(project, run, result, confidence, answers, provisional, keep, method),
        workers=result.workers, skills=result.worker_skill, n_labels=result.worker_n_labels,
        n_answers=len(y),
        mean_conf=float(confidence[keep].mean()) if keep.any() else None,
        gold_total=gold_total, gold_correct=gold_correct,
        chosen=str(result.details.get("chosen", method)),
        n_provisional=int(provisional[keep].sum()),
    )


def _fit_multi(project: Project, run: int) -> _Fit | None:
    gold = gold_multi(project)
    workers, items, offsets, codes, pending = read_multi_answers(project, gold)
    if not len(workers):
        return None
    method = project.aggregation_method
    k = len(project.config["labels"])
    w = np.frombuffer(workers, dtype=np.int64)
    t = np.frombuffer(items, dtype=np.int64)
    off = np.frombuffer(offsets, dtype=np.int64)
    c = np.frombuffer(codes, dtype=np.int16)
    result = aggregate_multilabel(w, t, off, c, k, method=method or "auto", gold=gold or None)
    gold_total, gold_correct = _gold_hits_multi(result, w, t, off, c, gold, k)
    provisional = provisional_of(result.items, t, np.frombuffer(pending, dtype=np.int8))
    del workers, items, offsets, codes, pending
    keep = ~np.isin(result.items, np.fromiter(gold.keys(), dtype=np.int64, count=len(gold)))
    return _Fit(
        rows=_multi_rows(project, run, result, provisional, keep, method),
        workers=result.workers, skills=result.worker_skill, n_labels=result.worker_n_labels,
        n_answers=len(w),
        mean_conf=float(result.confidence()[keep].mean()) if keep.any() else None,
        gold_total=gold_total, gold_correct=gold_correct, chosen=result.chosen[:16],
        n_provisional=int(provisional[keep].sum()),
    )




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
    fit: _Fit | ItemsFit | None
    if not get_kind(project.kind).crowd_labels:
        fit = ItemsFit(project, run)
    elif project.config.get("multi_label"):
        fit = _fit_multi(project, run)
    else:
        fit = _fit_single(project, run)
    if fit is None:
        with transaction.atomic():
            if _may_write(project.pk, run):
                ItemResult.objects.filter(project=project).delete()
                WorkerEstimate.objects.filter(project=project).delete()
                AggregationState.objects.filter(project_id=project_id).update(
                    finished_at=timezone.now(), n_labels=0, n_items=0, n_provisional=0,
                    mean_confidence=None, gold_total=0, gold_correct=0,
                )
        return {"run": run, "items": 0, "labels": 0}
    written = _write(project, run, fit)
    if written < 0:
        return {"run": run, "superseded": True}
    gold_total, gold_correct, mean_conf, n_answers = (
        fit.gold_total, fit.gold_correct, fit.mean_conf, fit.n_answers)
    opened = _backstop(project)
    with transaction.atomic():
        if _may_write(project.pk, run):
            AggregationState.objects.filter(project_id=project_id).update(
                finished_at=timezone.now(), method=project.aggregation_method,
                chosen=fit.chosen, n_labels=n_answers, n_items=written,
                n_provisional=fit.n_provisional, mean_confidence=mean_conf,
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
    from .export_jobs import exports_sweep

    return {"aggregated": done, "exports_failed": exports_sweep()}
