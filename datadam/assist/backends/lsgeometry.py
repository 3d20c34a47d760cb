"""Reading Label Studio region values: numbers, labels, image sizes and percent geometry.

Label Studio gives image regions in percent of the image (``x``, ``y``, ``width``,
``height``, points ``[[x, y], ...]``) with the image's pixel size alongside
(``original_width``, ``original_height``); a rectangle may be rotated by ``rotation``
degrees clockwise about its top-left corner. Our answers are pixels of the original image.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import ConversionError

Size = tuple[float, float]


def number(value: Any, what: str) -> float:
    """A finite number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConversionError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def value_of(region: dict[str, Any]) -> dict[str, Any]:
    value = region.get("value")
    if not isinstance(value, dict):
        raise ConversionError(f"a {region.get('type')} region has no value object")
    return value


def first_label(value: dict[str, Any], key: str, allowed: list[str], what: str) -> str:
    """The region's label (its first, when the backend gave several), one of ``allowed``."""
    labels = value.get(key)
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
        raise ConversionError(f"{what} has no label in value.{key}")
    if labels[0] not in allowed:
        raise ConversionError(f"{what}: unknown label {labels[0]!r}; allowed: "
                              f"{', '.join(allowed)}")
    return labels[0]


def item_size(item: dict[str, Any] | None) -> Size | None:
    """(width, height) in pixels when the item states them."""
    if not isinstance(item, dict):
        return None
    w, h = item.get("width"), item.get("height")
    if all(not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)
           and v > 0 for v in (w, h)):
        return float(w), float(h)
    return None


def region_size(item: dict[str, Any] | None, region: dict[str, Any]) -> Size:
    """The image size a region's percentages refer to: the item's, else the region's own
    ``original_width``/``original_height``."""
    size = item_size(item) or item_size({"width": region.get("original_width"),
                                         "height": region.get("original_height")})
    if size is None:
        raise ConversionError("the image size is unknown: the item has no width and height "
                              "and the region no original_width and original_height")
    return size


def _pct(value: dict[str, Any], key: str) -> float:
    return number(value.get(key), f"value.{key}")


def rect_corners(value: dict[str, Any], size: Size) -> tuple[list[list[float]], bool]:
    """The four corners (pixels) of a percent rectangle, and whether it is rotated."""
    w_img, h_img = size
    x, y = _pct(value, "x") * w_img / 100, _pct(value, "y") * h_img / 100
    w, h = _pct(value, "width") * w_img / 100, _pct(value, "height") * h_img / 100
    if w <= 0 or h <= 0:
        raise ConversionError("a rectangle needs a positive width and height")
    rotation = number(value.get("rotation", 0) or 0, "value.rotation") % 360
    if rotation == 0:
        return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], False
    c, s = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
    return [[x, y], [x + w * c, y + w * s], [x + w * c - h * s, y + w * s + h * c],
            [x - h * s, y + h * c]], True


def points_px(value: dict[str, Any], size: Size, what: str) -> list[list[float]]:
    """Percent points ``[[x, y], ...]`` as pixels."""
    points = value.get("points")
    if not isinstance(points, list) or not points:
        raise ConversionError(f"{what} has no points")
    out = []
    for p in points:
        if not isinstance(p, list | tuple) or len(p) != 2:
            raise ConversionError(f"{what}: every point must be [x, y] in percent")
        out.append([number(p[0], "a point's x") * size[0] / 100,
                    number(p[1], "a point's y") * size[1] / 100])
    return out


def bounds(points: list[list[float]]) -> list[float]:
    """The axis-aligned box ``[x, y, w, h]`` around points, rounded to 2 decimals."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs) - min(xs), 2),
            round(max(ys) - min(ys), 2)]


def rounded(points: list[list[float]]) -> list[list[float]]:
    return [[round(x, 2), round(y, 2)] for x, y in points]


def need_size(item: dict[str, Any] | None) -> Size:
    """The item's image size, which Label Studio's percentages need."""
    size = item_size(item)
    if size is None:
        raise ConversionError("the item needs the image's width and height to give Label "
                              "Studio its regions in percent")
    return size


def percent_box(box: list[float], size: Size) -> dict[str, float]:
    x, y, w, h = box
    return {"x": x * 100 / size[0], "y": y * 100 / size[1], "width": w * 100 / size[0],
            "height": h * 100 / size[1], "rotation": 0}


def percent_points(points: list[list[float]], size: Size) -> list[list[float]]:
    return [[x * 100 / size[0], y * 100 / size[1]] for x, y in points]


def image_region(size: Size, **fields: Any) -> dict[str, Any]:
    """A Label Studio image region with the image's size alongside."""
    return {**fields, "original_width": round(size[0]), "original_height": round(size[1]),
            "image_rotation": 0}
