from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "datadam.assist"
    label = "assist"
    verbose_name = _("Model assistance")

    def ready(self) -> None:
        from .signals import connect

        connect()
