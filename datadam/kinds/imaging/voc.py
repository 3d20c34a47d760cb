"""Pascal VOC XML as a zip, written as a stream.

The archive (docs/kinds/exports.md):

- ``Annotations/<stem>.xml`` per item with a result: ``filename``, ``path`` (the image
  reference), ``size`` (when the item states width and height; depth 3), and an ``object``
  per shape with ``name``, ``pose``, ``truncated``, ``difficult``, ``occluded`` and
  ``bndbox`` (``xmin ymin xmax ymax``: pixel coordinates as stored, 0-based, 2 decimals;
  VOC's own tools wrote 1-based whole pixels). Polygons are their bounding boxes with a
  ``<polygon>`` child holding the vertices (``<x1>``, ``<y1>``, ``<x2>``, ...) as CVAT
  writes them; polylines likewise (``<polyline>``). OCR regions are objects named ``text``
  with the reading in ``<attributes><attribute><name>text</name><value>``, CVAT's form.
  Keypoints have no VOC form: a keypoint project exports COCO or YOLO instead.
- ``ImageSets/Main/default.txt``: the stems, one a line.
- ``labelmap.txt``: CVAT's label map (``label:r,g,b::``), ``background`` first, colours from
  the project's config.
- ``JPEGImages/``: the image files that are ours, when media are included.
- ``skipped.txt`` (only when some item was): ``item_id<TAB>image<TAB>reason``.
- ``dataset_card.json``: the dataset card, when given.

Individual answers are not part of VOC; ask for JSONL, CSV or COCO to get them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import orjson

from datadam.kinds.archive import FLUSH_AT, LineSpool, Media, ZipStream, split_name
from datadam.kinds.exporting import ExportContext, ExportFormat, Record

from .shapes import Categories, Shape, ShapeReader, image_reference, image_size

# Characters XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: object) -> str:
    """Text for an XML element: escaped, with characters XML cannot hold removed."""
    text = _NOT_XML.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _num(v: float) -> str:
    v = round(float(v), 2)
    return str(int(v)) if v.is_integer() else repr(v)


def _vertices(tag: str, points: list[list[float]]) -> str:
    coords = "".join(f"<x{i}>{_num(p[0])}</x{i}><y{i}>{_num(p[1])}</y{i}>"
                     for i, p in enumerate(points, 1))
    return f"<{tag}>{coords}</{tag}>"


def object_xml(shape: Shape) -> str:
    x, y, w, h = shape.bbox
    parts = [
        f"<object><name>{_x(shape.label)}</name><pose>Unspecified</pose>"
        "<truncated>0</truncated><difficult>0</difficult><occluded>0</occluded>",
        f"<bndbox><xmin>{_num(x)}</xmin><ymin>{_num(y)}</ymin>"
        f"<xmax>{_num(x + w)}</xmax><ymax>{_num(y + h)}</ymax></bndbox>",
    ]
    if shape.points is not None:
        parts.append(_vertices("polyline" if shape.type == "polyline" else "polygon",
                               shape.points))
    if shape.text is not None:
        parts.append("<attributes><attribute><name>text</name>"
                     f"<value>{_x(shape.text)}</value></attribute></attributes>")
    parts.append("</object>")
    return "".join(parts)


def annotation_xml(file_name: str, reference: str, size: tuple[float, float] | None,
                   shapes: list[Shape]) -> str:
    head = [f"<annotation><folder>JPEGImages</folder><filename>{_x(file_name)}</filename>"
            f"<path>{_x(reference)}</path><source><database>datadam</database></source>"]
    if size is not None:
        head.append(f"<size><width>{_num(size[0])}</width><height>{_num(size[1])}</height>"
                    "<depth>3</depth></size>")
    segmented = any(s.type in ("polygon", "polyline") for s in shapes)
    head.append(f"<segmented>{int(segmented)}</segmented>")
    return "".join(["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", *head,
                    *(object_xml(s) for s in shapes), "</annotation>\n"])


def labelmap(categories: Categories) -> str:
    """CVAT's labelmap.txt: ``# label:color_rgb:parts:actions``, background first."""
    lines = ["# label:color_rgb:parts:actions", "background:0,0,0::"]
    for i, name in enumerate(categories.names):
        r, g, b = categories.color(name, _PALETTE[i % len(_PALETTE)])
        lines.append(f"{name.replace(':', '_')}:{r},{g},{b}::")
    return "\n".join(lines) + "\n"


# VOC's own colour map for its first classes, then on.
_PALETTE = [(128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128), (128, 0, 128),
            (0, 128, 128), (128, 128, 128), (64, 0, 0), (192, 0, 0), (64, 128, 0),
            (192, 128, 0), (64, 0, 128), (192, 0, 128), (64, 128, 128), (192, 128, 128)]


def write(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The VOC archive, streamed (memory flat: the lists are spooled)."""
    zs = ZipStream()
    media = Media(ctx.open_media, include=ctx.options.media == "include", folder="JPEGImages")
    categories = Categories(ctx.config)
    reader = ShapeReader(ctx.config)
    stems, skipped = LineSpool(), LineSpool()
    for record in records:
        item_id = record["item_id"]
        data = record.get("data")
        reference = image_reference(data)
        result = record.get("result")
        if result is None:
            skipped.add(f"{item_id}\t{reference}\tno result")
            continue
        stem, path, copied = yield from media.copy(zs, reference, item_id)
        shapes = [s for s in reader.read(result) if s.type != "keypoints"]
        for s in shapes:
            categories.index(s.label)
        if copied:
            name = path.rsplit("/", 1)[-1]
        else:
            own_stem, ext = split_name(reference)
            name = f"{own_stem or stem}{ext}"
        zs.writestr(f"Annotations/{stem}.xml",
                    annotation_xml(name, reference, image_size(data), shapes))
        stems.add(stem)
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    yield from zs.copy("ImageSets/Main/default.txt", stems.reader(), compress=True)
    if skipped.count:
        yield from zs.copy("skipped.txt", skipped.reader(), compress=True)
    zs.writestr("labelmap.txt", labelmap(categories))
    if ctx.card is not None:
        zs.writestr("dataset_card.json", orjson.dumps(ctx.card, option=orjson.OPT_INDENT_2))
    yield zs.close()


VOC = ExportFormat(
    slug="voc",
    title="Pascal VOC",
    extension="zip",
    content_type="application/zip",
    write=write,
)
