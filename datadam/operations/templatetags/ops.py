"""Small template filters of the operators' pages."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def startswith(value: Any, prefix: str) -> bool:
    return str(value).startswith(prefix)


@register.filter
def breakable(code: str) -> SafeString:
    """A dotted code (``payout.request``) that may wrap after its dots and underscores."""
    return mark_safe(escape(code).replace(".", ".<wbr>").replace("_", "_<wbr>"))  # noqa: S308


# An audit value longer than this is folded into a disclosure, its start shown as a preview.
FIELD_PREVIEW = 60


@register.filter
def event_fields(value: Any) -> list[dict[str, Any]]:
    """An audit event's data as one entry per key, for reading one key a line.

    Text is shown as it is, anything else as compact JSON; ``preview`` is set (the first
    ``FIELD_PREVIEW`` characters) when the value is long enough to be folded away.
    """
    if not value:
        return []
    items = sorted(value.items()) if isinstance(value, dict) else [("", value)]
    fields = []
    for key, raw in items:
        text = raw if isinstance(raw, str) else json.dumps(
            raw, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
        preview = text[:FIELD_PREVIEW].rstrip() + "…" if len(text) > FIELD_PREVIEW else ""
        fields.append({"key": str(key), "text": text, "preview": preview})
    return fields


@register.filter
def status_badge(status: str) -> str:
    """The badge class that colours a payout or assignment status."""
    return {"paid": "approved", "refused": "rejected", "requested": "submitted",
            "leased": "submitted"}.get(status, status)
