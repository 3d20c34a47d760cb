from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "datadam.media"
    label = "media"
    verbose_name = _("Media")

    def ready(self) -> None:
        # Pillow refuses images above its pixel limit (a decompression bomb); make that limit
        # the platform's, so an image the settings allow is never refused by Pillow alone.
        from PIL import Image

        from .limits import limit

        Image.MAX_IMAGE_PIXELS = limit("MEDIA_MAX_PIXELS")
