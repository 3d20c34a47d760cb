"""Audio transcription: the worker listens to a recording and types what is said.

Answers: ``{"text": "..."}`` (NFC, trimmed; empty when nobody speaks). Overlapping answers
are fused word by word (``transcripts.fuse``: ROVER over tokens, weighted by skill); the
agreement is 1 − the weighted mean word error rate of the answers against the result. Gold
and skill: 1 − WER (CER for languages written without spaces) after the project's
normalisation. See docs/kinds/audio_transcription.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds._audio import AudioItems
from datadam.kinds.base import FusedKind, ItemAggregate
from datadam.kinds.config_fields import ConfigField

from . import transcripts
from .formats import EXPORTERS

MAX_TEXT = 20_000
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
STRICT = ("case", "punctuation")


def norm_of(config: dict[str, Any]) -> transcripts.Norm:
    """How this project compares transcripts (``config.language``, ``config.strict``)."""
    strict = config.get("strict") or []
    return transcripts.Norm.of(str(config.get("language") or ""),
                               [k for k in STRICT if k not in strict])


class AudioTranscription(AudioItems, FusedKind):
    slug = "audio_transcription"
    title = gettext_lazy("Audio transcription")
    description = gettext_lazy("Listen to a recording and type exactly what is said.")
    uses_labels = False
    exporters = EXPORTERS
    default_pass_score = 0.8
    search_words = ("transcribe", "transcription", "transcribing", "dictation", "speech",
                    "listening", "받아쓰기", "전사", "음성", "청취")
    config_fields = (
        ConfigField("language", gettext_lazy("Language of the speech"), "text", "ko",
                    gettext_lazy("A language code such as ko, en, ja or zh. Japanese, Chinese "
                                 "and Thai are scored by characters, the others by words.")),
        ConfigField("strict", gettext_lazy("Differences that count as errors"), "multi", [],
                    gettext_lazy("Left unticked, scoring ignores them."),
                    choices=(("case", gettext_lazy("Upper and lower case")),
                             ("punctuation", gettext_lazy("Punctuation")))),
        ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number", 0.8,
                    gettext_lazy("From 0 to 1: 1 − the word error rate against the known "
                                 "transcript.")),
    )

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        language = config.get("language", "ko")
        if not isinstance(language, str) or not LANGUAGE.match(language.strip()):
            raise InvalidInput(_("config.language must be a language code such as ko, en or "
                                 "ja"))
        strict = config.get("strict", [])
        if not isinstance(strict, list) or any(s not in STRICT for s in strict):
            raise InvalidInput(_("config.strict must be a list of: %(choices)s")
                               % {"choices": ", ".join(STRICT)})
        return {"language": language.strip(), "strict": [s for s in STRICT if s in strict],
                "pass_score": shapes.fraction(config, "pass_score", self.default_pass_score)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": ["text"], "additionalProperties": False,
                "properties": {"text": {"type": "string", "maxLength": MAX_TEXT,
                                        "description": "what is said; empty for no speech"}}}

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(answer, dict) or set(answer) != {"text"}:
            raise InvalidInput(_('answer must be {"text": "what is said"}'))
        text = answer["text"]
        if not isinstance(text, str) or "\x00" in text:
            raise InvalidInput(_("answer.text must be text"))
        if len(text) > MAX_TEXT:
            raise InvalidInput(_("the transcript is longer than %(most)s characters")
                               % {"most": MAX_TEXT})
        return {"text": unicodedata.normalize("NFC", text).strip()}

    def answer_from_form(self, form: Any, config: dict[str, Any]) -> Any:
        return {"text": form.get("text", "")}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        text, agreement = transcripts.fuse([str(a.get("text", "")) for a in answers], weights,
                                           norm_of(config))
        result = {"text": text}
        return ItemAggregate(result, agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """1 − WER (CER) of the answer against the reference, at least 0."""
        return transcripts.similarity(str(answer.get("text", "")),
                                      str(reference.get("text", "")), norm_of(config))

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", self.default_pass_score)) - 1e-9

    def correctness(self, config: dict[str, Any]) -> str:
        unit = norm_of(config).unit
        rate = round(1 - float(config.get("pass_score", self.default_pass_score)), 4)
        if unit == "char":
            return _("its character error rate against the known transcript is at most "
                     "%(rate)s") % {"rate": rate}
        return _("its word error rate against the known transcript is at most %(rate)s") % {
            "rate": rate}

    def summary(self, answer: dict[str, Any]) -> str:
        text = str(answer.get("text", ""))
        return text[:500] if text else _("(no speech)")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Every word of gold replaced by one made-up word (WER 1); a word when gold is
        silence."""
        if not isinstance(gold, dict) or not isinstance(gold.get("text"), str):
            return None
        norm = norm_of(config)
        keys = set(norm.keys(gold["text"]))
        filler = next(w for w in ("zzz", "qqq", "xxxx", "zzzz") if w not in keys)
        n = max(1, len(norm.tokens(gold["text"])))
        return {"text": norm.join([filler] * n) if norm.unit == "word" else filler * n}


register(AudioTranscription())
