"""The image annotation kinds: config and answer checks, fusion, gold tolerance, controls."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

BOX = get_kind("bounding_box")
POLY = get_kind("polygon")
KPT = get_kind("keypoints")
OCR = get_kind("ocr")
BOX_CONFIG = BOX.validate_config({"labels": ["car", "person"], "colors": {"car": "#FF0000"}})
POLY_CONFIG = POLY.validate_config({"labels": ["road", "lane"],
                                    "tools": ["polyline", "polygon"]})
KPT_CONFIG = KPT.validate_config({"points": ["left_eye", "right_eye", "nose"],
                                  "skeleton": [["left_eye", "nose"], ["right_eye", "nose"]],
                                  "category": "face"})
OCR_CONFIG = OCR.validate_config({"languages": ["ja", "ko"], "tools": ["box", "polygon"]})
ITEM = {"image": "/media/a.png", "width": 300, "height": 200}


def test_configs_get_defaults_colours_and_tolerances():
    assert BOX_CONFIG["colors"] == {"car": "#ff0000", "person": "#3cb44b"}
    assert (BOX_CONFIG["iou"], BOX_CONFIG["min_agreement"], BOX_CONFIG["pass_score"]) == (
        0.5, 0.5, 0.8)
    assert POLY_CONFIG["tools"] == ["polygon", "polyline"]
    assert KPT_CONFIG["pass_score"] == 0.75 and KPT_CONFIG["category"] == "face"
    assert OCR_CONFIG["languages"] == ["ko", "ja"]


@pytest.mark.parametrize("kind, config, message", [
    (BOX, {"labels": []}, "labels"),
    (BOX, {"labels": ["a", "a"]}, "unique"),
    (BOX, {"labels": ["a"], "iou": 1.5}, "iou"),
    (BOX, {"labels": ["a"], "colors": {"a": "red"}}, "colour"),
    (BOX, {"labels": ["a"], "colors": {"b": "#000000"}}, "unknown labels"),
    (POLY, {"labels": ["a"], "tools": ["circle"]}, "tools"),
    (KPT, {"points": ["a", "b"], "skeleton": [["a", "c"]]}, "skeleton"),
    (KPT, {"points": ["a"], "sigmas": {"a": 0}}, "sigmas"),
    (OCR, {"languages": ["fr"]}, "languages"),
])
def test_bad_configs_are_refused_with_the_setting_named(kind, config, message):
    with pytest.raises(InvalidInput, match=message):
        kind.validate_config(config)


def test_items_need_an_image_and_whole_pixel_sizes():
    assert BOX.validate_item(ITEM) == ITEM
    for bad in ({}, {"image": ""}, {"image": "a.png", "width": 10},
                {"image": "a.png", "width": 10.5, "height": 3}):
        with pytest.raises(ItemError):
            BOX.validate_item(bad)


def test_boxes_are_rounded_and_clipped_to_the_image():
    answer = BOX.validate_answer({"boxes": [
        {"label": "car", "box": [-10, 20.123, 50, 30]},
        {"label": "person", "box": [280, 190, 40, 40]},
    ]}, BOX_CONFIG, ITEM)
    assert answer == {"boxes": [{"label": "car", "box": [0.0, 20.12, 40.0, 30.0]},
                                {"label": "person", "box": [280.0, 190.0, 20.0, 10.0]}]}


@pytest.mark.parametrize("answer, message", [
    ({"label": "car"}, "boxes"),
    ({"boxes": [{"label": "bus", "box": [0, 0, 5, 5]}]}, "unknown label"),
    ({"boxes": [{"label": "car", "box": [0, 0, 0, 5]}]}, "positive width"),
    ({"boxes": [{"label": "car", "box": [0, 0, 5]}]}, r"\[x, y, width, height\]"),
    ({"boxes": [{"label": "car", "box": [float("nan"), 0, 5, 5]}]}, "finite"),
    ({"boxes": [{"label": "car", "box": [400, 300, 5, 5]}]}, "inside the image"),
])
def test_bad_boxes_are_refused_with_a_message(answer, message):
    with pytest.raises(InvalidInput, match=message):
        BOX.validate_answer(answer, BOX_CONFIG, ITEM)


def test_the_widget_posts_the_answer_as_one_json_field():
    form = QueryDict(mutable=True)
    form["answer"] = json.dumps({"boxes": []})
    assert BOX.answer_from_form(form, BOX_CONFIG) == {"boxes": []}
    form["answer"] = "{not json"
    with pytest.raises(InvalidInput, match="answer must be"):
        BOX.validate_answer(BOX.answer_from_form(form, BOX_CONFIG), BOX_CONFIG, ITEM)


def _boxes(*pairs):
    return {"boxes": [{"label": lb, "box": list(b)} for lb, b in pairs]}


def test_box_fusion_keeps_boxes_most_workers_drew_and_scores_agreement():
    a = _boxes(("car", (10, 10, 100, 50)), ("person", (200, 100, 30, 80)))
    b = _boxes(("car", (12, 11, 98, 52)))
    c = _boxes(("car", (9, 10, 101, 49)), ("person", (202, 98, 30, 82)))
    fused = BOX.aggregate_item([a, b, c], [1, 1, 1], BOX_CONFIG)
    assert [x["label"] for x in fused.result["boxes"]] == ["car", "person"]
    assert fused.result["boxes"][1]["score"] == pytest.approx(2 / 3, abs=1e-4)
    assert 0.5 < fused.agreement < 1
    assert fused.summary == "car, person"
    same = BOX.aggregate_item([a, a], [1, 1], BOX_CONFIG)
    assert same.agreement == pytest.approx(1.0)
    lone = BOX.aggregate_item([a, b, b], [1, 1, 1], BOX_CONFIG)
    assert [x["label"] for x in lone.result["boxes"]] == ["car"]  # 1 of 3 drew the person


def test_a_skilled_worker_outweighs_two_careless_ones():
    good = _boxes(("car", (10, 10, 100, 50)))
    bad = _boxes(("car", (150, 100, 40, 40)))
    fused = BOX.aggregate_item([good, bad, _boxes()], [0.95, 0.2, 0.2], BOX_CONFIG)
    assert fused.result["boxes"] == [{"label": "car", "box": [10.0, 10.0, 100.0, 50.0],
                                      "score": pytest.approx(0.95 / 1.35, abs=1e-4)}]


def test_box_gold_allows_small_misplacement_but_not_a_missed_box():
    gold = _boxes(("car", (10, 10, 100, 50)), ("person", (200, 100, 30, 80)))
    close = _boxes(("car", (14, 12, 96, 50)), ("person", (203, 104, 28, 78)))
    missed = _boxes(("car", (10, 10, 100, 50)))
    assert BOX.answer_matches(close, gold, BOX_CONFIG)
    assert BOX.score_answer(missed, gold, BOX_CONFIG) == pytest.approx(2 / 3)
    assert not BOX.answer_matches(missed, gold, BOX_CONFIG)
    assert BOX.answer_matches(_boxes(), _boxes(), BOX_CONFIG)
    wrong = BOX.wrong_answer(gold, BOX_CONFIG)
    assert BOX.score_answer(BOX.validate_answer(wrong, BOX_CONFIG), gold, BOX_CONFIG) == 0.0


def test_polygons_and_polylines_are_fused_and_scored_apart():
    square = [[0, 0], [100, 0], [100, 100], [0, 100]]
    a = {"shapes": [{"label": "road", "type": "polygon", "points": square},
                    {"label": "lane", "type": "polyline", "points": [[0, 0], [50, 50]]}]}
    b = {"shapes": [{"label": "road", "type": "polygon",
                     "points": [[2, 0], [100, 3], [98, 100], [0, 97]]},
                    {"label": "lane", "type": "polyline", "points": [[1, 0], [51, 50]]}]}
    assert POLY.validate_answer(a, POLY_CONFIG, ITEM)["shapes"][0]["points"][2] == [100.0, 100.0]
    fused = POLY.aggregate_item([a, b], [1, 1], POLY_CONFIG)
    assert [(s["label"], s["type"]) for s in fused.result["shapes"]] == [
        ("road", "polygon"), ("lane", "polyline")]
    assert fused.agreement > 0.9
    assert POLY.answer_matches(b, a, POLY_CONFIG)
    assert not POLY.answer_matches(POLY.wrong_answer(a, POLY_CONFIG), a, POLY_CONFIG)
    with pytest.raises(InvalidInput, match="enclosing an area"):
        POLY.validate_answer({"shapes": [{"label": "road", "type": "polygon",
                                          "points": [[0, 0], [5, 5], [10, 10]]}]}, POLY_CONFIG)
    only_polygons = POLY.validate_config({"labels": ["road"]})
    with pytest.raises(InvalidInput, match="type must be"):
        POLY.validate_answer({"shapes": [{"label": "road", "type": "polyline",
                                          "points": [[0, 0], [5, 5]]}]}, only_polygons)


def test_keypoints_keep_the_skeleton_order_and_drop_unplaced_points():
    answer = KPT.validate_answer({"keypoints": {"nose": [30, 40, 1], "left_eye": [10, 10, 2],
                                                "right_eye": [0, 0, 0]}}, KPT_CONFIG, ITEM)
    assert list(answer["keypoints"]) == ["left_eye", "nose"]
    assert answer["keypoints"]["nose"] == [30.0, 40.0, 1]
    with pytest.raises(InvalidInput, match="unknown points"):
        KPT.validate_answer({"keypoints": {"ear": [1, 1, 2]}}, KPT_CONFIG)
    with pytest.raises(InvalidInput, match=r"\[x, y, v\]"):
        KPT.validate_answer({"keypoints": {"nose": [1, 1, 3]}}, KPT_CONFIG)


def test_keypoint_fusion_takes_a_robust_centre_and_scores_by_oks():
    a = {"keypoints": {"left_eye": [10, 10, 2], "right_eye": [50, 10, 2], "nose": [30, 40, 2]}}
    b = {"keypoints": {"left_eye": [11, 10, 2], "right_eye": [49, 11, 2], "nose": [30, 42, 2]}}
    c = {"keypoints": {"left_eye": [12, 11, 2], "right_eye": [51, 10, 2], "nose": [90, 90, 2]}}
    fused = KPT.aggregate_item([a, b, c], [1, 1, 1], KPT_CONFIG)
    nose = fused.result["keypoints"]["nose"]
    assert abs(nose[0] - 30) < 3 and abs(nose[1] - 41) < 3  # the outlier does not drag it
    assert KPT.answer_matches(b, a, KPT_CONFIG)
    assert not KPT.answer_matches(c, a, KPT_CONFIG) or KPT.score_answer(c, a, KPT_CONFIG) < 1
    assert KPT.score_answer(KPT.wrong_answer(a, KPT_CONFIG), a, KPT_CONFIG) < 0.01
    hidden = KPT.aggregate_item([{"keypoints": {"nose": [30, 40, 1]}}] * 2, [1, 1], KPT_CONFIG)
    assert hidden.result["keypoints"]["nose"][2] == 1


def test_ocr_regions_keep_hangul_and_kana_and_vote_text_by_character():
    a = OCR.validate_answer({"regions": [
        {"box": [0, 0, 100, 20], "text": " 안녕하세요 "},
        {"points": [[0, 30], [100, 30], [100, 50], [0, 50]], "text": "こんにちは"},
    ]}, OCR_CONFIG, ITEM)
    assert a["regions"][0]["text"] == "안녕하세요"
    assert a["regions"][1]["box"] == [0.0, 30.0, 100.0, 20.0]
    typo = {"regions": [{"box": [1, 0, 99, 21], "text": "안녕하세오"},
                        {"box": [0, 30, 100, 20], "text": "こんにちは"}]}
    fused = OCR.aggregate_item([a, a, typo], [1, 1, 1], OCR_CONFIG)
    assert [r["text"] for r in fused.result["regions"]] == ["안녕하세요", "こんにちは"]
    assert OCR.score_answer(typo, a, OCR_CONFIG) == pytest.approx(0.9)
    assert OCR.answer_matches(typo, a, OCR_CONFIG)
    assert not OCR.answer_matches(OCR.wrong_answer(a, OCR_CONFIG), a, OCR_CONFIG)
    with pytest.raises(InvalidInput, match="type the text"):
        OCR.validate_answer({"regions": [{"box": [0, 0, 5, 5], "text": "  "}]}, OCR_CONFIG)
    boxes_only = OCR.validate_config({"languages": ["en"]})
    with pytest.raises(InvalidInput, match="not outlines"):
        OCR.validate_answer({"regions": [{"points": [[0, 0], [5, 0], [5, 5]], "text": "a"}]},
                            boxes_only)


def test_every_image_kind_publishes_an_answer_schema_that_names_its_key():
    for kind, config, key in ((BOX, BOX_CONFIG, "boxes"), (POLY, POLY_CONFIG, "shapes"),
                              (KPT, KPT_CONFIG, "keypoints"), (OCR, OCR_CONFIG, "regions")):
        schema = kind.answer_schema(config)
        assert schema["required"] == [key] and key in schema["properties"]
