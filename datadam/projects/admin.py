"""Projects and items in the Django admin.

Status, item counts and funding change only through ``projects.services`` (launching moves
points into escrow), so they are read-only here.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Item, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "organization", "kind", "status", "reward", "review_reward",
                    "overlap", "items_count", "funded_items", "created_at"]
    list_filter = ["status", "kind", "review_policy"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["status", "items_count", "funded_items", "created_at", "launched_at",
                       "closed_at", "reward", "review_reward", "overlap"]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # items, answers and escrow hang off a project


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "external_id", "slots_open"]
    list_select_related = ["project"]
    search_fields = ["external_id"]
    raw_id_fields = ["project"]
    readonly_fields = ["slots_open"]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # items are imported (projects.importing), which keeps counts right

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
