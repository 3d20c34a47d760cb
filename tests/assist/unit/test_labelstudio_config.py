"""The Label Studio labelling configs written for our kinds: valid XML naming the labels."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest

from datadam.assist.backends.labelstudio import SUPPORTED_KINDS, ConversionError, label_config
from datadam.kinds import get_kind

CONFIGS: dict[str, dict[str, Any]] = {
    "text_classification": {"labels": ["positive", "negative"]},
    "image_classification": {"labels": ["cat", "dog"], "multi_label": True},
    "bounding_box": {"labels": ["car", "person"]},
    "polygon": {"labels": ["road"], "tools": ["polygon", "polyline"]},
    "keypoints": {"points": ["left_eye", "nose"]},
    "span_tagging": {"labels": ["PER", "LOC"]},
    "ocr": {"tools": ["box"]},
}
#: kind → (control tag, the object it annotates, the labels it names)
EXPECTED = {
    "text_classification": ("Choices", "Text", ["positive", "negative"]),
    "image_classification": ("Choices", "Image", ["cat", "dog"]),
    "bounding_box": ("RectangleLabels", "Image", ["car", "person"]),
    "polygon": ("PolygonLabels", "Image", ["road"]),
    "keypoints": ("KeyPointLabels", "Image", ["left_eye", "nose"]),
    "span_tagging": ("Labels", "Text", ["PER", "LOC"]),
    "ocr": ("Labels", "Image", ["Text"]),
}


def _xml(kind: str, config: dict[str, Any]) -> ET.Element:
    return ET.fromstring(label_config(kind, get_kind(kind).validate_config(config)))


@pytest.mark.parametrize("kind", SUPPORTED_KINDS)
def test_each_kinds_config_parses_and_names_its_labels(kind: str) -> None:
    view = _xml(kind, CONFIGS[kind])
    tag, obj, labels = EXPECTED[kind]
    assert view.tag == "View"
    control = view.find(tag)
    assert control is not None and control.get("name") == "label"
    assert [c.get("value") for c in control] == labels
    target = view.find(obj)
    assert target is not None and control.get("toName") == target.get("name")
    assert target.get("value") == f"${target.get('name')}"


def test_classification_says_whether_one_or_several_labels_are_chosen() -> None:
    single = _xml("text_classification", CONFIGS["text_classification"]).find("Choices")
    multi = _xml("image_classification", CONFIGS["image_classification"]).find("Choices")
    assert (single.get("choice"), multi.get("choice")) == ("single", "multiple")


def test_shape_labels_carry_the_projects_colours() -> None:
    view = _xml("bounding_box", {"labels": ["car"], "colors": {"car": "#00ff00"}})
    assert view.find("RectangleLabels/Label").get("background") == "#00ff00"


def test_keypoints_offer_a_per_region_visibility_choice() -> None:
    choices = _xml("keypoints", CONFIGS["keypoints"]).find("Choices")
    assert choices.get("name") == "visibility" and choices.get("perRegion") == "true"
    assert [c.get("value") for c in choices] == ["visible", "hidden"]


def test_ocr_offers_boxes_outlines_and_a_per_region_transcription() -> None:
    view = _xml("ocr", CONFIGS["ocr"])
    assert view.find("Rectangle").get("name") == "bbox"
    assert view.find("Polygon").get("name") == "poly"
    text = view.find("TextArea")
    assert text.get("name") == "transcription" and text.get("perRegion") == "true"
    assert text.get("toName") == "image"


def test_labels_with_xml_characters_are_escaped_and_read_back_unchanged() -> None:
    odd = ['A&B <"x">', "it's > 5", "서울 & 부산"]
    view = _xml("span_tagging", {"labels": odd})
    assert [c.get("value") for c in view.find("Labels")] == odd


def test_a_label_with_a_character_xml_cannot_hold_is_refused() -> None:
    with pytest.raises(ConversionError, match="control character"):
        label_config("text_classification", {"labels": ["bell\x07"]})


def test_a_config_missing_the_labels_is_refused_with_a_reason() -> None:
    with pytest.raises(ConversionError, match="lacks what the bounding_box kind needs"):
        label_config("bounding_box", {})
