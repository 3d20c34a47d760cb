"""Template filters that show stored codes and timestamps readably, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime

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


@register.filter
def moment(iso: str | None) -> str:
    """An ISO 8601 timestamp (as the JSON stats carry it) in the reader's local format."""
    when = parse_datetime(iso or "")
    if when is None:
        return ""
    return date_format(localtime(when), "SHORT_DATETIME_FORMAT")
