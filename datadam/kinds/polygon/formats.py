"""Export formats of this kind besides the JSONL and CSV every kind has (docs/kinds/exports.md)."""

from __future__ import annotations

from datadam.kinds.imaging.coco import COCO
from datadam.kinds.imaging.voc import VOC
from datadam.kinds.imaging.yolo import YOLO

EXPORTERS = (COCO, YOLO, VOC)
