"""Majority vote (``mv``) and iterated weighted majority vote (``wmv``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .encoding import Encoded, encode
from .result import AggregationResult, build_result, hard_agreement, vote_shares

__all__ = ["fit_mv", "fit_wmv", "mv", "wmv"]

WMV_MAX_ROUNDS = 10


def fit_mv(enc: Encoded) -> AggregationResult:
    """Majority vote on encoded labels.

    The posterior of a class is its vote share; ties go to the smallest class (in sorted order of
    the label values). A worker's skill is the share of their labels equal to the majority label.
    """
    post = vote_shares(enc)
    codes = post.argmax(axis=1)
    return build_result("mv", enc, post, hard_agreement(enc, codes))


def fit_wmv(enc: Encoded, *, n_iter: int = WMV_MAX_ROUNDS) -> AggregationResult:
    """Weighted majority vote: weight = agreement with the current labels, iterated.

    Starts from majority vote; each round sets every worker's weight to the share of their labels
    that agree with the current aggregated labels (gold tasks count with their true label) and
    re-votes. Stops after ``min(n_iter, 10)`` rounds or when no label changes.
    """
    post = vote_shares(enc)
    codes = post.argmax(axis=1)
    rounds = 0
    while rounds < max(1, min(n_iter, WMV_MAX_ROUNDS)):
        rounds += 1
        skill = hard_agreement(enc, codes)
        post = vote_shares(enc, skill)
        new_codes = post.argmax(axis=1)
        changed = bool((new_codes != codes).any())
        codes = new_codes
        if not changed:
            break
    return build_result("wmv", enc, post, hard_agreement(enc, codes), n_iter=rounds)


def mv(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
) -> AggregationResult:
    """Majority vote; ``n_iter`` and ``tol`` are accepted for a uniform signature and ignored."""
    del n_iter, tol
    return fit_mv(encode(workers, tasks, labels, gold))


def wmv(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
) -> AggregationResult:
    """Weighted majority vote (at most 10 re-weighting rounds); ``tol`` is ignored."""
    del tol
    return fit_wmv(encode(workers, tasks, labels, gold), n_iter=n_iter)
