"""Several workers' morpheme analyses of one text fused into one (plain Python, no Django).

Answers are checked token lists (``tokens.check_tokens``) of the same text, so they cover the
same characters. Fusion, every vote weighted by the worker's weight:

1. **Segmentation by character boundary**: an offset is a boundary of an answer when one of
   its spans starts or ends there. A boundary is kept when the answers that have it weigh
   more than those that do not (a tie: when the heaviest answer has it). The kept
   boundaries cut the covered text into spans.
2. **Forms per span**: the answers that have exactly this span (its tokens: a morpheme, or a
   contraction's several) vote on its sequence of forms (다 vs 했 vs 하+었). When no answer has
   the span itself, the answers that have both its ends (some always do) vote with their
   morphemes inside it joined into one form.
3. **Tags**: among the answers with the winning forms, each morpheme's tag is voted.

Each fused token's ``score`` is the share of the weight whose answer holds that very token
(span, form and tag). The item's **agreement** is the weighted mean over pairs of answers of
their token F1 (a token matches when span, form and tag are all equal), pair weight wᵢ·wⱼ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[int, int, str, str]  # start, end, form, tag


@dataclass(frozen=True)
class Fused:
    tokens: list[dict[str, Any]]  # {start, end, form, tag, score}
    agreement: float


def keys(tokens: Sequence[dict[str, Any]]) -> Counter[Key]:
    return Counter((t["start"], t["end"], t["form"], t["tag"]) for t in tokens)


def token_f1(answer: Sequence[dict[str, Any]], reference: Sequence[dict[str, Any]]) -> float:
    """F1 of two analyses' tokens as multisets of (start, end, form, tag); 1.0 for two
    empty ones."""
    a, b = keys(answer), keys(reference)
    total = sum(a.values()) + sum(b.values())
    return 1.0 if total == 0 else 2 * sum((a & b).values()) / total


def agreement(answers: Sequence[Sequence[dict[str, Any]]], weights: Sequence[float]) -> float:
    """Weighted mean pairwise token F1 (pair weight wᵢ·wⱼ); 1.0 for a single answer."""
    num = den = 0.0
    for i in range(len(answers)):
        for j in range(i + 1, len(answers)):
            w = weights[i] * weights[j]
            num += w * token_f1(answers[i], answers[j])
            den += w
    return num / den if den > 0 else 1.0


def _winner[K](votes: dict[K, float]) -> K:
    # Insertion order is the answers' order, heaviest first: max keeps the first of ties.
    return max(votes, key=lambda k: votes[k])


def _boundaries(tokens: Sequence[dict[str, Any]]) -> set[int]:
    return {t["start"] for t in tokens} | {t["end"] for t in tokens}


def fuse(answers: Sequence[Sequence[dict[str, Any]]], weights: Sequence[float]) -> Fused:
    """The answers fused (see the module's docstring); weights must be positive."""
    if not answers:
        raise ValueError("fuse needs at least one answer")
    if len(weights) != len(answers) or any(not w > 0 for w in weights):
        raise ValueError("one positive weight per answer")
    order = sorted(range(len(answers)), key=lambda i: -weights[i])  # stable: ties keep order
    ans = [answers[i] for i in order]
    w = [float(weights[i]) for i in order]
    total = sum(w)
    bounds = [_boundaries(a) for a in ans]
    covered = sorted({c for t in ans[0] for c in range(t["start"], t["end"])})
    candidates = sorted(set().union(*bounds))
    kept = []
    for p in candidates:
        yes = sum(wk for wk, b in zip(w, bounds, strict=True) if p in b)
        if yes > total - yes or (yes == total - yes and p in bounds[0]):
            kept.append(p)
    covered_set = set(covered)
    spans = [(p, q) for p, q in zip(kept, kept[1:], strict=False) if p in covered_set]
    fused: list[dict[str, Any]] = []
    have = [keys(a) for a in ans]
    starts = [_by_start(a) for a in ans]
    for start, end in spans:
        forms, tags = _vote_span(starts, w, bounds, start, end)
        for form, tag in zip(forms, tags, strict=True):
            key = (start, end, form, tag)
            share = sum(wk for wk, h in zip(w, have, strict=True) if h[key]) / total
            fused.append({"start": start, "end": end, "form": form, "tag": tag,
                          "score": round(share, 4)})
    return Fused(fused, agreement(ans, w))


def _by_start(tokens: Sequence[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for t in tokens:
        out.setdefault(t["start"], []).append(t)
    return out


def _vote_span(starts: Sequence[dict[int, list[dict[str, Any]]]], w: Sequence[float],
               bounds: Sequence[set[int]], start: int, end: int
               ) -> tuple[tuple[str, ...], list[str]]:
    """The forms and tags of one kept span."""
    exact: list[tuple[float, list[dict[str, Any]]]] = []
    refined: list[tuple[float, list[dict[str, Any]]]] = []
    for wk, by_start, b in zip(w, starts, bounds, strict=True):
        inside = [t for p in range(start, end) for t in by_start.get(p, ())
                  if t["end"] <= end]
        if inside and all((t["start"], t["end"]) == (start, end) for t in inside):
            exact.append((wk, inside))
        elif inside and start in b and end in b:
            refined.append((wk, inside))
    if exact:
        votes: dict[tuple[str, ...], float] = {}
        for wk, inside in exact:
            forms = tuple(t["form"] for t in inside)
            votes[forms] = votes.get(forms, 0.0) + wk
        forms = _winner(votes)
        tags = []
        for i in range(len(forms)):
            tag_votes: dict[str, float] = {}
            for wk, inside in exact:
                if tuple(t["form"] for t in inside) == forms:
                    tag_votes[inside[i]["tag"]] = tag_votes.get(inside[i]["tag"], 0.0) + wk
            tags.append(_winner(tag_votes))
        return forms, tags
    joined: dict[tuple[str, str], float] = {}
    for wk, inside in refined:
        head = max(inside, key=lambda t: t["end"] - t["start"])
        key = ("".join(t["form"] for t in inside), head["tag"])
        joined[key] = joined.get(key, 0.0) + wk
    if not joined:  # answers that cover different text (not checked against one text)
        return ("?",), ["UN"]
    form, tag = _winner(joined)
    return (form,), [tag]
