"""Keypoints on a skeleton of named points: COCO OKS, and fusion of several workers' points.

An answer maps a point's name to ``(x, y, visible)``; ``visible`` is a bool (COCO's 0/1/2
also reads: 0 is not visible, 1 and 2 are). A point left out of an answer is not visible.

OKS (COCO object keypoint similarity) of an answer ``a`` against a reference ``b``::

    OKS = Σ_i exp(−d_i² / (2 · area · k_i²)) / |V|,   k_i = 2·σ_i,   i ∈ V

where V is the set of points visible in the reference, d_i the pixel distance between the
two marks of point i, ``area`` the object's area in pixels² (COCO's s²) and σ_i the point's
per-keypoint constant. A point of V that ``a`` does not mark visible scores 0. Without a
σ for a point the default is 0.05 (a mid value of COCO's person sigmas, 0.025–0.107).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .boxes import check_weights

DEFAULT_SIGMA = 0.05
Mark = tuple[float, float, bool]
Keypoints = Mapping[str, Any]


@dataclass(frozen=True)
class KeypointFusion:
    """Fused points (name -> (x, y, visible)) and the mean pairwise OKS of the workers."""

    points: dict[str, Mark]
    agreement: float


def check_keypoints(answer: Keypoints) -> dict[str, Mark]:
    """Validated marks: finite x and y, a bool (or COCO 0/1/2) visibility."""
    if not isinstance(answer, Mapping):
        raise ValueError(f"a keypoint answer maps names to (x, y, visible), got {answer!r}")
    out: dict[str, Mark] = {}
    for name, mark in answer.items():
        if not isinstance(mark, Sequence) or len(mark) != 3:
            raise ValueError(f"keypoint {name!r} needs (x, y, visible), got {mark!r}")
        try:
            x, y, v = float(mark[0]), float(mark[1]), mark[2]
        except (TypeError, ValueError):
            raise ValueError(f"keypoint {name!r} needs numeric x and y, got {mark!r}") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"keypoint {name!r} has a non-finite coordinate: {mark!r}")
        if isinstance(v, bool | np.bool_):
            visible = bool(v)
        elif isinstance(v, int) and v in (0, 1, 2):
            visible = v > 0
        else:
            raise ValueError(f"keypoint {name!r}: visible must be a bool or 0/1/2, got {v!r}")
        out[str(name)] = (x, y, visible)
    return out


def _sigma(sigmas: Mapping[str, float] | float | None, name: str) -> float:
    if sigmas is None:
        value = DEFAULT_SIGMA
    elif isinstance(sigmas, Mapping):
        value = float(sigmas.get(name, DEFAULT_SIGMA))
    else:
        value = float(sigmas)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"the sigma of keypoint {name!r} must be positive, got {value}")
    return value


def _check_area(area: float) -> float:
    if not (math.isfinite(area) and area > 0):
        raise ValueError(f"area must be a positive number of pixels², got {area}")
    return float(area)


def oks(
    a: Keypoints,
    b: Keypoints,
    *,
    area: float,
    sigmas: Mapping[str, float] | float | None = None,
) -> float:
    """COCO OKS of ``a`` against the reference ``b`` (see the module docstring).

    With no point visible in the reference, it is 1.0 when ``a`` marks none visible either
    and 0.0 otherwise.
    """
    area = _check_area(area)
    pa, pb = check_keypoints(a), check_keypoints(b)
    ref = [name for name, (_, _, vis) in pb.items() if vis]
    if not ref:
        return 0.0 if any(vis for _, _, vis in pa.values()) else 1.0
    total = 0.0
    for name in ref:
        mark = pa.get(name)
        if mark is None or not mark[2]:
            continue
        d2 = (mark[0] - pb[name][0]) ** 2 + (mark[1] - pb[name][1]) ** 2
        k = 2 * _sigma(sigmas, name)
        total += math.exp(-d2 / (2 * area * k * k))
    return total / len(ref)


def weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    """The value where cumulative weight first reaches half (ties: the lower value)."""
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    v, w = np.asarray(values, dtype=float)[order], np.asarray(weights, dtype=float)[order]
    if w.sum() <= 0:
        w = np.ones_like(w)
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, cum[-1] / 2 - 1e-12)])


def geometric_median(
    points: np.ndarray, weights: np.ndarray, *, iterations: int = 200, tol: float = 1e-7
) -> np.ndarray:
    """Weighted geometric median (Weiszfeld), started at the coordinate-wise weighted median.

    It minimises the weighted sum of distances, so a minority of outliers cannot drag it
    far (breakdown point one half), unlike the mean.
    """
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    z = np.array([weighted_median(points[:, i], weights) for i in range(2)])
    for _ in range(iterations):
        d = np.hypot(*(points - z).T)
        on = d < 1e-12  # data points under the iterate: their 1/d would blow up
        inv = np.where(on, 0.0, weights / np.where(on, 1.0, d))
        pull = ((points - z) * inv[:, None]).sum(axis=0)
        # At a data point, z is optimal when the others' pull is no stronger than its weight.
        if not inv.any() or (on.any() and np.hypot(*pull) <= weights[on].sum()):
            return z
        nxt = (points * inv[:, None]).sum(axis=0) / inv.sum()
        if np.hypot(*(nxt - z)) < tol:
            return nxt
        z = nxt
    return z


def fuse_keypoints(
    answers: Sequence[Keypoints],
    weights: Sequence[float] | None = None,
    *,
    area: float,
    sigmas: Mapping[str, float] | float | None = None,
) -> KeypointFusion:
    """Consensus skeleton of several workers' keypoints.

    A point is visible when the workers marking it visible hold at least half the total
    weight. Its position is the weighted geometric median over those workers (over every
    worker who placed it, if none did). ``agreement`` is the mean OKS over all pairs of
    workers, each pair weighted by the product of their weights and scored symmetrically
    as (OKS(a, b) + OKS(b, a)) / 2; 1.0 for a single worker.
    """
    area = _check_area(area)
    if not answers:
        raise ValueError("fuse_keypoints needs at least one answer")
    marks = [check_keypoints(a) for a in answers]
    w = check_weights(weights, len(marks))
    names = list(dict.fromkeys(name for m in marks for name in m))  # first-seen order
    total = sum(w)
    fused: dict[str, Mark] = {}
    for name in names:
        seen = [(m[name], wk) for m, wk in zip(marks, w, strict=True) if name in m]
        shown = [(mark, wk) for mark, wk in seen if mark[2]]
        visible = sum(wk for _, wk in shown) >= total / 2 - 1e-12
        use = shown or seen
        pts = np.array([[mark[0], mark[1]] for mark, _ in use], dtype=float)
        x, y = geometric_median(pts, np.array([wk for _, wk in use], dtype=float))
        fused[name] = (float(x), float(y), visible)
    return KeypointFusion(fused, _pairwise_agreement(marks, w, area, sigmas))


def _pairwise_agreement(
    marks: list[dict[str, Mark]],
    w: list[float],
    area: float,
    sigmas: Mapping[str, float] | float | None,
) -> float:
    scores, pair_weights = [], []
    for i in range(len(marks)):
        for j in range(i + 1, len(marks)):
            there = oks(marks[i], marks[j], area=area, sigmas=sigmas)
            back = oks(marks[j], marks[i], area=area, sigmas=sigmas)
            scores.append((there + back) / 2)
            pair_weights.append(w[i] * w[j])
    if not scores:
        return 1.0
    if sum(pair_weights) <= 0:  # only zero-weight pairs: count them equally
        pair_weights = [1.0] * len(scores)
    return float(np.average(scores, weights=pair_weights))


def score_against_gold(
    answer: Keypoints,
    gold: Keypoints,
    *,
    area: float,
    sigmas: Mapping[str, float] | float | None = None,
) -> float:
    """OKS of an answer against the gold skeleton."""
    return oks(answer, gold, area=area, sigmas=sigmas)
