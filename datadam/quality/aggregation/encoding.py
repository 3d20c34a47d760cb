"""Map worker ids, task ids and label values to dense integer codes (vectorised)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import AggregationInputError

__all__ = ["Encoded", "encode"]

LARGE_N_LABELS = 100_000


def _as_1d(values: Any, name: str) -> np.ndarray:
    """Turn a sequence into a 1-D array, rejecting missing values."""
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise AggregationInputError(f"{name}: cannot convert to an array ({exc})") from exc
    if arr.ndim != 1:
        raise AggregationInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        row = int(np.flatnonzero(np.isnan(arr))[0])
        raise AggregationInputError(f"{name}: missing value (NaN) at position {row}")
    if arr.dtype == object:
        missing = np.equal(arr, None)
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise AggregationInputError(f"{name}: missing value (None) at position {row}")
    if arr.dtype.kind == "U":
        empty = arr == ""
        if empty.any():
            row = int(np.flatnonzero(empty)[0])
            raise AggregationInputError(f"{name}: empty value at position {row}")
    return arr


def _unique(arr: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique`` with inverse codes; mixed incomparable types become an input error."""
    try:
        uniques, codes = np.unique(arr, return_inverse=True)
    except TypeError as exc:
        raise AggregationInputError(f"{name}: values of mixed, incomparable types") from exc
    return uniques, codes.reshape(-1).astype(np.int64, copy=False)


def _coerce(values: list[Any], like: np.ndarray, name: str) -> np.ndarray:
    """Convert user-supplied keys/values to the dtype family of ``like`` for lookups."""
    if like.dtype == object:
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr
    arr = np.asarray(values)
    if arr.dtype.kind == like.dtype.kind or len(values) == 0:
        return arr
    if like.dtype.kind == "U":
        return np.asarray([str(v) for v in values])
    try:
        return arr.astype(like.dtype)
    except (TypeError, ValueError) as exc:
        raise AggregationInputError(
            f"{name}: values {values[:3]!r} do not match the dtype of the crowd data ({like.dtype})"
        ) from exc


def _lookup(keys: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Codes of ``keys`` in the sorted array ``uniques``; -1 where a key is absent."""
    if len(uniques) == 0 or len(keys) == 0:
        return np.full(len(keys), -1, dtype=np.int64)
    pos = np.searchsorted(uniques, keys).clip(0, len(uniques) - 1)
    found = uniques[pos] == keys
    return np.where(found, pos, -1).astype(np.int64)


@dataclass(eq=False)
class Encoded:
    """Crowd labels as integer codes plus the original values of every code.

    ``w``, ``t`` and ``y`` hold one entry per crowd label; ``gold_t``/``gold_y`` hold the task and
    class codes of gold answers (tasks absent from the crowd data are dropped).
    """

    workers: np.ndarray
    tasks: np.ndarray
    classes: np.ndarray
    w: np.ndarray
    t: np.ndarray
    y: np.ndarray
    gold_t: np.ndarray
    gold_y: np.ndarray

    @property
    def n_workers(self) -> int:
        """Number of distinct workers."""
        return len(self.workers)

    @property
    def n_tasks(self) -> int:
        """Number of distinct tasks."""
        return len(self.tasks)

    @property
    def n_classes(self) -> int:
        """Number of classes (crowd labels plus gold labels)."""
        return len(self.classes)

    @property
    def n_labels(self) -> int:
        """Number of crowd labels."""
        return len(self.y)

    @cached_property
    def tk(self) -> np.ndarray:
        """Flat index ``task * K + label`` of every crowd label."""
        return self.t * self.n_classes + self.y

    @cached_property
    def kt(self) -> np.ndarray:
        """Flat index ``label * n_tasks + task`` of every crowd label (class-major layout)."""
        return self.y * self.n_tasks + self.t

    @cached_property
    def wk(self) -> np.ndarray:
        """Flat index ``worker * K + label`` of every crowd label."""
        return self.w * self.n_classes + self.y

    @cached_property
    def worker_n_labels(self) -> np.ndarray:
        """Number of labels given by each worker."""
        return np.bincount(self.w, minlength=self.n_workers)

    @cached_property
    def votes(self) -> np.ndarray:
        """Vote counts, ``n_tasks x n_classes``."""
        k = self.n_classes
        return np.bincount(self.tk, minlength=self.n_tasks * k).reshape(-1, k).astype(float)

    @cached_property
    def work_dtype(self) -> type[np.floating[Any]]:
        """Float type of EM inner loops: float32 from 100,000 labels on (speed), else float64."""
        return np.float32 if self.n_labels >= LARGE_N_LABELS else np.float64

    @cached_property
    def task_by_worker_label(self) -> sp.csr_matrix:
        """Sparse counts ``[task, worker * K + label]`` (duplicates summed), in :attr:`work_dtype`.

        ``A @ X`` sums rows of ``X`` over each task's labels (E-step); ``A.T @ P`` sums task rows
        of ``P`` into (worker, label) bins (M-step).
        """
        shape = (self.n_tasks, self.n_workers * self.n_classes)
        idx = np.int32 if max(shape) < 2**31 - 1 else np.int64
        data = np.ones(self.n_labels, dtype=self.work_dtype)
        rows, cols = self.t.astype(idx), self.wk.astype(idx)
        return sp.csr_matrix((data, (rows, cols)), shape=shape)

    def scatter_classes(self, values: np.ndarray) -> np.ndarray:
        """Sum per-label ``values`` into a class-major ``n_classes x n_tasks`` matrix."""
        size = self.n_tasks * self.n_classes
        return np.bincount(self.kt, weights=values, minlength=size).reshape(self.n_classes, -1)

    def scatter_tasks(self, values: np.ndarray) -> np.ndarray:
        """Sum per-label ``values`` into an ``n_tasks x n_classes`` matrix at (task, label)."""
        k = self.n_classes
        size = self.n_tasks * k
        return np.bincount(self.tk, weights=values, minlength=size).reshape(-1, k)


def encode(
    workers: Any,
    tasks: Any,
    labels: Any,
    gold: Mapping[Any, Any] | None = None,
) -> Encoded:
    """Validate the three equal-length sequences and the gold mapping and encode them."""
    w_arr = _as_1d(workers, "workers")
    t_arr = _as_1d(tasks, "tasks")
    y_arr = _as_1d(labels, "labels")
    n = len(y_arr)
    if not (len(w_arr) == len(t_arr) == n):
        raise AggregationInputError(
            f"workers, tasks and labels must have equal lengths, got "
            f"{len(w_arr)}, {len(t_arr)} and {n}"
        )
    if n == 0:
        raise AggregationInputError("no labels to aggregate (empty input)")
    worker_ids, w = _unique(w_arr, "workers")
    task_ids, t = _unique(t_arr, "tasks")
    classes, y = _unique(y_arr, "labels")
    gold_t = np.zeros(0, dtype=np.int64)
    gold_y = np.zeros(0, dtype=np.int64)
    if gold:
        if not isinstance(gold, Mapping):
            raise AggregationInputError("gold must be a mapping task id -> true label")
        keys = _coerce(list(gold.keys()), task_ids, "gold task ids")
        vals = _coerce(list(gold.values()), classes, "gold labels")
        gold_t = _lookup(keys, task_ids)
        keep = gold_t >= 0
        gold_t, vals = gold_t[keep], vals[keep]
        gold_y = _lookup(vals, classes)
        if (gold_y < 0).any():
            # Gold introduces classes nobody answered: extend the class list and re-map.
            new_classes, _ = _unique(np.concatenate([classes, vals[gold_y < 0]]), "labels")
            y = _lookup(classes, new_classes)[y]
            classes = new_classes
            gold_y = _lookup(vals, classes)
    return Encoded(worker_ids, task_ids, classes, w, t, y, gold_t, gold_y)
