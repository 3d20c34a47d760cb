"""``{{ reason|reason_text }}``: an invitation's reason in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

from datadam.recommendations.reasons import reason_text as _reason_text

register = template.Library()


@register.filter
def reason_text(reason: Any) -> str:
    return _reason_text(reason)
