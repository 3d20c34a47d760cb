"""What the image annotation kinds share: items, label sets, tolerances, reading answers.

The box, polygon, keypoint and OCR kinds each have a folder of their own; this module holds
the checks they have in common, so each kind's folder states only what is its own. Answers
are posted by the canvas widget as one JSON form field, ``answer``. Coordinates are pixels
of the original image (origin top-left), rounded to 2 decimals.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput

from .base import FusedKind, ItemError
from .config_fields import ConfigField
from .samples import EXAMPLE_IMAGE, SAMPLE_IMAGE, SAMPLE_SIZE

MAX_LABELS = 200
MAX_SHAPES = 1000
MAX_POINTS = 2000  # vertices of one polygon
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: Label colours when the client picks none (distinct on light and dark images).
PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3")


def fraction(config: dict[str, Any], key: str, default: float, *, low: float = 0.0,
             high: float = 1.0) -> float:
    """A number in [low, high] from the config (the default when absent)."""
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
        math.isfinite(value) and low <= value <= high
    ):
        raise InvalidInput(
            _("config.%(key)s must be a number from %(low)s to %(high)s")
            % {"key": key, "low": low, "high": high}
        )
    return float(value)


def names(value: Any, what: str, *, limit: int = MAX_LABELS, required: bool = True) -> list[str]:
    """A list of distinct, non-empty names (labels, point names)."""
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise InvalidInput(_("config.%(what)s must be a non-empty list of names") % {"what": what})
    clean = []
    for name in value:
        if not isinstance(name, str) or not name.strip() or "\x00" in name:
            raise InvalidInput(_("every name in config.%(what)s must be a non-empty string")
                               % {"what": what})
        clean.append(name.strip())
    if len(set(clean)) != len(clean):
        raise InvalidInput(_("the names in config.%(what)s must be unique") % {"what": what})
    if len(clean) > limit:
        raise InvalidInput(_("at most %(limit)s names in config.%(what)s")
                           % {"limit": limit, "what": what})
    return clean


def colors(config: dict[str, Any], labels: list[str]) -> dict[str, str]:
    """Each label's colour: the client's choice ("#rrggbb") or the palette's, in order."""
    given = config.get("colors") or {}
    if not isinstance(given, dict):
        raise InvalidInput(_('config.colors must map labels to colours like "#ff0000"'))
    out = {}
    for i, label in enumerate(labels):
        color = given.get(label, PALETTE[i % len(PALETTE)])
        if not isinstance(color, str) or not COLOR.match(color):
            raise InvalidInput(_('the colour of %(label)s must look like "#ff0000"')
                               % {"label": label})
        out[label] = color.lower()
    unknown = set(given) - set(labels)
    if unknown:
        raise InvalidInput(_("config.colors names unknown labels: %(labels)s")
                           % {"labels": ", ".join(sorted(unknown))})
    return out


def tools(config: dict[str, Any], allowed: Sequence[str], default: Sequence[str]) -> list[str]:
    value = config.get("tools", list(default))
    if not isinstance(value, list) or not value or any(t not in allowed for t in value):
        raise InvalidInput(_("config.tools must be a non-empty list of: %(tools)s")
                           % {"tools": ", ".join(allowed)})
    return [t for t in allowed if t in value]


def number(value: Any, what: str) -> float:
    """A finite coordinate, rounded to 2 decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(_("%(what)s must be a finite number") % {"what": what})
    return round(float(value), 2)


def xywh(value: Any, what: str, size: tuple[float, float] | None) -> list[float]:
    """A box ``[x, y, w, h]`` with a positive size, clipped to the image when its size is
    known (a box dragged past the edge keeps the part on the image)."""
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise InvalidInput(_("%(what)s must be [x, y, width, height]") % {"what": what})
    x, y, w, h = (number(v, what) for v in value)
    if size is not None:
        x0, y0 = max(x, 0.0), max(y, 0.0)
        x1, y1 = min(x + w, size[0]), min(y + h, size[1])
        x, y, w, h = x0, y0, round(x1 - x0, 2), round(y1 - y0, 2)
    if w <= 0 or h <= 0:
        raise InvalidInput(_("%(what)s needs a positive width and height inside the image")
                           % {"what": what})
    return [x, y, w, h]


def points(value: Any, what: str, size: tuple[float, float] | None, *,
           least: int) -> list[list[float]]:
    """Vertices ``[[x, y], ...]``, at least ``least``, clamped to the image when known."""
    if not isinstance(value, list) or not least <= len(value) <= MAX_POINTS:
        raise InvalidInput(_("%(what)s needs from %(least)s to %(most)s points [x, y]")
                           % {"what": what, "least": least, "most": MAX_POINTS})
    out = []
    for p in value:
        if not isinstance(p, list | tuple) or len(p) != 2:
            raise InvalidInput(_("%(what)s: every point is [x, y]") % {"what": what})
        x, y = number(p[0], what), number(p[1], what)
        if size is not None:
            x, y = min(max(x, 0.0), size[0]), min(max(y, 0.0), size[1])
        out.append([x, y])
    return out


def image_size(item: dict[str, Any] | None) -> tuple[float, float] | None:
    """(width, height) of the item's image when the item states it."""
    if not isinstance(item, dict):
        return None
    w, h = item.get("width"), item.get("height")
    if isinstance(w, int | float) and isinstance(h, int | float) and w > 0 and h > 0:
        return float(w), float(h)
    return None


def shape_list(answer: Any, key: str, example: str) -> list[Any]:
    """The answer's list of shapes under ``key`` (``{"boxes": [...]}``), bounded."""
    if not isinstance(answer, dict) or set(answer) != {key} or not isinstance(answer[key], list):
        raise InvalidInput(_("answer must be %(example)s") % {"example": example})
    if len(answer[key]) > MAX_SHAPES:
        raise InvalidInput(_("at most %(most)s shapes in one answer") % {"most": MAX_SHAPES})
    return answer[key]


def label_of(shape: dict[str, Any], labels: list[str], what: str) -> str:
    label = shape.get("label")
    if label not in labels:
        raise InvalidInput(_("%(what)s: unknown label %(label)s; allowed: %(labels)s")
                           % {"what": what, "label": repr(label), "labels": ", ".join(labels)})
    return label


def counted_labels(labels: Iterable[str]) -> str:
    """``car×2, person`` — how a list of results shows an item's shapes."""
    counts = Counter(labels)
    return ", ".join(lb if n == 1 else f"{lb}×{n}" for lb, n in counts.items())[:500]


IOU = ConfigField(
    "iou", gettext_lazy("Overlap that makes two shapes the same object (IoU)"), "number", 0.5,
    gettext_lazy("From 0.05 to 0.99. Shapes of different workers, and an answer and gold, "
                 "match when they overlap at least this much."))
MIN_AGREEMENT = ConfigField(
    "min_agreement", gettext_lazy("Share of workers who must draw a shape to keep it"),
    "number", 0.5, gettext_lazy("From 0 to 1, weighted by each worker's skill."))


def pass_score(default: float) -> ConfigField:
    return ConfigField(
        "pass_score", gettext_lazy("Score a gold answer needs"), "number", default,
        gettext_lazy("From 0 to 1: how close to the known answer a worker must come "
                     "(matching F1, keypoint similarity or text similarity)."))


class ImageShapeKind(FusedKind):
    """An image kind whose answers are shapes; aggregated item by item."""

    answer_needs_item = True
    media_field = "image"
    config_fields: tuple[ConfigField, ...] = (IOU, MIN_AGREEMENT, pass_score(0.8))

    def sample_item(self) -> dict[str, Any]:
        return {"image": SAMPLE_IMAGE, "width": SAMPLE_SIZE[0], "height": SAMPLE_SIZE[1]}

    def example_item(self) -> dict[str, Any]:
        return {"image": EXAMPLE_IMAGE, "width": 4000, "height": 3000}

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        image = data.get("image")
        if not isinstance(image, str) or not image.strip():
            raise ItemError(_('item needs an "image" field: a URL or a media path'))
        w, h = data.get("width"), data.get("height")
        if (w is None) != (h is None):
            raise ItemError(_('give both "width" and "height" of the image, or neither'))
        if w is not None and not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 100_000 for v in (w, h)
        ):
            raise ItemError(_('"width" and "height" must be whole numbers of pixels'))
        return data

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        """Close enough to gold: ``score_answer`` at least the project's ``pass_score``."""
        config = config or {}
        return self.score_answer(answer, gold, config) >= float(
            config.get("pass_score", self.default_pass_score)) - 1e-9

    default_pass_score = 0.8

    def common_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """The tolerances every shape kind has."""
        return {
            "iou": fraction(config, "iou", 0.5, low=0.05, high=0.99),
            "min_agreement": fraction(config, "min_agreement", 0.5),
            "pass_score": fraction(config, "pass_score", self.default_pass_score),
        }
