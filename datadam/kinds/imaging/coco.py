"""COCO JSON: the object-detection, segmentation and keypoint format of the COCO dataset.

One pass over the records, memory flat: each image's entry is written out at once, and its
annotations are spooled (``tempfile.SpooledTemporaryFile``: memory up to 8 MiB, then disk)
and appended after the last image. With media included the file is a zip of
``annotations.json`` and ``images/`` (the JSON is then spooled too, as a zip entry cannot
be written while the images are).

What goes where (docs/kinds/exports.md):

- ``images``: one per item with a result; ``id`` is the item id, ``file_name`` the image
  reference (``images/<name>`` when the file is in the archive), ``width``/``height`` where
  the item states them, plus ``external_id``, ``confidence`` and ``provisional``. Items
  without a result (no counted answer) are left out and counted in ``info``.
- ``annotations``: boxes (``bbox``, ``area`` w·h); polygons (``segmentation`` ``[[x1, y1,
  ...]]``, their ``bbox`` and shoelace ``area``); keypoints (``keypoints`` ``[x, y, v] * n``
  in the config's order, ``num_keypoints``, ``bbox`` and ``area`` of the placed points);
  OCR regions (``bbox``, ``segmentation`` when outlined, ``attributes: {"text": ...}`` as
  CVAT writes attributes, category ``text``). ``iscrowd`` 0; ``score`` is the shape's
  agreement.
- ``polylines`` (polygon projects with lines): COCO has no open lines, so they are not
  annotations; each is ``{"id", "image_id", "category_id", "points": [x1, y1, ...], "bbox",
  "score"}`` under this key of its own.
- ``answer_annotations`` (only when individual answers were asked for): every revision of
  every answer as annotations of the same form, with ``answer_id``, ``worker_id``,
  ``latest`` and ``review`` (the decision, or null).
- ``categories``: the config's labels in order, ids from 1 (keypoints: the one category with
  ``keypoints`` names and ``skeleton`` as 1-based index pairs; OCR: ``text``).
- ``info``: project, kind, counts and the dataset card (measured accuracy) when given.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from datadam.kinds.archive import ChainReader, Media, ZipStream
from datadam.kinds.exporting import ExportContext, ExportFormat, Record

from .shapes import Categories, Shape, ShapeReader, area, flat, image_reference, image_size

SPOOL_MEMORY = 8 << 20
_SHAPE_KEYS = frozenset({"boxes", "shapes", "keypoints", "regions"})
FLUSH = 256 << 10
BLOCK = 1 << 20


class Spool:
    """A JSON array's elements written in pieces: memory up to ``SPOOL_MEMORY``, then a
    temporary file; read back in blocks. Writes are buffered, so small pieces stay cheap."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.count = 0  # elements

    def add(self, elements: bytes, n: int) -> None:
        """Append ``n`` elements, comma-separated already (no leading comma)."""
        if not n:
            return
        if self.count:
            self.buffer.append(b",")
        self.buffer.append(elements)
        self.buffered += len(elements)
        self.count += n
        if self.buffered >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.file.write(b"".join(self.buffer))
            self.buffer.clear()
            self.buffered = 0

    def blocks(self) -> Iterator[bytes]:
        self.flush()
        self.file.seek(0)
        while block := self.file.read(BLOCK):
            yield block
        self.file.close()


class CocoBuilder:
    """Turns records into COCO's parts (``images`` written by the caller, the rest spooled)."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.categories = Categories(ctx.config)
        self.reader = ShapeReader(ctx.config)
        self.annotations = Spool()
        self.polylines = Spool()
        self.answers = Spool() if ctx.options.answers else None
        self.images = 0
        self.without_result = 0
        self.next_id = 1
        self.next_answer_id = 1

    def _annotation(self, shape: Shape, image_id: int, ann_id: int) -> dict[str, Any]:
        x, y, w, h = shape.bbox
        ann: dict[str, Any] = {
            "id": ann_id,
            "image_id": image_id,
            "category_id": self.categories.index(shape.label) + 1,
            "bbox": [x, y, w, h],
            "area": area(shape),
            "iscrowd": 0,
        }
        if shape.points is not None and shape.type != "polyline":
            ann["segmentation"] = [flat(shape.points)]
        if shape.keypoints is not None:
            ann["keypoints"] = shape.keypoints
            ann["num_keypoints"] = shape.placed
        if shape.text is not None:
            ann["attributes"] = {"text": shape.text}
        if shape.score is not None:
            ann["score"] = shape.score
        return ann

    def _polyline(self, shape: Shape, image_id: int, line_id: int) -> dict[str, Any]:
        line = {"id": line_id, "image_id": image_id,
                "category_id": self.categories.index(shape.label) + 1,
                "points": flat(shape.points or []), "bbox": list(shape.bbox)}
        if shape.score is not None:
            line["score"] = shape.score
        return line

    def image(self, record: Record, file_name: str) -> bytes | None:
        """The record's ``images`` entry (None when the item has no result); its annotations
        go to the spools."""
        result = record.get("result")
        if result is None:
            self.without_result += 1
            return None
        image_id = record["item_id"]
        data = record.get("data")
        entry: dict[str, Any] = {"id": image_id, "file_name": file_name}
        size = image_size(data)
        if size is not None:
            entry["width"], entry["height"] = _number(size[0]), _number(size[1])
        entry["external_id"] = record.get("external_id", "")
        entry["confidence"] = result.get("confidence")
        entry["provisional"] = bool(result.get("provisional"))
        boxes = result.get("boxes")
        if isinstance(boxes, list) and len(result.keys() & _SHAPE_KEYS) == 1:
            anns, lines = self._boxes(boxes, image_id, result.get("confidence")), []
        else:
            anns, lines = self._shapes(result, image_id)
        if anns:
            self.annotations.add(orjson.dumps(anns)[1:-1], len(anns))
        if lines:
            self.polylines.add(orjson.dumps(lines)[1:-1], len(lines))
        if self.answers is not None:
            self._answers(record)
        self.images += 1
        return orjson.dumps(entry)

    def _boxes(self, boxes: list[Any], image_id: int, score: Any) -> list[dict[str, Any]]:
        """The annotations of a box result (the common case, kept fast: no ``Shape``s)."""
        ids = self.categories.ids
        anns = []
        next_id = self.next_id
        for b in boxes:
            try:
                box = b["box"]
                _x, _y, w, h = box
                area = round(w * h, 4)
                label = b.get("label", "")
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # not a box
            category = ids.get(label) or self.categories.index(str(label)) + 1
            ann = {"id": next_id, "image_id": image_id, "category_id": category, "bbox": box,
                   "area": area, "iscrowd": 0}
            value = b.get("score", score)
            if value is not None:
                ann["score"] = value
            anns.append(ann)
            next_id += 1
        self.next_id = next_id
        return anns

    def _shapes(self, result: dict[str, Any], image_id: int
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        anns, lines = [], []
        for shape in self.reader.read(result, result.get("confidence")):
            if shape.type == "polyline":
                lines.append(self._polyline(shape, image_id, self.polylines.count + len(lines) + 1))
            else:
                anns.append(self._annotation(shape, image_id, self.next_id))
                self.next_id += 1
        return anns, lines

    def _answers(self, record: Record) -> None:
        out = []
        for a in record.get("answers") or ():
            review = a.get("review")
            extra = {"answer_id": a.get("answer_id"), "worker_id": a.get("worker_id"),
                     "latest": a.get("latest", True),
                     "review": review.get("decision") if isinstance(review, dict) else None}
            for shape in self.reader.read(a.get("answer")):
                if shape.type == "polyline":
                    ann = self._polyline(shape, record["item_id"], self.next_answer_id)
                else:
                    ann = self._annotation(shape, record["item_id"], self.next_answer_id)
                ann.update(extra)
                out.append(ann)
                self.next_answer_id += 1
        if out and self.answers is not None:
            self.answers.add(orjson.dumps(out)[1:-1], len(out))

    def tail(self) -> Iterator[bytes]:
        """Everything after the last image: the spooled arrays, categories and info."""
        yield b'],"annotations":['
        yield from self.annotations.blocks()
        yield b"]"
        if self.polylines.count:
            yield b',"polylines":['
            yield from self.polylines.blocks()
            yield b"]"
        if self.answers is not None:
            yield b',"answer_annotations":['
            yield from self.answers.blocks()
            yield b"]"
        ctx = self.ctx
        info: dict[str, Any] = {
            "description": ctx.name,
            "contributor": "datadam",
            "version": "1",
            "date_created": (ctx.card or {}).get("generated_at", ""),
            "project_id": ctx.project_id,
            "kind": ctx.kind,
            "images": self.images,
            "annotations": self.annotations.count,
            "items_without_result": self.without_result,
        }
        if ctx.card is not None:
            info["dataset_card"] = ctx.card
        yield b',"categories":' + orjson.dumps(self.categories.coco())
        yield b',"info":' + orjson.dumps(info) + b',"licenses":[]}'


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _json(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The COCO JSON with every image by reference."""
    coco = CocoBuilder(ctx)
    out: list[bytes] = [b'{"images":[']
    size = 0
    first = True
    for record in records:
        entry = coco.image(record, image_reference(record.get("data")))
        if entry is None:
            continue
        if not first:
            out.append(b",")
        first = False
        out.append(entry)
        size += len(entry)
        if size >= FLUSH:
            yield b"".join(out)
            out.clear()
            size = 0
    yield b"".join(out)
    yield from coco.tail()


def _zip(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """A zip of ``annotations.json`` and the images that are ours under ``images/``."""
    zs = ZipStream()
    media = Media(ctx.open_media, include=True)
    coco = CocoBuilder(ctx)
    images = Spool()
    for record in records:
        if record.get("result") is None:
            coco.image(record, "")  # counted as without result
            continue
        _stem, path, _copied = yield from media.copy(zs, image_reference(record.get("data")),
                                            record["item_id"])
        entry = coco.image(record, path)
        if entry is not None:
            images.add(entry, 1)
    def parts() -> Iterator[bytes]:
        yield b'{"images":['
        yield from images.blocks()
        yield from coco.tail()

    yield from zs.copy("annotations.json", ChainReader(parts()), compress=True, large=True)
    yield zs.close()


def write(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """COCO JSON (a zip with ``images/`` when media are included)."""
    if ctx.options.media == "include":
        return _zip(ctx, records)
    return _json(ctx, records)


COCO = ExportFormat(
    slug="coco",
    title="COCO JSON",
    extension="json",
    content_type="application/json",
    write=write,
)
