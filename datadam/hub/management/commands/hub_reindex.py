"""``datadam hub_reindex``: rebuild the hub's full-text index (after ``search_document``
changed, or a restore of a SQLite database without its FTS table's rows)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from datadam.hub.search import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the dataset hub's full-text search index."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"reindexed {search_rebuild()} datasets")
