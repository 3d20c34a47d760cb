"""``{% consent_panel project %}``: the consent panel the capture widgets include."""

from __future__ import annotations

from typing import Any

from django import template

from ..panel import panel_context

register = template.Library()


@register.inclusion_tag("consent/_panel_tag.html", takes_context=True)
def consent_panel(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """The panel in the state the signed-in worker is in; nothing without a current form."""
    request = context.get("request")
    if request is None or project is None:
        return {"panel": None}
    return {"panel": panel_context(request, project)}
