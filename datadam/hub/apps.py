from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "datadam.hub"
    label = "hub"
    verbose_name = _("Dataset hub")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import Dataset

        # A dataset deleted however (its organization's deletion cascades to it) leaves the
        # full-text index too: SQLite keeps that index in a table of its own.
        post_delete.connect(_forget, sender=Dataset, dispatch_uid="hub.search_remove")


def _forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .search import search_remove

    search_remove(instance.pk)
