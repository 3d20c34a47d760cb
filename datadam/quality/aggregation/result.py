"""The result object returned by every aggregation method, plus shared numeric helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .encoding import Encoded

__all__ = ["AggregationResult"]


@dataclass
class AggregationResult:
    """Aggregated labels of every task and skill estimates of every worker.

    Arrays are aligned: ``labels[i]``, ``confidence[i]`` and ``posteriors[i]`` belong to
    ``tasks[i]``; column ``k`` of ``posteriors`` belongs to ``classes[k]``; ``worker_skill[j]``
    (estimated accuracy in [0, 1]) and ``worker_n_labels[j]`` belong to ``workers[j]``.
    ``worker_confusion[j, true, observed]`` is set by methods with confusion matrices (DS).
    """

    method: str
    tasks: np.ndarray
    labels: np.ndarray
    confidence: np.ndarray
    posteriors: np.ndarray
    classes: np.ndarray
    workers: np.ndarray
    worker_skill: np.ndarray
    worker_n_labels: np.ndarray
    worker_confusion: np.ndarray | None = None
    class_priors: np.ndarray | None = None
    n_iter: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[Any, Any]:
        """Mapping task id -> aggregated label (Python scalars)."""
        return dict(zip(self.tasks.tolist(), self.labels.tolist(), strict=True))

    def skills_dict(self) -> dict[Any, float]:
        """Mapping worker id -> estimated accuracy."""
        return dict(zip(self.workers.tolist(), self.worker_skill.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.tasks)


def normalize_log(log_lik: np.ndarray) -> tuple[np.ndarray, float]:
    """Softmax over classes of class-major log posteriors (``K x T``, overwritten in place).

    Returns task-major posteriors (``T x K``) and the summed log normaliser (log-evidence).
    Class-major rows keep every elementwise pass long and contiguous, several times faster than
    axis-1 reductions on ``T x K``; no BLAS call (multi-threaded BLAS on tiny products stalls on
    a busy machine).
    """
    top = log_lik.max(axis=0)
    log_lik -= top
    np.maximum(log_lik, -80.0, out=log_lik)  # exp(-80) ~ 0; avoids slow subnormal results
    np.exp(log_lik, out=log_lik)
    norm = log_lik.sum(axis=0)
    log_lik *= 1.0 / norm
    log_evidence = float(np.log(norm).sum(dtype=np.float64) + top.sum(dtype=np.float64))
    return task_major(log_lik), log_evidence


def task_major(class_major: np.ndarray) -> np.ndarray:
    """``K x T`` -> C-contiguous ``T x K``, one strided copy per class (fast for small K)."""
    out = np.empty(class_major.shape[::-1], dtype=class_major.dtype)
    for c in range(class_major.shape[0]):
        out[:, c] = class_major[c]
    return out


def class_priors(post: np.ndarray, floor: float = 1e-10) -> np.ndarray:
    """Mean posterior of every class (float64, floored)."""
    means = np.einsum("ij->j", post).astype(np.float64) / len(post)
    return np.maximum(means, floor)


def uniform_priors(n_classes: int) -> np.ndarray:
    """Uniform class prior."""
    return np.full(n_classes, 1.0 / n_classes)


def clamp_gold(post: np.ndarray, enc: Encoded) -> np.ndarray:
    """Overwrite gold tasks' posteriors with one-hot rows of their true labels (in place)."""
    if len(enc.gold_t):
        post[enc.gold_t] = 0.0
        post[enc.gold_t, enc.gold_y] = 1.0
    return post


def vote_shares(enc: Encoded, weights: np.ndarray | None = None) -> np.ndarray:
    """Per-task (weighted) vote share of every class; gold tasks clamped."""
    if weights is None:
        scores = enc.votes.copy()
    else:
        scores = enc.scatter_tasks(weights[enc.w])
    total = scores.sum(axis=1, keepdims=True)
    k = enc.n_classes
    post = np.divide(scores, total, out=np.full_like(scores, 1.0 / k), where=total > 0)
    return clamp_gold(post, enc)


def hard_agreement(enc: Encoded, task_labels: np.ndarray) -> np.ndarray:
    """Fraction of each worker's labels equal to the aggregated label of the task."""
    hits = (task_labels[enc.t] == enc.y).astype(float)
    agree = np.bincount(enc.w, weights=hits, minlength=enc.n_workers)
    return agree / np.maximum(enc.worker_n_labels, 1)


def expected_agreement(enc: Encoded, post: np.ndarray) -> np.ndarray:
    """Posterior probability that a worker's label is correct, averaged over their labels."""
    p_correct = post[enc.t, enc.y]
    agree = np.bincount(enc.w, weights=p_correct, minlength=enc.n_workers)
    return agree / np.maximum(enc.worker_n_labels, 1)


def build_result(
    method: str,
    enc: Encoded,
    post: np.ndarray,
    worker_skill: np.ndarray,
    *,
    worker_confusion: np.ndarray | None = None,
    class_priors: np.ndarray | None = None,
    n_iter: int = 0,
    details: dict[str, Any] | None = None,
) -> AggregationResult:
    """Decode integer codes back to the caller's ids; argmax ties go to the smallest class."""
    post = clamp_gold(post.astype(np.float64, copy=False), enc)
    codes = post.argmax(axis=1)
    return AggregationResult(
        method=method,
        tasks=enc.tasks,
        labels=enc.classes[codes],
        confidence=post[np.arange(len(codes)), codes],
        posteriors=post,
        classes=enc.classes,
        workers=enc.workers,
        worker_skill=np.asarray(worker_skill, dtype=float),
        worker_n_labels=enc.worker_n_labels,
        worker_confusion=worker_confusion,
        class_priors=class_priors,
        n_iter=n_iter,
        details=details or {},
    )
