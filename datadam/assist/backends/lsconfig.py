"""Label Studio labelling configs (XML) for our kinds.

A Label Studio ML backend reads the project's labelling config to learn the names of the
control tags (``from_name``), the object they annotate (``to_name``), the item field holding
the data (``$text``, ``$image``) and the labels. We send one written from our kind and
project config, with fixed names that the converters (``lsconvert``) expect back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from .errors import ConversionError

TEXT = "text"  # the <Text> object, its item field
IMAGE = "image"  # the <Image> object, its item field
LABEL = "label"  # the control holding the labels, every kind
BBOX = "bbox"  # OCR: boxes
POLY = "poly"  # OCR: outlines
TRANSCRIPTION = "transcription"  # OCR: the text of a region
VISIBILITY = "visibility"  # keypoints: "hidden" per point
HIDDEN = "hidden"
VISIBLE = "visible"
#: The one label of OCR regions (some OCR backends need a label to hang their regions on).
OCR_LABEL = "Text"
#: Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _name(value: Any) -> str:
    text = str(value)
    if _NOT_XML.search(text):
        raise ConversionError(f"the name {text!r} holds a control character XML cannot carry")
    return text


def _add(parent: ET.Element, tag: str, **attrs: Any) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _name(v) for k, v in attrs.items()})


def _labels(parent: ET.Element, tag: str, labels: list[str], colors: dict[str, str],
            **attrs: Any) -> None:
    control = _add(parent, tag, name=LABEL, **attrs)
    for label in labels:
        extra = {"background": colors[label]} if label in colors else {}
        _add(control, "Label", value=label, **extra)


def _classification(view: ET.Element, config: dict[str, Any], obj: str) -> None:
    _add(view, "Text" if obj == TEXT else "Image", name=obj, value=f"${obj}")
    choices = _add(view, "Choices", name=LABEL, toName=obj,
                   choice="multiple" if config.get("multi_label") else "single")
    for label in config["labels"]:
        _add(choices, "Choice", value=label)


def _text_classification(view: ET.Element, config: dict[str, Any]) -> None:
    _classification(view, config, TEXT)


def _image_classification(view: ET.Element, config: dict[str, Any]) -> None:
    _classification(view, config, IMAGE)


def _shapes(tag: str) -> Callable[[ET.Element, dict[str, Any]], None]:
    def build(view: ET.Element, config: dict[str, Any]) -> None:
        _add(view, "Image", name=IMAGE, value=f"${IMAGE}")
        _labels(view, tag, config["labels"], config.get("colors") or {}, toName=IMAGE)

    return build


def _keypoints(view: ET.Element, config: dict[str, Any]) -> None:
    _add(view, "Image", name=IMAGE, value=f"${IMAGE}")
    _labels(view, "KeyPointLabels", config["points"], config.get("colors") or {},
            toName=IMAGE)
    choices = _add(view, "Choices", name=VISIBILITY, toName=IMAGE, perRegion="true",
                   choice="single")
    _add(choices, "Choice", value=VISIBLE)
    _add(choices, "Choice", value=HIDDEN)


def _span_tagging(view: ET.Element, config: dict[str, Any]) -> None:
    _labels(view, "Labels", config["labels"], config.get("colors") or {}, toName=TEXT)
    _add(view, "Text", name=TEXT, value=f"${TEXT}")


def _ocr(view: ET.Element, config: dict[str, Any]) -> None:
    """Both region tools are always offered (backends such as the EasyOCR example need the
    polygon one); outlines come back as boxes when the project takes boxes only."""
    _add(view, "Image", name=IMAGE, value=f"${IMAGE}")
    labels = _add(view, "Labels", name=LABEL, toName=IMAGE)
    _add(labels, "Label", value=OCR_LABEL)
    _add(view, "Rectangle", name=BBOX, toName=IMAGE)
    _add(view, "Polygon", name=POLY, toName=IMAGE)
    _add(view, "TextArea", name=TRANSCRIPTION, toName=IMAGE, editable="true",
         perRegion="true", required="true", maxSubmissions="1", rows="3",
         displayMode="region-list")


_BUILDERS: dict[str, Callable[[ET.Element, dict[str, Any]], None]] = {
    "text_classification": _text_classification,
    "image_classification": _image_classification,
    "bounding_box": _shapes("RectangleLabels"),
    "polygon": _shapes("PolygonLabels"),
    "keypoints": _keypoints,
    "span_tagging": _span_tagging,
    "ocr": _ocr,
}
#: The kinds a Label Studio ML backend can serve.
SUPPORTED_KINDS = tuple(_BUILDERS)


def label_config(kind: str, config: dict[str, Any]) -> str:
    """The Label Studio labelling config of a project of ``kind`` with ``config`` (the
    kind's validated config), as XML text."""
    build = _BUILDERS.get(kind)
    if build is None:
        raise ConversionError(f"a Label Studio ML backend cannot serve the kind {kind!r}; "
                              f"supported: {', '.join(SUPPORTED_KINDS)}")
    view = ET.Element("View")
    try:
        build(view, config)
    except (KeyError, TypeError) as exc:
        raise ConversionError(f"the project config lacks what the {kind} kind needs: {exc}"
                              ) from None
    return ET.tostring(view, encoding="unicode")
