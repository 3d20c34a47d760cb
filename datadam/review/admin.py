"""Review decisions in the Django admin: read-only (a decision pays or refunds through the
ledger exactly once, so it is never edited afterwards)."""

from __future__ import annotations

from django.contrib import admin

from .models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "submission", "reviewer", "decision", "reason_code",
                    "automatic"]
    list_filter = ["decision", "reason_code", "automatic"]
    list_select_related = ["submission", "reviewer"]
    search_fields = ["reviewer__email", "comment"]
    raw_id_fields = ["submission", "reviewer"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
