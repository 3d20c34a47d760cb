"""Label Studio results ↔ our answers, kind by kind.

``from_ls`` turns the regions of a backend's prediction (``result``) into one of our
answers; ``to_ls`` turns one of our answers into regions, for the training webhooks. Names
(``from_name``, ``to_name``) are those of ``lsconfig.label_config``; regions are read by
their ``type``, so a backend naming its controls differently still converts.

- classification: ``choices`` ↔ ``{"label": ...}`` (``{"labels": [...]}`` multi-label).
- bounding_box: ``rectanglelabels`` (percent; rotated ones become their enclosing box).
- polygon: ``polygonlabels`` (percent points; ``closed: false`` is a polyline).
- keypoints: ``keypointlabels`` (the label names the point); a per-region ``visibility``
  choice ``hidden`` marks an occluded point (v = 1), otherwise v = 2.
- span_tagging: ``labels`` with ``start``/``end`` code points (UTF-16 offsets are mapped
  when the region's ``text`` shows that the backend counted that way).
- ocr: regions grouped by ``id``: a ``rectangle``/``polygon`` (or the geometry of the
  ``textarea`` itself) and a ``textarea`` whose ``text`` list is joined by newlines, trimmed
  and NFC-normalised. Regions without text are left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from . import lsgeometry as geo
from .errors import ConversionError
from .lsconfig import (
    BBOX,
    HIDDEN,
    IMAGE,
    LABEL,
    OCR_LABEL,
    POLY,
    SUPPORTED_KINDS,
    TEXT,
    TRANSCRIPTION,
    VISIBILITY,
)

Answer = dict[str, Any]
Regions = list[dict[str, Any]]
#: ``validate(answer, item_data)``: the kind's check; returns the cleaned answer, raises
#: (any exception, its message kept) to refuse it.
Validator = Callable[[Answer, dict[str, Any]], Answer]


def _of_type(regions: Regions, *types: str) -> Regions:
    return [r for r in regions if r.get("type") in types]


# --- from Label Studio ----------------------------------------------------------------------
def _choices(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    found = _of_type(regions, "choices")
    if not found:
        raise ConversionError("the prediction has no choices region")
    picked: list[str] = []
    for region in found:
        choices = geo.value_of(region).get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise ConversionError("value.choices must be a list of label names")
        picked += [c for c in choices if c not in picked]
    unknown = [c for c in picked if c not in config["labels"]]
    if unknown:
        raise ConversionError(f"unknown labels: {', '.join(map(repr, unknown))}; allowed: "
                              f"{', '.join(config['labels'])}")
    if config.get("multi_label"):
        return {"labels": picked}
    if len(picked) != 1:
        raise ConversionError(f"this project takes one label; the backend chose {len(picked)}")
    return {"label": picked[0]}


def _boxes(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    out = []
    for n, region in enumerate(_of_type(regions, "rectanglelabels"), 1):
        value = geo.value_of(region)
        label = geo.first_label(value, "rectanglelabels", config["labels"], f"box {n}")
        corners, _rotated = geo.rect_corners(value, geo.region_size(item, region))
        out.append({"label": label, "box": geo.bounds(corners)})
    return {"boxes": out}


def _polygons(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    tools = config.get("tools") or ["polygon"]
    out = []
    for n, region in enumerate(_of_type(regions, "polygonlabels"), 1):
        value = geo.value_of(region)
        label = geo.first_label(value, "polygonlabels", config["labels"], f"shape {n}")
        points = geo.points_px(value, geo.region_size(item, region), f"shape {n}")
        line = value.get("closed") is False and "polyline" in tools
        out.append({"label": label, "type": "polyline" if line else "polygon",
                    "points": geo.rounded(points)})
    return {"shapes": out}


def _keypoints(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    hidden = {r.get("id") for r in _of_type(regions, "choices")
              if r.get("from_name") == VISIBILITY and r.get("id") is not None
              and HIDDEN in (geo.value_of(r).get("choices") or [])}
    marks: dict[str, list[float | int]] = {}
    for n, region in enumerate(_of_type(regions, "keypointlabels"), 1):
        value = geo.value_of(region)
        name = geo.first_label(value, "keypointlabels", config["points"], f"point {n}")
        if name in marks:
            continue  # the first placement of a point wins
        w, h = geo.region_size(item, region)
        x = geo.number(value.get("x"), "value.x") * w / 100
        y = geo.number(value.get("y"), "value.y") * h / 100
        marks[name] = [round(x, 2), round(y, 2), 1 if region.get("id") in hidden else 2]
    return {"keypoints": {p: marks[p] for p in config["points"] if p in marks}}


def _utf16_to_points(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Code-point offsets of UTF-16 offsets into ``text`` (None when they split a pair)."""
    found: dict[int, int] = {}
    units = 0
    for i, ch in enumerate(text):
        found[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    found[units] = len(text)
    if start in found and end in found:
        return found[start], found[end]
    return None


def _spans(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    text = item.get("text")
    if not isinstance(text, str):
        raise ConversionError("the item has no text to place spans in")
    out = []
    for n, region in enumerate(_of_type(regions, "labels"), 1):
        value = geo.value_of(region)
        label = geo.first_label(value, "labels", config["labels"], f"span {n}")
        start, end = value.get("start"), value.get("end")
        if any(isinstance(v, bool) or not isinstance(v, int) for v in (start, end)):
            raise ConversionError(f"span {n}: start and end must be whole character offsets")
        quoted = value.get("text")
        if isinstance(quoted, str) and text[start:end] != quoted:
            mapped = _utf16_to_points(text, start, end)
            if mapped is None or text[mapped[0]:mapped[1]] != quoted:
                raise ConversionError(f"span {n} ({start}–{end}) does not hold its text "
                                      f"{quoted!r}")
            start, end = mapped
        if not 0 <= start < end <= len(text):
            raise ConversionError(f"span {n} ({start}–{end}) lies outside the text "
                                  f"({len(text)} characters)")
        out.append({"start": start, "end": end, "label": label})
    return {"spans": out}


def _ocr_text(value: dict[str, Any]) -> str:
    raw = value.get("text")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise ConversionError("a textarea region's value.text must be a list of strings")
    return unicodedata.normalize("NFC", "\n".join(raw).strip())


def _ocr_shape(value: dict[str, Any], size: geo.Size, polygons: bool, what: str) -> Answer:
    """The region's box, with its outline when it has one and the project takes outlines."""
    if "points" in value:
        points = geo.points_px(value, size, what)
        if len(points) < 3:
            raise ConversionError(f"{what}: an outline needs 3 points")
    else:
        points, rotated = geo.rect_corners(value, size)
        if not rotated:
            return {"box": geo.bounds(points)}
    if polygons:
        return {"box": geo.bounds(points), "points": geo.rounded(points)}
    return {"box": geo.bounds(points)}


def _ocr(config: dict[str, Any], item: dict[str, Any], regions: Regions) -> Answer:
    polygons = "polygon" in (config.get("tools") or [])
    shapes: dict[Any, dict[str, Any]] = {}  # region id → its geometry region (first seen)
    texts: dict[Any, tuple[str, dict[str, Any]]] = {}  # region id → text, textarea region
    order: list[Any] = []
    for i, region in enumerate(regions):
        key = region.get("id")
        key = ("#", i) if not isinstance(key, str | int) or isinstance(key, bool) else key
        kind = region.get("type")
        if kind in ("rectangle", "rectanglelabels", "polygon", "polygonlabels"):
            shapes.setdefault(key, region)
        elif kind == "textarea":
            texts.setdefault(key, (_ocr_text(geo.value_of(region)), region))
        else:
            continue
        if key not in order:
            order.append(key)
    out = []
    for n, key in enumerate(order, 1):
        text, textarea = texts.get(key, ("", None))
        if not text:
            continue
        region = shapes.get(key) or textarea
        value = geo.value_of(region)
        if "points" not in value and "x" not in value:
            raise ConversionError(f"region {n} has a text but no box or outline")
        shape = _ocr_shape(value, geo.region_size(item, region), polygons, f"region {n}")
        out.append({**shape, "text": text})
    if order and not out:
        raise ConversionError("no region of the prediction has a transcription")
    return {"regions": out}


_FROM: dict[str, Callable[[dict[str, Any], dict[str, Any], Regions], Answer]] = {
    "text_classification": _choices, "image_classification": _choices,
    "bounding_box": _boxes, "polygon": _polygons, "keypoints": _keypoints,
    "span_tagging": _spans, "ocr": _ocr,
}


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "message", "") or exc or type(exc).__name__)


def answer_from_ls(kind: str, config: dict[str, Any], item_data: dict[str, Any] | None,
                   result: Any, *, validate: Validator | None = None) -> Answer:
    """Our answer from the regions of one Label Studio prediction; ``ConversionError``
    with the reason when they make none (or ``validate`` refuses it)."""
    read = _FROM.get(kind)
    if read is None:
        raise ConversionError(f"a Label Studio ML backend cannot serve the kind {kind!r}; "
                              f"supported: {', '.join(SUPPORTED_KINDS)}")
    if not isinstance(result, list) or not all(isinstance(r, dict) for r in result):
        raise ConversionError("the prediction's result must be a list of region objects")
    item = item_data if isinstance(item_data, dict) else {}
    try:
        answer = read(config, item, result)
    except ConversionError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ConversionError(f"malformed region: {_reason(exc)}") from None
    if validate is None:
        return answer
    try:
        return validate(answer, item)
    except Exception as exc:  # noqa: BLE001 - the validator's refusal, whatever its type
        raise ConversionError(f"the answer does not fit the project: {_reason(exc)}"
                              ) from None


def from_ls(kind: str, config: dict[str, Any], item_data: dict[str, Any] | None,
            result: Any, *, validate: Validator | None = None) -> Answer | None:
    """Our answer from one Label Studio prediction's regions, or None when they make none."""
    try:
        return answer_from_ls(kind, config, item_data, result, validate=validate)
    except ConversionError:
        return None


# --- to Label Studio ------------------------------------------------------------------------
def _region(n: int, from_name: str, to_name: str, kind: str, value: dict[str, Any],
            size: geo.Size | None = None) -> dict[str, Any]:
    fields = {"id": f"dd{n}", "from_name": from_name, "to_name": to_name, "type": kind,
              "value": value}
    return geo.image_region(size, **fields) if size else fields


def _to_choices(config: dict[str, Any], item: dict[str, Any], answer: Answer,
                obj: str) -> Regions:
    labels = list(answer["labels"]) if "labels" in answer else [answer["label"]]
    return [_region(1, LABEL, obj, "choices", {"choices": labels})]


def _to_boxes(config: dict[str, Any], item: dict[str, Any], answer: Answer) -> Regions:
    size = geo.need_size(item)
    return [_region(n, LABEL, IMAGE, "rectanglelabels",
                    {**geo.percent_box(b["box"], size), "rectanglelabels": [b["label"]]}, size)
            for n, b in enumerate(answer["boxes"], 1)]


def _to_polygons(config: dict[str, Any], item: dict[str, Any], answer: Answer) -> Regions:
    size = geo.need_size(item)
    return [_region(n, LABEL, IMAGE, "polygonlabels",
                    {"points": geo.percent_points(s["points"], size),
                     "polygonlabels": [s["label"]],
                     "closed": s.get("type", "polygon") != "polyline"}, size)
            for n, s in enumerate(answer["shapes"], 1)]


def _to_keypoints(config: dict[str, Any], item: dict[str, Any], answer: Answer) -> Regions:
    size = geo.need_size(item)
    out = []
    for n, (name, (x, y, v)) in enumerate(answer["keypoints"].items(), 1):
        where = {"x": x * 100 / size[0], "y": y * 100 / size[1], "width": 0.5}
        out.append(_region(n, LABEL, IMAGE, "keypointlabels",
                           {**where, "keypointlabels": [name]}, size))
        if v == 1:
            out.append(_region(n, VISIBILITY, IMAGE, "choices",
                               {**where, "choices": [HIDDEN]}, size))
    return out


def _to_spans(config: dict[str, Any], item: dict[str, Any], answer: Answer) -> Regions:
    text = item.get("text")
    if not isinstance(text, str):
        raise ConversionError("the item has no text the spans refer to")
    return [_region(n, LABEL, TEXT, "labels",
                    {"start": s["start"], "end": s["end"], "text": text[s["start"]:s["end"]],
                     "labels": [s["label"]]})
            for n, s in enumerate(answer["spans"], 1)]


def _to_ocr(config: dict[str, Any], item: dict[str, Any], answer: Answer) -> Regions:
    size = geo.need_size(item)
    out = []
    for n, r in enumerate(answer["regions"], 1):
        if r.get("points"):
            where: dict[str, Any] = {"points": geo.percent_points(r["points"], size)}
            shape = _region(n, POLY, IMAGE, "polygon", dict(where), size)
        else:
            where = geo.percent_box(r["box"], size)
            shape = _region(n, BBOX, IMAGE, "rectangle", dict(where), size)
        out += [shape,
                _region(n, LABEL, IMAGE, "labels", {**where, "labels": [OCR_LABEL]}, size),
                _region(n, TRANSCRIPTION, IMAGE, "textarea", {**where, "text": [r["text"]]},
                        size)]
    return out


_TO: dict[str, Callable[[dict[str, Any], dict[str, Any], Answer], Regions]] = {
    "text_classification": lambda c, i, a: _to_choices(c, i, a, TEXT),
    "image_classification": lambda c, i, a: _to_choices(c, i, a, IMAGE),
    "bounding_box": _to_boxes, "polygon": _to_polygons, "keypoints": _to_keypoints,
    "span_tagging": _to_spans, "ocr": _to_ocr,
}


def to_ls(kind: str, config: dict[str, Any], item_data: dict[str, Any] | None,
          answer: Answer) -> Regions:
    """One of our (validated) answers as Label Studio regions, for training a backend.
    Image kinds need the item's ``width`` and ``height`` (Label Studio counts in percent)."""
    write = _TO.get(kind)
    if write is None:
        raise ConversionError(f"a Label Studio ML backend cannot serve the kind {kind!r}; "
                              f"supported: {', '.join(SUPPORTED_KINDS)}")
    item = item_data if isinstance(item_data, dict) else {}
    try:
        return write(config, item, answer)
    except ConversionError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ConversionError(f"the answer is not one of a {kind} project: {_reason(exc)}"
                              ) from None
