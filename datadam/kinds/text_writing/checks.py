"""The checks on a written answer: length, language and copying from the source (no Django).

Each check looks at one text of the answer (the summary, a question, a turn...) and returns
a ``Finding`` when the text fails it; the kind turns findings into a refusal (checks the
project set to "block") or into warnings stored with the answer for the reviewer ("warn").

Copying: the share of the text's characters that lie in a run found word for word in the
source. Both are compared squeezed (NFC, case-folded, only letters and digits: spaces and
punctuation do not break a run); a run counts from ``window`` characters on, 8 for a text
mostly in Hangul, kana or Han characters and 16 otherwise, about three words either way.
The longest copied run is reported too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from . import script

CJK_WINDOW = 8
LATIN_WINDOW = 16


@dataclass(frozen=True)
class Part:
    """One text of an answer: what it is (``text``, ``question``, ``answer``, ``turn``,
    ``sentence``), its number (1-based; None for the one text of a summary) and whether
    copying from the source is checked on it (not on the answers of QA pairs, which quote
    the passage by nature)."""

    part: str
    n: int | None
    text: str
    copy: bool = True


@dataclass(frozen=True)
class Finding:
    """A failed check on one part; ``values`` has the check's numbers (for the message)."""

    check: str  # length, language, copy
    part: str
    n: int | None
    values: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "part": self.part}
        if self.n is not None:
            out["n"] = self.n
        return {**out, **self.values}


def squeeze(text: str) -> str:
    """NFC, case-folded, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


def window(text: str) -> int:
    """The shortest run of characters that counts as copied, for this text."""
    return CJK_WINDOW if script.is_cjk_heavy(text) else LATIN_WINDOW


class Source:
    """The source text, ready to look up runs of ``n`` characters (built once per size)."""

    def __init__(self, text: str) -> None:
        self.text = squeeze(text)
        self._grams: dict[int, set[str]] = {}

    def grams(self, n: int) -> set[str]:
        if n not in self._grams:
            t = self.text
            self._grams[n] = {t[i:i + n] for i in range(len(t) - n + 1)}
        return self._grams[n]


def copied(text: str, source: Source) -> tuple[float, int]:
    """(share of the text's squeezed characters inside copied runs, longest copied run)."""
    t = squeeze(text)
    n = window(text)
    if len(t) < n or len(source.text) < n:
        return 0.0, 0
    grams = source.grams(n)
    covered = bytearray(len(t))
    for i in range(len(t) - n + 1):
        if t[i:i + n] in grams:
            covered[i:i + n] = b"\x01" * n
    longest = run = 0
    for c in covered:
        run = run + 1 if c else 0
        longest = max(longest, run)
    return sum(covered) / len(t), longest


def check_length(part: Part, low: int, high: int) -> Finding | None:
    chars = len(part.text)
    if low <= chars <= high:
        return None
    return Finding("length", part.part, part.n, {"chars": chars, "min": low, "max": high})


def check_language(part: Part, languages: list[str]) -> Finding | None:
    """Fails when less than ``script.MIN_SHARE`` of the text's letters are in the wanted
    languages' scripts; texts with too few letters to tell pass."""
    if not languages:
        return None
    share = script.language_share(part.text, languages)
    if share is None or share >= script.MIN_SHARE:
        return None
    return Finding("language", part.part, part.n, {
        "share": round(share, 2), "detected": script.detect(part.text) or "",
        "wanted": list(languages)})


def check_copy(part: Part, source: Source | None, limit: float) -> Finding | None:
    """Fails when more than ``limit`` of the text is copied from the source (limit 1: off)."""
    if source is None or not part.copy or limit >= 1.0:
        return None
    share, longest = copied(part.text, source)
    if share <= limit:
        return None
    return Finding("copy", part.part, part.n,
                   {"share": round(share, 2), "run": longest, "limit": limit})


def run_checks(parts: list[Part], *, source: str | None, low: int, high: int,
               answer_limits: tuple[int, int] | None, languages: list[str],
               copy_limit: float) -> list[Finding]:
    """Every failed check of every part, in the order of the parts. ``answer_limits``:
    the length limits of QA answers (the other parts use ``low``/``high``)."""
    src = Source(source) if source else None
    found: list[Finding] = []
    for part in parts:
        lo, hi = answer_limits if part.part == "answer" and answer_limits else (low, high)
        for finding in (check_length(part, lo, hi), check_language(part, languages),
                        check_copy(part, src, copy_limit)):
            if finding is not None:
                found.append(finding)
    return found
