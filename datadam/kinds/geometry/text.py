"""OCR text: edit distance, character error rate, ROVER voting, and fusion of text regions.

Texts are compared as sequences of Unicode code points after NFC normalisation, so Hangul
typed as syllables or as conjoining jamo, and Japanese kana with or without precomposed
voicing marks, compare equal; one syllable is one character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .boxes import (
    XYWH,
    Box,
    check_weights,
    cluster_shapes,
    fuse_xywh,
    is_kept,
    summarise,
    xywh_iou_matrix,
)


def _nfc(text: Any) -> str:
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    return unicodedata.normalize("NFC", text)


def _table(a: str, b: str) -> list[list[int]]:
    """Levenshtein table: cell [i][j] is the distance between a[:i] and b[:j]."""
    d = [[j for j in range(len(b) + 1)]]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(d[i - 1][j - 1] + (ca != cb), d[i - 1][j] + 1, row[j - 1] + 1))
        d.append(row)
    return d


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (unit-cost insertions, deletions and substitutions)."""
    a, b = _nfc(a), _nfc(b)
    return _table(a, b)[len(a)][len(b)]


def char_align(a: str, b: str) -> list[tuple[str | None, str | None]]:
    """A minimum-cost alignment: pairs ``(char of a, char of b)``, ``None`` for a gap.

    Ties prefer a match or substitution, then a deletion from ``a``, then an insertion.
    """
    a, b = _nfc(a), _nfc(b)
    d = _table(a, b)
    i, j = len(a), len(b)
    pairs: list[tuple[str | None, str | None]] = []
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            pairs.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            pairs.append((a[i - 1], None))
            i -= 1
        else:
            pairs.append((None, b[j - 1]))
            j -= 1
    return pairs[::-1]


def normalised_distance(a: str, b: str) -> float:
    """Edit distance over the longer length, in [0, 1]; 0 for two empty strings."""
    a, b = _nfc(a), _nfc(b)
    longest = max(len(a), len(b))
    return _table(a, b)[len(a)][len(b)] / longest if longest else 0.0


def text_similarity(a: str, b: str) -> float:
    """1 − normalised edit distance: 1 for equal texts, 0 for nothing in common."""
    return 1.0 - normalised_distance(a, b)


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate: edits to turn the hypothesis into the reference, per reference
    character (may exceed 1). An empty reference gives 0.0 if the hypothesis is empty too,
    else 1.0."""
    hyp, ref = _nfc(hypothesis), _nfc(reference)
    if not ref:
        return 0.0 if not hyp else 1.0
    return _table(hyp, ref)[len(hyp)][len(ref)] / len(ref)


def _winner[K](votes: dict[K, float]) -> K:
    # max() keeps the first of equal maxima: ties go to the earliest reading (input order).
    return max(votes, key=lambda k: votes[k])


def rover(texts: Sequence[str], weights: Sequence[float] | None = None) -> tuple[str, float]:
    """Weighted character-level ROVER; returns ``(voted text, agreement)``.

    The backbone is the weighted medoid reading (least weighted normalised edit distance to
    the others). Every reading is aligned to it; each backbone character is then voted on
    among the characters aligned to it and the gap, and each slot between backbone
    characters among the strings inserted there (the empty string included), all weighted.
    Agreement is 1 − the weighted mean normalised edit distance of the readings to the result.
    """
    if not texts:
        raise ValueError("rover needs at least one text")
    ts = [_nfc(t) for t in texts]
    w = check_weights(weights, len(ts))
    dist = [[normalised_distance(s, t) for t in ts] for s in ts]
    spread = [sum(wj * dij for wj, dij in zip(w, row, strict=True)) for row in dist]
    backbone = ts[spread.index(min(spread))]
    chars: list[dict[str | None, float]] = [{} for _ in backbone]
    slots: list[dict[str, float]] = [{} for _ in range(len(backbone) + 1)]
    for text, wk in zip(ts, w, strict=True):
        inserted = [""] * (len(backbone) + 1)
        pos = 0
        for mine, theirs in char_align(backbone, text):
            if mine is None:  # theirs is extra: it goes in the slot before backbone[pos]
                inserted[pos] += theirs or ""
            else:
                chars[pos][theirs] = chars[pos].get(theirs, 0.0) + wk
                pos += 1
        for slot, s in zip(slots, inserted, strict=True):
            slot[s] = slot.get(s, 0.0) + wk
    out: list[str] = []
    for k, slot in enumerate(slots):
        out.append(_winner(slot))
        if k < len(chars):
            out.append(_winner(chars[k]) or "")
    result = "".join(out)
    mean = sum(wk * normalised_distance(t, result) for t, wk in zip(ts, w, strict=True))
    return result, 1.0 - mean / sum(w)


@dataclass(frozen=True)
class FusedRegion:
    """A consensus text region: fused box, voted text, weight share and text agreement."""

    box: XYWH
    text: str
    score: float
    text_agreement: float


@dataclass(frozen=True)
class RegionFusion:
    """The kept regions of one item and the item's agreement in [0, 1]."""

    regions: tuple[FusedRegion, ...]
    agreement: float


def _region(value: Any) -> tuple[XYWH, str]:
    if not isinstance(value, Mapping) or "box" not in value or "text" not in value:
        raise ValueError(f"a text region is {{'box': (x, y, w, h), 'text': str}}, got {value!r}")
    return Box("", tuple(value["box"])).xywh, _nfc(value["text"])


def fuse_regions(
    answers: Sequence[Sequence[Mapping[str, Any]]],
    weights: Sequence[float] | None = None,
    *,
    min_iou: float = 0.5,
    min_agreement: float = 0.5,
) -> RegionFusion:
    """Consensus OCR regions: boxes clustered and fused as in ``boxes.fuse_boxes``, each
    cluster's text voted by ``rover`` with the members' weights.

    Agreement is the mean of the box agreement (as for boxes) and the text agreement, the
    mean over all clusters of weight share × ROVER agreement; 1.0 when nobody drew a region.
    """
    regions = [[_region(r) for r in answer] for answer in answers]
    w = check_weights(weights, len(regions))
    shapes = [[("", box) for box, _ in answer] for answer in regions]
    clusters = cluster_shapes(
        shapes, w, similarity=xywh_iou_matrix, fuse=fuse_xywh, min_similarity=min_iou
    )
    boxes = summarise(clusters, min_agreement)
    fused, text_scores = [], []
    for c in clusters:
        member_w = [w[m] for m, _ in c.members]
        if sum(member_w) <= 0:  # zero-weight workers alone still get their text voted
            member_w = [1.0] * len(member_w)
        text, agree = rover([regions[m][j][1] for m, j in c.members], member_w)
        text_scores.append(c.share * agree)
        if is_kept(c.share, min_agreement):
            fused.append(FusedRegion(c.shape, text, c.share, agree))
    if not clusters:
        return RegionFusion((), 1.0)
    text_agreement = sum(text_scores) / len(text_scores)
    return RegionFusion(tuple(fused), (boxes.agreement + text_agreement) / 2)
