"""Template helpers of the kinds' own templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

#: Where the pages that show a review template keep the project's (or exam's) config.
_CONFIG_PATHS = ("config", "project.config", "exam.config", "row.a.project.config",
                 "card.item.project.config")


def _lookup(context: Any, path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        try:
            value = value[part]
        except (KeyError, TypeError, IndexError):
            value = getattr(value, part, None)
        if value is None:
            return None
    return value


@register.simple_tag(takes_context=True)
def kind_config(context: Any) -> dict[str, Any]:
    """The config of the project or exam whose item a review template shows (label colours,
    the skeleton), wherever the including page keeps it; {} when it keeps none."""
    for path in _CONFIG_PATHS:
        value = _lookup(context, path)
        if isinstance(value, dict) and value:
            return value
    return {}
