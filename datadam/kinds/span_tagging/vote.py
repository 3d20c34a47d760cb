"""Span tagging: span matching, span F1 and the weighted vote of several workers' spans.

Plain Python (and scipy's Hungarian method through ``geometry.boxes.assign``), no Django.
A span is ``(start, end, label)`` with ``start``/``end`` Unicode code-point offsets into the
item's text (Python ``str`` indices), ``end`` exclusive.

**Two spans are the same** when they have the same label and both their starts and their
ends differ by at most ``tolerance`` characters (0: exact boundaries). One-to-one matches
are found by the Hungarian method inside each group of spans that could match (a group is
almost always one span a side, so long texts with thousands of spans stay fast); among
possible pairs, nearer boundaries are preferred.

**The vote** (``vote``) is a weighted vote of spans, not of characters: workers go by
weight, highest first; each worker's spans are matched one to one to the clusters so far
(same label, boundaries within ``tolerance`` of the cluster's current boundaries), an
unmatched span opens a cluster. A cluster's boundaries are the weighted vote of its members'
starts and of their ends (ties: the heavier worker's). A cluster is kept when the workers
behind it hold at least ``min_agreement`` of the total weight; its ``score`` is that share.
Kept spans that overlap (or, when nesting is allowed, cross) are resolved by score: the
higher score stays (ties: the earlier, then the longer span). Chosen over a character-level
vote because it keeps nested spans and adjacent spans of one label apart, gives every span
a score, and judges answers the way gold does (span F1).

**Agreement** of an item is the weighted mean pairwise span F1 of its answers (pair weight
``w_i · w_j``): 1.0 when every worker marked the same spans, 1.0 for a single answer.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np

from datadam.kinds.geometry.boxes import assign, check_weights


class Span(NamedTuple):
    start: int
    end: int
    label: str


def as_span(value: Span | Mapping[str, Any] | Sequence[Any]) -> Span:
    """A ``Span`` from ``{"start", "end", "label"}`` or ``(start, end, label)``."""
    if isinstance(value, Span):
        return value
    if isinstance(value, Mapping):
        return Span(int(value["start"]), int(value["end"]), str(value["label"]))
    start, end, label = value
    return Span(int(start), int(end), str(label))


def sort_key(span: Span) -> tuple[int, int, str]:
    """Spans in text order; of two starting together the longer (outer) first."""
    return (span.start, -span.end, span.label)


def close(a: Span, b: Span, tolerance: int = 0) -> bool:
    """Same label, and start and end each within ``tolerance`` characters."""
    return (a.label == b.label and abs(a.start - b.start) <= tolerance
            and abs(a.end - b.end) <= tolerance)


def _nearness(a: Span, b: Span) -> float:
    """In (0, 1]: 1 for equal boundaries, less the further apart they are."""
    return 1.0 / (1.0 + abs(a.start - b.start) + abs(a.end - b.end))


class _Index:
    """Spans by (label, start), to find the ones a span could match without comparing all."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.by_start: dict[tuple[str, int], set[int]] = {}
        for i, s in enumerate(spans):
            self.add(i, s)

    def add(self, i: int, s: Span) -> None:
        self.by_start.setdefault((s.label, s.start), set()).add(i)

    def remove(self, i: int, s: Span) -> None:
        self.by_start[(s.label, s.start)].discard(i)

    def near(self, s: Span, tolerance: int) -> set[int]:
        found: set[int] = set()
        for start in range(s.start - tolerance, s.start + tolerance + 1):
            found |= self.by_start.get((s.label, start), set())
        return found


def _match(a: Sequence[Span], b: Sequence[Span], tolerance: int,
           index: _Index | None = None) -> list[tuple[int, int]]:
    """Most one-to-one pairs ``(i, j)`` with ``close(a[i], b[j])``, nearest first."""
    index = index if index is not None else _Index(b)
    edges = {i: [j for j in index.near(s, tolerance) if close(s, b[j], tolerance)]
             for i, s in enumerate(a)}
    # Groups of spans linked by possible pairs (union-find over a-nodes and b-nodes).
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, js in edges.items():
        for j in js:
            parent[root(("a", i))] = root(("b", j))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        side, k = node
        rows, cols = groups.setdefault(root(node), ([], []))
        (rows if side == "a" else cols).append(k)
    pairs: list[tuple[int, int]] = []
    for rows, cols in groups.values():
        if len(rows) == 1 and len(cols) == 1:
            pairs.append((rows[0], cols[0]))
            continue
        rows.sort()
        cols.sort()
        sim = np.array([[_nearness(a[i], b[j]) for j in cols] for i in rows])
        feasible = np.array([[j in edges[i] for j in cols] for i in rows], dtype=bool)
        pairs += [(rows[r], cols[c]) for r, c in assign(sim, feasible)]
    return sorted(pairs)


def match_spans(a: Sequence[Any], b: Sequence[Any], tolerance: int = 0
                ) -> list[tuple[int, int]]:
    """One-to-one pairs ``(i, j)`` of the same span in ``a`` and ``b`` (see ``close``)."""
    return _match([as_span(s) for s in a], [as_span(s) for s in b], tolerance)


def span_f1(answer: Sequence[Any], reference: Sequence[Any], tolerance: int = 0) -> float:
    """F1 of the one-to-one matching of an answer's spans to the reference's: 2·matched /
    (spans in both); 1.0 when both have none."""
    if not answer and not reference:
        return 1.0
    matched = len(match_spans(answer, reference, tolerance))
    return 2 * matched / (len(answer) + len(reference))


def agreement(answers: Sequence[Sequence[Any]], weights: Sequence[float] | None = None,
              tolerance: int = 0) -> float:
    """Weighted mean pairwise span F1 (pair weight ``w_i · w_j``); 1.0 for one answer."""
    w = check_weights(weights, len(answers))
    if len(answers) < 2:
        return 1.0
    spans = [[as_span(s) for s in a] for a in answers]
    pairs = list(combinations(range(len(spans)), 2))
    pw = [w[i] * w[j] for i, j in pairs]
    if sum(pw) <= 0:  # one worker holds all the weight: every pair counts alike
        pw = [1.0] * len(pairs)
    total = sum(p * span_f1(spans[i], spans[j], tolerance)
                for p, (i, j) in zip(pw, pairs, strict=True))
    return total / sum(pw)


@dataclass(frozen=True)
class FusedSpan:
    """A consensus span; ``score`` is the share of the total worker weight behind it."""

    start: int
    end: int
    label: str
    score: float


@dataclass(frozen=True)
class SpanVote:
    """The kept spans of one item (in text order) and the item's agreement in [0, 1]."""

    spans: tuple[FusedSpan, ...]
    agreement: float


def _weighted_mode(values: Sequence[int], weights: Sequence[float]) -> int:
    """The value with the most weight; ties go to the first (the heaviest worker's)."""
    votes: dict[int, float] = {}
    for v, w in zip(values, weights, strict=True):
        votes[v] = votes.get(v, 0.0) + w
    return max(votes, key=lambda v: votes[v])


def _overlaps(accepted: list[tuple[int, int]], s: Span) -> bool:
    """Whether ``s`` overlaps one of ``accepted`` (disjoint intervals sorted by start)."""
    k = bisect.bisect_left(accepted, (s.end, -1))
    return k > 0 and accepted[k - 1][1] > s.start


def _crosses(starts: list[tuple[int, int]], ends: list[tuple[int, int]], s: Span) -> bool:
    """Whether ``s`` crosses an accepted span: they overlap and neither holds the other."""
    lo, hi = bisect.bisect_right(starts, (s.start, 1 << 62)), bisect.bisect_left(starts,
                                                                                 (s.end, -1))
    if any(end > s.end for _, end in starts[lo:hi]):  # starts inside s, ends after it
        return True
    lo, hi = bisect.bisect_right(ends, (s.start, 1 << 62)), bisect.bisect_left(ends, (s.end, -1))
    return any(start < s.start for _, start in ends[lo:hi])  # ends inside s, starts before


def resolve(spans: Sequence[FusedSpan], *, nested: bool) -> list[FusedSpan]:
    """Drop spans that overlap (nested: cross) a span of higher score; ties keep the earlier,
    then the longer. Identical spans are kept once. The rest in text order."""
    order = sorted(spans, key=lambda f: (-f.score, f.start, -(f.end - f.start), f.label))
    kept: list[FusedSpan] = []
    seen: set[Span] = set()
    disjoint: list[tuple[int, int]] = []
    starts: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    for f in order:
        s = Span(f.start, f.end, f.label)
        if s in seen:
            continue
        if nested:
            if _crosses(starts, ends, s):
                continue
            bisect.insort(starts, (s.start, s.end))
            bisect.insort(ends, (s.end, s.start))
        else:
            if _overlaps(disjoint, s):
                continue
            bisect.insort(disjoint, (s.start, s.end))
        seen.add(s)
        kept.append(f)
    return sorted(kept, key=lambda f: sort_key(Span(f.start, f.end, f.label)))


def vote(answers: Sequence[Sequence[Any]], weights: Sequence[float] | None = None, *,
         tolerance: int = 0, min_agreement: float = 0.5, nested: bool = False) -> SpanVote:
    """The weighted vote of several workers' spans (one list per worker; see the module)."""
    if not 0 <= min_agreement <= 1:
        raise ValueError(f"min_agreement must lie in [0, 1], got {min_agreement}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be ≥ 0, got {tolerance}")
    w = check_weights(weights, len(answers))
    spans = [[as_span(s) for s in a] for a in answers]
    fused: list[Span] = []  # each cluster's current boundaries
    members: list[list[tuple[int, Span]]] = []  # (worker, span)
    index = _Index()
    for k in sorted(range(len(spans)), key=lambda k: -w[k]):  # stable: ties in input order
        pairs = dict(_match(spans[k], fused, tolerance, index))
        for i, s in enumerate(spans[k]):
            if i not in pairs:
                index.add(len(fused), s)
                fused.append(s)
                members.append([(k, s)])
                continue
            c = pairs[i]
            members[c].append((k, s))
            ws = [w[m] for m, _ in members[c]]
            start = _weighted_mode([m.start for _, m in members[c]], ws)
            end = _weighted_mode([m.end for _, m in members[c]], ws)
            new = Span(start, end, s.label) if start < end else members[c][0][1]
            if new != fused[c]:
                index.remove(c, fused[c])
                index.add(c, new)
                fused[c] = new
    total = sum(w)
    candidates = []
    for span, mem in zip(fused, members, strict=True):
        share = sum(w[m] for m, _ in mem) / total
        if share >= min_agreement - 1e-9:
            candidates.append(FusedSpan(span.start, span.end, span.label, share))
    return SpanVote(tuple(resolve(candidates, nested=nested)),
                    agreement(spans, w, tolerance))
