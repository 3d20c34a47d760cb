"""Video frames: the worker labels every moment of a video, frame by sampled frame.

The project samples the video at ``sample_fps`` frames a second (frame ``i`` is the instant
``i / sample_fps``), whatever the video's own frame rate; each sampled frame gets one label
of the set, or none. Answers keep the labels run-length, as consecutive ranges::

    {"ranges": [{"start": 0.0, "end": 2.5, "label": "walk"},
                {"start": 2.5, "end": 8.0, "label": "run"}]}

A range labels the frames whose instant lies in ``[start, end)``; ``start`` and ``end`` are
put on the sampling grid (``end`` may be the video's ``duration``), ranges do not overlap and
neighbours with the same label are joined. Frames no range covers are unlabelled.
Overlapping answers are combined by a weighted vote on each frame; gold is scored by the
share of frames labelled as gold labels them (accuracy). See docs/kinds/video_frames.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import _video as video
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import ItemAggregate
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.geometry import frames

EXAMPLE = '{"ranges": [{"start": 0, "end": 2.5, "label": "..."}]}'
MAX_SAMPLE_FPS = 30.0
#: The most sampled frames one video may have (10 hours at 5 frames a second).
MAX_FRAMES = 180_000
SAMPLE_FPS = ConfigField(
    "sample_fps", gettext_lazy("Frames labelled per second"), "number", 2,
    gettext_lazy("From 0.1 to 30: how often the video is sampled. Each sampled frame gets "
                 "a label; the keys step from one to the next."))


class VideoFrames(video.VideoKind):
    slug = "video_frames"
    title = gettext_lazy("Video frame labels")
    description = gettext_lazy("Give every moment of a video a label, frame by sampled "
                               "frame.")
    search_words = ("video", "videos", "frame", "frames", "scene", "activity", "동영상",
                    "비디오", "프레임", "장면")
    config_fields = (SAMPLE_FPS, video.pass_score(0.8, gettext_lazy(
        "From 0 to 1: the share of sampled frames the worker must label as the known "
        "answer does.")))

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        out = self.labels_config(config)
        return {**out,
                "sample_fps": shapes.fraction(config, "sample_fps", 2.0, low=0.1,
                                              high=MAX_SAMPLE_FPS),
                "pass_score": shapes.fraction(config, "pass_score", self.default_pass_score)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object", "required": ["ranges"], "additionalProperties": False,
            "properties": {"ranges": {"type": "array", "maxItems": video.MAX_SEGMENTS,
                                      "items": {
                "type": "object", "required": ["start", "end", "label"],
                "additionalProperties": False,
                "properties": {
                    "start": {"type": "number", "minimum": 0,
                              "description": "seconds, on the sampling grid"},
                    "end": {"type": "number",
                            "description": "seconds, on the grid or the video's duration"},
                    "label": {"enum": config.get("labels", [])},
                },
            }}},
        }

    @staticmethod
    def _on_grid(t: float, fps: float, duration: float | None) -> float:
        """An instant moved to the nearest sampled frame (or to the video's end)."""
        if duration is not None and t >= duration - 0.5 / fps:
            return duration
        return round(round(t * fps) / fps, 6)

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        fps = float(config.get("sample_fps", 2.0))
        duration = video.duration_of(item)
        if duration is not None and frames.frame_count(duration, fps) > MAX_FRAMES:
            raise InvalidInput(_("this video has more than %(most)s sampled frames: lower "
                                 "the project's frames per second") % {"most": MAX_FRAMES})
        spans = []
        for i, span in enumerate(video.span_list(answer, "ranges", EXAMPLE), 1):
            what = _("range %(n)s") % {"n": i}
            start, end, label = video.span_fields(span, what, EXAMPLE, config["labels"])
            a, b = video.inside(video.seconds(start, what, places=6),
                                video.seconds(end, what, places=6), what, duration)
            a, b = self._on_grid(a, fps, duration), self._on_grid(b, fps, duration)
            if frames.first_frame(b, fps) <= frames.first_frame(a, fps):
                raise InvalidInput(_("%(what)s holds no sampled frame (frames are %(step)s s "
                                     "apart)") % {"what": what, "step": round(1 / fps, 3)})
            spans.append((a, b, label, what))
        spans.sort(key=lambda s: (s[0], s[1]))
        out: list[dict[str, Any]] = []
        for (a, b, label, what), before in zip(spans, [None, *spans], strict=False):
            if before is not None and a < before[1]:
                raise InvalidInput(_("%(what)s overlaps %(other)s: each frame has one label")
                                   % {"what": what, "other": before[3]})
            if out and out[-1]["label"] == label and out[-1]["end"] == a:
                out[-1]["end"] = b  # neighbours with one label are one range
            else:
                out.append({"start": a, "end": b, "label": label})
        return {"ranges": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        voted = frames.vote([video.spans_of(a, "ranges") for a in answers], weights,
                            labels=config["labels"], fps=float(config.get("sample_fps", 2.0)))
        result = {"ranges": [{"start": round(r.start, 6), "end": round(r.end, 6),
                              "label": r.label, "score": round(r.score, 4)}
                             for r in voted.runs]}
        return ItemAggregate(result, voted.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """The share of sampled frames with the reference's label (unlabelled included)."""
        return frames.accuracy(video.spans_of(answer, "ranges"),
                               video.spans_of(reference, "ranges"),
                               fps=float(config.get("sample_fps", 2.0)))

    def correctness(self, config: dict[str, Any]) -> str:
        return _("at least %(score)s of its sampled frames (%(fps)s a second) have the known "
                 "label") % {"score": config.get("pass_score", 0.8),
                             "fps": config.get("sample_fps", 2)}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [r["label"] for r in answer.get("ranges", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        """Each label's share of the labelled time, largest first: ``run 60%, walk 40%``."""
        time: dict[str, float] = {}
        for r in answer.get("ranges", []):
            time[r["label"]] = time.get(r["label"], 0.0) + r["end"] - r["start"]
        total = sum(time.values())
        if total <= 0:
            return _("no labels")
        return ", ".join(f"{lb} {round(100 * t / total)}%"
                         for lb, t in sorted(time.items(), key=lambda kv: -kv[1]))[:500]

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's ranges each given the next label of the set (every labelled frame wrong);
        with one label, the frames gold leaves unlabelled labelled and the others not."""
        ranges = gold.get("ranges") if isinstance(gold, dict) else None
        labels = list(config.get("labels") or [])
        if not isinstance(ranges, list) or not labels:
            return None
        if len(labels) > 1 and ranges:
            nxt = {lb: labels[(i + 1) % len(labels)] for i, lb in enumerate(labels)}
            return {"ranges": [{**r, "label": nxt.get(r["label"], labels[0])} for r in ranges]}
        gaps, at = [], 0.0
        for r in sorted(ranges, key=lambda r: r["start"]):
            if r["start"] > at:
                gaps.append({"start": at, "end": r["start"], "label": labels[0]})
            at = max(at, r["end"])
        if not ranges:
            gaps = [{"start": 0.0, "end": 1.0, "label": labels[0]}]
        return {"ranges": gaps}


register(VideoFrames())
