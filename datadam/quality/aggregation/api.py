"""Top-level entry point: :func:`aggregate` and the :data:`METHODS` registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .auto import auto, fit_auto
from .dawid_skene import ds, fit_ds, fit_ods, ods
from .encoding import Encoded, encode
from .errors import AggregationInputError
from .glad import fit_glad, glad
from .mace import fit_mace, mace
from .majority import fit_mv, fit_wmv, mv, wmv
from .result import AggregationResult

__all__ = ["FITTERS", "METHODS", "aggregate", "aggregate_encoded"]

Fitter = Callable[..., AggregationResult]

#: name -> function of an :class:`Encoded` input (no re-encoding).
FITTERS: dict[str, Fitter] = {
    "mv": lambda enc, n_iter, tol: fit_mv(enc),
    "wmv": lambda enc, n_iter, tol: fit_wmv(enc, n_iter=n_iter),
    "ds": lambda enc, n_iter, tol: fit_ds(enc, n_iter=n_iter, tol=tol),
    "ods": lambda enc, n_iter, tol: fit_ods(enc, n_iter=n_iter, tol=tol),
    "glad": lambda enc, n_iter, tol: fit_glad(enc, n_iter=n_iter, tol=tol),
    "mace": lambda enc, n_iter, tol: fit_mace(enc, n_iter=n_iter, tol=tol),
    "auto": lambda enc, n_iter, tol: fit_auto(enc, n_iter=n_iter, tol=tol),
}


def aggregate_encoded(
    enc: Encoded, *, method: str = "auto", n_iter: int = 100, tol: float = 1e-6
) -> AggregationResult:
    """Run ``method`` on already encoded labels (lets callers compare methods cheaply)."""
    try:
        fitter = FITTERS[method]
    except KeyError:
        known = ", ".join(sorted(FITTERS))
        raise AggregationInputError(f"unknown method {method!r}; choose one of {known}") from None
    if n_iter < 0:
        raise AggregationInputError(f"n_iter must be >= 0, got {n_iter}")
    return fitter(enc, n_iter, tol)


def aggregate(
    workers: Any,
    tasks: Any,
    labels: Any,
    *,
    method: str = "auto",
    gold: Mapping[Any, Any] | None = None,
    n_iter: int = 100,
    tol: float = 1e-6,
) -> AggregationResult:
    """Aggregate crowd labels into one label per task.

    ``workers``, ``tasks`` and ``labels`` are equal-length sequences (one entry per crowd label;
    repeated (worker, task) pairs each count). ``method`` is a key of :data:`METHODS`. ``gold``
    maps task id -> true label: those tasks are clamped to the true label during EM (so worker
    skills are learned from them) and returned with it. ``n_iter`` caps EM iterations and ``tol``
    stops early when the mean log-likelihood per label changes by less (``tol <= 0``: never).
    """
    if method not in FITTERS:
        known = ", ".join(sorted(FITTERS))
        raise AggregationInputError(f"unknown method {method!r}; choose one of {known}")
    enc = encode(workers, tasks, labels, gold)
    return aggregate_encoded(enc, method=method, n_iter=n_iter, tol=tol)


#: name -> public function ``(workers, tasks, labels, *, gold=None, n_iter=100, tol=1e-6, ...)``.
METHODS: dict[str, Fitter] = {
    "mv": mv,
    "wmv": wmv,
    "ds": ds,
    "ods": ods,
    "glad": glad,
    "mace": mace,
    "auto": auto,
}
