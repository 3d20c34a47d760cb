"""A reviewer's decision on one submission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return for revision")


class ReasonCode(models.TextChoices):
    WRONG_ANSWER = "wrong_answer", _("Wrong answer")
    INCOMPLETE = "incomplete", _("Incomplete")
    GUIDELINES = "guidelines", _("Does not follow the instructions")
    CARELESS = "careless", _("Careless or random")
    DUPLICATE = "duplicate", _("Duplicate")
    SPAM = "spam", _("Spam or machine-written")
    OTHER = "other", _("Other")


class Review(models.Model):
    """Exactly one per submission (the unique key is what stops a double decision)."""

    submission = models.OneToOneField(
        "work.Submission", on_delete=models.CASCADE, related_name="review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason_code = models.CharField(max_length=32, choices=ReasonCode.choices, blank=True)
    comment = models.TextField(blank=True)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["reviewer", "id"], name="review_reviewer_idx")]
