"""Bounding boxes: the worker draws a labelled box around every object in an image.

Answers: ``{"boxes": [{"label": "car", "box": [x, y, w, h]}]}``; an empty list says the
image holds none of the project's objects. Overlapping answers are fused box by box
(``geometry.boxes``: Hungarian matching on IoU, weighted box fusion, a box kept when workers
holding ``min_agreement`` of the weight drew it); gold is scored by the F1 of the IoU
matching. See docs/kinds/bounding_box.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import ItemAggregate
from datadam.kinds.geometry import boxes as geo

from .formats import EXPORTERS


class BoundingBox(shapes.ImageShapeKind):
    slug = "bounding_box"
    title = gettext_lazy("Bounding boxes")
    description = gettext_lazy("Draw a labelled box around every object in an image.")
    exporters = EXPORTERS
    search_words = ("box", "bounding", "detection", "박스", "바운딩")

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        labels = shapes.names(config.get("labels"), "labels")
        return {"labels": labels, "colors": shapes.colors(config, labels),
                **self.common_config(config)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["boxes"],
            "additionalProperties": False,
            "properties": {"boxes": {"type": "array", "maxItems": shapes.MAX_SHAPES, "items": {
                "type": "object", "required": ["label", "box"], "additionalProperties": False,
                "properties": {
                    "label": {"enum": config.get("labels", [])},
                    "box": {"type": "array", "items": {"type": "number"}, "minItems": 4,
                            "maxItems": 4, "description": "[x, y, width, height] in pixels"},
                },
            }}},
        }

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        size = shapes.image_size(item)
        out = []
        for i, box in enumerate(shapes.shape_list(
                answer, "boxes", '{"boxes": [{"label": "...", "box": [x, y, w, h]}]}'), 1):
            what = _("box %(n)s") % {"n": i}
            if not isinstance(box, dict) or set(box) - {"label", "box"}:
                raise InvalidInput(_('%(what)s must be {"label": ..., "box": [x, y, w, h]}')
                                          % {"what": what})
            out.append({"label": shapes.label_of(box, config["labels"], what),
                        "box": shapes.xywh(box.get("box"), what, size)})
        return {"boxes": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        fused = geo.fuse_boxes(
            [[(b["label"], b["box"]) for b in a.get("boxes", [])] for a in answers], weights,
            min_iou=config.get("iou", 0.5), min_agreement=config.get("min_agreement", 0.5))
        result = {"boxes": [{"label": s.label, "box": [round(v, 2) for v in s.shape],
                             "score": round(s.score, 4)} for s in fused.shapes]}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """F1 of the Hungarian matching of same-label boxes at IoU ≥ ``iou``."""
        return geo.score_against_gold(
            [(b["label"], b["box"]) for b in answer.get("boxes", [])],
            [(b["label"], b["box"]) for b in reference.get("boxes", [])],
            min_iou=config.get("iou", 0.5))

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its boxes matched one to one with the known boxes (same label, overlap IoU "
                 "≥ %(iou)s) with an F1 of at least %(score)s") % {
            "iou": config.get("iou", 0.5), "score": config.get("pass_score", 0.8)}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [b["label"] for b in answer.get("boxes", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        boxes = answer.get("boxes", [])
        return shapes.counted_labels(self.labels_of(answer)) if boxes else _("no objects")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's boxes each moved one box-width right (IoU 0 with every gold box); a box
        drawn in the top-left corner when gold has none."""
        boxes = gold.get("boxes") if isinstance(gold, dict) else None
        if not isinstance(boxes, list) or not config.get("labels"):
            return None
        if not boxes:
            return {"boxes": [{"label": config["labels"][0], "box": [0.0, 0.0, 10.0, 10.0]}]}
        return {"boxes": [{"label": b["label"],
                           "box": [b["box"][0] + b["box"][2], *b["box"][1:]]} for b in boxes]}


register(BoundingBox())
