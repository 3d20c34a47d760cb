"""Video clip recording: the worker records a short clip with the camera for a prompt ("wave
at the camera"); checked for length, resolution and darkness, and against near-duplicates
(by a perceptual hash of its middle frame). See docs/kinds/capture.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.kinds import register
from datadam.kinds._capture import CaptureKind, _number, facing_of, seconds_range
from datadam.kinds.config_fields import ConfigField

MAX_SECONDS = 300.0


class VideoRecording(CaptureKind):
    slug = "video_recording"
    title = gettext_lazy("Video clip recording")
    description = gettext_lazy("Record short video clips with the camera: gestures, actions, "
                               "scenes.")
    media_kind = "video"
    checks = (("duration", gettext_lazy("Length")), ("resolution", gettext_lazy("Resolution")),
              ("dark", gettext_lazy("Darkness")))
    default_blocking = ("duration", "resolution", "duplicate")
    search_words = ("video", "clip", "film", "filming", "gesture", "동영상", "영상", "촬영")

    @property
    def config_fields(self) -> tuple[ConfigField, ...]:  # type: ignore[override]
        return (
            ConfigField("min_seconds", gettext_lazy("Shortest clip (seconds)"), "number", 2),
            ConfigField("max_seconds", gettext_lazy("Longest clip (seconds)"), "number", 15,
                        gettext_lazy("Recording stops by itself here; at most 300.")),
            ConfigField("min_width", gettext_lazy("Smallest width (pixels)"), "number", 320),
            ConfigField("min_height", gettext_lazy("Smallest height (pixels)"), "number", 240),
            ConfigField("facing", gettext_lazy("Camera"), "text", "environment",
                        gettext_lazy('"user": the front (selfie) camera; "environment": the '
                                     'back camera.')),
            *self.common_fields(),
        )

    def sample_item(self) -> dict[str, Any]:
        return {"prompt": _("Wave at the camera with your right hand.")}

    def example_item(self) -> dict[str, Any]:
        return {"prompt": "Wave at the camera with your right hand."}

    def media_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        return {
            **seconds_range(cfg, 2, 15, MAX_SECONDS),
            "min_width": _number(cfg, "min_width", 320, 1, 10_000, whole=True),
            "min_height": _number(cfg, "min_height", 240, 1, 10_000, whole=True),
            "dark_min": _number(cfg, "dark_min", 40, 0, 255),
            "facing": facing_of(cfg),
        }


register(VideoRecording())
