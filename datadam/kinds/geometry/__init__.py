"""Aggregation of image annotations, in plain Python and numpy (no Django).

- ``boxes``: box IoU, Hungarian matching, weighted box fusion; the shared clustering.
- ``polygons``: polygon IoU (exact when convex, rasterised otherwise), polyline distance,
  medoid fusion of polygons.
- ``keypoints``: COCO OKS and robust fusion of named keypoints.
- ``text``: edit distance, CER, ROVER voting of OCR readings, fusion of text regions.

Each kind of shape has a ``score_against_gold`` in its own module. These modules import
no Django; note that importing them by the ``datadam.kinds.geometry`` path still runs
``datadam/kinds/__init__.py``, which does.
"""

from .boxes import Box, FusedShape, FusionResult, fuse_boxes, iou_matrix, match
from .keypoints import KeypointFusion, fuse_keypoints, oks
from .polygons import Polygon, fuse_polygons, polygon_iou, polyline_distance, polyline_similarity
from .text import RegionFusion, cer, char_align, fuse_regions, rover, text_similarity

__all__ = [
    "Box",
    "FusedShape",
    "FusionResult",
    "KeypointFusion",
    "Polygon",
    "RegionFusion",
    "cer",
    "char_align",
    "fuse_boxes",
    "fuse_keypoints",
    "fuse_polygons",
    "fuse_regions",
    "iou_matrix",
    "match",
    "oks",
    "polygon_iou",
    "polyline_distance",
    "polyline_similarity",
    "rover",
    "text_similarity",
]
