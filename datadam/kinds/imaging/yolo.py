"""YOLO (Ultralytics / Darknet) labels as a zip, written as a stream.

The archive (docs/kinds/exports.md):

- ``labels/<stem>.txt`` per item with a result, one object a line, coordinates normalised
  by the image's width and height (clipped to [0, 1]), class numbers 0-based:
  - detection (bounding boxes, OCR regions as class ``text``): ``cls cx cy w h``;
  - segmentation (polygon projects): ``cls x1 y1 x2 y2 ...`` (polylines have no YOLO form:
    left out and listed in ``skipped.txt``);
  - pose (keypoints): ``cls cx cy w h x1 y1 v1 ...`` for the config's points in order (box
    of the placed points; ``0 0 0`` for a point not placed), ``kpt_shape`` in data.yaml.
  An item whose result holds no object gets an empty file (a background image).
- ``data.yaml``: ``path``, ``train``/``val`` (``images.txt``), ``nc``, ``names``.
- ``classes.txt``: the class names, one a line.
- ``images.txt``: each labelled image, one a line: its reference (URL or media path), or
  ``./images/<stem>.<ext>`` when the file is in the archive (media included).
- ``images/``: the image files that are ours, when media are included.
- ``skipped.txt`` (only when some item was): ``item_id<TAB>image<TAB>reason`` for items with
  no result, no width/height in their data (coordinates cannot be normalised) or with
  shapes YOLO cannot hold.
- ``dataset_card.json``: the dataset card, when given.

Individual answers are not part of YOLO; ask for JSONL, CSV or COCO to get them.
``<stem>`` is the image's file name without extension, unique within the archive
(``archive.UniqueNames``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from datadam.kinds.archive import FLUSH_AT, LineSpool, Media, ZipStream
from datadam.kinds.exporting import ExportContext, ExportFormat, Record

from .shapes import Categories, Shape, ShapeReader, image_reference, image_size


def task_of(ctx: ExportContext) -> str:
    """``pose``, ``segment`` or ``detect``: what the project's labels are in YOLO."""
    if ctx.kind == "keypoints" or ctx.config.get("points"):
        return "pose"
    if ctx.kind == "polygon":
        return "segment"
    return "detect"


def _n(value: float) -> str:
    """A normalised coordinate: 12 significant digits (de-normalised exact to far below a
    pixel's millionth for any image up to 100,000 pixels)."""
    return format(min(max(value, 0.0), 1.0), ".12g")


def _box(x: float, y: float, w: float, h: float, W: float, H: float) -> list[str] | None:
    x0, y0 = max(x, 0.0), max(y, 0.0)
    x1, y1 = min(x + w, W), min(y + h, H)
    if x1 <= x0 or y1 <= y0:
        return None  # wholly outside the image
    return [_n((x0 + x1) / 2 / W), _n((y0 + y1) / 2 / H), _n((x1 - x0) / W), _n((y1 - y0) / H)]


def label_line(shape: Shape, task: str, cls: int, W: float, H: float) -> str | None:
    """One object's line, or None when YOLO cannot hold it (a polyline, a shape outside)."""
    if task == "segment":
        if shape.type == "polyline":
            return None
        pts = shape.points or _corners(shape.bbox)
        coords = " ".join(f"{_n(x / W)} {_n(y / H)}" for x, y, *_ in pts)
        return f"{cls} {coords}\n"
    if task == "pose":
        if shape.keypoints is None:
            return None
        x, y, w, h = shape.bbox
        box = [_n((x + w / 2) / W), _n((y + h / 2) / H), _n(w / W), _n(h / H)]
        kp = shape.keypoints
        marks = " ".join(
            f"{_n(kp[i] / W)} {_n(kp[i + 1] / H)} {int(kp[i + 2])}" if kp[i + 2] else "0 0 0"
            for i in range(0, len(kp), 3)
        )
        return f"{cls} {' '.join(box)} {marks}\n"
    if shape.type == "polyline":
        return None
    box = _box(*shape.bbox, W, H)
    return None if box is None else f"{cls} {' '.join(box)}\n"


def _corners(bbox: tuple[float, float, float, float]) -> list[list[float]]:
    x, y, w, h = bbox
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def data_yaml(ctx: ExportContext, names: list[str], task: str, keypoints: int) -> str:
    """data.yaml; every name a double-quoted scalar (JSON strings are valid YAML ones)."""
    quote = lambda s: orjson.dumps(s).decode()  # noqa: E731
    lines = [
        f"# YOLO {task} dataset written by datadam: project {ctx.project_id}, "
        f"{quote(ctx.name)}, kind {ctx.kind}",
        "path: .",
        "train: images.txt",
        "val: images.txt",
        f"nc: {len(names)}",
        "names:",
        *(f"  {i}: {quote(name)}" for i, name in enumerate(names)),
    ]
    if task == "pose":
        lines.append(f"kpt_shape: [{keypoints}, 3]")
    return "\n".join(lines) + "\n"


def write(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The YOLO archive, streamed (memory flat: the lists are spooled)."""
    zs = ZipStream()
    media = Media(ctx.open_media, include=ctx.options.media == "include")
    categories = Categories(ctx.config)
    reader = ShapeReader(ctx.config)
    task = task_of(ctx)
    images, skipped = LineSpool(), LineSpool()
    for record in records:
        item_id = record["item_id"]
        data = record.get("data")
        reference = image_reference(data)
        result = record.get("result")
        if result is None:
            skipped.add(f"{item_id}\t{reference}\tno result")
            continue
        size = image_size(data)
        if size is None:
            skipped.add(f"{item_id}\t{reference}\tno width/height in the item's data")
            continue
        W, H = size
        stem, path, copied = yield from media.copy(zs, reference, item_id)
        rows, left_out = [], 0
        for shape in reader.read(result):
            line = label_line(shape, task, categories.index(shape.label), W, H)
            if line is None:
                left_out += 1
            else:
                rows.append(line)
        if left_out:
            skipped.add(f"{item_id}\t{reference}\t{left_out} shapes left out (polylines or "
                        "outside the image)")
        zs.writestr(f"labels/{stem}.txt", "".join(rows))
        images.add(f"./{path}" if copied else path)
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    yield from zs.copy("images.txt", images.reader(), compress=True)
    if skipped.count:
        yield from zs.copy("skipped.txt", skipped.reader(), compress=True)
    zs.writestr("data.yaml", data_yaml(ctx, categories.names, task, len(reader.points)))
    zs.writestr("classes.txt", "".join(f"{' '.join(name.split())}\n" for name in categories.names))
    if ctx.card is not None:
        zs.writestr("dataset_card.json", orjson.dumps(ctx.card, option=orjson.OPT_INDENT_2))
    yield zs.close()


YOLO = ExportFormat(
    slug="yolo",
    title="YOLO",
    extension="zip",
    content_type="application/zip",
    write=write,
)
