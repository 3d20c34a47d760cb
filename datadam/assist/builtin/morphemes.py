"""Korean morpheme pre-labels: Kiwi's analysis, as the ``korean_morphemes`` kind's answer.

A thin layer over ``kinds.korean_morphemes.analysis`` (the same Kiwi, loaded once per process,
and the same conversion into tokens, so the tokens equal ``analyse(text)``). Kiwi also
scores its analyses (log-likelihoods); the margin over the best *different* analysis
measures how sure it is: a sentence Kiwi can read two ways nearly as well is one for a
person to check first.
"""

from __future__ import annotations

import math
from typing import Any

#: Analyses asked of Kiwi: the best and two runner-ups (a runner-up may give the same tokens
#: once Kiwi's irregular-verb marks are folded into the plain tags).
_TOP_N = 3


def morphemes_predict(text: str) -> dict[str, Any]:
    """Kiwi's analysis of ``text`` as ``{"answer": {"tokens": [...]}, "score",
    "uncertainty"}``.

    ``uncertainty`` is the runner-up's likelihood relative to the best analysis,
    exp(log p₂ − log p₁), in (0, 1] (1: a tie; 0 when no different analysis exists);
    ``score`` the best analysis's share of the two, 1 / (1 + uncertainty). Blank text: no
    tokens, score 0, uncertainty 1.
    """
    from datadam.kinds.korean_morphemes.analysis import kiwi, tokens_from_raw

    if not text.strip():
        return {"answer": {"tokens": []}, "score": 0.0, "uncertainty": 1.0}
    analyses = kiwi().analyze(text, top_n=_TOP_N, compatible_jamo=True)
    candidates = [(tokens_from_raw(text, [(t.form, t.tag, t.start, t.start + t.len)
                                          for t in morphs]), float(log_p))
                  for morphs, log_p in analyses]
    best, best_log_p = candidates[0]
    runner_up = next((log_p for tokens, log_p in candidates[1:] if tokens != best), None)
    uncertainty = 0.0 if runner_up is None else math.exp(min(0.0, runner_up - best_log_p))
    return {"answer": {"tokens": best}, "score": round(1.0 / (1.0 + uncertainty), 4),
            "uncertainty": round(uncertainty, 4)}
