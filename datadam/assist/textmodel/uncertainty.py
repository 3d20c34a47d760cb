"""Uncertainty scores for active learning: which items the crowd should label first.

Each function takes one row per item, (n, classes), and returns (n,) scores in [0, 1] where
HIGHER MEANS MORE UNCERTAIN, so a queue ordered by descending score asks about the items the
model (or the crowd so far) is least sure of first.
"""

from __future__ import annotations

import numpy as np


def _rows(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError("expected an array of shape (items, classes)")
    return values


def margin(p: np.ndarray) -> np.ndarray:
    """1 − (top probability − second probability): 0 when the model is certain, 1 when its two
    best classes tie. With one class there is no doubt: 0."""
    p = _rows(p)
    if p.shape[1] == 1:
        return np.zeros(len(p))
    top2 = -np.partition(-p, 1, axis=1)[:, :2]
    return 1.0 - (top2[:, 0] - top2[:, 1])


def entropy(p: np.ndarray) -> np.ndarray:
    """Shannon entropy of each row divided by log(classes): 0 for a one-hot row, 1 for the
    uniform one. Rows are renormalised; an all-zero row counts as uniform."""
    p = _rows(p)
    k = p.shape[1]
    if k == 1:
        return np.zeros(len(p))
    total = p.sum(1, keepdims=True)
    q = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / k)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(q > 0, q * np.log(q), 0.0)
    return np.clip(-terms.sum(1) / np.log(k), 0.0, 1.0)


def vote_disagreement(counts: np.ndarray) -> np.ndarray:
    """How split the crowd's votes are: (1 − share of the top label) / (1 − 1/classes), so 0
    when everyone agrees and 1 for an even split over all classes. Items without votes get 1:
    nothing is known about them yet."""
    counts = _rows(counts)
    k = counts.shape[1]
    total = counts.sum(1)
    if k == 1:
        return np.where(total > 0, 0.0, 1.0)
    share = counts.max(1) / np.where(total > 0, total, 1.0)
    return np.where(total > 0, (1.0 - share) / (1.0 - 1.0 / k), 1.0)


def vote_entropy(counts: np.ndarray) -> np.ndarray:
    """Normalised entropy of the vote shares (see ``entropy``); items without votes get 1."""
    return entropy(counts)
