"""Text classification: the worker reads one text and picks its class(es)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.kinds import register
from datadam.kinds.base import ItemError
from datadam.kinds.classification import ClassificationKind

MAX_TEXT = 100_000


class TextClassification(ClassificationKind):
    slug = "text_classification"
    title = gettext_lazy("Text classification")
    description = gettext_lazy("Read a text and pick the class (or classes) that fit it.")

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
