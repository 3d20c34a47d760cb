"""Dawid–Skene (full confusion matrices, ``ds``) and one-coin Dawid–Skene (``ods``) by EM."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .encoding import Encoded, encode
from .result import (
    AggregationResult,
    build_result,
    clamp_gold,
    class_priors,
    expected_agreement,
    normalize_log,
    uniform_priors,
    vote_shares,
)

__all__ = ["ds", "fit_ds", "fit_ods", "ods"]

_EPS = 1e-10
DS_SMOOTHING = 1e-3
ODS_SMOOTHING = 0.01


def _ds_m_step(
    enc: Encoded, post: np.ndarray, smoothing: float, shrink: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Confusion matrices ``err[w, observed, true]`` and class priors from posteriors.

    Expected counts come from one sparse product: rows ``worker * K + observed`` of the
    (worker, label) x task count matrix times the task posteriors. ``smoothing`` adds a uniform
    pseudo-count per cell; ``shrink`` adds ``shrink`` pseudo-labels per true class distributed as
    the worker's one-coin matrix (own accuracy on the diagonal, the rest spread evenly).
    """
    k = enc.n_classes
    counts = (enc.task_by_worker_label.T @ post).reshape(enc.n_workers, k, k)
    counts = counts.astype(np.float64, copy=False)
    if shrink:
        idx = np.arange(k)
        acc = (counts[:, idx, idx].sum(axis=1) + 1.0) / (counts.sum(axis=(1, 2)) + 2.0)
        off = (1.0 - acc) / max(k - 1, 1)
        counts += shrink * off[:, None, None]
        counts[:, idx, idx] += (shrink * (acc - off))[:, None]
    if smoothing:
        counts += smoothing
    np.maximum(counts, _EPS, out=counts)
    counts /= counts.sum(axis=1, keepdims=True)
    return counts, class_priors(post)


def _ds_e_step(enc: Encoded, err: np.ndarray, priors: np.ndarray) -> tuple[np.ndarray, float]:
    """Task posteriors from confusion matrices.

    For every true class c, one sparse matrix-vector product of the (task x worker-label) count
    matrix with log err[:, :, c] sums each task's log-likelihood terms.
    """
    k = enc.n_classes
    log_err = np.log(err).reshape(-1, k).T.astype(enc.work_dtype)  # [true, worker*K + observed]
    counts = enc.task_by_worker_label
    log_lik = np.empty((k, enc.n_tasks), dtype=enc.work_dtype)
    for c in range(k):
        log_lik[c] = counts @ log_err[c]
    log_lik += np.log(priors).astype(enc.work_dtype)[:, None]
    return normalize_log(log_lik)


def fit_ds(
    enc: Encoded,
    *,
    n_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = DS_SMOOTHING,
    shrink: float = 0.0,
    init: np.ndarray | None = None,
) -> AggregationResult:
    """Dawid–Skene EM on encoded labels.

    Initialised from majority-vote shares (or ``init`` posteriors), then alternates M-step
    (confusion counts + pseudo-counts, normalised per true class, see :func:`_ds_m_step`) and
    E-step. Stops after ``n_iter`` iterations or when the mean log-likelihood per label changes by
    less than ``tol`` (``tol <= 0`` disables early stopping). Gold tasks stay clamped.
    """
    post = vote_shares(enc) if init is None else clamp_gold(init.copy(), enc)
    post = post.astype(enc.work_dtype)
    err, priors = _ds_m_step(enc, post, smoothing, shrink)
    prev = -np.inf
    it = 0
    ll = prev
    while it < n_iter:
        it += 1
        post, log_evidence = _ds_e_step(enc, err, priors)
        clamp_gold(post, enc)
        err, priors = _ds_m_step(enc, post, smoothing, shrink)
        ll = log_evidence / enc.n_labels
        if tol > 0 and abs(ll - prev) < tol:
            break
        prev = ll
    confusion = err.transpose(0, 2, 1).copy()  # [worker, true, observed]
    return build_result(
        "ds",
        enc,
        post,
        expected_agreement(enc, post),
        worker_confusion=confusion,
        class_priors=priors,
        n_iter=it,
        details={"log_likelihood_per_label": ll},
    )


def _ods_e_step(enc: Encoded, acc: np.ndarray, priors: np.ndarray) -> tuple[np.ndarray, float]:
    """Task posteriors when worker ``w`` is right w.p. ``acc[w]``, else uniform over the rest."""
    k = enc.n_classes
    log_right = np.log(acc)
    log_wrong = np.log1p(-acc) - np.log(max(k - 1, 1))
    log_lik = enc.scatter_classes((log_right - log_wrong)[enc.w])
    log_lik += np.bincount(enc.t, weights=log_wrong[enc.w], minlength=enc.n_tasks)
    log_lik += np.log(priors)[:, None]
    return normalize_log(log_lik)


def _ods_m_step(
    enc: Encoded, post: np.ndarray, smoothing: float, learn_priors: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Worker accuracies (expected share of correct labels) and class priors."""
    correct = np.bincount(enc.w, weights=post[enc.t, enc.y], minlength=enc.n_workers)
    acc = (correct + smoothing) / (enc.worker_n_labels + 2 * smoothing)
    acc = np.clip(acc, 1e-6, 1 - 1e-6)
    return acc, class_priors(post) if learn_priors else uniform_priors(enc.n_classes)


def fit_ods(
    enc: Encoded,
    *,
    n_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = ODS_SMOOTHING,
    learn_priors: bool = False,
) -> AggregationResult:
    """One-coin Dawid–Skene EM: one accuracy per worker, errors uniform over other classes.

    Class priors stay uniform unless ``learn_priors``: with a single accuracy per worker, a
    learned prior tends to absorb class-dependent worker bias and collapse onto one class.
    """
    post = vote_shares(enc)
    acc, priors = _ods_m_step(enc, post, smoothing, learn_priors)
    prev = -np.inf
    it = 0
    ll = prev
    while it < n_iter:
        it += 1
        post, log_evidence = _ods_e_step(enc, acc, priors)
        clamp_gold(post, enc)
        acc, priors = _ods_m_step(enc, post, smoothing, learn_priors)
        ll = log_evidence / enc.n_labels
        if tol > 0 and abs(ll - prev) < tol:
            break
        prev = ll
    return build_result(
        "ods",
        enc,
        post,
        acc,
        class_priors=priors,
        n_iter=it,
        details={"log_likelihood_per_label": ll},
    )


def ds(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = DS_SMOOTHING,
    shrink: float = 0.0,
) -> AggregationResult:
    """Dawid–Skene with full per-worker confusion matrices (see :func:`fit_ds`)."""
    enc = encode(workers, tasks, labels, gold)
    return fit_ds(enc, n_iter=n_iter, tol=tol, smoothing=smoothing, shrink=shrink)


def ods(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = ODS_SMOOTHING,
    learn_priors: bool = False,
) -> AggregationResult:
    """One-coin Dawid–Skene (see :func:`fit_ods`)."""
    enc = encode(workers, tasks, labels, gold)
    return fit_ods(enc, n_iter=n_iter, tol=tol, smoothing=smoothing, learn_priors=learn_priors)
