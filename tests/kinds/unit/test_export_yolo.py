"""YOLO writer: the archive read back, labels de-normalised to the boxes (no database)."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from datadam.kinds.exporting import ExportContext, ExportOptions
from datadam.kinds.imaging import yolo

BOX_CONFIG = {"labels": ["car", "person", "bike"]}


def ctx(kind, config, **options):
    return ExportContext(project_id=3, name='Cars: "day"', kind=kind, config=config,
                         options=ExportOptions(**options), card={"accuracy": {"estimate": 0.9}})


def record(item_id, result, *, image, size=(1920, 1080)):
    data = {"image": image}
    if size:
        data.update(width=size[0], height=size[1])
    return {"item_id": item_id, "external_id": "", "data": data, "result": result,
            "answers": []}


def archive(kind, config, records, **options) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(yolo.write(ctx(kind, config, **options),
                                                          records))))


def boxes_back(text: str, size) -> list[tuple[int, list[float]]]:
    W, H = size
    out = []
    for line in text.splitlines():
        cls, cx, cy, w, h = line.split()
        cx, cy, w, h = float(cx) * W, float(cy) * H, float(w) * W, float(h) * H
        out.append((int(cls), [cx - w / 2, cy - h / 2, w, h]))
    return out


BOXES = {
    1: [{"label": "car", "box": [10.25, 20.5, 300.75, 150.0]},
        {"label": "bike", "box": [1500.0, 900.0, 419.99, 179.99]}],
    2: [{"label": "person", "box": [0.0, 0.0, 1920.0, 1080.0]}],
    5: [],
}


def test_detection_labels_denormalise_to_the_boxes():
    records = [
        record(1, {"boxes": BOXES[1]}, image="https://img.test/a/street.jpg"),
        record(2, {"boxes": BOXES[2]}, image="https://img.test/b/street.jpg", size=(4000, 3000)),
        record(3, None, image="https://img.test/c.jpg"),
        record(4, {"boxes": BOXES[1]}, image="https://img.test/nosize.jpg", size=None),
        record(5, {"boxes": []}, image="https://img.test/empty.png"),
    ]
    zf = archive("bounding_box", BOX_CONFIG, records)
    names = set(zf.namelist())
    assert {"labels/street.txt", "labels/street_2.txt", "labels/empty.txt", "data.yaml",
            "images.txt", "classes.txt", "skipped.txt", "dataset_card.json"} == names

    for name, item, size in (("street", 1, (1920, 1080)), ("street_2", 2, (4000, 3000))):
        got = boxes_back(zf.read(f"labels/{name}.txt").decode(), size)
        want = [(BOX_CONFIG["labels"].index(b["label"]), b["box"]) for b in BOXES[item]]
        assert [c for c, _ in got] == [c for c, _ in want]
        for (_, g), (_, w) in zip(got, want, strict=True):
            assert g == pytest.approx(w, abs=1e-6)
    assert zf.read("labels/empty.txt") == b""  # a background image
    assert zf.read("images.txt").decode().splitlines() == [
        "https://img.test/a/street.jpg", "https://img.test/b/street.jpg",
        "https://img.test/empty.png"]
    skipped = [line.split("\t") for line in zf.read("skipped.txt").decode().splitlines()]
    assert [(s[0], s[2]) for s in skipped] == [
        ("3", "no result"), ("4", "no width/height in the item's data")]

    spec = yaml.safe_load(zf.read("data.yaml"))
    assert spec["nc"] == 3
    assert spec["names"] == {0: "car", 1: "person", 2: "bike"}
    assert spec["train"] == "images.txt" and spec["path"] == "."
    assert zf.read("classes.txt").decode().split() == ["car", "person", "bike"]


def test_boxes_past_the_edge_are_clipped_into_the_image():
    zf = archive("bounding_box", BOX_CONFIG, [record(1, {"boxes": [
        {"label": "car", "box": [-10.0, 1000.0, 110.0, 200.0]}]}, image="x/a.jpg")])
    ((cls, box),) = boxes_back(zf.read("labels/a.txt").decode(), (1920, 1080))
    assert box == pytest.approx([0.0, 1000.0, 100.0, 80.0], abs=1e-6)
    values = [float(v) for v in zf.read("labels/a.txt").split()[1:]]
    assert all(0 <= v <= 1 for v in values)


def test_polygons_become_segmentation_lines_and_polylines_are_reported():
    poly = [[100.0, 50.0], [400.5, 60.25], [250.0, 500.0]]
    zf = archive("polygon", {"labels": ["road", "lane"]}, [record(1, {"shapes": [
        {"label": "lane", "type": "polygon", "points": poly},
        {"label": "road", "type": "polyline", "points": [[0, 0], [5, 5]]},
    ]}, image="https://img.test/seg.jpg", size=(800, 600))])
    (line,) = zf.read("labels/seg.txt").decode().splitlines()
    cls, *coords = line.split()
    assert cls == "1"
    back = [v * (800 if i % 2 == 0 else 600) for i, v in enumerate(map(float, coords))]
    assert back == pytest.approx([v for p in poly for v in p], abs=1e-6)
    assert "1 shapes left out" in zf.read("skipped.txt").decode()
    assert "segment" in zf.read("data.yaml").decode().splitlines()[0]


def test_keypoints_become_pose_labels_with_kpt_shape():
    config = {"points": ["nose", "left_eye", "right_eye"], "skeleton": [], "category": "face"}
    marks = {"nose": [100.0, 200.0, 2], "left_eye": [80.0, 150.0, 1]}
    zf = archive("keypoints", config, [record(1, {"keypoints": marks}, image="f/face.jpg",
                                              size=(400, 400))])
    values = zf.read("labels/face.txt").decode().split()
    assert values[0] == "0"
    cx, cy, w, h = (float(v) * 400 for v in values[1:5])
    assert [cx - w / 2, cy - h / 2, w, h] == pytest.approx([80, 150, 20, 50], abs=1e-6)
    kps = values[5:]
    assert [float(kps[0]) * 400, float(kps[1]) * 400, kps[2]] == [
        pytest.approx(100), pytest.approx(200), "2"]
    assert kps[5] == "1" and kps[6:] == ["0", "0", "0"]
    spec = yaml.safe_load(zf.read("data.yaml"))
    assert spec["kpt_shape"] == [3, 3] and spec["names"] == {0: "face"}


def test_media_included_puts_our_images_beside_their_labels():
    files = {"/media/p/1.jpg": b"\xff\xd8\xff" + b"x" * 3_000_000}
    records = [record(1, {"boxes": BOXES[1]}, image="/media/p/1.jpg"),
               record(2, {"boxes": BOXES[2]}, image="https://img.test/other.jpg")]
    context = ExportContext(project_id=1, name="P", kind="bounding_box", config=BOX_CONFIG,
                            options=ExportOptions(media="include"),
                            open_media=lambda ref: io.BytesIO(files[ref]) if ref in files
                            else None)
    zf = zipfile.ZipFile(io.BytesIO(b"".join(yolo.write(context, records))))
    assert zf.read("images/1.jpg") == files["/media/p/1.jpg"]
    assert zf.read("images.txt").decode().splitlines() == [
        "./images/1.jpg", "https://img.test/other.jpg"]
    assert {"labels/1.txt", "labels/other.txt"} <= set(zf.namelist())
