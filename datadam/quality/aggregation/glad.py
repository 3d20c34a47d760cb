"""GLAD (Whitehill et al., 2009): worker ability and task difficulty, EM with a gradient M-step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import expit

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

__all__ = ["fit_glad", "glad"]

ALPHA_PRIOR_MEAN = 1.0
BETA_PRIOR_MEAN = 1.0
_BETA_BOUND = 6.0


def _log_sigmoids(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stable ``log(sigmoid(x))`` and ``log(1 - sigmoid(x))``."""
    return -np.logaddexp(0.0, -x), -np.logaddexp(0.0, x)


def _glad_e_step(
    enc: Encoded, alpha: np.ndarray, beta: np.ndarray, priors: np.ndarray
) -> tuple[np.ndarray, float]:
    """Posteriors when P(correct) = sigmoid(alpha_w * exp(beta_t)), errors uniform."""
    x = alpha[enc.w] * np.exp(beta[enc.t])
    log_right, log_wrong = _log_sigmoids(x)
    log_wrong -= np.log(max(enc.n_classes - 1, 1))
    log_lik = enc.scatter_classes(log_right - log_wrong)
    log_lik += np.bincount(enc.t, weights=log_wrong, minlength=enc.n_tasks)
    log_lik += np.log(priors)[:, None]
    return normalize_log(log_lik)


def _glad_m_step(
    enc: Encoded,
    post: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    n_steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Raise the expected complete log-likelihood plus N(1, 1) priors by Newton steps.

    Block-coordinate ascent: every step updates all ``alpha`` given ``beta`` (exact curvature,
    the objective is concave in alpha), then all ``beta`` given ``alpha`` (Gauss–Newton
    curvature); step sizes are clipped to 1. dQ/dx = p - sigmoid(x) for x = alpha * exp(beta).
    """
    p_right = post[enc.t, enc.y]
    for _ in range(n_steps):
        eb = np.exp(beta)[enc.t]
        x = alpha[enc.w] * eb
        sig = expit(x)
        grad = np.bincount(enc.w, (p_right - sig) * eb, enc.n_workers) - (alpha - ALPHA_PRIOR_MEAN)
        curv = np.bincount(enc.w, sig * (1.0 - sig) * eb * eb, enc.n_workers) + 1.0
        alpha = alpha + np.clip(grad / curv, -1.0, 1.0)
        x = alpha[enc.w] * eb
        sig = expit(x)
        grad = np.bincount(enc.t, (p_right - sig) * x, enc.n_tasks) - (beta - BETA_PRIOR_MEAN)
        curv = np.bincount(enc.t, sig * (1.0 - sig) * x * x, enc.n_tasks) + 1.0
        beta = np.clip(beta + np.clip(grad / curv, -1.0, 1.0), -_BETA_BOUND, _BETA_BOUND)
    return alpha, beta


def fit_glad(
    enc: Encoded,
    *,
    n_iter: int = 100,
    tol: float = 1e-6,
    m_step_iter: int = 5,
    learn_priors: bool = False,
) -> AggregationResult:
    """GLAD EM on encoded labels.

    P(worker w labels task t correctly) = sigmoid(alpha_w * exp(beta_t)); wrong answers are
    uniform over the other classes. Starts from majority-vote posteriors; each M-step runs up to
    ``m_step_iter`` Newton steps on (alpha, beta) with N(1, 1) priors. Class priors stay
    uniform (as in the paper) unless ``learn_priors``. ``worker_skill`` is the posterior-expected
    share of correct labels; ``details`` holds ``alpha`` and ``beta``.
    """
    post = vote_shares(enc)
    alpha = np.full(enc.n_workers, ALPHA_PRIOR_MEAN)
    beta = np.full(enc.n_tasks, BETA_PRIOR_MEAN)
    alpha, beta = _glad_m_step(enc, post, alpha, beta, m_step_iter)
    priors = class_priors(post) if learn_priors else uniform_priors(enc.n_classes)
    prev = -np.inf
    ll = prev
    it = 0
    while it < n_iter:
        it += 1
        post, log_evidence = _glad_e_step(enc, alpha, beta, priors)
        clamp_gold(post, enc)
        alpha, beta = _glad_m_step(enc, post, alpha, beta, m_step_iter)
        if learn_priors:
            priors = class_priors(post)
        ll = log_evidence / enc.n_labels
        if tol > 0 and abs(ll - prev) < tol:
            break
        prev = ll
    return build_result(
        "glad",
        enc,
        post,
        expected_agreement(enc, post),
        class_priors=priors,
        n_iter=it,
        details={"alpha": alpha, "beta": beta, "log_likelihood_per_label": ll},
    )


def glad(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
    m_step_iter: int = 5,
    learn_priors: bool = False,
) -> AggregationResult:
    """GLAD (see :func:`fit_glad`)."""
    enc = encode(workers, tasks, labels, gold)
    return fit_glad(enc, n_iter=n_iter, tol=tol, m_step_iter=m_step_iter, learn_priors=learn_priors)
