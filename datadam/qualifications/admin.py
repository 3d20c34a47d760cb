from django.contrib import admin

from .models import (
    CredentialCheck,
    Exam,
    ExamAttempt,
    ExamQuestion,
    ProjectRequirement,
    Qualification,
    QualificationRule,
    WorkerQualification,
)


class ExamQuestionInline(admin.TabularInline):
    model = ExamQuestion
    extra = 0


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "granting", "created_at")
    list_filter = ("granting",)
    search_fields = ("name",)


@admin.register(WorkerQualification)
class WorkerQualificationAdmin(admin.ModelAdmin):
    list_display = ("worker", "qualification", "level", "source", "granted_at", "expires_at",
                    "revoked_at")
    list_filter = ("source",)
    search_fields = ("worker__email", "qualification__name")
    raw_id_fields = ("worker", "granted_by")


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("title", "qualification", "kind", "pass_mark", "max_attempts", "is_open")
    inlines = [ExamQuestionInline]


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ("exam", "worker", "mode", "started_at", "finished_at", "score", "passed")
    list_filter = ("mode", "passed")
    raw_id_fields = ("worker",)


@admin.register(CredentialCheck)
class CredentialCheckAdmin(admin.ModelAdmin):
    list_display = ("worker", "qualification", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("worker", "decided_by")


admin.site.register(QualificationRule)
admin.site.register(ProjectRequirement)
