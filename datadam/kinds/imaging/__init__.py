"""Export writers the image kinds share (plain Python, numpy and orjson; no Django).

- ``shapes``: reads a record's result (or one answer) of any image kind into flat shapes
  (label, type, bounding box, vertices, keypoints, text, score) and numbers the categories.
- ``coco``: COCO JSON (``COCO``): boxes, polygons with their segmentation, keypoints with the
  skeleton, OCR regions with their text.
- ``yolo``: a YOLO dataset as a zip (``YOLO``): detection, segmentation or pose labels.
- ``voc``: Pascal VOC XML as a zip (``VOC``).

Each module has a ``write(ctx, records)`` generator of bytes and an ``ExportFormat``
constant; the formats are documented in docs/kinds/exports.md. The kinds list theirs in
``TaskKind.exporters``.
"""
