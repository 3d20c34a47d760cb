"""Span tagging (named entities): the worker marks labelled spans of an item's text.

Items: ``{"text": "..."}`` (at most 100,000 characters). Answers: ``{"spans": [{"start",
"end", "label"}]}`` with Unicode code-point offsets (Python ``str`` indices, ``end``
exclusive; ``checks`` explains the rules). Overlapping answers are combined by a weighted
vote of spans (``vote``); gold and skill by span F1, exact or within ``boundary_tolerance``.
Exports: CoNLL-2003 and spaCy JSONL (``formats``). See docs/kinds/span_tagging.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import FusedKind, ItemAggregate
from datadam.kinds.config_fields import ConfigField

from . import checks, vote
from .formats import EXPORTERS

SAMPLE_TEXT = gettext_noop("Kim Min-jun flew from Seoul to London with Korean Air on Monday.")


@dataclass(frozen=True)
class FlagField(ConfigField):
    """A yes/no setting, asked as one checkbox (a ``multi`` field with one choice)."""

    def parse(self, value: Any) -> bool:
        return bool(value)

    def format(self, value: Any) -> list[str]:
        return ["yes"] if (self.default if value is None else value) else []


@dataclass(frozen=True)
class ColorsField(ConfigField):
    """Label colours, one ``label: #rrggbb`` a line (``label - #rrggbb`` works too)."""

    def parse(self, value: Any) -> dict[str, str]:
        out = {}
        for line in str(value or "").splitlines():
            if not line.strip():
                continue
            label, _sep, color = line.strip().rpartition(" ")
            label = label.strip().rstrip(":-=").strip()
            if not label or not color.startswith("#"):
                raise InvalidInput(_("write one colour per line, like: PER: #e6194b"))
            out[label] = color
        return out

    def format(self, value: Any) -> str:
        return "\n".join(f"{k}: {v}" for k, v in (value or {}).items())


CONFIG_FIELDS = (
    ColorsField("colors", gettext_lazy("Label colours"), "lines", {},
                gettext_lazy("Optional: one label a line with its colour, like PER: #e6194b. "
                             "Labels left out get a colour of the palette.")),
    FlagField("nested", gettext_lazy("Nested spans"), "multi", False,
              choices=(("yes", gettext_lazy("Spans may lie inside other spans")),)),
    ConfigField("boundary_tolerance", gettext_lazy("Boundary tolerance (characters)"),
                "number", 0,
                gettext_lazy("From 0 to 20. Spans of different workers, and an answer and "
                             "gold, are the same when start and end each differ by at most "
                             "this many characters (0: exactly).")),
    ConfigField("min_agreement", gettext_lazy("Share of workers who must mark a span to "
                                              "keep it"), "number", 0.5,
                gettext_lazy("From 0 to 1, weighted by each worker's skill.")),
    ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number", 0.8,
                gettext_lazy("From 0 to 1: the span F1 against the known spans a worker "
                             "must reach.")),
)


class SpanTagging(FusedKind):
    slug = "span_tagging"
    title = gettext_lazy("Span tagging (named entities)")
    description = gettext_lazy("Mark the names, places and other spans of a text and label "
                               "each one.")
    answer_needs_item = True
    exporters = EXPORTERS
    search_words = ("ner", "entity", "entities", "span", "spans", "tagging", "annotation",
                    "개체명", "개체", "태깅")
    config_fields = CONFIG_FIELDS
    default_pass_score = 0.8

    def sample_item(self) -> dict[str, Any]:
        return {"text": _(SAMPLE_TEXT)}

    def example_item(self) -> dict[str, Any]:
        return {"text": SAMPLE_TEXT}

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return checks.config(config, self.default_pass_score)

    def validate_item(self, data: Any) -> dict[str, Any]:
        return checks.item(data)

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        offset = {"type": "integer", "minimum": 0}
        return {
            "type": "object", "required": ["spans"], "additionalProperties": False,
            "properties": {"spans": {"type": "array", "maxItems": checks.MAX_SPANS, "items": {
                "type": "object", "required": ["start", "end", "label"],
                "additionalProperties": False,
                "properties": {
                    "start": {**offset, "description": "first character (code point), from 0"},
                    "end": {**offset, "description": "one past the last character"},
                    "label": {"enum": config.get("labels", [])},
                },
            }}},
        }

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        return checks.answer(answer, config, item)

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        voted = vote.vote([a.get("spans", []) for a in answers], weights,
                          tolerance=int(config.get("boundary_tolerance", 0)),
                          min_agreement=float(config.get("min_agreement", 0.5)),
                          nested=bool(config.get("nested")))
        result = {"spans": [{"start": s.start, "end": s.end, "label": s.label,
                             "score": round(s.score, 4)} for s in voted.spans]}
        return ItemAggregate(result, voted.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """Span F1: spans matched one to one (same label, boundaries within tolerance)."""
        return vote.span_f1(answer.get("spans", []), reference.get("spans", []),
                            int(config.get("boundary_tolerance", 0)))

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        """Close enough to gold: span F1 at least the project's ``pass_score``."""
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", self.default_pass_score)) - 1e-9

    def correctness(self, config: dict[str, Any]) -> str:
        tol = int(config.get("boundary_tolerance", 0))
        score = config.get("pass_score", self.default_pass_score)
        if tol:
            return _("its spans matched the known spans one to one (same label, start and end "
                     "each within %(tol)s characters) with an F1 of at least %(score)s") % {
                "tol": tol, "score": score}
        return _("its spans matched the known spans one to one (same label, exactly the same "
                 "start and end) with an F1 of at least %(score)s") % {"score": score}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [s["label"] for s in answer.get("spans", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        spans = answer.get("spans", [])
        return shapes.counted_labels(self.labels_of(answer)) if spans else _("no spans")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's spans each given the next label of the set (F1 0); with one label, no
        spans at all. None when gold has no spans (a wrong span needs the text)."""
        spans = gold.get("spans") if isinstance(gold, dict) else None
        labels = list(config.get("labels") or [])
        if not isinstance(spans, list) or not spans or not labels:
            return None
        if len(labels) == 1:
            return {"spans": []}
        following = {lb: labels[(i + 1) % len(labels)] for i, lb in enumerate(labels)}
        return {"spans": [{"start": s["start"], "end": s["end"],
                           "label": following.get(s["label"], labels[0])} for s in spans]}


register(SpanTagging())
