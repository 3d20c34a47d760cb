"""Turning a client's description of the workers they want into weighted criteria.

Plain Python, no database. ``parse_query("careful, visually sharp, Korean native, has done
boxes before", vocab)`` gives criteria such as accuracy (weight 1), kind skill in image
classification, language ko (native, weight 2) and the skill tag "boxes". Words it does not
understand are returned so the page can say so. An intensifier ("very", "매우") doubles the
weight of the next criterion; "must"/"only"/"필수" makes it a hard filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ACCURACY = ("careful", "accurate", "accuracy", "precise", "reliable", "meticulous", "detail",
            "detailed", "quality", "thorough", "꼼꼼", "정확", "신중", "세심")
SPEED = ("fast", "quick", "quickly", "speedy", "rapid", "빠른", "빨리", "신속")
LANGUAGES = {
    "ko": ("korean", "한국어", "한국인", "한국"), "en": ("english", "영어"),
    "ja": ("japanese", "일본어"), "zh": ("chinese", "mandarin", "중국어"),
    "vi": ("vietnamese", "베트남어"), "es": ("spanish", "스페인어"),
    "fr": ("french", "프랑스어"), "de": ("german", "독일어"),
}
NATIVE = ("native", "mother", "원어민", "모국어")
INTENSIFIERS = ("very", "extremely", "really", "highly", "super", "매우", "아주", "정말")
REQUIRED = ("must", "only", "required", "필수", "반드시")
DONE = ("done", "did", "experience", "experienced", "before", "worked", "경험")
STOP = {"a", "an", "and", "the", "with", "who", "is", "are", "has", "have", "of", "in", "on",
        "for", "to", "be", "from", "or", "workers", "worker", "people", "someone", "speaker",
        "speakers", "we", "want", "need", "good", "at", "by", "eye", "eyed", "ones"}
TOKEN_RE = re.compile(r"[\w-]+", re.UNICODE)


@dataclass(frozen=True)
class Criterion:
    """One thing the client asked for: ``name`` is accuracy, speed, kind, tag, language,
    region, occupation or qualification; ``value`` what it points at."""

    name: str
    value: str = ""
    weight: float = 1.0
    required: bool = False
    native: bool = False
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """What the platform knows by name: skill tags, regions, occupations, qualifications."""

    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    qualifications: dict[str, int] = field(default_factory=dict)
    #: words that point at a task kind (each kind's ``search_words``), by kind slug
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedQuery:
    criteria: tuple[Criterion, ...]
    unknown: tuple[str, ...]


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in TOKEN_RE.findall(text or "")]


def _is(token: str, words: Iterable[str]) -> bool:
    """Exact match for Latin words; a Korean word may carry a particle (한국어를)."""
    for w in words:
        if token == w or (not w.isascii() and token.startswith(w)):
            return True
    return False


def _plural_match(token: str, name: str) -> bool:
    name = name.casefold()
    return token in {name, name + "s", name + "es"} or name in {token + "s", token + "es"}


def _lookup(token: str, vocab: Vocabulary) -> Criterion | None:
    if _is(token, ACCURACY):
        return Criterion("accuracy")
    if _is(token, SPEED):
        return Criterion("speed")
    for code, words in LANGUAGES.items():
        if _is(token, words):
            return Criterion("language", code)
    for tag in vocab.tags:
        if _plural_match(token, tag):
            return Criterion("tag", tag.casefold())
    for name, qid in vocab.qualifications.items():
        if token == name.casefold():
            return Criterion("qualification", str(qid))
    for region in vocab.regions:
        if token == region.casefold():
            return Criterion("region", region)
    for occupation in vocab.occupations:
        if _plural_match(token, occupation):
            return Criterion("occupation", occupation)
    for kind, words in vocab.kinds.items():
        if _is(token, words):
            return Criterion("kind", kind)
    return None


def _merge(found: list[Criterion]) -> tuple[Criterion, ...]:
    """One criterion per (name, value): weights add up, flags combine."""
    merged: dict[tuple[str, str], Criterion] = {}
    for c in found:
        old = merged.get((c.name, c.value))
        if old is None:
            merged[(c.name, c.value)] = c
        else:
            merged[(c.name, c.value)] = Criterion(
                c.name, c.value, old.weight + c.weight, old.required or c.required,
                old.native or c.native, old.words + c.words,
            )
    return tuple(merged.values())


def parse_query(text: str, vocab: Vocabulary | None = None) -> ParsedQuery:
    """Weighted criteria found in ``text``, and the words left over."""
    vocab = vocab or Vocabulary()
    tokens = _tokens(text)
    found: list[Criterion] = []
    unknown: list[str] = []
    boost, required, native = 1.0, False, False
    for i, token in enumerate(tokens):
        if _is(token, INTENSIFIERS):
            boost = 2.0
            continue
        if _is(token, REQUIRED):
            required = True
            continue
        if _is(token, NATIVE):
            native = True
            if found and found[-1].name == "language" and i and tokens[i - 1] in LANGUAGES_WORDS:
                last = found.pop()
                found.append(Criterion("language", last.value, last.weight * 2, last.required,
                                       True, last.words + (token,)))
                native = False
            continue
        if token in STOP or _is(token, DONE) or token.isdigit():
            continue
        crit = _lookup(token, vocab)
        if crit is None:
            unknown.append(token)
            continue
        weight = boost * (2.0 if native and crit.name == "language" else 1.0)
        found.append(Criterion(crit.name, crit.value, weight, required,
                               native and crit.name == "language", (token,)))
        boost, required = 1.0, False
        if crit.name == "language":
            native = False
    return ParsedQuery(_merge(found), tuple(dict.fromkeys(unknown)))


LANGUAGES_WORDS = {w for words in LANGUAGES.values() for w in words}
