"""Comparing written answers and choosing the best of an item's answers (no Django).

Free writing has no single truth, so an item's result is one of its answers: the weighted
medoid, the answer with the least weighted mean distance to the others. Distances by mode:

- ``summary``, ``translation``: normalised edit distance of the texts (edits over the longer
  length, NFC code points: one Hangul syllable is one character);
- ``dialogue``: the same over the turns written one a line as ``speaker: text``;
- ``qa_pairs``: 1 − the matched token F1 of the pairs: pairs are matched one to one
  (Hungarian) by the token F1 of question and answer together, and the similarity is
  2 · Σ matched F1 / (pairs in both), so order does not matter and a missing pair costs;
- ``sentences``: the same matching, sentence by sentence, with 1 − normalised edit distance.

The item's agreement is 1 − the weighted mean distance of the other answers to the medoid,
where the distance of a text mode is the character error rate (CER) with the medoid as
reference (capped at 1). Gold: ``similarity(answer, reference)``, 1 − CER against the
reference for the text modes, the matched similarity for pairs and sentences.

Tokens (for F1): each Hangul syllable, kana and Han character is a token of its own (Korean
words carry particles, and Japanese and Chinese are written without spaces); other letters
and digits make word tokens, case-folded. Edit distances come from rapidfuzz (C++).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein
from scipy.optimize import linear_sum_assignment

TEXT_MODES = ("summary", "translation")
LIST_MODES = ("qa_pairs", "sentences")
MODES = ("qa_pairs", "summary", "translation", "dialogue", "sentences")

_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff" \
       "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalised_distance(a: str, b: str) -> float:
    """Edit distance over the longer length, in [0, 1]; 0 for two empty texts."""
    a, b = nfc(a), nfc(b)
    longest = max(len(a), len(b))
    return Levenshtein.distance(a, b) / longest if longest else 0.0


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate: edits per reference character, capped at 1."""
    hyp, ref = nfc(hypothesis), nfc(reference)
    if not ref:
        return 0.0 if not hyp else 1.0
    return min(1.0, Levenshtein.distance(hyp, ref) / len(ref))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(nfc(text).casefold())


def token_f1(a: str, b: str) -> float:
    """Bag-of-tokens F1 (SQuAD's, with CJK characters as tokens): 1 for two empty texts."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(ta.values()), common / sum(tb.values())
    return 2 * precision * recall / (precision + recall)


def matched_similarity(xs: Sequence[Any], ys: Sequence[Any],
                       similar: Callable[[Any, Any], float]) -> float:
    """2 · Σ similarity of the one-to-one matching that maximises it / (len(xs) + len(ys));
    1.0 when both are empty."""
    if not xs and not ys:
        return 1.0
    if not xs or not ys:
        return 0.0
    sim = np.array([[similar(x, y) for y in ys] for x in xs], dtype=float)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    return float(np.clip(2 * sim[rows, cols].sum() / (len(xs) + len(ys)), 0.0, 1.0))


def _pair_text(pair: dict[str, str]) -> str:
    return f"{pair.get('question', '')} {pair.get('answer', '')}"


def flat(answer: dict[str, Any], mode: str) -> str:
    """An answer of a text mode or a dialogue as one text."""
    if mode == "dialogue":
        return "\n".join(f"{t.get('speaker', '')}: {t.get('text', '')}"
                         for t in answer.get("turns", []))
    return str(answer.get("text", ""))


def _list_similarity(a: dict[str, Any], b: dict[str, Any], mode: str) -> float:
    if mode == "qa_pairs":
        return matched_similarity([_pair_text(p) for p in a.get("pairs", [])],
                                  [_pair_text(p) for p in b.get("pairs", [])], token_f1)
    return matched_similarity(a.get("sentences", []), b.get("sentences", []),
                              lambda x, y: 1.0 - normalised_distance(x, y))


def distance(a: dict[str, Any], b: dict[str, Any], mode: str) -> float:
    """Symmetric distance in [0, 1] between two answers (for choosing the medoid)."""
    if mode in LIST_MODES:
        return 1.0 - _list_similarity(a, b, mode)
    return normalised_distance(flat(a, mode), flat(b, mode))


def similarity(answer: dict[str, Any], reference: dict[str, Any], mode: str) -> float:
    """How close an answer is to a reference (gold, or the result), in [0, 1]."""
    if mode in LIST_MODES:
        return _list_similarity(answer, reference, mode)
    return 1.0 - cer(flat(answer, mode), flat(reference, mode))


def medoid(answers: Sequence[dict[str, Any]], weights: Sequence[float], mode: str
           ) -> tuple[int, float]:
    """(index of the weighted medoid, agreement in [0, 1]).

    The medoid has the least weighted mean distance to the other answers; ties go to the
    heavier answer, then the earlier. Agreement is 1 − the weighted mean distance of the
    others to it (CER against it for the text modes); 1.0 for a lone answer."""
    n = len(answers)
    if n == 0:
        raise ValueError("medoid needs at least one answer")
    if len(weights) != n:
        raise ValueError("one weight per answer")
    w = [max(0.0, float(x)) for x in weights]
    if n == 1:
        return 0, 1.0
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            d[i, j] = d[j, i] = distance(answers[i], answers[j], mode)
    best, best_key = 0, None
    for i in range(n):
        others = sum(w[j] for j in range(n) if j != i)
        spread = (sum(w[j] * d[i, j] for j in range(n) if j != i) / others if others > 0
                  else float(np.mean([d[i, j] for j in range(n) if j != i])))
        key = (round(spread, 12), -w[i], i)
        if best_key is None or key < best_key:
            best, best_key = i, key
    gaps = [(w[j], _gap(answers[j], answers[best], mode)) for j in range(n) if j != best]
    total = sum(wj for wj, _ in gaps)
    mean = (sum(wj * g for wj, g in gaps) / total if total > 0
            else sum(g for _, g in gaps) / len(gaps))
    return best, float(np.clip(1.0 - mean, 0.0, 1.0))


def _gap(answer: dict[str, Any], chosen: dict[str, Any], mode: str) -> float:
    """An answer's distance to the chosen one, for the agreement."""
    if mode in LIST_MODES:
        return 1.0 - _list_similarity(answer, chosen, mode)
    return cer(flat(answer, mode), flat(chosen, mode))
