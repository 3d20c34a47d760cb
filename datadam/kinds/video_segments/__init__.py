"""Video segments: the worker marks when things happen in a video, as labelled time spans.

Answers: ``{"segments": [{"start": 2.0, "end": 5.4, "label": "goal"}]}`` (seconds, to the
millisecond, clipped to the item's ``duration``, in time order); an empty list says nothing
of the kind happens. Segments may overlap (two things at once). Overlapping answers are
fused segment by segment (``geometry.intervals``: Hungarian matching on temporal IoU,
weighted medians of the starts and ends, a segment kept when workers holding
``min_agreement`` of the weight marked it); gold is scored by the F1 of that matching.
See docs/kinds/video_segments.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.kinds import _video as video
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import ItemAggregate
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.geometry import intervals

EXAMPLE = '{"segments": [{"start": 1.5, "end": 4.0, "label": "..."}]}'
IOU = ConfigField(
    "iou", gettext_lazy("Overlap in time that makes two segments the same event (IoU)"),
    "number", 0.5,
    gettext_lazy("From 0.05 to 0.99: the shared time over the time either covers. Segments "
                 "of different workers, and an answer and gold, match when they overlap at "
                 "least this much."))


class VideoSegments(video.VideoKind):
    slug = "video_segments"
    title = gettext_lazy("Video segments")
    description = gettext_lazy("Mark when each event happens in a video: labelled segments "
                               "on its timeline.")
    search_words = ("video", "videos", "segment", "segments", "temporal", "action", "event",
                    "동영상", "비디오", "구간")
    config_fields = (IOU, video.MIN_AGREEMENT, video.pass_score(0.8, gettext_lazy(
        "From 0 to 1: the F1 of the worker's segments matched one to one with the known "
        "segments (same label, overlap in time at least the IoU above).")))

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        out = self.labels_config(config)
        return {**out,
                "iou": shapes.fraction(config, "iou", 0.5, low=0.05, high=0.99),
                "min_agreement": shapes.fraction(config, "min_agreement", 0.5),
                "pass_score": shapes.fraction(config, "pass_score", self.default_pass_score)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object", "required": ["segments"], "additionalProperties": False,
            "properties": {"segments": {"type": "array", "maxItems": video.MAX_SEGMENTS,
                                        "items": {
                "type": "object", "required": ["start", "end", "label"],
                "additionalProperties": False,
                "properties": {
                    "start": {"type": "number", "minimum": 0, "description": "seconds"},
                    "end": {"type": "number", "description": "seconds, after start"},
                    "label": {"enum": config.get("labels", [])},
                },
            }}},
        }

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        duration = video.duration_of(item)
        out = []
        for i, seg in enumerate(video.span_list(answer, "segments", EXAMPLE), 1):
            what = _("segment %(n)s") % {"n": i}
            start, end, label = video.span_fields(seg, what, EXAMPLE, config["labels"])
            a, b = video.inside(video.seconds(start, what), video.seconds(end, what), what,
                                duration)
            out.append({"start": a, "end": b, "label": label})
        out.sort(key=lambda s: (s["start"], s["end"], config["labels"].index(s["label"])))
        return {"segments": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        fused = intervals.fuse_intervals(
            [[(lb, (a, b)) for lb, a, b in video.spans_of(x, "segments")] for x in answers],
            weights, min_iou=config.get("iou", 0.5),
            min_agreement=config.get("min_agreement", 0.5))
        result = {"segments": [{"start": round(s.shape[0], 3), "end": round(s.shape[1], 3),
                                "label": s.label, "score": round(s.score, 4)}
                               for s in fused.shapes]}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """F1 of the Hungarian matching of same-label segments at temporal IoU ≥ ``iou``."""
        return intervals.score_against_gold(
            [(lb, (a, b)) for lb, a, b in video.spans_of(answer, "segments")],
            [(lb, (a, b)) for lb, a, b in video.spans_of(reference, "segments")],
            min_iou=config.get("iou", 0.5))

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its segments matched one to one with the known segments (same label, "
                 "overlap in time IoU ≥ %(iou)s) with an F1 of at least %(score)s") % {
            "iou": config.get("iou", 0.5), "score": config.get("pass_score", 0.8)}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [s["label"] for s in answer.get("segments", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        if not answer.get("segments"):
            return _("no segments")
        counts = Counter(self.labels_of(answer))
        return ", ".join(lb if n == 1 else f"{lb}×{n}" for lb, n in counts.items())[:500]

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's segments each given the next label of the set (so none matches); with a
        single label, no segment at all; a one-second segment when gold has none."""
        segments = gold.get("segments") if isinstance(gold, dict) else None
        labels = list(config.get("labels") or [])
        if not isinstance(segments, list) or not labels:
            return None
        if not segments:
            return {"segments": [{"start": 0.0, "end": 1.0, "label": labels[0]}]}
        if len(labels) < 2:
            return {"segments": []}
        nxt = {lb: labels[(i + 1) % len(labels)] for i, lb in enumerate(labels)}
        return {"segments": [{**s, "label": nxt.get(s["label"], labels[0])} for s in segments]}


register(VideoSegments())
