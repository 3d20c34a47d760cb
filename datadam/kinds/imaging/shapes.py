"""A result or answer of any image kind as flat shapes, and the export's categories.

The kinds' formats (docs/kinds/interface.md), read by their keys so one reader serves all:

- ``{"boxes": [{"label", "box": [x, y, w, h], "score"?}]}`` → ``box`` shapes;
- ``{"shapes": [{"label", "type": "polygon"/"polyline", "points", "score"?}]}`` →
  ``polygon`` and ``polyline`` shapes;
- ``{"keypoints": {name: [x, y, v]}}`` → one ``keypoints`` shape (the project's one object
  per image), points in the config's ``points`` order, ``[0, 0, 0]`` for a point left out;
  names the config does not list are left out (a fixed-length array cannot hold them);
- ``{"regions": [{"box", "points"?, "text", "score"?}]}`` → ``text`` shapes labelled
  ``text``.

A shape's bounding box is ``[x, y, w, h]`` in pixels (polygons, lines and keypoints: of
their points, keypoints only the placed ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Shape(NamedTuple):
    label: str
    type: str  # "box", "polygon", "polyline", "keypoints", "text"
    bbox: tuple[float, float, float, float]
    points: list[list[float]] | None = None  # vertices (polygon, polyline, outlined text)
    keypoints: list[float] | None = None  # x, y, v for each of the config's points
    placed: int = 0  # keypoints placed (v > 0)
    text: str | None = None
    score: float | None = None


def _bounds(points: Iterable[Any]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    x0, y0 = min(xs), min(ys)
    return (x0, y0, round(max(xs) - x0, 2), round(max(ys) - y0, 2))


def polygon_area(points: list[list[float]]) -> float:
    """Area inside a closed polygon (shoelace), in square pixels."""
    n = len(points)
    twice = 0.0
    for i in range(n):
        x0, y0 = points[i]
        x1, y1 = points[(i + 1) % n]
        twice += x0 * y1 - x1 * y0
    return abs(twice) / 2


def area(shape: Shape) -> float:
    """A shape's area for COCO: a polygon's own area, else its bounding box's (keypoints:
    the box of the placed points, as COCO's evaluation scales OKS by it)."""
    if shape.points is not None and shape.type in ("polygon", "text") and len(shape.points) >= 3:
        return round(polygon_area(shape.points), 4)
    return round(shape.bbox[2] * shape.bbox[3], 4)


def flat(points: list[list[float]]) -> list[float]:
    """``[[x1, y1], [x2, y2]]`` → ``[x1, y1, x2, y2]``."""
    return [v for p in points for v in p[:2]]


class ShapeReader:
    """Reads results and answers of an image kind into ``Shape`` lists."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.points: list[str] = list(config.get("points") or [])
        self.category = str(config.get("category") or "object")

    def read(self, value: Any, score: float | None = None) -> list[Shape]:
        """The shapes of a result or an answer (``score``: for shapes without their own)."""
        if not isinstance(value, dict):
            return []
        out: list[Shape] = []
        boxes = value.get("boxes")
        if isinstance(boxes, list):
            for b in boxes:
                box = b.get("box") if isinstance(b, dict) else None
                if isinstance(box, list) and len(box) == 4:
                    out.append(Shape(str(b.get("label", "")), "box", tuple(box),
                                     score=b.get("score", score)))
        shapes = value.get("shapes")
        if isinstance(shapes, list):
            for s in shapes:
                pts = s.get("points") if isinstance(s, dict) else None
                if isinstance(pts, list) and pts:
                    kind = "polyline" if s.get("type") == "polyline" else "polygon"
                    out.append(Shape(str(s.get("label", "")), kind, _bounds(pts), points=pts,
                                     score=s.get("score", score)))
        marks = value.get("keypoints")
        if isinstance(marks, dict) and marks:
            flat_points: list[float] = []
            placed = []
            for name in self.points:
                mark = marks.get(name)
                if isinstance(mark, list) and len(mark) == 3 and mark[2]:
                    flat_points.extend((mark[0], mark[1], int(mark[2])))
                    placed.append(mark)
                else:
                    flat_points.extend((0, 0, 0))
            if placed:
                out.append(Shape(self.category, "keypoints", _bounds(placed),
                                 keypoints=flat_points, placed=len(placed),
                                 score=value.get("score", score)))
        regions = value.get("regions")
        if isinstance(regions, list):
            for r in regions:
                box = r.get("box") if isinstance(r, dict) else None
                if isinstance(box, list) and len(box) == 4:
                    pts = r.get("points")
                    out.append(Shape("text", "text", tuple(box),
                                     points=pts if isinstance(pts, list) and pts else None,
                                     text=str(r.get("text", "")), score=r.get("score", score)))
        return out


class Categories:
    """The export's categories, numbered in the config's order; labels met in the data that
    the config does not list (a label renamed since) are numbered after them, as met."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.keypoints: list[str] = list(config.get("points") or [])
        if self.keypoints:
            names = [str(config.get("category") or "object")]
        elif config.get("labels"):
            names = [str(lb if not isinstance(lb, dict) else lb.get("name", ""))
                     for lb in config["labels"]]
        else:
            names = ["text"]  # OCR: regions carry no label
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        #: COCO's 1-based category id of each label met so far
        self.ids: dict[str, int] = {}
        for name in names:
            self.index(name)

    def index(self, label: str) -> int:
        """0-based position of a label (YOLO's class number)."""
        i = self._index.get(label)
        if i is None:
            i = self._index[label] = len(self.names)
            self.ids[label] = i + 1
            self.names.append(label)
        return i

    def coco(self) -> list[dict[str, Any]]:
        """COCO's ``categories`` (ids 1-based); for keypoints with names and skeleton."""
        out: list[dict[str, Any]] = []
        for i, name in enumerate(self.names, 1):
            category: dict[str, Any] = {"id": i, "name": name, "supercategory": ""}
            if self.keypoints and i == 1:
                position = {n: k for k, n in enumerate(self.keypoints, 1)}
                category["keypoints"] = self.keypoints
                category["skeleton"] = [
                    [position[a], position[b]] for a, b in self.config.get("skeleton") or []
                    if a in position and b in position
                ]
            out.append(category)
        return out

    def color(self, label: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
        """The label's colour from the config (``"#rrggbb"``), else ``fallback``."""
        value = (self.config.get("colors") or {}).get(label)
        if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
            try:
                return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
            except ValueError:
                pass
        return fallback


def image_size(data: Any) -> tuple[float, float] | None:
    """(width, height) of an item's image when its data states both."""
    if not isinstance(data, dict):
        return None
    w, h = data.get("width"), data.get("height")
    if (isinstance(w, int | float) and isinstance(h, int | float) and not isinstance(w, bool)
            and not isinstance(h, bool) and w > 0 and h > 0):
        return float(w), float(h)
    return None


def image_reference(data: Any) -> str:
    """The item's image reference (URL or media path); empty when it has none."""
    value = data.get("image") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""
