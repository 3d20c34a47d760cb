"""Transcripts: tokens, normalisation, word (or character) error rate and ROVER fusion.

Plain Python, no Django. A transcript is cut into words at white space; for languages
written without spaces between words (Japanese, Chinese, Thai, ...: ``CHAR_LANGUAGES``) into
characters, so the error rate is a CER there. Scoring and voting compare normalised tokens:
NFC always, case folded and punctuation (Unicode categories P*) dropped when the project
says so; a token left empty (a lone dash) does not count. The fused text keeps each voted
word as most of the weight wrote it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from datadam.kinds.geometry import sequences

#: Languages scored by characters, not words.
CHAR_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo"})


@dataclass(frozen=True)
class Norm:
    """How transcripts are compared: by words or characters, ignoring case, punctuation."""

    unit: str = "word"  # or "char"
    ignore_case: bool = True
    ignore_punctuation: bool = True

    @classmethod
    def of(cls, language: str, ignore: Sequence[str]) -> Norm:
        base = language.split("-", 1)[0].lower()
        return cls("char" if base in CHAR_LANGUAGES else "word", "case" in ignore,
                   "punctuation" in ignore)

    def key(self, token: str) -> str:
        """The token as compared ("" when nothing is left of it)."""
        out = unicodedata.normalize("NFC", token)
        if self.ignore_case:
            out = out.casefold()
        if self.ignore_punctuation:
            out = "".join(ch for ch in out if not unicodedata.category(ch).startswith("P"))
        return out

    def tokens(self, text: str) -> list[str]:
        """The transcript's tokens as written (words, or characters without spaces)."""
        text = unicodedata.normalize("NFC", text)
        if self.unit == "char":
            return [ch for ch in text if not ch.isspace()]
        return text.split()

    def keys(self, text: str) -> list[str]:
        """The tokens that count, normalised."""
        return [k for k in (self.key(t) for t in self.tokens(text)) if k]

    def join(self, tokens: Sequence[str]) -> str:
        return ("" if self.unit == "char" else " ").join(tokens)


def error_rate(hypothesis: str, reference: str, norm: Norm) -> float:
    """WER (CER for character languages) of a transcript against a reference; may pass 1."""
    return sequences.error_rate(norm.keys(hypothesis), norm.keys(reference))


def similarity(hypothesis: str, reference: str, norm: Norm) -> float:
    """1 − error rate, in [0, 1]: 1 for the same words, 0 for nothing right."""
    return max(0.0, 1.0 - error_rate(hypothesis, reference, norm))


def fuse(texts: Sequence[str], weights: Sequence[float] | None, norm: Norm
         ) -> tuple[str, float]:
    """The voted transcript (ROVER over tokens, weighted) and the agreement: 1 − the
    weighted mean error rate of the readings against it (each capped at 1)."""
    if not texts:
        raise ValueError("fuse needs at least one transcript")
    w = sequences.check_weights(weights, len(texts))
    readings = [norm.tokens(t) for t in texts]
    voted, _ = sequences.rover(readings, w, key=lambda t: norm.key(t) or t)
    result = norm.join(voted)
    mean = sum(wk * min(1.0, error_rate(t, result, norm)) for t, wk in zip(texts, w, strict=True))
    return result, 1.0 - mean / sum(w)
