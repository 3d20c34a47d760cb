"""Kiwi's analysis of a text as the kind's tokens (plain Python, no Django).

Kiwi (PyPI ``kiwipiepy``, its model in ``kiwipiepy_model``: nothing is downloaded) is loaded
once per process, on first use, under a lock: about 0.5–1 s and 240–330 MB of memory, so
only the processes that analyse (the task worker's job) pay for it. Analysis is thread-safe.

Kiwi gives each morpheme the stretch of text it came from; a contraction's morphemes have
overlapping stretches (나눕니다 → 나누 [나눕] + ㅂ니다 [눕니다]) and an elided one none at all
(의사예요 → 이/VCP of length 0). ``tokens_from_raw`` turns that into the kind's tokens
(``tokens.py``): overlapping stretches become one span that all their morphemes share (as
Kiwi's own ``split_into_forms`` does), a morpheme of length 0 joins the next span (else the
previous one), spans never hold whitespace, and text Kiwi left out gets tokens of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from .tags import base_tag, script_tag
from .tokens import eojeols, normal_form

#: (form, tag, start, end) of one morpheme as an analyser gives it.
Raw = tuple[str, str, int, int]

_lock = threading.Lock()
_kiwi: Any = None


def analyser_name() -> str:
    """What analysed the items (stored with the analysis): package and model versions."""
    from importlib.metadata import version

    return f"kiwipiepy {version('kiwipiepy')} / kiwipiepy_model {version('kiwipiepy_model')}"


def kiwi() -> Any:
    """The process's Kiwi, loaded on first use (once, whichever thread asks first).

    Without Kiwi's multi-word dictionary: its entries span spaces, and a token here lies in
    one eojeol (it also saves about 180 MB). Allomorphs kept apart, as the Sejong corpus
    writes them (샀다 → 사/VV + 았/EP, not Kiwi's default 었)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi(num_workers=1, load_multi_dict=False, integrate_allomorph=False)
    return _kiwi


def analyse(text: str) -> list[dict[str, Any]]:
    """The text's morphemes as tokens (``tokens.check_tokens`` accepts them)."""
    if not text.strip():
        return []
    raw = [(t.form, t.tag, t.start, t.start + t.len)
           for t in kiwi().tokenize(text, compatible_jamo=True)]
    return tokens_from_raw(text, raw)


def analyse_many(texts: Iterable[str]) -> list[list[dict[str, Any]]]:
    return [analyse(text) for text in texts]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span clamped to the text, without whitespace at either end (may become empty)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, max(start, end)


def _merged_spans(text: str, raw: Sequence[Raw]) -> tuple[list[list[int]], list[int | None]]:
    """Overlapping stretches merged into spans; each morpheme's span index (None: length 0)."""
    trimmed = [_trim(text, start, end) for _f, _t, start, end in raw]
    spans: list[list[int]] = []
    index: list[int | None] = [None] * len(raw)
    for i in sorted(range(len(raw)), key=lambda i: trimmed[i]):
        start, end = trimmed[i]
        if start == end:
            continue
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
        index[i] = len(spans) - 1
    following = None  # a morpheme of length 0 joins the next span in analysis order...
    for i in reversed(range(len(raw))):
        if index[i] is not None:
            following = index[i]
        else:
            index[i] = following
    preceding = None  # ...or, at the end, the previous one
    for i in range(len(raw)):
        if index[i] is not None and trimmed[i][0] != trimmed[i][1]:
            preceding = index[i]
        elif index[i] is None:
            index[i] = preceding
    return spans, index


def tokens_from_raw(text: str, raw: Sequence[Raw]) -> list[dict[str, Any]]:
    """An analyser's morphemes (form, tag, start, end) as the kind's tokens for ``text``."""
    spans, index = _merged_spans(text, raw)
    members: list[list[int]] = [[] for _ in spans]
    for i, k in enumerate(index):
        if k is not None:
            members[k].append(i)
    pieces: list[tuple[int, int, list[tuple[str, str]]]] = []
    for (start, end), mine in zip(spans, members, strict=True):
        # A span across whitespace (rare without the multi-word dictionary) is cut at it;
        # each morpheme goes to the piece where it starts, a piece left empty keeps its text.
        words = [(max(s, start), min(e, end)) for s, e in eojeols(text[: end])
                 if e > start and s < end]
        parts: list[list[tuple[str, str]]] = [[] for _ in words]
        for i in mine:
            at = _trim(text, raw[i][2], raw[i][3])[0]
            k = next((n for n, (s, e) in enumerate(words) if s <= at < e), 0)
            parts[k].append((raw[i][0], raw[i][1]))
        for (s, e), morphs in zip(words, parts, strict=True):
            pieces.append((s, e, morphs or [(text[s:e], raw[mine[0]][1])]))
    pieces.extend(_uncovered(text, pieces))
    pieces.sort(key=lambda p: p[0])
    out = []
    for start, end, morphs in pieces:
        for form, tag in morphs:
            form = normal_form(form.strip()) or text[start:end]
            out.append({"start": start, "end": end, "form": "".join(form.split()),
                        "tag": base_tag(tag)})
    return out


def _uncovered(text: str, pieces: Sequence[tuple[int, int, Any]]
               ) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Tokens for the words or parts of words no morpheme covers: their text, a tag guessed
    from the script of their first character."""
    covered = [False] * len(text)
    for start, end, _m in pieces:
        covered[start:end] = [True] * (end - start)
    out, start = [], None
    for i in range(len(text) + 1):
        free = i < len(text) and not covered[i] and not text[i].isspace()
        if free and start is None:
            start = i
        elif not free and start is not None:
            out.append((start, i, [(text[start:i], script_tag(text[start]))]))
            start = None
    return out
