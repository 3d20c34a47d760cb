"""One item's posterior under the one-coin worker model (plain Python, no Django).

A worker with accuracy ``a`` gives the true label with probability ``a`` and each of the other
``K - 1`` labels with ``(1 - a) / (K - 1)``; the class prior is uniform.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["MAX_SKILL", "PRIOR_SKILL", "PRIOR_WEIGHT", "item_posterior", "shrunk_skill"]

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
