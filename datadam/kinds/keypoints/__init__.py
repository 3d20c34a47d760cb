"""Keypoints: the worker places the project's named points (a skeleton) on an image.

Answers: ``{"keypoints": {"left_eye": [x, y, v]}}`` with COCO's visibility ``v``: 2 seen,
1 placed but hidden (occluded); a point left out was not placed (not in the image). One
object per image. Overlapping answers are fused point by point (weighted geometric median,
visibility by weighted majority) with agreement and gold scored by COCO OKS over the
skeleton's own scale. See docs/kinds/keypoints.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds import register
from datadam.kinds.base import ItemAggregate
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.geometry import keypoints as geo

from .formats import EXPORTERS

MAX_POINTS = 200
#: The smallest object area OKS scales by (pixels²): a skeleton of one or two points, or of
#: points close together, would otherwise make every pixel of disagreement fatal.
MIN_AREA = 32.0 * 32.0


def object_area(*answers: Mapping[str, Any]) -> float:
    """The object's scale for OKS: the area of the bounding box of the placed points
    (COCO uses the object's segment area), at least ``MIN_AREA``."""
    xs = [p[0] for a in answers for p in a.values()]
    ys = [p[1] for a in answers for p in a.values()]
    if len(xs) < 2:
        return MIN_AREA
    return max((max(xs) - min(xs)) * (max(ys) - min(ys)), MIN_AREA)


class Keypoints(shapes.ImageShapeKind):
    slug = "keypoints"
    title = gettext_lazy("Keypoints")
    description = gettext_lazy("Place named points (a skeleton, such as face landmarks) on "
                               "an image, marking hidden ones.")
    exporters = EXPORTERS
    search_words = ("keypoint", "keypoints", "landmark", "landmarks", "pose", "키포인트",
                    "특징점")
    default_pass_score = 0.75
    uses_labels = False
    config_fields = (
        ConfigField("points", gettext_lazy("Points"), "lines", [], required=True,
                    help=gettext_lazy("One name per line, in the order workers place them.")),
        ConfigField("skeleton", gettext_lazy("Skeleton"), "pairs", [],
                    help=gettext_lazy("Lines drawn between points, one pair per line: "
                                      "left_eye - nose")),
        ConfigField("category", gettext_lazy("Object"), "text", "object",
                    help=gettext_lazy("What the points belong to, e.g. face or hand.")),
        shapes.pass_score(0.75),
    )

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        names = shapes.names(config.get("points"), "points", limit=MAX_POINTS)
        skeleton = config.get("skeleton", [])
        if not isinstance(skeleton, list) or any(
            not isinstance(e, list) or len(e) != 2 or e[0] == e[1]
            or any(n not in names for n in e) for e in skeleton
        ):
            raise InvalidInput(_("config.skeleton must be a list of pairs of point names, "
                                 'e.g. [["left_eye", "nose"]]'))
        sigmas = config.get("sigmas", {})
        if not isinstance(sigmas, dict) or any(
            n not in names or isinstance(s, bool) or not isinstance(s, int | float)
            or not (math.isfinite(s) and 0 < s <= 1) for n, s in sigmas.items()
        ):
            raise InvalidInput(_("config.sigmas must map point names to numbers above 0 and "
                                 "at most 1 (COCO's per-point spread)"))
        category = config.get("category", "object")
        if not isinstance(category, str) or not category.strip():
            raise InvalidInput(_("config.category must name the object, e.g. face"))
        return {"points": names, "skeleton": [list(e) for e in skeleton],
                "sigmas": {n: float(s) for n, s in sigmas.items()},
                "category": category.strip(), "colors": shapes.colors(config, names),
                "pass_score": shapes.fraction(config, "pass_score", self.default_pass_score)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        mark = {"type": "array", "minItems": 3, "maxItems": 3,
                "prefixItems": [{"type": "number"}, {"type": "number"}, {"enum": [1, 2]}],
                "description": "[x, y, v]: v = 2 visible, 1 occluded"}
        return {"type": "object", "required": ["keypoints"], "additionalProperties": False,
                "properties": {"keypoints": {
                    "type": "object", "additionalProperties": False,
                    "properties": {n: mark for n in config.get("points", [])}}}}

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        example = '{"keypoints": {"<point>": [x, y, 2]}}'
        if not isinstance(answer, dict) or set(answer) != {"keypoints"} or not isinstance(
                answer["keypoints"], dict):
            raise InvalidInput(_("answer must be %(example)s") % {"example": example})
        size = shapes.image_size(item)
        out = {}
        for name in config["points"]:  # the skeleton's order
            mark = answer["keypoints"].get(name)
            if mark is None:
                continue
            if not isinstance(mark, list) or len(mark) != 3 or mark[2] not in (0, 1, 2) or (
                    isinstance(mark[2], bool)):
                raise InvalidInput(_("point %(name)s must be [x, y, v] with v 2 (visible), 1 "
                                     "(hidden) or 0 (not placed)") % {"name": name})
            if mark[2] == 0:
                continue  # COCO's "not labelled"
            (x, y), = shapes.points([mark[:2]], name, size, least=1)
            out[name] = [x, y, mark[2]]
        unknown = set(answer["keypoints"]) - set(config["points"])
        if unknown:
            raise InvalidInput(_("unknown points: %(names)s; the skeleton has: %(points)s")
                               % {"names": ", ".join(sorted(unknown)),
                                  "points": ", ".join(config["points"])})
        return {"keypoints": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        marks = [a.get("keypoints", {}) for a in answers]
        if not marks:
            return None
        if not any(marks):
            return ItemAggregate({"keypoints": {}}, 1.0, self.summary({"keypoints": {}}))
        # Fusion votes on "seen" (v = 2) against "hidden" (v = 1); positions come from the
        # workers who saw the point, or from everyone who placed it when nobody saw it.
        seen = [{n: (m[0], m[1], m[2] == 2) for n, m in mk.items()} for mk in marks]
        fused = geo.fuse_keypoints(seen, weights, area=object_area(*marks),
                                   sigmas=config.get("sigmas") or None)
        order = {n: i for i, n in enumerate(config.get("points", []))}
        points = {n: [round(x, 2), round(y, 2), 2 if seen else 1]
                  for n, (x, y, seen) in sorted(fused.points.items(),
                                                key=lambda kv: order.get(kv[0], 1 << 30))}
        result = {"keypoints": points}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """COCO OKS of the answer against the reference, scaled by the reference's area."""
        ref = reference.get("keypoints", {})
        return geo.score_against_gold(answer.get("keypoints", {}), ref, area=object_area(ref),
                                      sigmas=config.get("sigmas") or None)

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its points lie close to the known points: object keypoint similarity (OKS, "
                 "as in COCO) of at least %(score)s") % {
            "score": config.get("pass_score", 0.75)}

    def summary(self, answer: dict[str, Any]) -> str:
        marks = answer.get("keypoints", {})
        hidden = sum(1 for m in marks.values() if m[2] == 1)
        if not marks:
            return _("no points")
        return _("%(n)s points (%(hidden)s hidden)") % {"n": len(marks), "hidden": hidden}

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's points moved by twice the skeleton's size (OKS near 0); the first point
        placed when gold has none."""
        marks = gold.get("keypoints") if isinstance(gold, dict) else None
        if not isinstance(marks, dict) or not config.get("points"):
            return None
        if not marks:
            return {"keypoints": {config["points"][0]: [1.0, 1.0, 2]}}
        shift = 2 * math.sqrt(object_area(marks))
        return {"keypoints": {n: [m[0] + shift, m[1] + shift, m[2]] for n, m in marks.items()}}


register(Keypoints())
