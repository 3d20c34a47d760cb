"""Image classification: the worker sees one image and picks its class(es)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.kinds import register
from datadam.kinds.base import ItemError
from datadam.kinds.classification import ClassificationKind
from datadam.kinds.samples import EXAMPLE_IMAGE, SAMPLE_IMAGE


class ImageClassification(ClassificationKind):
    slug = "image_classification"
    title = gettext_lazy("Image classification")
    description = gettext_lazy("Pick the class (or classes) that fit an image.")
    multi_label_option = True
    media_field = "image"
    search_words = ("visual", "visually", "sharp", "image", "images", "photo", "photos",
                    "picture", "pictures", "eyes", "이미지", "사진", "시각")

    def sample_item(self) -> dict[str, Any]:
        return {"image": SAMPLE_IMAGE}

    def example_item(self) -> dict[str, Any]:
        return {"image": EXAMPLE_IMAGE}

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        image = data.get("image")
        if not isinstance(image, str) or not image.strip():
            raise ItemError(_('item needs an "image" field: a URL or a media path'))
        return data


register(ImageClassification())
