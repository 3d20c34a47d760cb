"""Labelled 1-D intervals (video or audio segments): IoU, matching, fusion and gold F1.

An interval is ``(start, end)`` in seconds with ``end > start``, plus a label. The
clustering and the Hungarian assignment are the boxes' (``boxes.cluster_shapes`` and
``boxes.assign``: they take any similarity matrix); here the similarity is the temporal IoU
(overlap over union of the two time spans) and a cluster's members are fused by the
weighted median of their starts and of their ends, so one worker's stray edge does not drag
the consensus the way a mean would. A fused interval is kept when workers holding
``min_agreement`` of the weight drew it; the item's agreement is the boxes' (the mean over
all clusters of weight share × mean IoU of the members with the fused interval). Plain
numpy, no Django: the video and audio kinds share it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .boxes import FusionResult, assign, cluster_shapes, f1, summarise

Span = tuple[float, float]


@dataclass(frozen=True)
class Interval:
    """One labelled time span; construction validates it (finite, ``end > start``)."""

    label: str
    span: Span

    def __post_init__(self) -> None:
        if len(self.span) != 2:
            raise ValueError(f"an interval needs 2 numbers (start, end), got {self.span!r}")
        start, end = (float(v) for v in self.span)
        if not (math.isfinite(start) and math.isfinite(end)):
            raise ValueError(f"interval times must be finite numbers, got {self.span!r}")
        if end <= start:
            raise ValueError(f"an interval must end after it starts, got {self.span!r}")
        object.__setattr__(self, "span", (start, end))


def as_interval(value: Interval | Mapping[str, Any] | Sequence[Any]) -> Interval:
    """An ``Interval`` from an ``Interval``, ``{"label", "start", "end"}`` or
    ``(label, (start, end))``."""
    if isinstance(value, Interval):
        return value
    if isinstance(value, Mapping):
        if "start" not in value or "end" not in value:
            raise ValueError(f"an interval mapping needs 'start' and 'end', got {sorted(value)}")
        return Interval(str(value.get("label", "")), (value["start"], value["end"]))
    if isinstance(value, Sequence) and len(value) == 2 and not isinstance(value, str):
        return Interval(str(value[0]), tuple(value[1]))  # type: ignore[arg-type]
    raise ValueError(f"cannot read an interval from {value!r}")


def _spans(values: Sequence[Span], name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must be an n×2 array of (start, end), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} holds a NaN or infinite time")
    if (arr[:, 1] < arr[:, 0]).any():
        raise ValueError(f"{name} holds an interval that ends before it starts")
    return arr


def iou(a: Span, b: Span) -> float:
    """Temporal IoU of two spans: overlap / union (0 when they do not meet)."""
    return float(iou_matrix([a], [b])[0, 0])


def iou_matrix(a: Sequence[Span], b: Sequence[Span]) -> np.ndarray:
    """IoU of every span in ``a`` (n) with every span in ``b`` (m): an n×m array."""
    x, y = _spans(a, "a"), _spans(b, "b")
    inter = np.clip(np.minimum(x[:, None, 1], y[None, :, 1])
                    - np.maximum(x[:, None, 0], y[None, :, 0]), 0, None)
    union = (x[:, 1] - x[:, 0])[:, None] + (y[:, 1] - y[:, 0])[None, :] - inter
    # Empty spans have an empty union: they overlap nothing.
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def match(a: Sequence[Interval | Any], b: Sequence[Interval | Any], *,
          min_iou: float = 0.5) -> list[tuple[int, int, float]]:
    """Globally best one-to-one pairs ``(i, j, iou)`` of same-label intervals with
    IoU ≥ ``min_iou`` (Hungarian: most pairs, then most total IoU)."""
    xs, ys = [as_interval(v) for v in a], [as_interval(v) for v in b]
    sim = iou_matrix([v.span for v in xs], [v.span for v in ys])
    same = np.array([[p.label == q.label for q in ys] for p in xs], dtype=bool)
    pairs = assign(sim, same.reshape(sim.shape) & (sim >= min_iou))
    return [(i, j, float(sim[i, j])) for i, j in pairs]


def weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    """The value that splits the weight in half; where the halves meet between two values
    (an even split), their midpoint, so equal weights give the ordinary median. All-zero
    weights count equally."""
    if not values:
        raise ValueError("the median of nothing")
    if len(weights) != len(values):
        raise ValueError(f"got {len(weights)} weights for {len(values)} values")
    w = [float(x) for x in weights]
    if sum(w) <= 0:
        w = [1.0] * len(values)
    pairs = sorted(zip((float(v) for v in values), w, strict=True))
    half, total = sum(w) / 2, 0.0
    low = high = None
    eps = 1e-12 * sum(w)
    for value, weight in pairs:
        total += weight
        if low is None and total >= half - eps:
            low = value
        if total > half + eps:
            high = value
            break
    assert low is not None
    return (low + (high if high is not None else low)) / 2


def fuse_spans(spans: list[Span], weights: list[float]) -> Span:
    """The weighted median of the starts and of the ends; should those cross (members that
    barely overlap), the weighted means instead, which always keep ``end > start``."""
    start = weighted_median([s for s, _ in spans], weights)
    end = weighted_median([e for _, e in spans], weights)
    if end > start:
        return (start, end)
    total = sum(weights) or float(len(spans))
    w = weights if sum(weights) > 0 else [1.0] * len(spans)
    return (sum(s * k for (s, _), k in zip(spans, w, strict=True)) / total,
            sum(e * k for (_, e), k in zip(spans, w, strict=True)) / total)


def fuse_intervals(answers: Sequence[Sequence[Interval | Any]],
                   weights: Sequence[float] | None = None, *, min_iou: float = 0.5,
                   min_agreement: float = 0.5) -> FusionResult[Span]:
    """Consensus intervals of several workers' answers (one list of intervals each).

    Same-label intervals are clustered (at most one per worker, Hungarian on IoU ≥
    ``min_iou``, workers in order of weight), each cluster fused by weighted medians and
    kept when its share of the total weight reaches ``min_agreement``. ``agreement``: the
    mean over every cluster, kept or not, of share × mean IoU of its members with the fused
    span (1.0 when all agree, including when nobody marked anything). Kept intervals come
    in time order.
    """
    spans = [[(v.label, v.span) for v in map(as_interval, answer)] for answer in answers]
    clusters = cluster_shapes(spans, weights, similarity=iou_matrix, fuse=fuse_spans,
                              min_similarity=min_iou)
    fused = summarise(clusters, min_agreement)
    ordered = tuple(sorted(fused.shapes, key=lambda s: (s.shape[0], s.shape[1], s.label)))
    return FusionResult(ordered, fused.agreement)


def score_against_gold(answer: Sequence[Interval | Any], gold: Sequence[Interval | Any], *,
                       min_iou: float = 0.5) -> float:
    """F1 of the one-to-one matching of an answer's intervals to gold's (same label,
    temporal IoU ≥ ``min_iou``); 1.0 when both are empty."""
    pairs = match(answer, gold, min_iou=min_iou)
    return f1(len(pairs), len(answer), len(gold))
