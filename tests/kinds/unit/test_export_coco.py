"""COCO JSON writer, read back by pycocotools and scored by its COCOeval (no database)."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from datadam.kinds.exporting import ExportContext, ExportOptions
from datadam.kinds.imaging import coco

BOX_CONFIG = {"labels": ["car", "person", "bike"]}
POLY_CONFIG = {"labels": ["road", "lane"], "tools": ["polygon", "polyline"]}
KP_CONFIG = {"points": ["head", "left_hand", "right_hand", "left_foot", "right_foot"],
             "skeleton": [["head", "left_hand"], ["head", "right_hand"],
                          ["left_foot", "right_foot"]], "category": "person"}


def ctx(kind, config, **options):
    return ExportContext(project_id=7, name="Street scenes", kind=kind, config=config,
                         options=ExportOptions(**options),
                         card={"generated_at": "2026-12-01T00:00:00+00:00",
                               "accuracy": {"estimate": 0.93, "interval_95": [0.9, 0.95]}})


def record(item_id, result, *, width=640, height=480, image=None, answers=()):
    data = {"image": image or f"https://img.test/set/{item_id:04d}.jpg"}
    if width:
        data.update(width=width, height=height)
    if result is not None:
        result = {**result, "confidence": 0.9, "answers": 3, "provisional": False,
                  "method": "fusion"}
    return {"item_id": item_id, "external_id": f"ext-{item_id}", "data": data,
            "result": result, "answers": list(answers)}


def box_records(shift=0.0):
    rng = np.random.default_rng(4)
    out = []
    for i in range(1, 13):
        boxes = []
        for _ in range(int(rng.integers(1, 5))):
            w, h = float(rng.integers(20, 120)), float(rng.integers(20, 120))
            x, y = float(rng.integers(0, 500)), float(rng.integers(0, 350))
            boxes.append({"label": str(rng.choice(BOX_CONFIG["labels"])),
                          "box": [round(x + shift * w, 2), y, w, h], "score": 0.8})
        out.append(record(i, {"boxes": boxes}))
    return out


def polygon_records(shift=0.0):
    out = []
    for i in range(1, 9):
        x0, y0 = 30.0 * i, 20.0 * i
        tri = [[x0 + shift * 80, y0], [x0 + 80 + shift * 80, y0 + 10], [x0 + 40, y0 + 90]]
        quad = [[300.0, 40.0 + i], [420.0, 40.0 + i], [420.0, 140.0], [300.0 + shift * 120, 140.0]]
        out.append(record(i, {"shapes": [
            {"label": "road", "type": "polygon", "points": tri, "score": 1.0},
            {"label": "lane", "type": "polygon", "points": quad, "score": 0.7},
            {"label": "lane", "type": "polyline", "points": [[0.0, 0.0], [50.0, 60.0]]},
        ]}))
    return out


def keypoint_records(shift=0.0):
    out = []
    for i in range(1, 9):
        bx, by = 40.0 * i, 30.0 + 10 * i
        marks = {"head": [bx + 50, by, 2], "left_hand": [bx, by + 60, 2],
                 "right_hand": [bx + 100, by + 60, 1], "left_foot": [bx + 30, by + 150, 2],
                 "right_foot": [bx + 70, by + 150, 2]}
        if i % 3 == 0:
            del marks["right_foot"]  # not placed
        marks = {n: [x + shift, y + shift, v] for n, (x, y, v) in marks.items()}
        out.append(record(i, {"keypoints": marks}))
    return out


def load(data: bytes, tmp_path: Path, name: str = "coco.json") -> COCO:
    path = tmp_path / name
    path.write_bytes(data)
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(str(path))


def export(kind, config, records, **options) -> bytes:
    return b"".join(coco.write(ctx(kind, config, **options), records))


def average_precision(gt: COCO, detections: bytes, iou_type: str, sigmas=None) -> float:
    anns = json.loads(detections)["annotations"]
    for ann in anns:
        ann.setdefault("score", 1.0)
    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes(anns)
        ev = COCOeval(gt, dt, iou_type)
        if sigmas is not None:
            ev.params.kpt_oks_sigmas = np.array(sigmas)
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return float(ev.stats[0])


def test_boxes_load_in_pycocotools_with_images_categories_and_info(tmp_path):
    records = box_records()
    records.insert(3, record(99, None))  # no counted answer: not an image of the dataset
    data = export("bounding_box", BOX_CONFIG, records)
    gt = load(data, tmp_path)

    assert sorted(gt.getImgIds()) == list(range(1, 13))
    assert [c["name"] for c in gt.loadCats(gt.getCatIds())] == ["car", "person", "bike"]
    first = gt.loadImgs(1)[0]
    assert first["file_name"] == "https://img.test/set/0001.jpg"
    assert (first["width"], first["height"], first["external_id"]) == (640, 480, "ext-1")
    for rec in box_records():
        anns = gt.loadAnns(gt.getAnnIds(imgIds=rec["item_id"]))
        assert [a["bbox"] for a in anns] == [b["box"] for b in rec["result"]["boxes"]]
        assert [gt.cats[a["category_id"]]["name"] for a in anns] == [
            b["label"] for b in rec["result"]["boxes"]]
        assert all(a["area"] == pytest.approx(a["bbox"][2] * a["bbox"][3]) for a in anns)
    info = json.loads(data)["info"]
    assert info["items_without_result"] == 1 and info["images"] == 12
    assert info["dataset_card"]["accuracy"]["estimate"] == 0.93


def test_bbox_ap_is_one_for_equal_boxes_and_lower_when_shifted(tmp_path):
    gt = load(export("bounding_box", BOX_CONFIG, box_records()), tmp_path)
    same = export("bounding_box", BOX_CONFIG, box_records())
    shifted = export("bounding_box", BOX_CONFIG, box_records(shift=0.4))

    assert average_precision(gt, same, "bbox") == pytest.approx(1.0)
    assert average_precision(gt, shifted, "bbox") < 0.9


def test_polygons_have_segmentation_and_segm_ap(tmp_path):
    data = export("polygon", POLY_CONFIG, polygon_records())
    gt = load(data, tmp_path)
    anns = gt.loadAnns(gt.getAnnIds(imgIds=1))
    tri, quad = anns
    assert tri["segmentation"] == [[30.0, 20.0, 110.0, 30.0, 70.0, 110.0]]
    assert tri["bbox"] == [30.0, 20.0, 80.0, 90.0]
    assert tri["area"] == 3400  # shoelace: |30·30 − 110·20 + 110·110 − 70·30 + 70·20 − 30·110| / 2
    assert quad["area"] == pytest.approx(120 * 99)
    assert gt.annToMask(quad).sum() == pytest.approx(120 * 99, rel=0.05)
    # Open lines are no COCO annotation: they are listed under a key of their own.
    whole = json.loads(data)
    assert len(whole["polylines"]) == 8
    assert whole["polylines"][0]["points"] == [0.0, 0.0, 50.0, 60.0]

    same = export("polygon", POLY_CONFIG, polygon_records())
    shifted = export("polygon", POLY_CONFIG, polygon_records(shift=0.5))
    assert average_precision(gt, same, "segm") == pytest.approx(1.0)
    assert average_precision(gt, shifted, "segm") < 0.9


def test_shoelace_area_of_a_triangle():
    data = export("polygon", POLY_CONFIG, [record(1, {"shapes": [
        {"label": "road", "type": "polygon", "points": [[0, 0], [10, 0], [0, 10]]}]})])
    assert json.loads(data)["annotations"][0]["area"] == 50


def test_keypoints_with_skeleton_and_keypoint_ap(tmp_path):
    data = export("keypoints", KP_CONFIG, keypoint_records())
    gt = load(data, tmp_path)
    (cat,) = gt.loadCats(gt.getCatIds())
    assert cat["name"] == "person"
    assert cat["keypoints"] == KP_CONFIG["points"]
    assert cat["skeleton"] == [[1, 2], [1, 3], [4, 5]]
    (ann,) = gt.loadAnns(gt.getAnnIds(imgIds=3))
    assert ann["num_keypoints"] == 4
    assert ann["keypoints"][-3:] == [0, 0, 0]  # right foot not placed
    assert ann["keypoints"][6:9] == [220.0, 120.0, 1]  # right hand occluded
    xs, ys = ann["keypoints"][0:12:3], ann["keypoints"][1:12:3]
    assert ann["bbox"] == [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    assert ann["area"] == pytest.approx(ann["bbox"][2] * ann["bbox"][3])

    sigmas = [0.05] * 5
    same = export("keypoints", KP_CONFIG, keypoint_records())
    shifted = export("keypoints", KP_CONFIG, keypoint_records(shift=25.0))
    assert average_precision(gt, same, "keypoints", sigmas) == pytest.approx(1.0)
    assert average_precision(gt, shifted, "keypoints", sigmas) < 0.9


def test_ocr_regions_carry_their_text_and_outline(tmp_path):
    records = [record(1, {"regions": [
        {"box": [10.0, 10.0, 100.0, 20.0], "text": "서울 Seoul", "score": 0.9},
        {"box": [10.0, 50.0, 50.0, 50.0], "points": [[10, 50], [60, 50], [35, 100]],
         "text": "A"},
    ]})]
    gt = load(export("ocr", {"languages": ["ko", "en"]}, records), tmp_path)
    assert [c["name"] for c in gt.dataset["categories"]] == ["text"]
    first, second = gt.loadAnns(gt.getAnnIds(imgIds=1))
    assert first["attributes"] == {"text": "서울 Seoul"} and "segmentation" not in first
    assert second["segmentation"] == [[10, 50, 60, 50, 35, 100]]
    assert second["area"] == pytest.approx(1250)


def test_individual_answers_are_annotations_of_their_own():
    answers = [
        {"answer_id": 11, "worker_id": 5, "latest": True, "review": {"decision": "approve"},
         "answer": {"boxes": [{"label": "car", "box": [1, 2, 3, 4]}]}},
        {"answer_id": 12, "worker_id": 6, "latest": True, "review": None,
         "answer": {"boxes": [{"label": "bike", "box": [5, 6, 7, 8]},
                              {"label": "car", "box": [1, 2, 3, 5]}]}},
    ]
    rec = record(1, {"boxes": [{"label": "car", "box": [1, 2, 3, 4], "score": 1.0}]},
                 answers=answers)
    plain = json.loads(export("bounding_box", BOX_CONFIG, [rec]))
    assert "answer_annotations" not in plain
    full = json.loads(export("bounding_box", BOX_CONFIG, [rec], answers=True))
    got = [(a["answer_id"], a["worker_id"], a["review"], a["bbox"])
           for a in full["answer_annotations"]]
    assert got == [(11, 5, "approve", [1, 2, 3, 4]), (12, 6, None, [5, 6, 7, 8]),
                   (12, 6, None, [1, 2, 3, 5])]
    assert len(full["annotations"]) == 1


def test_labels_not_in_the_config_become_categories_after_it():
    rec = record(1, {"boxes": [{"label": "truck", "box": [1, 2, 3, 4]}]})
    data = json.loads(export("bounding_box", BOX_CONFIG, [rec]))
    assert [c["name"] for c in data["categories"]] == ["car", "person", "bike", "truck"]
    assert data["annotations"][0]["category_id"] == 4


def test_media_included_makes_a_zip_with_the_images(tmp_path):
    files = {"/media/items/a.jpg": b"\xff\xd8\xffjpeg-a",
             "/media/items/noext": b"\x89PNG\r\n\x1a\nxx"}

    def opener(reference):
        return io.BytesIO(files[reference]) if reference in files else None

    records = [record(1, {"boxes": []}, image="/media/items/a.jpg"),
               record(2, {"boxes": []}, image="/media/items/noext"),
               record(3, {"boxes": []}, image="https://elsewhere.test/b.jpg")]
    context = ExportContext(project_id=1, name="P", kind="bounding_box", config=BOX_CONFIG,
                            options=ExportOptions(media="include"), open_media=opener)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(coco.write(context, records))))
    assert archive.read("images/a.jpg") == files["/media/items/a.jpg"]
    assert archive.read("images/noext.png") == files["/media/items/noext"]
    gt = load(archive.read("annotations.json"), tmp_path)
    assert [gt.imgs[i]["file_name"] for i in (1, 2, 3)] == [
        "images/a.jpg", "images/noext.png", "https://elsewhere.test/b.jpg"]


def test_the_writer_streams_before_reading_every_record():
    pulled = 0

    def records():
        nonlocal pulled
        for i in range(1, 5001):
            pulled += 1
            yield record(i, {"boxes": [{"label": "car", "box": [1, 2, 3, 4], "score": 1}]})

    chunks = coco.write(ctx("bounding_box", BOX_CONFIG), records())
    next(chunks)
    assert pulled < 5000
    rest = b"".join(chunks)
    assert rest.endswith(b"}") and pulled == 5000


def test_the_same_records_give_the_same_bytes():
    assert export("polygon", POLY_CONFIG, polygon_records()) == export(
        "polygon", POLY_CONFIG, polygon_records())
