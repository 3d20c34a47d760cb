"""Audio segments: the worker marks labelled stretches of a recording on its waveform
(speaker turns, sound events such as a baby's cry and its kind).

Answers: ``{"segments": [{"start": s, "end": s, "label": "..."}]}`` in seconds (3 decimals),
inside the recording (``0 ≤ start < end ≤ duration``; the item states its duration), sorted
by start; segments may overlap (two speakers at once). Overlapping answers are fused by
``geometry.intervals``: same-label segments matched on temporal IoU (Hungarian), their
bounds fused by weighted medians, a segment kept when workers holding ``min_agreement`` of
the weight marked it. Gold and skill: the F1 of the IoU matching. See
docs/kinds/audio_segments.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds._audio import AudioItems, duration_of
from datadam.kinds._audio.formats import KALDI_SEGMENTS
from datadam.kinds.base import FusedKind, ItemAggregate
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.geometry import intervals

MAX_SEGMENTS = 2000
EXAMPLE = '{"segments": [{"start": 1.2, "end": 3.4, "label": "..."}]}'


def seconds(value: Any, what: str) -> float:
    """A finite time in seconds, rounded to milliseconds."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(_("%(what)s must be a time in seconds (a number)") % {"what": what})
    return round(float(value), 3)


class AudioSegments(AudioItems, FusedKind):
    slug = "audio_segments"
    title = gettext_lazy("Audio segments")
    description = gettext_lazy("Mark the labelled parts of a recording on its waveform: who "
                               "speaks when, or when a sound happens and what it is.")
    answer_needs_item = True
    needs_duration = True
    exporters = (KALDI_SEGMENTS,)
    default_pass_score = 0.8
    search_words = ("audio", "sound", "speaker", "speakers", "diarization", "diarisation",
                    "listening", "segment", "segments", "화자", "소리", "구간", "청취")
    config_fields = (
        ConfigField("iou", gettext_lazy("Overlap that makes two segments the same (IoU)"),
                    "number", 0.5, gettext_lazy(
                        "From 0.05 to 0.99: the shared time over the time either covers. "
                        "Segments of different workers, and an answer and gold, match when "
                        "they overlap at least this much.")),
        ConfigField("min_agreement",
                    gettext_lazy("Share of workers who must mark a segment to keep it"),
                    "number", 0.5, gettext_lazy("From 0 to 1, weighted by each worker's "
                                                "skill.")),
        ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number", 0.8,
                    gettext_lazy("From 0 to 1: the F1 of the answer's segments matched to the "
                                 "known ones.")),
    )

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        labels = shapes.names(config.get("labels"), "labels")
        return {"labels": labels, "colors": shapes.colors(config, labels),
                "iou": shapes.fraction(config, "iou", 0.5, low=0.05, high=0.99),
                "min_agreement": shapes.fraction(config, "min_agreement", 0.5),
                "pass_score": shapes.fraction(config, "pass_score", self.default_pass_score)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": ["segments"], "additionalProperties": False,
                "properties": {"segments": {"type": "array", "maxItems": MAX_SEGMENTS, "items": {
                    "type": "object", "required": ["start", "end", "label"],
                    "additionalProperties": False,
                    "properties": {"start": {"type": "number", "minimum": 0},
                                   "end": {"type": "number", "minimum": 0},
                                   "label": {"enum": config.get("labels", [])}}}}}}

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(answer, dict) or set(answer) != {"segments"} or not isinstance(
                answer["segments"], list):
            raise InvalidInput(_("answer must be %(example)s") % {"example": EXAMPLE})
        if len(answer["segments"]) > MAX_SEGMENTS:
            raise InvalidInput(_("at most %(most)s segments in one answer")
                               % {"most": MAX_SEGMENTS})
        duration = duration_of(item)
        out = []
        for i, seg in enumerate(answer["segments"], 1):
            what = _("segment %(n)s") % {"n": i}
            if not isinstance(seg, dict) or set(seg) != {"start", "end", "label"}:
                raise InvalidInput(_("%(what)s must be %(example)s")
                                   % {"what": what, "example": '{"start", "end", "label"}'})
            label = shapes.label_of(seg, config["labels"], what)
            start, end = seconds(seg["start"], what), seconds(seg["end"], what)
            if duration is not None:  # a handle dragged past an end keeps the part inside
                start, end = max(start, 0.0), min(end, round(duration, 3))
            if start < 0 or end <= start:
                if duration is None:
                    raise InvalidInput(_("%(what)s must end after it starts")
                                       % {"what": what})
                raise InvalidInput(_("%(what)s must end after it starts, inside the recording "
                                     "(0 to %(duration)s s)")
                                   % {"what": what, "duration": round(duration, 3)})
            out.append({"start": start, "end": end, "label": label})
        out.sort(key=lambda s: (s["start"], s["end"], config["labels"].index(s["label"])))
        return {"segments": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        fused = intervals.fuse_intervals(
            [[(s["label"], (s["start"], s["end"])) for s in a.get("segments", [])]
             for a in answers], weights, min_iou=config.get("iou", 0.5),
            min_agreement=config.get("min_agreement", 0.5))
        result = {"segments": [{"start": round(s.shape[0], 3), "end": round(s.shape[1], 3),
                                "label": s.label, "score": round(s.score, 4)}
                               for s in fused.shapes]}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """F1 of the Hungarian matching of same-label segments at temporal IoU ≥ ``iou``."""
        return intervals.score_against_gold(
            [(s["label"], (s["start"], s["end"])) for s in answer.get("segments", [])],
            [(s["label"], (s["start"], s["end"])) for s in reference.get("segments", [])],
            min_iou=config.get("iou", 0.5))

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", self.default_pass_score)) - 1e-9

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its segments matched one to one with the known segments (same label, time "
                 "overlap IoU ≥ %(iou)s) with an F1 of at least %(score)s") % {
            "iou": config.get("iou", 0.5), "score": config.get("pass_score", 0.8)}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [s["label"] for s in answer.get("segments", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        segments = answer.get("segments", [])
        return shapes.counted_labels(self.labels_of(answer)) if segments else _("no segments")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's segments each given the next label of the set (no segment matches); with
        one label, each moved later by its own length. A segment at the start when gold has
        none."""
        segments = gold.get("segments") if isinstance(gold, dict) else None
        labels = list(config.get("labels") or [])
        if not isinstance(segments, list) or not labels:
            return None
        if not segments:
            return {"segments": [{"start": 0.0, "end": 0.5, "label": labels[0]}]}
        if len(labels) > 1:
            nxt = {lb: labels[(i + 1) % len(labels)] for i, lb in enumerate(labels)}
            return {"segments": [{**s, "label": nxt.get(s["label"], labels[0])}
                                 for s in segments]}
        return {"segments": [{"start": s["end"], "end": round(2 * s["end"] - s["start"], 3),
                              "label": s["label"]} for s in segments]}


register(AudioSegments())
