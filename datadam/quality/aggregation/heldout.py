"""Held-out evidence for ``auto``: how well each candidate explains answers it did not see.

The crowd's answers are split into five folds by a hash of their (task, worker) codes. For every
scored fold each candidate is fitted on the other folds, and each held-out answer ``y`` of
worker ``w`` on task ``t`` gets two scores from the candidate's fit without it:

* label score ``log P(y | label of t)``, with ``w``'s confusion counted from the candidate's
  labels of ``w``'s training answers;
* posterior score ``log sum_c P(c | t) P(y | c)``, with the confusion counted from the
  candidate's posteriors.

Both confusions add a Jeffreys pseudo-count of 1/2 per cell, and every candidate is scored with
this same answer model, so what is compared is the candidate's labels and posteriors, not how it
calibrates its own confusion matrices (plain DS's unsmoothed confusions would otherwise always
lose to smoothed ones, whatever its labels). The pseudo-count is also what keeps a sparse
worker's few answers from scoring as certain: a worker seen twice gets a confusion near uniform.
``auto`` scores the answers with gold removed, so gold never enters the choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .encoding import Encoded
from .result import AggregationResult

__all__ = ["HeldOut", "answer_scores", "clustered_z", "fold_of", "held_out_scores", "subset"]

N_FOLDS = 5
#: Folds scored: ``FOLD_BUDGET // n_labels`` of the five, at least one: all five up to 100,000
#: labels, one from 250,001 on (a fold still holds 20 % of the answers).
FOLD_BUDGET = 500_000
SMOOTHING = 0.5

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def fold_of(enc: Encoded, n_folds: int = N_FOLDS) -> np.ndarray:
    """Fold of every answer: splitmix64 of ``task * n_workers + worker``, modulo ``n_folds``.

    Fixed for given data (no random state, independent of row order); repeated (worker, task)
    pairs share a fold, so a duplicate never leaks its held-out twin into the training folds.
    """
    x = enc.t.astype(np.uint64) * np.uint64(enc.n_workers) + enc.w.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        x ^= x >> np.uint64(31)
    return (x % np.uint64(n_folds)).astype(np.int64)


def subset(enc: Encoded, keep: np.ndarray) -> Encoded:
    """The answers where ``keep`` is true, with the same worker, task and class codes (and gold)."""
    return Encoded(
        enc.workers, enc.tasks, enc.classes, enc.w[keep], enc.t[keep], enc.y[keep],
        enc.gold_t, enc.gold_y,
    )


def _confusion(train: Encoded, post: np.ndarray) -> np.ndarray:
    """Jeffreys-smoothed confusion ``[worker, observed, true]`` counted from task posteriors.

    One sparse product, as in the DS M-step (so no more memory than a DS fit needs).
    """
    k = train.n_classes
    counts = train.task_by_worker_label.T @ post.astype(train.work_dtype)
    counts = counts.reshape(train.n_workers, k, k).astype(np.float64) + SMOOTHING
    counts /= counts.sum(axis=1, keepdims=True)
    return counts


def answer_scores(
    train: Encoded, post: np.ndarray, w: np.ndarray, t: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Label score and posterior score of held-out answers ``(w, t, y)``.

    Label score: ``log P(y | label of t)`` with worker ``w``'s confusion counted from the labels
    (argmax of ``post``) of ``w``'s training answers. Posterior score: ``log sum_c post[t, c]
    P(y | c)`` with the confusion counted from the posteriors. Both add :data:`SMOOTHING`.
    """
    labels = post.argmax(axis=1)
    one_hot = np.zeros_like(post)
    one_hot[np.arange(len(labels)), labels] = 1.0
    label_score = np.log(_confusion(train, one_hot)[w, y, labels[t]])
    by_class = _confusion(train, post)[w, y, :]
    post_score = np.log(np.einsum("nc,nc->n", post[t], by_class))
    return label_score, post_score


@dataclass
class HeldOut:
    """Per held-out answer: each candidate's label and posterior scores, the answer's worker."""

    label_scores: dict[str, np.ndarray]
    post_scores: dict[str, np.ndarray]
    workers: np.ndarray
    folds_scored: int
    n_folds: int

    @property
    def n_answers(self) -> int:
        """Number of held-out answers scored (those whose task kept a training answer)."""
        return len(self.workers)


def held_out_scores(
    enc: Encoded, fitters: Mapping[str, Callable[[Encoded], AggregationResult]]
) -> HeldOut:
    """Fit every candidate on all folds but one and score the held-out fold's answers.

    Scores ``min(5, max(1, FOLD_BUDGET // n_labels))`` of the five folds, so the selection's
    cost stays a bounded multiple of one fit. Held-out answers on tasks with no training
    answer are skipped (every candidate would only guess there).
    """
    n_scored = max(1, min(N_FOLDS, FOLD_BUDGET // max(enc.n_labels, 1)))
    fold = fold_of(enc, N_FOLDS)
    labels: dict[str, list[np.ndarray]] = {name: [] for name in fitters}
    posts: dict[str, list[np.ndarray]] = {name: [] for name in fitters}
    workers: list[np.ndarray] = []
    for f in range(n_scored):
        test = fold == f
        if test.all() or not test.any():
            continue
        train = subset(enc, ~test)
        answered = np.bincount(train.t, minlength=enc.n_tasks) > 0
        idx = np.flatnonzero(test)
        idx = idx[answered[enc.t[idx]]]
        if not len(idx):
            continue
        w, t, y = enc.w[idx], enc.t[idx], enc.y[idx]
        for name, fit in fitters.items():
            label_score, post_score = answer_scores(train, fit(train).posteriors, w, t, y)
            labels[name].append(label_score)
            posts[name].append(post_score)
        workers.append(w)

    def joined(parts: dict[str, list[np.ndarray]]) -> dict[str, np.ndarray]:
        return {n: np.concatenate(p) if p else np.zeros(0) for n, p in parts.items()}

    return HeldOut(
        label_scores=joined(labels),
        post_scores=joined(posts),
        workers=np.concatenate(workers) if workers else np.zeros(0, dtype=np.int64),
        folds_scored=n_scored,
        n_folds=N_FOLDS,
    )


def clustered_z(diff: np.ndarray, groups: np.ndarray) -> float:
    """``sum(diff)`` over its standard error clustered by ``groups`` (0.0 without spread).

    Answers of one worker share that worker's estimated confusion, so they are not independent;
    the cluster-robust variance is the sum over workers of their squared centred sums.
    """
    if not len(diff):
        return 0.0
    centred = diff - diff.mean()
    per_group = np.bincount(groups, weights=centred)
    se = float(np.sqrt(np.square(per_group).sum()))
    return float(diff.sum() / se) if se > 0 else 0.0
