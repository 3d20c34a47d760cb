"""Bounding boxes: IoU, Hungarian matching, and fusion of several workers' boxes.

A box is ``(x, y, w, h)`` in pixels (top-left corner, width, height) plus a label. The
clustering here (``cluster_shapes``) is shape-agnostic and also serves polygons and OCR
regions: it only needs a pairwise similarity matrix and a way to fuse members.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

XYWH = tuple[float, float, float, float]


@dataclass(frozen=True)
class Box:
    """One labelled box; construction validates it (finite, positive width and height)."""

    label: str
    xywh: XYWH

    def __post_init__(self) -> None:
        if len(self.xywh) != 4:
            raise ValueError(f"a box needs 4 numbers (x, y, w, h), got {len(self.xywh)}")
        xywh = tuple(float(v) for v in self.xywh)
        if not all(math.isfinite(v) for v in xywh):
            raise ValueError(f"box coordinates must be finite numbers, got {self.xywh}")
        if xywh[2] <= 0 or xywh[3] <= 0:
            raise ValueError(f"a box needs a positive width and height, got {self.xywh}")
        object.__setattr__(self, "xywh", xywh)


def as_box(value: Box | Mapping[str, Any] | Sequence[Any]) -> Box:
    """A ``Box`` from a ``Box``, ``{"label": .., "box": (x, y, w, h)}`` or ``(label, xywh)``."""
    if isinstance(value, Box):
        return value
    if isinstance(value, Mapping):
        if "box" not in value:
            raise ValueError(f"a box mapping needs a 'box' key, got {sorted(value)}")
        return Box(str(value.get("label", "")), tuple(value["box"]))
    if isinstance(value, Sequence) and len(value) == 2 and not isinstance(value, str):
        return Box(str(value[0]), tuple(value[1]))
    raise ValueError(f"cannot read a box from {value!r}")


@dataclass(frozen=True)
class FusedShape[S]:
    """One consensus shape; ``score`` is the share of total worker weight that drew it."""

    label: str
    shape: S
    score: float


@dataclass(frozen=True)
class FusionResult[S]:
    """The kept consensus shapes of one item and the item's agreement in [0, 1]."""

    shapes: tuple[FusedShape[S], ...]
    agreement: float


@dataclass(frozen=True)
class Cluster[S]:
    """Shapes from different workers taken to be the same object (at most one per worker)."""

    label: str
    members: tuple[tuple[int, int], ...]  # (worker, index in that worker's answer)
    shape: S  # the fused shape
    share: float  # members' weight / all workers' weight
    fit: float  # mean similarity of the members to the fused shape


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``a`` (n×4, xywh) with every box in ``b`` (m×4): an n×m array."""
    a, b = _xywh_array(a, "a"), _xywh_array(b, "b")
    ax2, ay2 = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3]
    bx2, by2 = b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    iw = np.minimum(ax2[:, None], bx2[None, :]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(ay2[:, None], by2[None, :]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None, :] - inter
    # Zero-area boxes have an empty union: they overlap nothing.
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def _xywh_array(boxes: Any, name: str) -> np.ndarray:
    arr = np.asarray(boxes, dtype=float)
    if arr.size == 0:
        return arr.reshape(0, 4)
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f"{name} must be an n×4 array of (x, y, w, h), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} holds a NaN or infinite coordinate")
    if (arr[:, 2:] < 0).any():
        raise ValueError(f"{name} holds a box with a negative width or height")
    return arr


def xywh_iou_matrix(a: Sequence[XYWH], b: Sequence[XYWH]) -> np.ndarray:
    """``iou_matrix`` of two lists of xywh tuples."""
    return iou_matrix(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def assign(sim: np.ndarray, feasible: np.ndarray) -> list[tuple[int, int]]:
    """Hungarian assignment maximising the number of feasible pairs, then total similarity.

    Infeasible pairs cost more than any set of feasible ones (costs 1 − sim lie in [0, 1]),
    so the optimum never trades a feasible pair away; infeasible pairs are then dropped.
    """
    if sim.size == 0:
        return []
    big = float(min(sim.shape) + 1)
    cost = np.where(feasible, 1.0 - sim, big)
    rows, cols = linear_sum_assignment(cost)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if feasible[r, c]]


def match(
    a: Sequence[Box | Any], b: Sequence[Box | Any], *, min_iou: float = 0.5
) -> list[tuple[int, int, float]]:
    """Globally best one-to-one pairs ``(i, j, iou)`` of same-label boxes with IoU ≥ min_iou."""
    boxes_a, boxes_b = [as_box(x) for x in a], [as_box(x) for x in b]
    sim = xywh_iou_matrix([x.xywh for x in boxes_a], [x.xywh for x in boxes_b])
    same = np.array([[x.label == y.label for y in boxes_b] for x in boxes_a], dtype=bool)
    pairs = assign(sim, same.reshape(sim.shape) & (sim >= min_iou))
    return [(i, j, float(sim[i, j])) for i, j in pairs]


def check_weights(weights: Sequence[float] | None, n: int) -> list[float]:
    """Worker weights (skills): default 1 each; finite, ≥ 0, not all zero."""
    if weights is None:
        return [1.0] * n
    if len(weights) != n:
        raise ValueError(f"got {len(weights)} weights for {n} answers")
    out = [float(w) for w in weights]
    if not all(math.isfinite(w) and w >= 0 for w in out):
        raise ValueError(f"weights must be finite and non-negative, got {list(weights)}")
    if n and sum(out) <= 0:
        raise ValueError("at least one worker needs a positive weight")
    return out


def _mean(values: Sequence[float], weights: Sequence[float]) -> float:
    # Zero-weight members alone still get a shape: fall back to the plain mean.
    total = sum(weights)
    if total <= 0:
        return sum(values) / len(values)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total


def cluster_shapes[S](
    answers: Sequence[Sequence[tuple[str, S]]],
    weights: Sequence[float] | None,
    *,
    similarity: Callable[[Sequence[S], Sequence[S]], np.ndarray],
    fuse: Callable[[list[S], list[float]], S],
    min_similarity: float,
) -> list[Cluster[S]]:
    """Greedy weighted-box-fusion clustering, one worker at a time.

    Workers go by weight, highest first (ties: input order); the first worker's shapes each
    open a cluster. Each later worker's shapes are matched to the clusters' *current* fused
    shapes by the Hungarian method (same label, similarity ≥ ``min_similarity``); unmatched
    shapes open new clusters. A worker therefore adds at most one shape to any cluster.
    """
    if not 0 < min_similarity <= 1:
        raise ValueError(f"the minimum similarity must lie in (0, 1], got {min_similarity}")
    w = check_weights(weights, len(answers))
    order = sorted(range(len(answers)), key=lambda k: -w[k])  # stable: ties keep input order
    labels: list[str] = []
    members: list[list[tuple[int, int]]] = []
    fused: list[S] = []
    for k in order:
        items = list(answers[k])
        sim = similarity([s for _, s in items], fused) if items and fused else np.zeros((0, 0))
        same = np.array([[lab == c for c in labels] for lab, _ in items], dtype=bool)
        pairs = dict(assign(sim, same.reshape(sim.shape) & (sim >= min_similarity)))
        touched = set(pairs.values())
        for i, (label, item) in enumerate(items):
            if i in pairs:
                members[pairs[i]].append((k, i))
            else:
                labels.append(label)
                members.append([(k, i)])
                fused.append(item)
        for c in touched:
            shapes = [answers[m][j][1] for m, j in members[c]]
            fused[c] = fuse(shapes, [w[m] for m, _ in members[c]])
    total = sum(w)
    clusters = []
    for label, mem, shape in zip(labels, members, fused, strict=True):
        fit = similarity([answers[m][j][1] for m, j in mem], [shape])[:, 0]
        share = sum(w[m] for m, _ in mem) / total
        clusters.append(Cluster(label, tuple(mem), shape, share, float(np.mean(fit))))
    return clusters


def is_kept(share: float, min_agreement: float) -> bool:
    """Whether a cluster's weight share meets the threshold (2/3 of the weight meets 2/3)."""
    return share >= min_agreement - 1e-9


def summarise[S](clusters: Sequence[Cluster[S]], min_agreement: float) -> FusionResult[S]:
    """Keep clusters with share ≥ ``min_agreement``; agreement = mean over *all* clusters of
    share × fit (1.0 when there are no clusters: every worker answered "nothing")."""
    if not 0 <= min_agreement <= 1:
        raise ValueError(f"min_agreement must lie in [0, 1], got {min_agreement}")
    kept = tuple(
        FusedShape(c.label, c.shape, c.share) for c in clusters if is_kept(c.share, min_agreement)
    )
    if not clusters:
        return FusionResult(kept, 1.0)
    return FusionResult(kept, float(np.mean([c.share * c.fit for c in clusters])))


def fuse_xywh(shapes: list[XYWH], weights: list[float]) -> XYWH:
    """Weighted mean of each coordinate (the same as averaging the corners)."""
    x, y, w, h = (_mean([s[i] for s in shapes], weights) for i in range(4))
    return (x, y, w, h)


def fuse_boxes(
    answers: Sequence[Sequence[Box | Any]],
    weights: Sequence[float] | None = None,
    *,
    min_iou: float = 0.5,
    min_agreement: float = 0.5,
) -> FusionResult[XYWH]:
    """Consensus boxes of several workers' answers (one list of boxes per worker).

    Fused coordinates are the weight-averaged members'. ``agreement`` is the mean over all
    clusters, kept or not, of (weight share) × (mean IoU of members with the fused box): 1.0
    when every worker drew the same boxes, lower for missed, extra or misplaced boxes.
    """
    shapes = [[(b.label, b.xywh) for b in map(as_box, answer)] for answer in answers]
    clusters = cluster_shapes(
        shapes, weights, similarity=xywh_iou_matrix, fuse=fuse_xywh, min_similarity=min_iou
    )
    return summarise(clusters, min_agreement)


def f1(matched: int, n_answer: int, n_gold: int) -> float:
    """F1 of ``matched`` true positives; 1.0 when both sides are empty."""
    if n_answer == 0 and n_gold == 0:
        return 1.0
    return 2 * matched / (n_answer + n_gold)


def score_against_gold(
    answer_boxes: Sequence[Box | Any], gold_boxes: Sequence[Box | Any], *, min_iou: float = 0.5
) -> float:
    """F1 of the Hungarian matching of an answer's boxes to gold boxes at ``min_iou``."""
    pairs = match(answer_boxes, gold_boxes, min_iou=min_iou)
    return f1(len(pairs), len(answer_boxes), len(gold_boxes))
