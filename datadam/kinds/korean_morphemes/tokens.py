"""Morpheme token lists checked against their text (plain Python, no Django).

A token is ``{"start", "end", "form", "tag"}``: ``start``/``end`` are code-point offsets of its
**surface** in the item's text (``text[start:end]``), ``form`` the morpheme as a dictionary
writes it, ``tag`` its part of speech (``tags.TAGS``). Tokens come in text order; spans never
overlap except that several tokens may share one span exactly — a contraction, where one
stretch of text holds several morphemes (했 → 하/VV + 었/EP, both with the span of 했).
Spans hold no whitespace, and together they cover every non-whitespace character, so each
token lies in one eojeol (a whitespace-separated word).

Forms are compared after ``normal_form``: NFC, and lone conjoining jamo (U+1100–U+11FF, as
some analysers write an ending's ᆸ) as the compatibility jamo a keyboard types (ㅂ).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from .tags import TAG_SET

MAX_FORM = 100

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_JAMO = {
    **{0x1100 + i: c for i, c in enumerate(_CHOSEONG)},
    **{0x1161 + i: c for i, c in enumerate(_JUNGSEONG)},
    **{0x11A8 + i: c for i, c in enumerate(_JONGSEONG)},
}


class TokenError(ValueError):
    """A token list does not fit its text: ``code`` names the problem, ``params`` the place
    (``n``: the token's number from 1), so the caller words it in the reader's language."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code, self.params = code, params


def normal_form(form: str) -> str:
    """NFC, with conjoining jamo written as compatibility jamo (ᆸ니다 → ㅂ니다)."""
    return unicodedata.normalize("NFC", form.translate(_JAMO))


def eojeols(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each whitespace-separated word of the text."""
    spans, start = [], None
    for i, ch in enumerate(text):
        if ch.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_tokens(tokens: Any, text: str | None, *, max_tokens: int,
                 extra_keys: frozenset[str] = frozenset({"score"})) -> list[dict[str, Any]]:
    """The tokens checked and normalised (``extra_keys`` dropped); ``text`` None checks the
    tokens alone (order, forms, tags), without the bounds and the coverage. Raises
    ``TokenError``."""
    if not isinstance(tokens, list) or not tokens:
        raise TokenError("not_list")
    if len(tokens) > max_tokens:
        raise TokenError("too_many", most=max_tokens)
    out: list[dict[str, Any]] = []
    prev: tuple[int, int] | None = None
    for n, token in enumerate(tokens, 1):
        if not isinstance(token, dict) or not {"start", "end", "form", "tag"} <= set(token) or (
                set(token) - {"start", "end", "form", "tag"} - extra_keys):
            raise TokenError("shape", n=n)
        start, end = token["start"], token["end"]
        if not (_int(start) and _int(end) and 0 <= start < end):
            raise TokenError("offsets", n=n)
        if text is not None:
            if end > len(text):
                raise TokenError("outside", n=n, length=len(text))
            if any(ch.isspace() for ch in text[start:end]):
                raise TokenError("space", n=n)
        form = token["form"]
        if not isinstance(form, str) or "\x00" in form:
            raise TokenError("form", n=n)
        form = normal_form(form.strip())
        if not form or len(form) > MAX_FORM or any(ch.isspace() for ch in form):
            raise TokenError("form", n=n)
        if token["tag"] not in TAG_SET:
            raise TokenError("tag", n=n, tag=str(token["tag"])[:20])
        if prev is not None and (start, end) != prev and start < prev[1]:
            raise TokenError("order" if start < prev[0] else "overlap", n=n)
        prev = (start, end)
        out.append({"start": start, "end": end, "form": form, "tag": token["tag"]})
    if text is not None:
        uncovered = _first_uncovered(out, text)
        if uncovered is not None:
            raise TokenError("uncovered", at=uncovered, char=text[uncovered])
    return out


def _first_uncovered(tokens: Sequence[dict[str, Any]], text: str) -> int | None:
    """The offset of the first non-whitespace character no token covers, or None."""
    at = 0
    for token in tokens:
        for i in range(at, token["start"]):
            if not text[i].isspace():
                return i
        at = max(at, token["end"])
    for i in range(at, len(text)):
        if not text[i].isspace():
            return i
    return None


def groups(tokens: Sequence[dict[str, Any]]) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """Consecutive tokens sharing a span, as (start, end, tokens)."""
    out: list[tuple[int, int, list[dict[str, Any]]]] = []
    for token in tokens:
        if out and (out[-1][0], out[-1][1]) == (token["start"], token["end"]):
            out[-1][2].append(token)
        else:
            out.append((token["start"], token["end"], [token]))
    return out


def by_eojeol(tokens: Sequence[dict[str, Any]], text: str
              ) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """Each eojeol's (start, end, tokens), tokens in order (checked tokens: each token lies
    in one eojeol)."""
    spans = eojeols(text)
    out: list[tuple[int, int, list[dict[str, Any]]]] = [(s, e, []) for s, e in spans]
    k = 0
    for token in tokens:
        while k < len(spans) and token["start"] >= spans[k][1]:
            k += 1
        if k < len(spans):
            out[k][2].append(token)
    return out


def summary(tokens: Sequence[dict[str, Any]]) -> str:
    """``한국어/NNP 문장/NNG+을/JKO``: morphemes joined by + within an eojeol (tokens that
    touch), eojeols by a space."""
    parts: list[str] = []
    end = None
    for token in tokens:
        piece = f"{token['form']}/{token['tag']}"
        if end is not None and token["start"] <= end:
            parts[-1] += "+" + piece
        else:
            parts.append(piece)
        end = token["end"]
    return " ".join(parts)
