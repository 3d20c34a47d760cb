"""What the video kinds share: the item format, label sets, times, reading the widget's answer.

``video_segments`` and ``video_frames`` each have a folder of their own; this package (a
private folder: ``kinds._load`` skips it) holds their common checks, the player markup
(``_video/player.html``), the review card (``_video/review_base.html``) and the scripts
under ``static/kinds/video/``. Items reference a video by URL (or media path)::

    {"video": "https://…/clip.webm", "duration": 12.5, "width": 1280, "height": 720,
     "fps": 25, "web": "…/clip.web.webm", "poster": "…/clip.jpg"}

``duration`` (seconds) is required: answers are checked against it. ``width``/``height``
(both or neither) and ``fps`` are optional; ``web`` (a rendition the browser plays) and
``poster`` (a still) are used when present. Times are seconds from the start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds.base import FusedKind, ItemAggregate, ItemError
from datadam.kinds.config_fields import ConfigField

#: 24 hours: longer "videos" are a mistake in the import file.
MAX_DURATION = 86_400.0
MAX_FPS = 1000.0
MAX_SEGMENTS = 1000
SAMPLE = {"duration": 4.0, "width": 320, "height": 180, "fps": 10}
EXAMPLE = {"video": "https://example.com/videos/0001.webm", "duration": 12.5, "width": 1280,
           "height": 720, "fps": 25}

MIN_AGREEMENT = ConfigField(
    "min_agreement", gettext_lazy("Share of workers who must mark a segment to keep it"),
    "number", 0.5, gettext_lazy("From 0 to 1, weighted by each worker's skill."))


def pass_score(default: float, help_text: Any) -> ConfigField:
    return ConfigField("pass_score", gettext_lazy("Score a gold answer needs"), "number",
                       default, help_text)


def _positive(value: Any, limit: float) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and math.isfinite(value) and 0 < value <= limit)


def duration_of(item: dict[str, Any] | None) -> float | None:
    """The item's duration in seconds, when it states a usable one."""
    if isinstance(item, dict) and _positive(item.get("duration"), MAX_DURATION):
        return float(item["duration"])
    return None


def seconds(value: Any, what: str, *, places: int = 3) -> float:
    """A finite time in seconds, rounded to ``places`` decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(_("%(what)s must be a time in seconds (a number)") % {"what": what})
    return round(float(value), places)


def span_list(answer: Any, key: str, example: str) -> list[Any]:
    """The answer's list of spans under ``key`` (``{"segments": [...]}``), bounded."""
    if not isinstance(answer, dict) or set(answer) != {key} or not isinstance(answer[key], list):
        raise InvalidInput(_("answer must be %(example)s") % {"example": example})
    if len(answer[key]) > MAX_SEGMENTS:
        raise InvalidInput(_("at most %(most)s segments in one answer") % {"most": MAX_SEGMENTS})
    return answer[key]


def span_fields(span: Any, what: str, example: str, labels: list[str]) -> tuple[Any, Any, str]:
    """(start, end, label) of one posted span, before its times are checked."""
    if not isinstance(span, dict) or set(span) - {"start", "end", "label"}:
        raise InvalidInput(_("%(what)s must be %(example)s") % {"what": what, "example": example})
    return span.get("start"), span.get("end"), shapes.label_of(span, labels, what)


def inside(start: float, end: float, what: str, duration: float | None) -> tuple[float, float]:
    """A span clipped to the video (a handle dragged past an end keeps the part inside);
    it must still end after it starts."""
    if duration is not None:
        start, end = max(start, 0.0), min(end, duration)
    if start < 0 or end <= start:
        if duration is None:
            raise InvalidInput(_("%(what)s must end after it starts") % {"what": what})
        raise InvalidInput(_("%(what)s must end after it starts, inside the video (0 to "
                             "%(duration)s s)") % {"what": what, "duration": duration})
    return start, end


class VideoKind(FusedKind):
    """A kind whose items are videos and whose answers are labelled time spans."""

    answer_needs_item = True
    #: Items are made from uploaded videos too (``datadam.media``: the item's ``video`` key).
    media_field = "video"
    default_pass_score = 0.8

    def sample_item(self) -> dict[str, Any]:
        return {"video": static("kinds/video/sample.webm"), **SAMPLE}

    def example_item(self) -> dict[str, Any]:
        return dict(EXAMPLE)

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        video = data.get("video")
        if not isinstance(video, str) or not video.strip():
            raise ItemError(_('item needs a "video" field: a URL or a media path'))
        if not _positive(data.get("duration"), MAX_DURATION):
            raise ItemError(_('item needs "duration": the video\'s length in seconds '
                              "(a positive number)"))
        w, h = data.get("width"), data.get("height")
        if (w is None) != (h is None):
            raise ItemError(_('give both "width" and "height" of the video, or neither'))
        if w is not None and not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 100_000 for v in (w, h)
        ):
            raise ItemError(_('"width" and "height" must be whole numbers of pixels'))
        if data.get("fps") is not None and not _positive(data.get("fps"), MAX_FPS):
            raise ItemError(_('"fps" must be a positive number of frames a second'))
        for key in ("web", "poster"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ItemError(_('"%(key)s" must be a URL or a media path') % {"key": key})
        return data

    def labels_config(self, config: Any) -> dict[str, Any]:
        """Labels with their colours (the image kinds' palette), checked."""
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        labels = shapes.names(config.get("labels"), "labels")
        return {"labels": labels, "colors": shapes.colors(config, labels)}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        raise NotImplementedError

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        """Close enough to gold: ``score_answer`` at least the project's ``pass_score``."""
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", self.default_pass_score)) - 1e-9


def spans_of(answer: dict[str, Any], key: str) -> list[tuple[str, float, float]]:
    """An answer's spans as ``(label, start, end)``."""
    return [(s["label"], float(s["start"]), float(s["end"])) for s in answer.get(key, [])]
