"""Assignments and submissions in the Django admin: read-only, they are workers' records."""

from __future__ import annotations

from django.contrib import admin

from .models import Assignment, Submission


class ReadOnly:
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SubmissionInline(ReadOnly, admin.TabularInline):
    model = Submission
    fields = ["revision", "answer", "duration_ms", "client_duration_ms", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "project", "item", "worker", "status", "leased_at", "submitted_at",
                    "finished_at", "revisions"]
    list_filter = ["status"]
    list_select_related = ["project", "worker"]
    search_fields = ["worker__email", "project__name"]
    raw_id_fields = ["project", "item", "worker"]
    date_hierarchy = "leased_at"
    inlines = [SubmissionInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["id", "assignment", "revision", "duration_ms", "created_at"]
    list_select_related = ["assignment"]
    search_fields = ["assignment__worker__email", "idempotency_key"]
    raw_id_fields = ["assignment"]
    date_hierarchy = "created_at"
