"""Small template filters of the operators' pages."""

from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


@register.filter
def startswith(value: Any, prefix: str) -> bool:
    return str(value).startswith(prefix)


@register.filter
def compact_json(value: Any) -> str:
    """An audit event's data on one line ("" when empty)."""
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@register.filter
def status_badge(status: str) -> str:
    """The badge class that colours a payout or assignment status."""
    return {"paid": "approved", "refused": "rejected", "requested": "submitted",
            "leased": "submitted"}.get(status, status)
