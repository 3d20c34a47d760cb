"""One item's posterior under the one-coin worker model (plain Python, no Django).

A worker with accuracy ``a`` gives the true label with probability ``a`` and each of the other
``K - 1`` labels with ``(1 - a) / (K - 1)``; the class prior is uniform.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "MAX_SKILL", "PRIOR_SKILL", "PRIOR_WEIGHT", "VOTE_METHODS", "item_posterior",
    "one_coin_posteriors", "shrunk_skill", "shrunk_skills",
]

#: Methods whose confidence is a share of votes, not a probability: 1.0 for one answer.
#: The platform replaces it by the one-coin posterior (``one_coin_posteriors``).
VOTE_METHODS = frozenset({"mv", "wmv"})

#: Accuracy assumed for a worker the platform knows nothing about yet.
PRIOR_SKILL = 0.7
#: Pseudo-labels pulling a worker's estimate towards PRIOR_SKILL (few labels: mostly prior).
PRIOR_WEIGHT = 4.0
MAX_SKILL = 0.99


def shrunk_skill(skill: float | None, n_labels: int, n_classes: int) -> float:
    """A worker's accuracy for the posterior: shrunk towards the prior, kept informative."""
    if skill is None:
        skill, n_labels = PRIOR_SKILL, 0
    value = (skill * n_labels + PRIOR_SKILL * PRIOR_WEIGHT) / (n_labels + PRIOR_WEIGHT)
    return min(MAX_SKILL, max(1.0 / n_classes, value))


def item_posterior(labels: Sequence[int], skills: Sequence[float], n_classes: int) -> list[float]:
    """Posterior over ``n_classes`` classes of one item from its answers (class codes)."""
    k = max(n_classes, 2)
    scores = [0.0] * k
    for label, skill in zip(labels, skills, strict=True):
        a = min(MAX_SKILL, max(1e-6, skill))
        hit, miss = math.log(a), math.log(max(1e-12, (1 - a) / (k - 1)))
        for c in range(k):
            scores[c] += hit if c == label else miss
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def shrunk_skills(skills: np.ndarray, n_labels: np.ndarray, n_classes: int) -> np.ndarray:
    """``shrunk_skill`` for arrays of workers."""
    value = (np.asarray(skills, dtype=np.float64) * n_labels + PRIOR_SKILL * PRIOR_WEIGHT) / (
        np.asarray(n_labels, dtype=np.float64) + PRIOR_WEIGHT)
    return np.clip(value, 1.0 / n_classes, MAX_SKILL)


def one_coin_posteriors(task_index: np.ndarray, labels: np.ndarray, skills: np.ndarray,
                        n_tasks: int, n_classes: int) -> np.ndarray:
    """Posterior (``n_tasks`` × ``n_classes``) of every task under the one-coin model.

    Answer ``j`` gave class ``labels[j]`` to task ``task_index[j]`` with accuracy ``skills[j]``
    (already shrunk); vectorised ``item_posterior`` for a whole project.
    """
    k = max(n_classes, 2)
    a = np.clip(np.asarray(skills, dtype=np.float64), 1e-6, MAX_SKILL)
    hit, miss = np.log(a), np.log(np.maximum(1e-12, (1 - a) / (k - 1)))
    task_index = np.asarray(task_index, dtype=np.int64)
    cells = task_index * k + np.asarray(labels, dtype=np.int64)
    scores = np.bincount(cells, weights=hit - miss, minlength=n_tasks * k).reshape(n_tasks, k)
    scores += np.bincount(task_index, weights=miss, minlength=n_tasks)[:, None]
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores
