"""``{% load media %}``: the image to show for an item, and the console's upload link.

``{{ item|display_image }}`` is the web rendition once made, else the original;
``{{ item|thumb_image }}`` the thumbnail. Both read the item's data only (no query).
"""

from __future__ import annotations

from typing import Any

from django import template

from datadam.media.selectors import kind_media, media_display_url, media_thumb_url

register = template.Library()


@register.filter
def display_image(item_data: Any) -> str:
    return media_display_url(item_data)


@register.filter
def thumb_image(item_data: Any) -> str:
    return media_thumb_url(item_data)


@register.inclusion_tag("media/_upload_link.html")
def upload_images_link(project: Any) -> dict[str, Any]:
    """A link to the upload page, for projects whose kind takes images, audio or video."""
    media = kind_media(project.kind)
    return {"project": project, "show": media is not None, "media": media}
