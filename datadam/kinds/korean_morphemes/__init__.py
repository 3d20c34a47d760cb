"""Korean morphemes: the worker corrects an automatic morpheme analysis of a sentence.

Items: ``{"text": "한국어 문장"}``; a background job after import adds Kiwi's analysis
(``morphemes``, ``analyser``; ``jobs.py``), which the widget shows as chips to correct:
split, merge, edit forms, pick POS tags. Answers: ``{"tokens": [{"start", "end", "form",
"tag"}]}`` with surface offsets in code points over the text (``tokens.py`` has the rules;
a contraction's morphemes share one span). Overlapping answers are fused by weighted votes
on boundaries, forms and tags (``vote.py``); gold and skill use the token F1. Export: a
Sejong-style TSV (``formats.py``). See docs/kinds/korean_morphemes.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import register
from datadam.kinds.base import FusedKind, ItemAggregate, ItemError
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.image_shapes import fraction

from . import jobs
from .formats import EXPORTERS
from .tags import TAGS
from .tokens import TokenError, check_tokens, summary
from .vote import fuse, token_f1

MAX_TEXT = 2000
MAX_TOKENS = 4000
DEFAULT_PASS_SCORE = 0.9
SAMPLE_TEXT = "한국어 문장을 형태소로 나눕니다."
#: Kiwi's analysis of SAMPLE_TEXT (a unit test checks it), so the wizard's preview needs no
#: analyser.
SAMPLE_MORPHEMES = [
    {"start": 0, "end": 3, "form": "한국어", "tag": "NNP"},
    {"start": 4, "end": 6, "form": "문장", "tag": "NNG"},
    {"start": 6, "end": 7, "form": "을", "tag": "JKO"},
    {"start": 8, "end": 11, "form": "형태소", "tag": "NNG"},
    {"start": 11, "end": 12, "form": "로", "tag": "JKB"},
    {"start": 13, "end": 17, "form": "나누", "tag": "VV"},
    {"start": 13, "end": 17, "form": "ㅂ니다", "tag": "EF"},
    {"start": 17, "end": 18, "form": ".", "tag": "SF"},
]
EXAMPLE_TEXT = "오늘 날씨가 정말 좋네요."

_MESSAGES = {
    "not_list": gettext_lazy('answer needs "tokens": a non-empty list of morphemes'),
    "too_many": gettext_lazy("at most %(most)s morphemes in one answer"),
    "shape": gettext_lazy('morpheme %(n)s must be {"start", "end", "form", "tag"}'),
    "offsets": gettext_lazy("morpheme %(n)s: start and end must be whole numbers, start "
                            "before end"),
    "outside": gettext_lazy("morpheme %(n)s ends past the text (%(length)s characters)"),
    "space": gettext_lazy("morpheme %(n)s spans a space: a morpheme lies within one word"),
    "form": gettext_lazy("morpheme %(n)s needs a form: 1 to 100 characters, no spaces"),
    "tag": gettext_lazy("morpheme %(n)s: unknown tag %(tag)s"),
    "order": gettext_lazy("morpheme %(n)s comes before the one ahead of it: list them in "
                          "text order"),
    "overlap": gettext_lazy("morpheme %(n)s overlaps the one before it; morphemes share a "
                            "span only when it is exactly the same"),
    "uncovered": gettext_lazy("the character %(char)s at %(at)s is in no morpheme"),
}


def _tokens(value: Any, text: str | None) -> list[dict[str, Any]]:
    """``check_tokens`` with its problem in the reader's language (InvalidInput)."""
    try:
        return check_tokens(value, text, max_tokens=MAX_TOKENS)
    except TokenError as exc:
        raise InvalidInput(str(_MESSAGES[exc.code]) % exc.params) from None


class KoreanMorphemes(FusedKind):
    slug = "korean_morphemes"
    title = gettext_lazy("Korean morpheme tagging")
    description = gettext_lazy("Correct an automatic analysis of a Korean sentence: split "
                               "and merge morphemes, fix their forms and part-of-speech tags.")
    answer_needs_item = True
    uses_labels = False
    exporters = EXPORTERS
    search_words = ("morpheme", "morphemes", "pos", "tagging", "grammar", "linguistics",
                    "형태소", "품사", "태깅", "문법", "국어")
    config_fields = (
        ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number",
                    DEFAULT_PASS_SCORE,
                    gettext_lazy("From 0 to 1: the token F1 against the known analysis "
                                 "(a morpheme counts when its span, form and tag all match).")),
    )

    def sample_item(self) -> dict[str, Any]:
        return {"text": SAMPLE_TEXT, "morphemes": [dict(t) for t in SAMPLE_MORPHEMES]}

    def example_item(self) -> dict[str, Any]:
        return {"text": EXAMPLE_TEXT}

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        return {"pass_score": fraction(config, "pass_score", DEFAULT_PASS_SCORE)}

    def validate_item(self, data: Any) -> dict[str, Any]:
        """A text (NFC-normalised, so offsets count composed syllables); an analysis the
        client sends along (``morphemes``) is checked against it. Nothing is analysed here:
        import stays constant work per item (the job after import analyses)."""
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ItemError(_('item needs a non-empty "text" field'))
        if len(text) > MAX_TEXT or "\x00" in text:
            raise ItemError(_("text must be at most %(most)s characters, without NUL")
                            % {"most": MAX_TEXT})
        clean = {**data, "text": unicodedata.normalize("NFC", text)}
        if "morphemes" in data:
            try:
                clean["morphemes"] = _tokens(data["morphemes"], clean["text"])
            except InvalidInput as exc:
                raise ItemError(_("morphemes: %(error)s") % {"error": exc.message}) from None
        return clean

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        token = {
            "type": "object", "required": ["start", "end", "form", "tag"],
            "additionalProperties": False,
            "properties": {
                "start": {"type": "integer", "minimum": 0,
                          "description": "first code point of the surface in the text"},
                "end": {"type": "integer", "minimum": 1, "description": "one past the last"},
                "form": {"type": "string", "minLength": 1, "maxLength": 100},
                "tag": {"enum": [t for t, _ko, _en in TAGS]},
            },
        }
        return {"type": "object", "required": ["tokens"], "additionalProperties": False,
                "properties": {"tokens": {"type": "array", "minItems": 1,
                                          "maxItems": MAX_TOKENS, "items": token}}}

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(answer, dict) or set(answer) != {"tokens"}:
            raise InvalidInput(_('answer must be {"tokens": [{"start", "end", "form", '
                                 '"tag"}, ...]}'))
        text = item.get("text") if isinstance(item, dict) else None
        return {"tokens": _tokens(answer["tokens"], text if isinstance(text, str) else None)}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        usable = [(a["tokens"], w) for a, w in zip(answers, weights, strict=True)
                  if isinstance(a.get("tokens"), list) and a["tokens"]]
        if not usable:
            return None
        fused = fuse([t for t, _w in usable], [max(w, 1e-9) for _t, w in usable])
        result = {"tokens": fused.tokens}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """Token F1: a morpheme counts when its span, form and tag all match."""
        return token_f1(answer.get("tokens", []), reference.get("tokens", []))

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", DEFAULT_PASS_SCORE)) - 1e-9

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its morphemes matched the known analysis (same span, form and "
                 "part-of-speech tag) with a token F1 of at least %(score)s") % {
            "score": config.get("pass_score", DEFAULT_PASS_SCORE)}

    def summary(self, answer: dict[str, Any]) -> str:
        tokens = answer.get("tokens") or []
        return summary(tokens)[:500] if tokens else _("no morphemes")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's segmentation with every tag changed (nouns become verbs, the rest
        common nouns): a token F1 of 0."""
        tokens = gold.get("tokens") if isinstance(gold, dict) else None
        if not isinstance(tokens, list) or not tokens:
            return None
        return {"tokens": [{**t, "tag": "VV" if t.get("tag") == "NNG" else "NNG"}
                           for t in tokens if isinstance(t, dict)]}


register(KoreanMorphemes())
jobs.connect()
