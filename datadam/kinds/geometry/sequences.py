"""Token sequences: edit distance, alignment, error rate and weighted ROVER (no Django).

The character ROVER of ``text.py`` generalised to any sequence of hashable tokens (the words
of a transcript, characters, morphemes). Tokens are compared by a key (``key(token)``:
the identity by default; a transcript passes its normalised word, so "Hello," and "hello"
vote together) and the result keeps, for each winning key, the surface form that carried
the most weight.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from .boxes import check_weights

Key = Callable[[Any], Hashable]


def _identity(token: Any) -> Hashable:
    return token


def _table(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[list[int]]:
    """Levenshtein table: cell [i][j] is the distance between a[:i] and b[:j]."""
    d = [list(range(len(b) + 1))]
    for i, ta in enumerate(a, 1):
        row = [i]
        for j, tb in enumerate(b, 1):
            row.append(min(d[i - 1][j - 1] + (ta != tb), d[i - 1][j] + 1, row[j - 1] + 1))
        d.append(row)
    return d


def edit_distance(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Levenshtein distance between two token sequences (unit costs)."""
    return _table(a, b)[len(a)][len(b)]


def align(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int | None, int | None]]:
    """A minimum-cost alignment as index pairs ``(i in a, j in b)``, ``None`` for a gap.

    Ties prefer a match or substitution, then a deletion from ``a``, then an insertion
    (as ``text.char_align``)."""
    d = _table(a, b)
    i, j = len(a), len(b)
    pairs: list[tuple[int | None, int | None]] = []
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def error_rate(hypothesis: Sequence[Hashable], reference: Sequence[Hashable]) -> float:
    """Edits to turn the hypothesis into the reference per reference token (WER over words,
    CER over characters; may exceed 1). An empty reference: 0.0 if the hypothesis is empty
    too, else 1.0."""
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return edit_distance(hypothesis, reference) / len(reference)


def normalised_distance(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Edit distance over the longer length, in [0, 1]; 0 for two empty sequences."""
    longest = max(len(a), len(b))
    return edit_distance(a, b) / longest if longest else 0.0


def _winner[K](votes: dict[K, float]) -> K:
    # max() keeps the first of equal maxima: ties go to the earliest reading (input order).
    return max(votes, key=lambda k: votes[k])


def rover(sequences: Sequence[Sequence[Any]], weights: Sequence[float] | None = None, *,
          key: Key = _identity) -> tuple[list[Any], float]:
    """Weighted token-level ROVER; returns ``(voted tokens, agreement)``.

    The backbone is the weighted medoid reading (least weighted normalised edit distance to
    the others, over keys). Every reading is aligned to it; each backbone token is voted on
    among the tokens aligned to it and the gap, and each slot between backbone tokens among
    the runs inserted there (the empty run included), all weighted. A winning key shows as
    its heaviest surface form. Agreement is 1 − the weighted mean of each reading's error
    rate against the result (capped at 1).
    """
    if not sequences:
        raise ValueError("rover needs at least one sequence")
    w = check_weights(weights, len(sequences))
    seqs = [list(s) for s in sequences]
    keys = [[key(t) for t in s] for s in seqs]
    dist = [[normalised_distance(s, t) for t in keys] for s in keys]
    spread = [sum(wj * dij for wj, dij in zip(w, row, strict=True)) for row in dist]
    b = spread.index(min(spread))
    backbone = keys[b]
    votes: list[dict[Hashable | None, float]] = [{} for _ in backbone]
    slots: list[dict[tuple[Hashable, ...], float]] = [{} for _ in range(len(backbone) + 1)]
    surface: dict[Hashable, dict[Any, float]] = {}
    for seq, ks, wk in zip(seqs, keys, w, strict=True):
        for token, k in zip(seq, ks, strict=True):
            forms = surface.setdefault(k, {})
            forms[token] = forms.get(token, 0.0) + wk
        inserted: list[list[Hashable]] = [[] for _ in range(len(backbone) + 1)]
        pos = 0
        for mine, theirs in align(backbone, ks):
            if mine is None:  # theirs is extra: it goes in the slot before backbone[pos]
                inserted[pos].append(ks[theirs])  # type: ignore[index]
            else:
                got = ks[theirs] if theirs is not None else None
                votes[pos][got] = votes[pos].get(got, 0.0) + wk
                pos += 1
        for slot, run in zip(slots, inserted, strict=True):
            slot[tuple(run)] = slot.get(tuple(run), 0.0) + wk
    out_keys: list[Hashable] = []
    for k, slot in enumerate(slots):
        out_keys.extend(_winner(slot))
        if k < len(votes):
            chosen = _winner(votes[k])
            if chosen is not None:
                out_keys.append(chosen)
    result = [_winner(surface[k]) for k in out_keys]
    mean = sum(wk * min(1.0, error_rate(ks, out_keys)) for ks, wk in zip(keys, w, strict=True))
    return result, 1.0 - mean / sum(w)
