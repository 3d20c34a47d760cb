"""Photo capture: the worker takes a photo with the camera for a prompt ("front face, no
glasses"); checked for resolution, blur and darkness, and against near-duplicates.
See docs/kinds/capture.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from datadam.collection.checks.image import DEFAULT_BLUR_MIN, DEFAULT_DARK_MIN
from datadam.kinds import register
from datadam.kinds._capture import CaptureKind, _number, facing_of
from datadam.kinds.config_fields import ConfigField

#: Defaults of the checks (``collection.checks.image``, measured there): sharpness is the
#: variance of the Laplacian on the photo scaled to 1024 px; darkness the mean luminance.
BLUR_MIN = DEFAULT_BLUR_MIN
DARK_MIN = DEFAULT_DARK_MIN


class PhotoCapture(CaptureKind):
    slug = "photo_capture"
    title = gettext_lazy("Photo capture")
    description = gettext_lazy("Take photos with the camera for a prompt: faces, objects, "
                               "places, documents.")
    media_kind = "image"
    checks = (("resolution", gettext_lazy("Resolution")), ("blur", gettext_lazy("Blur")),
              ("dark", gettext_lazy("Darkness")))
    default_blocking = ("resolution", "blur", "duplicate")
    search_words = ("photo", "photos", "photograph", "camera", "picture", "selfie", "face",
                    "사진", "촬영", "카메라", "얼굴")

    @property
    def config_fields(self) -> tuple[ConfigField, ...]:  # type: ignore[override]
        return (
            ConfigField("min_width", gettext_lazy("Smallest width (pixels)"), "number", 640,
                        gettext_lazy("Either way round: a portrait photo counts too.")),
            ConfigField("min_height", gettext_lazy("Smallest height (pixels)"), "number", 480),
            ConfigField("facing", gettext_lazy("Camera"), "text", "environment",
                        gettext_lazy('"user": the front (selfie) camera; "environment": the '
                                     'back camera.')),
            ConfigField("blur_min", gettext_lazy("Sharpness needed"), "number", BLUR_MIN,
                        gettext_lazy("The variance of the Laplacian; 0 turns the check off.")),
            ConfigField("dark_min", gettext_lazy("Brightness needed"), "number", DARK_MIN,
                        gettext_lazy("Mean brightness from 0 to 255; 0 turns the check off.")),
            *self.common_fields(),
        )

    def media_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        return {
            "min_width": _number(cfg, "min_width", 640, 1, 20_000, whole=True),
            "min_height": _number(cfg, "min_height", 480, 1, 20_000, whole=True),
            "blur_min": _number(cfg, "blur_min", BLUR_MIN, 0, 100_000),
            "dark_min": _number(cfg, "dark_min", DARK_MIN, 0, 255),
            "facing": facing_of(cfg),
        }


register(PhotoCapture())
