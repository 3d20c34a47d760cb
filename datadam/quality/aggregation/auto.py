"""``auto``: plain Dawid–Skene unless the crowd's own held-out answers show a better model.

Candidates: ``ds`` (Dawid–Skene with a 0.001 pseudo-count, as crowd-kit fits it), ``ods``
(one-coin DS: one accuracy per worker) and ``wmv`` (iterated weighted majority vote). Each is
fitted on four of five folds of the answers and scored on the held-out answers by
:mod:`.heldout` (a label score and a posterior score: log-likelihood of each held-out answer
under the same answer model for every candidate). ``ds`` is the default; ``ods`` or ``wmv``
replaces it only when both its scores beat ``ds``'s by more than :data:`Z_THRESHOLD` standard
errors clustered by worker (of those that do, the best label score wins). With fewer than
:data:`MIN_WORKERS` workers or one class, ``ds`` is used unscored.

So on a dense crowd ``auto`` is DS unless the evidence against it is strong, and on a sparse
crowd (a handful of answers per worker, where per-worker confusion matrices are noise) the
one-parameter-per-worker models win by their held-out score, not by a threshold on density.
Never gold: the choice is made on the crowd's answers with gold removed (so the same answers
give the same choice however much gold a project has); the chosen model is then fitted with the
gold tasks clamped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .dawid_skene import fit_ds, fit_ods
from .encoding import Encoded, encode
from .heldout import clustered_z, held_out_scores
from .majority import fit_wmv
from .result import AggregationResult

__all__ = ["CANDIDATES", "auto", "choose_method", "decide", "fit_auto", "without_gold"]

Z_THRESHOLD = 3.0
MIN_WORKERS = 10
#: Selection fits run at most this many EM iterations and stop at this tolerance or a looser one.
SELECT_N_ITER = 50
SELECT_TOL = 1e-5

Fit = Callable[[Encoded, int, float], AggregationResult]

#: name -> fitter(enc, n_iter, tol); the first is the default the others must beat.
CANDIDATES: dict[str, Fit] = {
    "ds": lambda enc, n_iter, tol: fit_ds(enc, n_iter=n_iter, tol=tol),
    "ods": lambda enc, n_iter, tol: fit_ods(enc, n_iter=n_iter, tol=tol),
    "wmv": lambda enc, n_iter, tol: fit_wmv(enc, n_iter=n_iter),
}
DEFAULT = "ds"


def _fitters(n_iter: int, tol: float) -> Mapping[str, Callable[[Encoded], AggregationResult]]:
    it, stop = min(n_iter, SELECT_N_ITER), max(tol, SELECT_TOL)
    return {name: (lambda enc, f=fit: f(enc, it, stop)) for name, fit in CANDIDATES.items()}


def without_gold(enc: Encoded) -> Encoded:
    """The same answers and codes with no gold tasks (what the choice is made on)."""
    none = np.zeros(0, dtype=np.int64)
    return Encoded(enc.workers, enc.tasks, enc.classes, enc.w, enc.t, enc.y, none, none)


def choose_method(
    enc: Encoded, *, n_iter: int = 100, tol: float = 1e-6
) -> tuple[str, dict[str, Any]]:
    """The candidate ``auto`` uses for these data and the evidence: ``(name, report)``.

    ``report`` holds ``reason`` and, when scored, per candidate ``held_out_label_score`` and
    ``held_out_posterior_score`` (mean log-likelihood per held-out answer), per challenger
    ``z_vs_ds`` (``{"labels": z, "posteriors": z}``, clustered z of its gain over ``ds``),
    ``n_held_out`` answers and ``folds_scored`` (of five).
    """
    if enc.n_classes < 2 or enc.n_workers < MIN_WORKERS:
        return DEFAULT, {"reason": f"fewer than {MIN_WORKERS} workers or one class: ds unscored"}
    held = held_out_scores(without_gold(enc), _fitters(n_iter, tol))

    def means(scores: dict[str, np.ndarray]) -> dict[str, float]:
        return {n: round(float(s.mean()), 6) if len(s) else float("nan") for n, s in scores.items()}

    def gain(scores: dict[str, np.ndarray], name: str) -> float:
        return clustered_z(scores[name] - scores[DEFAULT], held.workers)

    challengers = [n for n in CANDIDATES if n != DEFAULT]
    z = {
        n: {"labels": gain(held.label_scores, n), "posteriors": gain(held.post_scores, n)}
        for n in challengers
    }
    label_means = means(held.label_scores)
    report: dict[str, Any] = {
        "held_out_label_score": label_means,
        "held_out_posterior_score": means(held.post_scores),
        "z_vs_ds": {n: {k: round(v, 3) for k, v in zs.items()} for n, zs in z.items()},
        "n_held_out": held.n_answers,
        "folds_scored": held.folds_scored,
    }
    if len(np.unique(held.workers)) < MIN_WORKERS:
        report["reason"] = f"held-out answers from fewer than {MIN_WORKERS} workers: ds"
        return DEFAULT, report
    name = decide(z, label_means)
    if name == DEFAULT:
        report["reason"] = (
            f"no candidate beats ds by more than {Z_THRESHOLD:g} standard errors on both scores"
        )
    else:
        report["reason"] = (
            f"{name} beats ds by more than {min(z[name].values()):.1f} standard errors "
            "on both held-out scores"
        )
    return name, report


def decide(z: Mapping[str, Mapping[str, float]], label_means: Mapping[str, float]) -> str:
    """``ds`` unless a challenger's gain is above :data:`Z_THRESHOLD` on *both* scores; of
    those, the one with the best mean label score."""
    better = [n for n, zs in z.items() if min(zs.values()) > Z_THRESHOLD]
    return max(better, key=label_means.__getitem__) if better else DEFAULT


def fit_auto(enc: Encoded, *, n_iter: int = 100, tol: float = 1e-6) -> AggregationResult:
    """Fit the candidate :func:`choose_method` picks on all answers.

    ``details["chosen"]`` is its method code (``ds``, ``ods`` or ``wmv``, each at its defaults, so
    ``details["options"]`` is empty); the selection report is merged into ``details``.
    """
    name, report = choose_method(enc, n_iter=n_iter, tol=tol)
    result = CANDIDATES[name](enc, n_iter, tol)
    result.details.update(chosen=name, options={}, **report)
    result.method = "auto"
    return result


def auto(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
) -> AggregationResult:
    """Aggregate with the model :func:`choose_method` picks (see module docstring)."""
    return fit_auto(encode(workers, tasks, labels, gold), n_iter=n_iter, tol=tol)
