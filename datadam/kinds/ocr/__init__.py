"""OCR: the worker boxes (or outlines) each text region of an image and types its text.

Answers: ``{"regions": [{"box": [x, y, w, h], "points": [[x, y], ...], "text": "..."}]}``;
``points`` only for outlined regions (its ``box`` is then the outline's bounding box). Texts
are compared as NFC code points (Korean, English, Japanese). Overlapping answers: regions
matched by IoU and fused like boxes, each region's text voted character by character (ROVER);
gold and skill by an F1 in which each matched region counts by its text similarity
(1 − normalised edit distance). See docs/kinds/ocr.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
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
from datadam.kinds.geometry import text as ocr_text

from .formats import EXPORTERS

LANGUAGES = ("ko", "en", "ja")
TOOLS = ("box", "polygon")
MAX_TEXT = 2000


class Ocr(shapes.ImageShapeKind):
    slug = "ocr"
    title = gettext_lazy("OCR (text in images)")
    description = gettext_lazy("Box or outline each piece of text in an image and type "
                               "what it says.")
    exporters = EXPORTERS
    search_words = ("ocr", "transcribe", "transcription", "transcribing", "글자", "문자인식")
    uses_labels = False
    config_fields = (
        ConfigField("languages", gettext_lazy("Languages of the text"), "multi", ["ko", "en"],
                    choices=(("ko", gettext_lazy("Korean")), ("en", gettext_lazy("English")),
                             ("ja", gettext_lazy("Japanese")))),
        ConfigField("tools", gettext_lazy("Regions workers draw"), "multi", ["box"],
                    choices=(("box", gettext_lazy("Boxes")),
                             ("polygon", gettext_lazy("Outlines (polygons)")))),
        *shapes.ImageShapeKind.config_fields,
    )

    def validate_config(self, config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise InvalidInput(_("config must be an object"))
        languages = config.get("languages", ["ko", "en"])
        if not isinstance(languages, list) or not languages or any(
                lang not in LANGUAGES for lang in languages):
            raise InvalidInput(_("config.languages must be a non-empty list of: %(langs)s")
                               % {"langs": ", ".join(LANGUAGES)})
        return {"languages": [lang for lang in LANGUAGES if lang in languages],
                "tools": shapes.tools(config, TOOLS, ("box",)), **self.common_config(config)}

    def answer_schema(self, config: dict[str, Any]) -> dict[str, Any]:
        point = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
        region: dict[str, Any] = {
            "type": "object", "required": ["box", "text"], "additionalProperties": False,
            "properties": {
                "box": {"type": "array", "items": {"type": "number"}, "minItems": 4,
                        "maxItems": 4, "description": "[x, y, width, height] in pixels"},
                "text": {"type": "string", "maxLength": MAX_TEXT},
            },
        }
        if "polygon" in config.get("tools", []):
            region["properties"]["points"] = {"type": "array", "items": point, "minItems": 3}
        return {"type": "object", "required": ["regions"], "additionalProperties": False,
                "properties": {"regions": {"type": "array", "maxItems": shapes.MAX_SHAPES,
                                           "items": region}}}

    def validate_answer(self, answer: Any, config: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        size = shapes.image_size(item)
        example = '{"regions": [{"box": [x, y, w, h], "text": "..."}]}'
        out = []
        for i, region in enumerate(shapes.shape_list(answer, "regions", example), 1):
            what = _("region %(n)s") % {"n": i}
            if not isinstance(region, dict) or set(region) - {"box", "points", "text"}:
                raise InvalidInput(_("%(what)s must be %(example)s")
                                   % {"what": what, "example": example})
            text = region.get("text")
            if not isinstance(text, str) or "\x00" in text or len(text) > MAX_TEXT:
                raise InvalidInput(_("%(what)s needs its text (at most %(most)s characters)")
                                   % {"what": what, "most": MAX_TEXT})
            text = unicodedata.normalize("NFC", text.strip())
            if not text:
                raise InvalidInput(_("%(what)s: type the text you see in it") % {"what": what})
            clean: dict[str, Any] = {}
            if "points" in region:
                if "polygon" not in config.get("tools", []):
                    raise InvalidInput(_("%(what)s: this project takes boxes, not outlines")
                                       % {"what": what})
                pts = shapes.points(region["points"], what, size, least=3)
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                clean["box"] = shapes.xywh(
                    [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], what, size)
                clean["points"] = pts
            else:
                clean["box"] = shapes.xywh(region.get("box"), what, size)
            clean["text"] = text
            out.append(clean)
        return {"regions": out}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        if not answers:
            return None
        fused = ocr_text.fuse_regions([a.get("regions", []) for a in answers], weights,
                                      min_iou=config.get("iou", 0.5),
                                      min_agreement=config.get("min_agreement", 0.5))
        result = {"regions": [{"box": [round(v, 2) for v in r.box], "text": r.text,
                               "score": round(r.score, 4),
                               "text_agreement": round(r.text_agreement, 4)}
                              for r in fused.regions]}
        return ItemAggregate(result, fused.agreement, self.summary(result))

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     config: dict[str, Any]) -> float:
        """2 · Σ text similarity of matched regions / (regions in both): regions matched
        by IoU ≥ ``iou`` (Hungarian); 1.0 when both have none."""
        mine, ref = answer.get("regions", []), reference.get("regions", [])
        if not mine and not ref:
            return 1.0
        if not mine or not ref:
            return 0.0
        sim = geo.xywh_iou_matrix([r["box"] for r in mine], [r["box"] for r in ref])
        pairs = geo.assign(sim, sim >= config.get("iou", 0.5))
        total = sum(ocr_text.text_similarity(mine[i]["text"], ref[j]["text"]) for i, j in pairs)
        return float(np.clip(2 * total / (len(mine) + len(ref)), 0.0, 1.0))

    def correctness(self, config: dict[str, Any]) -> str:
        return _("its regions matched the known regions (overlap IoU ≥ %(iou)s) and their "
                 "texts agree: a text-weighted F1 of at least %(score)s (1 − character error "
                 "rate per region)") % {"iou": config.get("iou", 0.5),
                                        "score": config.get("pass_score", 0.8)}

    def summary(self, answer: dict[str, Any]) -> str:
        texts = [r["text"] for r in answer.get("regions", [])]
        return " / ".join(texts)[:500] if texts else _("no text")

    def wrong_answer(self, gold: Any, config: dict[str, Any]) -> dict[str, Any] | None:
        """Gold's regions moved right by their own width (no region matches)."""
        regions = gold.get("regions") if isinstance(gold, dict) else None
        if not isinstance(regions, list):
            return None
        if not regions:
            return {"regions": [{"box": [0.0, 0.0, 10.0, 10.0], "text": "?"}]}
        return {"regions": [{"box": [r["box"][0] + r["box"][2], *r["box"][1:]],
                             "text": r["text"]} for r in regions]}


register(Ocr())
