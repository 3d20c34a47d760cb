"""Label Studio regions ↔ our answers: round trips for every kind, and the edge cases."""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

import pytest

from datadam.assist.backends.labelstudio import (
    SUPPORTED_KINDS,
    ConversionError,
    answer_from_ls,
    from_ls,
    label_config,
    to_ls,
)
from datadam.kinds import get_kind

IMG = {"image": "https://x.test/a.jpg", "width": 640, "height": 480}
SAMPLES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("text_classification", {"labels": ["pos", "neg"]}, {"text": "fine"}, {"label": "neg"}),
    ("text_classification", {"labels": ["a", "b", "c"], "multi_label": True}, {"text": "x"},
     {"labels": ["a", "c"]}),
    ("image_classification", {"labels": ["cat", "dog"]}, {"image": "a.jpg"}, {"label": "dog"}),
    ("bounding_box", {"labels": ["car", "person"]}, IMG,
     {"boxes": [{"label": "car", "box": [12.5, 30.25, 100.0, 50.75]},
                {"label": "person", "box": [0.0, 0.0, 640.0, 480.0]}]}),
    ("polygon", {"labels": ["road", "lane"], "tools": ["polygon", "polyline"]}, IMG,
     {"shapes": [{"label": "road", "type": "polygon",
                  "points": [[10.0, 10.0], [200.33, 15.0], [120.0, 300.5]]},
                 {"label": "lane", "type": "polyline", "points": [[0.0, 479.0], [639.0, 1.0]]}]}),
    ("keypoints", {"points": ["left_eye", "right_eye", "nose"]}, IMG,
     {"keypoints": {"left_eye": [100.0, 120.5, 2], "nose": [130.25, 160.0, 1]}}),
    ("span_tagging", {"labels": ["PER", "LOC"]}, {"text": "서울에서 🎉 김민준을 만났다"},
     {"spans": [{"start": 0, "end": 2, "label": "LOC"}, {"start": 7, "end": 10, "label": "PER"}]}),
    ("ocr", {"tools": ["box", "polygon"]}, IMG,
     {"regions": [{"box": [10.0, 20.0, 100.0, 30.0], "text": "출구"},
                  {"points": [[300.0, 300.0], [400.0, 310.0], [390.0, 360.0]],
                   "text": "営業中\nOPEN"}]}),
]


def _checked(kind: str, config: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    k = get_kind(kind)
    clean = k.validate_config(config)
    return clean, lambda answer, data: k.validate_answer(answer, clean, data)


@pytest.mark.parametrize(("kind", "config", "item", "answer"), SAMPLES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SAMPLES)])
def test_every_kinds_answer_survives_to_label_studio_and_back(
        kind: str, config: dict[str, Any], item: dict[str, Any], answer: dict[str, Any]) -> None:
    clean, check = _checked(kind, config)
    answer = check(answer, item)
    regions = to_ls(kind, clean, item, answer)
    json.dumps(regions, allow_nan=False)  # what a webhook sends
    assert from_ls(kind, clean, item, regions, validate=check) == answer


def test_every_supported_kind_has_a_round_trip_sample() -> None:
    assert {s[0] for s in SAMPLES} == set(SUPPORTED_KINDS)


def test_box_regions_are_in_percent_of_the_image() -> None:
    region, = to_ls("bounding_box", {"labels": ["car"]}, {"width": 200, "height": 100},
                    {"boxes": [{"label": "car", "box": [20, 10, 50, 25]}]})
    assert region["value"] == {"x": 10.0, "y": 10.0, "width": 25.0, "height": 25.0,
                               "rotation": 0, "rectanglelabels": ["car"]}
    assert (region["original_width"], region["original_height"]) == (200, 100)
    assert (region["from_name"], region["to_name"], region["type"]) == (
        "label", "image", "rectanglelabels")


def test_a_rotated_rectangle_becomes_the_box_around_it() -> None:
    region = {"type": "rectanglelabels", "value": {
        "x": 50, "y": 50, "width": 10, "height": 20, "rotation": 90, "rectanglelabels": ["car"]}}
    answer = from_ls("bounding_box", {"labels": ["car"]}, {"width": 100, "height": 100},
                     [region])
    # turned 90° clockwise about its top-left corner (50, 50): x 30–50, y 50–60
    assert answer == {"boxes": [{"label": "car", "box": [30.0, 50.0, 20.0, 10.0]}]}


def test_an_open_polygon_is_a_polyline_only_where_the_project_draws_them() -> None:
    region = {"type": "polygonlabels", "value": {
        "points": [[0, 0], [50, 50], [0, 100]], "polygonlabels": ["lane"], "closed": False}}
    item = {"width": 100, "height": 100}
    lines = from_ls("polygon", {"labels": ["lane"], "tools": ["polygon", "polyline"]}, item,
                    [region])
    closed = from_ls("polygon", {"labels": ["lane"], "tools": ["polygon"]}, item, [region])
    assert lines["shapes"][0]["type"] == "polyline" and closed["shapes"][0]["type"] == "polygon"


def test_ocr_reads_easyocr_style_outlines_as_boxes_when_the_project_takes_boxes() -> None:
    where = {"points": [[10, 10], [30, 10], [30, 20], [10, 20]]}
    decomposed = unicodedata.normalize("NFD", "한글")
    regions = [
        {"id": "a1", "type": "polygon", "from_name": "poly", "value": dict(where)},
        {"id": "a1", "type": "textarea", "from_name": "transcription",
         "value": {**where, "labels": ["Text"], "text": [f"  {decomposed} "]}},
        {"id": "b2", "type": "textarea", "value": {"x": 50, "y": 50, "width": 10, "height": 5,
                                                  "text": ["B"]}},
        {"id": "c3", "type": "rectangle", "value": {"x": 1, "y": 1, "width": 1, "height": 1}},
    ]
    answer = answer_from_ls("ocr", {"tools": ["box"]}, {"width": 200, "height": 100}, regions)
    assert answer == {"regions": [{"box": [20.0, 10.0, 40.0, 10.0], "text": "한글"},
                                  {"box": [100.0, 50.0, 20.0, 5.0], "text": "B"}]}
    assert answer["regions"][0]["text"] == unicodedata.normalize("NFC", "한글")


def test_ocr_regions_that_all_lack_text_make_no_answer() -> None:
    regions = [{"id": "a", "type": "rectangle", "value": {"x": 1, "y": 1, "width": 5,
                                                          "height": 5}},
               {"id": "a", "type": "textarea", "value": {"text": ["  "]}}]
    with pytest.raises(ConversionError, match="transcription"):
        answer_from_ls("ocr", {"tools": ["box"]}, {"width": 10, "height": 10}, regions)


def test_spans_counted_in_utf16_are_mapped_to_code_points_when_their_text_says_so() -> None:
    text = "🎉 Kim met Lee"
    region = {"type": "labels", "value": {"start": 3, "end": 6, "text": "Kim",
                                          "labels": ["PER"]}}
    answer = from_ls("span_tagging", {"labels": ["PER"]}, {"text": text}, [region])
    assert answer == {"spans": [{"start": 2, "end": 5, "label": "PER"}]}


def test_a_span_whose_offsets_miss_its_text_makes_no_answer() -> None:
    region = {"type": "labels", "value": {"start": 0, "end": 3, "text": "Lee",
                                          "labels": ["PER"]}}
    with pytest.raises(ConversionError, match="does not hold its text"):
        answer_from_ls("span_tagging", {"labels": ["PER"]}, {"text": "Kim met Lee"}, [region])


def test_hidden_keypoints_are_read_from_the_per_region_visibility_choice() -> None:
    regions = [
        {"id": "k1", "type": "keypointlabels", "value": {"x": 50, "y": 25,
                                                         "keypointlabels": ["nose"]}},
        {"id": "k1", "type": "choices", "from_name": "visibility",
         "value": {"choices": ["hidden"]}},
        {"id": "k2", "type": "keypointlabels", "value": {"x": 10, "y": 10,
                                                         "keypointlabels": ["chin"]}},
    ]
    answer = from_ls("keypoints", {"points": ["chin", "nose"]}, {"width": 200, "height": 100},
                     regions)
    assert answer == {"keypoints": {"chin": [20.0, 10.0, 2], "nose": [100.0, 25.0, 1]}}


@pytest.mark.parametrize(("kind", "config", "regions", "reason"), [
    ("text_classification", {"labels": ["a", "b"]},
     [{"type": "choices", "value": {"choices": ["a", "b"]}}], "takes one label"),
    ("text_classification", {"labels": ["a"]}, [], "no choices region"),
    ("keypoints", {"points": ["nose"]},
     [{"type": "keypointlabels", "value": {"x": 1, "y": 1, "keypointlabels": ["tail"]}}],
     "unknown label"),
    ("bounding_box", {"labels": ["car"]},
     [{"type": "rectanglelabels", "value": {"x": "1", "y": 1, "width": 1, "height": 1,
                                            "rectanglelabels": ["car"]}}], "finite number"),
    ("bounding_box", {"labels": ["car"]},
     [{"type": "rectanglelabels", "value": {"x": math.nan, "y": 1, "width": 1, "height": 1,
                                            "rectanglelabels": ["car"]}}], "finite number"),
    ("polygon", {"labels": ["x"]}, [{"type": "polygonlabels", "value": "oops"}], "no value"),
    ("polygon", {"labels": ["x"]},
     [{"type": "polygonlabels", "value": {"points": [[1, 2, 3]], "polygonlabels": ["x"]}}],
     "every point"),
    ("span_tagging", {"labels": ["PER"]},
     [{"type": "labels", "value": {"start": True, "end": 2, "labels": ["PER"]}}],
     "whole character offsets"),
    ("span_tagging", {"labels": ["PER"]},
     [{"type": "labels", "value": {"start": 5, "end": 99, "labels": ["PER"]}}],
     "outside the text"),
])
def test_regions_that_make_no_answer_say_why(kind: str, config: dict[str, Any],
                                             regions: list[Any], reason: str) -> None:
    item = {"text": "Kim met Lee", "width": 100, "height": 100}
    with pytest.raises(ConversionError, match=reason):
        answer_from_ls(kind, config, item, regions)
    assert from_ls(kind, config, item, regions) is None


def test_a_result_that_is_not_a_list_of_regions_makes_no_answer() -> None:
    for result in ("nope", [1, 2], None):
        with pytest.raises(ConversionError, match="list of region objects"):
            answer_from_ls("text_classification", {"labels": ["a"]}, {}, result)


def test_image_regions_need_a_size_from_the_item_or_the_region() -> None:
    region = {"type": "rectanglelabels", "value": {"x": 1, "y": 1, "width": 1, "height": 1,
                                                   "rectanglelabels": ["car"]}}
    with pytest.raises(ConversionError, match="image size is unknown"):
        answer_from_ls("bounding_box", {"labels": ["car"]}, {"image": "a.jpg"}, [region])
    with pytest.raises(ConversionError, match="width and height"):
        to_ls("bounding_box", {"labels": ["car"]}, {"image": "a.jpg"},
              {"boxes": [{"label": "car", "box": [1, 1, 2, 2]}]})


def test_a_validator_refusal_becomes_a_conversion_error_with_its_message() -> None:
    clean, check = _checked("bounding_box", {"labels": ["car"]})
    region = {"type": "rectanglelabels", "value": {"x": 0, "y": 0, "width": 0.001,
                                                   "height": 50, "rectanglelabels": ["car"]}}
    with pytest.raises(ConversionError, match="does not fit the project: .*positive width"):
        answer_from_ls("bounding_box", clean, {"width": 100, "height": 100}, [region],
                       validate=check)


def test_an_unsupported_kind_is_refused_everywhere() -> None:
    for call in (lambda: answer_from_ls("audio_segments", {}, {}, []),
                 lambda: to_ls("audio_segments", {}, {}, {}),
                 lambda: label_config("audio_segments", {})):
        with pytest.raises(ConversionError, match="cannot serve the kind"):
            call()


def test_an_answer_of_another_kind_is_refused_by_to_ls() -> None:
    with pytest.raises(ConversionError, match="not one of a bounding_box project"):
        to_ls("bounding_box", {"labels": ["a"]}, IMG, {"label": "a"})
