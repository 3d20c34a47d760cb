"""Operators' admin for quality: read the counters and hits; appeals are decided on /ops/."""

from django.contrib import admin

from .models import Appeal, QualityPolicy, QualityRule, RuleHit, WorkerQuality


@admin.register(QualityPolicy)
class QualityPolicyAdmin(admin.ModelAdmin):
    list_display = ("project", "gold_rate", "gold_threshold", "gold_action", "gold_left")
    readonly_fields = ("gold_funded", "gold_left")  # changed only with the escrow, by services


@admin.register(QualityRule)
class QualityRuleAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "action", "enabled")
    list_filter = ("kind", "action", "enabled")


@admin.register(WorkerQuality)
class WorkerQualityAdmin(admin.ModelAdmin):
    list_display = ("worker", "project", "answers", "gold_answered", "gold_correct")
    readonly_fields = [f.name for f in WorkerQuality._meta.fields]


@admin.register(RuleHit)
class RuleHitAdmin(admin.ModelAdmin):
    list_display = ("worker", "source_project", "kind", "action", "created_at", "until",
                    "lifted_at")
    list_filter = ("kind", "action")
    readonly_fields = [f.name for f in RuleHit._meta.fields]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("worker", "hit", "status", "created_at", "decided_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Appeal._meta.fields]
