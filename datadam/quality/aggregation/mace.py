"""MACE (Hovy et al., 2013): per-worker spamming probability and spam label distribution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import digamma

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

__all__ = ["fit_mace", "mace"]

# Variational-Bayes priors: Beta(a, b) on "knows the answer", symmetric Dirichlet on spam labels.
KNOW_PRIOR = 0.5
SPAM_PRIOR = 0.5
STRATEGY_PRIOR = 10.0
EM_SMOOTHING = 0.01


def _mace_e_step(
    enc: Encoded, know: np.ndarray, spam: np.ndarray, strategy: np.ndarray, priors: np.ndarray
) -> tuple[np.ndarray, float]:
    """Posteriors when P(y | true c) = know_w * [y == c] + spam_w * strategy_w[y]."""
    p_spam = spam[enc.w] * strategy[enc.w, enc.y]
    p_know = know[enc.w]
    log_spam = np.log(p_spam)
    log_lik = enc.scatter_classes(np.log(p_spam + p_know) - log_spam)
    log_lik += np.bincount(enc.t, weights=log_spam, minlength=enc.n_tasks)
    log_lik += np.log(priors)[:, None]
    return normalize_log(log_lik)


def _mace_m_step(
    enc: Encoded,
    post: np.ndarray,
    know: np.ndarray | None,
    spam: np.ndarray | None,
    strategy: np.ndarray | None,
    variational: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected 'knowing' counts and spam-label counts, normalised by VB or smoothed EM."""
    k = enc.n_classes
    p_true = post[enc.t, enc.y]
    if know is None or spam is None or strategy is None:
        e_know = p_true  # first step: a label agreeing with the initial posterior is 'known'
    else:
        p_know = know[enc.w]
        e_know = p_true * p_know / (p_know + spam[enc.w] * strategy[enc.w, enc.y])
    e_spam = 1.0 - e_know
    n_know = np.bincount(enc.w, weights=e_know, minlength=enc.n_workers)
    n_spam = np.bincount(enc.w, weights=e_spam, minlength=enc.n_workers)
    n_strat = np.bincount(enc.wk, weights=e_spam, minlength=enc.n_workers * k).reshape(-1, k)
    if variational:
        total = digamma(n_know + n_spam + KNOW_PRIOR + SPAM_PRIOR)
        know = np.exp(digamma(n_know + KNOW_PRIOR) - total)
        spam = np.exp(digamma(n_spam + SPAM_PRIOR) - total)
        strat_total = digamma(n_strat.sum(axis=1, keepdims=True) + k * STRATEGY_PRIOR)
        strategy = np.exp(digamma(n_strat + STRATEGY_PRIOR) - strat_total)
    else:
        s = EM_SMOOTHING
        know = (n_know + s) / (n_know + n_spam + 2 * s)
        spam = 1.0 - know
        strategy = (n_strat + s) / (n_strat.sum(axis=1, keepdims=True) + k * s)
    return know, spam, strategy


def fit_mace(
    enc: Encoded,
    *,
    n_iter: int = 100,
    tol: float = 1e-6,
    variational: bool = True,
    learn_priors: bool = False,
) -> AggregationResult:
    """MACE on encoded labels.

    A worker either knows the answer (probability ``know_w``) and gives the true label, or spams
    and draws a label from ``strategy_w``. Starts deterministically from majority-vote posteriors
    (no random restarts); ``variational=True`` uses Variational-Bayes updates with Beta(0.5, 0.5)
    and Dirichlet(10) priors as in the paper, else EM with a small smoothing. The class prior is
    uniform (as in the paper) unless ``learn_priors``. ``worker_skill`` is the posterior-expected
    share of correct labels; ``details['competence']`` holds P(knows the answer).
    """
    post = vote_shares(enc)
    know, spam, strategy = _mace_m_step(enc, post, None, None, None, variational)
    priors = class_priors(post) if learn_priors else uniform_priors(enc.n_classes)
    prev = -np.inf
    ll = prev
    it = 0
    while it < n_iter:
        it += 1
        post, log_evidence = _mace_e_step(enc, know, spam, strategy, priors)
        clamp_gold(post, enc)
        know, spam, strategy = _mace_m_step(enc, post, know, spam, strategy, variational)
        if learn_priors:
            priors = class_priors(post)
        ll = log_evidence / enc.n_labels
        if tol > 0 and abs(ll - prev) < tol:
            break
        prev = ll
    competence = know / (know + spam)
    return build_result(
        "mace",
        enc,
        post,
        expected_agreement(enc, post),
        n_iter=it,
        details={
            "competence": competence,
            "spam_strategy": strategy / strategy.sum(axis=1, keepdims=True),
            "log_likelihood_per_label": ll,
        },
    )


def mace(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
    variational: bool = True,
    learn_priors: bool = False,
) -> AggregationResult:
    """MACE (see :func:`fit_mace`)."""
    enc = encode(workers, tasks, labels, gold)
    return fit_mace(enc, n_iter=n_iter, tol=tol, variational=variational, learn_priors=learn_priors)
