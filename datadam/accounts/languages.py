"""The languages a worker profile may name: ISO 639-1 codes, named in the reader's language.

Names come from Django's language table (translated by Django's own catalogues, so Korean
readers see 한국어, 일본어, …); the few codes it lacks are named here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# Two-letter codes of living languages, as the profile stores them.
LANGUAGE_CODES: tuple[str, ...] = (
    "af", "ar", "az", "be", "bg", "bn", "br", "bs", "ca", "cs", "cy", "da", "de", "el", "en",
    "es", "et", "eu", "fa", "fi", "fr", "fy", "ga", "gd", "gl", "he", "hi", "hr", "ht", "hu",
    "hy", "id", "ig", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "ky", "lb", "lo", "lt",
    "lv", "mk", "ml", "mn", "mr", "ms", "my", "ne", "nl", "no", "pa", "pl", "ps", "pt", "ro",
    "ru", "si", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "tg", "th", "tk", "tl",
    "tr", "tt", "ug", "uk", "ur", "uz", "vi", "yo", "zh", "zu",
)  # fmt: skip
# Codes Django's table lacks (or names without a translation): English name, own name.
_EXTRA: dict[str, tuple[str, str]] = {
    "lo": (gettext_noop("Lao"), "ພາສາລາວ"),
    "no": (gettext_noop("Norwegian"), "norsk"),
    "ps": (gettext_noop("Pashto"), "پښتو"),
    "si": (gettext_noop("Sinhala"), "සිංහල"),
    "so": (gettext_noop("Somali"), "Soomaali"),
    "tl": (gettext_noop("Tagalog"), "Tagalog"),
    "yo": (gettext_noop("Yoruba"), "Yorùbá"),
    "zh": (gettext_noop("Chinese"), "中文"),
    "zu": (gettext_noop("Zulu"), "isiZulu"),
}
_KNOWN = frozenset(LANGUAGE_CODES)


def is_language(code: Any) -> bool:
    return isinstance(code, str) and code in _KNOWN


def english_name(code: str) -> str:
    """``ko`` → "Korean" (the code itself for an unknown one)."""
    if code in _EXTRA:
        return _EXTRA[code][0]
    info = LANG_INFO.get(code)
    return info["name"] if info else code


def language_name(code: str) -> str:
    """``ko`` → "Korean" in the active language (the code itself for an unknown one); the
    names of Django's table are translated by Django's catalogues."""
    name = english_name(code)
    return gettext(name) if name != code else code


def language_local_name(code: str) -> str:
    """``ko`` → "한국어", the language's name for itself."""
    if code in _EXTRA:
        return _EXTRA[code][1]
    info = LANG_INFO.get(code)
    return info["name_local"] if info else code


def language_label(code: str) -> str:
    """The name in the reader's language, with the language's own name when it differs:
    "Japanese (日本語)"; so a worker finds their language whatever the page language."""
    name, local = language_name(code), language_local_name(code)
    return name if name.casefold() == local.casefold() else f"{name} ({local})"


def language_choices() -> list[tuple[str, str]]:
    """(code, label) for every language, in the reader's language and sorted by its name."""
    return sorted(((c, language_label(c)) for c in LANGUAGE_CODES),
                  key=lambda pair: pair[1].casefold())


@cache
def language_names() -> dict[str, str]:
    """Every name of every language, casefolded → its code: the English name, the
    language's own name and the Korean name ("korean", "한국어" → "ko")."""
    out: dict[str, str] = {}
    for code in LANGUAGE_CODES:
        with translation.override("ko"):
            korean = language_name(code)
        for name in (english_name(code), language_local_name(code), korean):
            out.setdefault(name.casefold(), code)
    return out


def language_code(text: Any) -> str | None:
    """The code a free-text language names ("ko", "ko-KR", "Korean", "한국어"), or None:
    for reading what was typed before languages were fields."""
    if not isinstance(text, str):
        return None
    value = text.strip().casefold().replace("_", "-")
    if not value:
        return None
    base = value.split("-", 1)[0]
    return base if base in _KNOWN else language_names().get(value)
