"""``auto``: pick an aggregation model from observable data statistics (never from gold).

Rule (documented in docs/aggregation.md): a worker is *dense* when they gave at least
``2 * K**2`` labels, enough to estimate a K x K confusion matrix. Let ``d`` be the share of labels
given by dense workers.

* ``d >= 0.8``: Dawid–Skene with a Jeffreys Dirichlet(1/2) pseudo-count per confusion cell.
* ``0.3 <= d < 0.8``: Dawid–Skene whose confusion rows are shrunk towards each worker's one-coin
  matrix with ``2 * K`` pseudo-labels, so sparse workers behave as in one-coin DS and dense ones
  keep their full confusion matrices.
* ``d < 0.3``: iterated weighted majority vote (too few labels per worker for an EM model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .dawid_skene import fit_ds
from .encoding import Encoded, encode
from .majority import fit_wmv
from .result import AggregationResult

__all__ = ["auto", "choose_method", "dense_label_share", "fit_auto"]

DENSE_FACTOR = 2
DENSE_SHARE = 0.8
SPARSE_SHARE = 0.3
AUTO_SMOOTHING = 0.5


def dense_label_share(enc: Encoded) -> float:
    """Share of labels given by workers with at least ``2 * K**2`` labels."""
    k = max(enc.n_classes, 2)
    dense = enc.worker_n_labels >= DENSE_FACTOR * k * k
    return float(enc.worker_n_labels[dense].sum() / max(enc.n_labels, 1))


def choose_method(enc: Encoded) -> tuple[str, dict[str, float]]:
    """The model ``auto`` uses for these data: (name, keyword options)."""
    share = dense_label_share(enc)
    if share >= DENSE_SHARE:
        return "ds", {"smoothing": AUTO_SMOOTHING}
    if share >= SPARSE_SHARE:
        return "ds", {"smoothing": 1e-3, "shrink": 2.0 * max(enc.n_classes, 2)}
    return "wmv", {}


def fit_auto(enc: Encoded, *, n_iter: int = 100, tol: float = 1e-6) -> AggregationResult:
    """Run the model picked by :func:`choose_method`; ``details`` records the choice."""
    name, options = choose_method(enc)
    if name == "ds":
        result = fit_ds(enc, n_iter=n_iter, tol=tol, **options)
    else:
        result = fit_wmv(enc, n_iter=n_iter)
    result.details.update(chosen=name, options=options, dense_label_share=dense_label_share(enc))
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
