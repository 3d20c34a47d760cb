from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "project_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor__email"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None) -> bool:  # append-only
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
