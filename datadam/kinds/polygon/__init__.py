"""Polygons and polylines: the worker outlines objects (or traces lines) in an image.

Answers: ``{"shapes": [{"label": "road", "type": "polygon", "points": [[x, y], ...]}]}``,
``type`` being ``polygon`` (closed, 3+ points) or ``polyline`` (open, 2+ points) as the
project's ``tools`` allow. Overlapping answers are clustered by Hungarian matching (polygon
IoU; polylines by a distance tolerance) and each cluster keeps its medoid; gold is scored by
the F1 of that matching. See docs/kinds/polygon.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import ItemAggregate
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.geometry import boxes as geo
from datadam.kinds.geometry import polygons as poly

from .formats import EXPORTERS

TYPES = ("polygon", "polyline")


def _line_matrix(a: Sequence[Any], b: Sequence[Any], *, tolerance: float) -> np.ndarray:
    return np.array([[poly.polyline_similarity(x, y, tolerance=tolerance) for y in b]
                     for x in a], dtype=float).reshape(len(a), len(b))


def _line_medoid(lines: list[Any], weights: list[float], *, tolerance: float) -> Any:
    if len(lines) <= 2:
        return lines[0]
    sim = _line_matrix(lines, lines, tolerance=tolerance)
    w = np.asarray(weights, dtype=float) if sum(weights) > 0 else np.ones(len(lines))
    score = ((sim - np.eye(len(lines))) * w[None, :]).sum(axis=1)
    return lines[int(np.argmax(score))]


class Polygons(shapes.ImageShapeKind):
    slug = "polygon"
    title = gettext_lazy("Polygons")
    description = gettext_lazy("Outline each object with a polygon, or trace lines.")
    exporters = EXPORTERS
    search_words = ("polygon", "polygons", "outline", "outlines", "segmentation", "다각형",
                    "폴리곤", "분할")
    config_fields = (
        ConfigField("tools", gettext_lazy("Shapes workers draw"), "multi", ["polygon"],
                    choices=(("polygon", gettext_lazy("Polygons (closed outlines)")),
                             ("polyline", gettext_lazy("Polylines (open lines)")))),
        ConfigField("line_tolerance", gettext_lazy("Line tolerance (pixels)"), "number", 10.0,
                    gettext_lazy("Two polylines within this mean distance are the same line.")),
        *shapes.ImageShapeKind.config_fields,
    )

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        labels = shapes.names(config.get("labels"), "labels")
        return {"labels": labels, "colors": shapes.colors(config, labels),
                "tools": shapes.tools(config, TYPES, ("polygon",)),
                "line_tolerance": shapes.fraction(config, "line_tolerance", 10.0, low=0.5,
                                                  high=10_000.0),
                **self.common_config(config)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        point = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
        return {
            "type": "object", "required": ["shapes"], "additionalProperties": False,
            "properties": {"shapes": {"type": "array", "maxItems": shapes.MAX_SHAPES, "items": {
                "type": "object", "required": ["label", "type", "points"],
                "additionalProperties": False,
                "properties": {
                    "label": {"enum": config.get("labels", [])},
                    "type": {"enum": config.get("tools", ["polygon"])},
                    "points": {"type": "array", "items": point, "minItems": 2,
                               "maxItems": shapes.MAX_POINTS},
                },
            }}},
        }

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        size = shapes.image_size(item)
        allowed = config.get("tools", ["polygon"])
        out = []
        example = '{"shapes": [{"label": "...", "type": "polygon", "points": [[x, y], ...]}]}'
        for i, shape in enumerate(shapes.shape_list(answer, "shapes", example), 1):
            what = _("shape %(n)s") % {"n": i}
            if not isinstance(shape, dict) or set(shape) - {"label", "type", "points"}:
                raise InvalidInput(_("%(what)s must be %(example)s")
                                   % {"what": what, "example": example})
            kind = shape.get("type", "polygon")
            if kind not in allowed:
                raise InvalidInput(_("%(what)s: type must be one of %(types)s")
                                   % {"what": what, "types": ", ".join(allowed)})
            pts = shapes.points(shape.get("points"), what, size,
                                least=3 if kind == "polygon" else 2)
            if kind == "polygon":
                try:
                    poly.check_points(pts, closed=True)
                except ValueError:
                    raise InvalidInput(_("%(what)s: a polygon needs 3 points enclosing an area")
                                       % {"what": what}) from None
            out.append({"label": shapes.label_of(shape, config["labels"], what), "type": kind,
                        "points": pts})
        return {"shapes": out}

    def _clusters(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                  config: dict[str, Any], kind: str) -> list[geo.Cluster[Any]]:
        per_worker = [[(s["label"], tuple(map(tuple, s["points"])))
                       for s in a.get("shapes", []) if s.get("type", "polygon") == kind]
                      for a in answers]
        if kind == "polygon":
            return geo.cluster_shapes(
                per_worker, weights, similarity=poly.polygon_iou_matrix,
                fuse=poly.polygon_medoid, min_similarity=config.get("iou", 0.5))
        tol = float(config.get("line_tolerance", 10.0))
        return geo.cluster_shapes(per_worker, weights,
                                  similarity=partial(_line_matrix, tolerance=tol),
                                  fuse=partial(_line_medoid, tolerance=tol), min_similarity=0.5)

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        """Polygons and polylines clustered apart; agreement is the mean over all their
        clusters of weight share × fit, as for boxes (1.0 when nobody drew anything)."""
        if not answers:
            return None
        least = config.get("min_agreement", 0.5)
        kept, scores = [], []
        for kind in TYPES:
            for c in self._clusters(answers, weights, config, kind):
                scores.append(c.share * c.fit)
                if geo.is_kept(c.share, least):
                    kept.append({"label": c.label, "type": kind,
                                 "points": [list(p) for p in c.shape],
                                 "score": round(c.share, 4)})
        result = {"shapes": kept}
        return ItemAggregate(result, float(np.mean(scores)) if scores else 1.0,
                             self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """F1 over both types: polygons matched at IoU ≥ ``iou``, polylines within half the
        line tolerance on average (similarity ≥ 0.5), same label only."""
        matched = 0
        for kind in TYPES:
            mine = [s for s in answer.get("shapes", []) if s.get("type", "polygon") == kind]
            ref = [s for s in reference.get("shapes", []) if s.get("type", "polygon") == kind]
            if not mine or not ref:
                continue
            a = [tuple(map(tuple, s["points"])) for s in mine]
            b = [tuple(map(tuple, s["points"])) for s in ref]
            if kind == "polygon":
                sim, least = poly.polygon_iou_matrix(a, b), config.get("iou", 0.5)
            else:
                sim = _line_matrix(a, b, tolerance=float(config.get("line_tolerance", 10.0)))
                least = 0.5
            same = np.array([[x["label"] == y["label"] for y in ref] for x in mine], dtype=bool)
            matched += len(geo.assign(sim, same & (sim >= least)))
        return geo.f1(matched, len(answer.get("shapes", [])), len(reference.get("shapes", [])))

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its shapes matched one to one with the known shapes (same label; polygons "
                 "overlapping IoU ≥ %(iou)s, lines within %(tol)s px) with an F1 of at least "
                 "%(score)s") % {"iou": config.get("iou", 0.5),
                                 "tol": config.get("line_tolerance", 10.0),
                                 "score": config.get("pass_score", 0.8)}

    def labels_of(self, answer: dict[str, Any]) -> list[str]:
        return [s["label"] for s in answer.get("shapes", [])]

    def summary(self, answer: dict[str, Any]) -> str:
        found = answer.get("shapes", [])
        return shapes.counted_labels(self.labels_of(answer)) if found else _("no objects")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's shapes moved right by their own width (no overlap with any gold shape)."""
        found = gold.get("shapes") if isinstance(gold, dict) else None
        if not isinstance(found, list) or not config.get("labels"):
            return None
        if not found:
            kind = config.get("tools", ["polygon"])[0]
            pts = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]] if kind == "polygon" else [
                [0.0, 0.0], [10.0, 10.0]]
            return {"shapes": [{"label": config["labels"][0], "type": kind, "points": pts}]}
        moved = []
        for s in found:
            xs = [p[0] for p in s["points"]]
            dx = max(xs) - min(xs) + 10 * float(config.get("line_tolerance", 10.0))
            moved.append({**s, "points": [[p[0] + dx, p[1]] for p in s["points"]]})
        return {"shapes": moved}


register(Polygons())
