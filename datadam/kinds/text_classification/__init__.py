"""Text classification: the worker reads one text and picks its class(es)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datadam.kinds import register
from datadam.kinds.base import ItemError
from datadam.kinds.classification import ClassificationKind

MAX_TEXT = 100_000
SAMPLE_TEXT = gettext_noop("The delivery was quick and the staff were friendly.")


class TextClassification(ClassificationKind):
    slug = "text_classification"
    title = gettext_lazy("Text classification")
    description = gettext_lazy("Read a text and pick the class (or classes) that fit it.")
    multi_label_option = True
    search_words = ("text", "texts", "sentiment", "reading", "writing", "텍스트", "문장", "감정")

    def sample_item(self) -> dict[str, Any]:
        # Translated when shown, so a Korean client previews a Korean text.
        return {"text": _(SAMPLE_TEXT)}

    def example_item(self) -> dict[str, Any]:
        return {"text": SAMPLE_TEXT}

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ItemError(_('item needs a non-empty "text" field'))
        if len(text) > MAX_TEXT:
            raise ItemError(
                _("text is longer than %(max_text)s characters")
                % {"max_text": MAX_TEXT}
            )
        return data


register(TextClassification())
