"""Template filters that show stored codes by their readable, translated names."""

from __future__ import annotations

from django import template

from datadam.datasets.methods import method_name as _method_name
from datadam.kinds import kind_title as _kind_title

register = template.Library()


@register.filter
def method_name(code: str) -> str:
    """``ds`` → "Dawid–Skene" (in the active language)."""
    return _method_name(code or "")


@register.filter
def kind_title(slug: str) -> str:
    """``text_classification`` → "Text classification" (in the active language)."""
    return _kind_title(slug or "")
