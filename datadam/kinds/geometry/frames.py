"""Frame-level labels of a timeline (video or audio): ranges ↔ sampled frames, the
per-frame weighted vote, and per-frame accuracy against a reference.

The timeline is sampled at ``fps`` frames a second: frame ``i`` is the instant ``i / fps``,
for every ``i`` with ``i / fps < end``. A labelled range ``(label, start, end)`` labels the
frames whose instant lies in ``[start, end)``; a frame no range covers is unlabelled
(``None``), which votes and compares like a label of its own. Answers and results are kept
as ranges (run-length), so a long video costs a few ranges, not a label per frame. Plain
numpy, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .boxes import check_weights

Range = tuple[str, float, float]  # (label, start, end) in seconds
#: Slack, in frames, for an instant that lands on a range's edge up to rounding (times
#: are stored to the microsecond; a thousandth of a frame is far above that error).
EPS = 1e-3


def frame_count(end: float, fps: float) -> int:
    """How many sampled frames lie before ``end`` seconds."""
    if fps <= 0 or not math.isfinite(fps):
        raise ValueError(f"fps must be a positive number, got {fps}")
    return max(0, math.ceil(end * fps - EPS))


def first_frame(t: float, fps: float) -> int:
    """The first frame at or after instant ``t``."""
    return max(0, math.ceil(t * fps - EPS))


def timeline_end(answers: Sequence[Sequence[Range]]) -> float:
    """The latest end of any range (0 when there are none)."""
    return max((end for ranges in answers for _, _, end in ranges), default=0.0)


def codes(ranges: Sequence[Range], labels: Sequence[str], *, fps: float, n: int) -> np.ndarray:
    """Each of ``n`` frames' label as its position in ``labels`` (``len(labels)`` for an
    unlabelled frame, or a label not in the list). Later ranges win where ranges overlap."""
    index = {label: i for i, label in enumerate(labels)}
    none = len(labels)
    out = np.full(n, none, dtype=np.int32)
    for label, start, end in ranges:
        a, b = first_frame(start, fps), min(n, first_frame(end, fps))
        if b > a:
            out[a:b] = index.get(label, none)
    return out


@dataclass(frozen=True)
class Run:
    """Consecutive frames with one label; ``score`` is their mean vote share."""

    label: str
    start: float
    end: float
    score: float


def runs(frame_codes: np.ndarray, labels: Sequence[str], *, fps: float, end: float,
         shares: np.ndarray | None = None) -> list[Run]:
    """The labelled runs of consecutive equal frames (unlabelled ones left out); a run's
    end is its last frame's instant + 1/fps, or ``end`` for the run reaching the last
    frame (the timeline need not end on a frame)."""
    n = len(frame_codes)
    if n == 0:
        return []
    cuts = np.flatnonzero(np.diff(frame_codes)) + 1
    starts = np.concatenate(([0], cuts))
    stops = np.concatenate((cuts, [n]))
    out = []
    for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
        code = int(frame_codes[a])
        if code >= len(labels):
            continue
        stop = end if b == n else b / fps
        score = float(np.mean(shares[a:b])) if shares is not None else 1.0
        out.append(Run(labels[code], a / fps, max(stop, a / fps), score))
    return out


@dataclass(frozen=True)
class FrameVote:
    """The per-frame winners of a vote, as runs, and how much the answers agreed."""

    runs: list[Run]
    agreement: float  # mean over frames of the winner's share of the weight
    frames: int


def vote(answers: Sequence[Sequence[Range]], weights: Sequence[float] | None, *,
         labels: Sequence[str], fps: float, end: float | None = None) -> FrameVote:
    """Weighted vote frame by frame: each frame gets the label (or "unlabelled") holding
    the most worker weight; ties go to the label listed first, and a label beats
    "unlabelled". ``end``: the timeline's length (else the latest end of any range)."""
    w = check_weights(weights, len(answers))
    if sum(w) <= 0:
        w = [1.0] * len(answers)
    end = timeline_end(answers) if end is None else end
    n = frame_count(end, fps)
    if n == 0 or not answers:
        return FrameVote([], 1.0, n)
    k = len(labels) + 1
    score = np.zeros((n, k))
    rows = np.arange(n)
    for ranges, weight in zip(answers, w, strict=True):
        score[rows, codes(ranges, labels, fps=fps, n=n)] += weight
    winner = np.argmax(score, axis=1)  # the first maximum: labels in order, then none
    shares = score[rows, winner] / sum(w)
    return FrameVote(runs(winner, labels, fps=fps, end=end, shares=shares),
                     float(np.mean(shares)), n)


def accuracy(answer: Sequence[Range], reference: Sequence[Range], *, fps: float,
             end: float | None = None) -> float:
    """The share of frames on which the answer's label is the reference's ("unlabelled"
    included), over the timeline up to ``end`` (else the latest end of either); 1.0 when
    there is no frame."""
    end = timeline_end([answer, reference]) if end is None else end
    n = frame_count(end, fps)
    if n == 0:
        return 1.0
    labels = sorted({label for label, _, _ in (*answer, *reference)})
    a = codes(answer, labels, fps=fps, n=n)
    b = codes(reference, labels, fps=fps, n=n)
    return float(np.mean(a == b))
