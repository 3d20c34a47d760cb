"""A reviewer's decisions on control answers, and reviewers taken off a project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ControlDecision(models.Model):
    """A reviewer's decision on one control: a gold item shown with its gold answer
    (``good``) or with a wrong one. Scored only; it changes no worker's work and pays
    nothing. One per (reviewer, item, good)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="control_decisions"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("projects.Item", on_delete=models.CASCADE, related_name="+")
    good = models.BooleanField()
    decision = models.CharField(max_length=16)
    reason_code = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True)
    correct = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "item", "good"], name="control_decision_once"
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "project"], name="control_reviewer_idx")]

    def __str__(self) -> str:
        return f"control {self.item_id}/{int(self.good)} by {self.reviewer_id}"


class ReviewerBlock(models.Model):
    """A reviewer who may no longer review a project (too many wrong control decisions)."""

    class Reason(models.TextChoices):
        CONTROLS = "controls", _("Too many wrong decisions on control answers")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_blocks"
    )
    reason = models.CharField(max_length=32, choices=Reason.choices, default=Reason.CONTROLS)
    accuracy = models.FloatField()
    controls = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "reviewer"], name="reviewer_block_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} blocked from reviewing {self.project_id}"
