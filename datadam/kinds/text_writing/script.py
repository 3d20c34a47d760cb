"""Which language a text is in, told offline from the scripts of its letters (no Django).

No model: each letter's Unicode block says its script, and the script says the language for
the four languages the writing kinds check: Korean (Hangul), Japanese (kana, with kanji),
Chinese (Han characters without kana) and English (Latin letters). Any Latin-script language
reads as English here: telling English from French needs a statistical model, and the one
measured (``lingua-language-detector`` 2.2.0) installs 292 MB (docs/kinds/text_writing.md).

A Hangul syllable or a CJK character carries about as much as two or three Latin letters,
so Latin letters (and letters of other scripts) count half: "AI 모델" is mostly Korean.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: The languages the check knows, in the order the wizard lists them.
LANGUAGES = ("ko", "en", "ja", "zh")
#: A text with less weight of letters than this is not judged (a name, a number, "OK").
MIN_WEIGHT = 5.0
#: The share of a text's weighted letters that must be in the wanted language(s).
MIN_SHARE = 0.5
#: Kana at least this share of the kana and Han characters: the Han characters are
#: Japanese kanji; below it they are Chinese.
KANA_SHARE = 0.05
LATIN_WEIGHT = 0.5

_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF),
           (0xD7B0, 0xD7FF), (0xFFA0, 0xFFDC))
_KANA = ((0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F),
        (0x3005, 0x3007))
_LATIN = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF), (0xFF21, 0xFF3A),
          (0xFF41, 0xFF5A))


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def script_of(char: str) -> str | None:
    """``hangul``, ``kana``, ``han``, ``latin`` or ``other`` for a letter; None for digits,
    spaces and punctuation."""
    code = ord(char)
    if code < 0x80:  # most characters of most texts: ASCII
        return "latin" if char.isalpha() else None
    if 0xAC00 <= code <= 0xD7A3:  # Hangul syllables
        return "hangul"
    if _within(code, _HANGUL):
        return "hangul"
    if _within(code, _KANA):
        return "kana"
    if _within(code, _HAN):
        return "han"
    if not char.isalpha():
        return None
    return "latin" if _within(code, _LATIN) else "other"


@dataclass(frozen=True)
class Scripts:
    """How many letters of each script a text has."""

    hangul: int = 0
    kana: int = 0
    han: int = 0
    latin: int = 0
    other: int = 0

    @property
    def weight(self) -> float:
        """The letters counted by weight (Latin and other letters count half)."""
        return self.hangul + self.kana + self.han + LATIN_WEIGHT * (self.latin + self.other)

    @property
    def japanese(self) -> bool:
        """Kana among the Han characters: they are kanji."""
        return self.kana > 0 and self.kana >= KANA_SHARE * (self.kana + self.han)

    def own(self, language: str) -> float:
        """The weight of the letters written in ``language``'s script."""
        if language == "ko":
            return float(self.hangul)
        if language == "en":
            return LATIN_WEIGHT * self.latin
        if language == "ja":
            return float(self.kana + (self.han if self.japanese else 0))
        if language == "zh":
            return 0.0 if self.japanese else float(self.han)
        return 0.0


def count_scripts(text: str) -> Scripts:
    counts = {"hangul": 0, "kana": 0, "han": 0, "latin": 0, "other": 0}
    for char in unicodedata.normalize("NFC", text):
        script = script_of(char)
        if script is not None:
            counts[script] += 1
    return Scripts(**counts)


def language_share(text: str, languages: tuple[str, ...] | list[str]) -> float | None:
    """The share in [0, 1] of the text's weighted letters written in any of ``languages``;
    None when the text has too few letters to tell (``MIN_WEIGHT``)."""
    scripts = count_scripts(text)
    total = scripts.weight
    if total < MIN_WEIGHT:
        return None
    own = scripts.hangul * ("ko" in languages) + LATIN_WEIGHT * scripts.latin * (
        "en" in languages)
    if "ja" in languages and scripts.japanese:
        own += scripts.kana + scripts.han
    elif "zh" in languages and not scripts.japanese:
        own += scripts.han
    elif "ja" in languages:
        own += scripts.kana  # stray kana in a Chinese text
    return min(1.0, own / total)


def detect(text: str) -> str | None:
    """The language of ``LANGUAGES`` whose script holds most of the text's letters; None
    when there are too few letters or most are of another script."""
    scripts = count_scripts(text)
    if scripts.weight < MIN_WEIGHT:
        return None
    best = max(LANGUAGES, key=scripts.own)
    return best if scripts.own(best) >= LATIN_WEIGHT * scripts.other else None


def is_cjk_heavy(text: str) -> bool:
    """Whether Hangul, kana and Han characters outweigh the other letters."""
    s = count_scripts(text)
    return s.hangul + s.kana + s.han >= LATIN_WEIGHT * (s.latin + s.other)
