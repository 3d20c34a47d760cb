"""Projects and their items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class ReviewPolicy(models.TextChoices):
    MANUAL = "manual", _("A reviewer checks every submission")
    AUTO = "auto", _("Approve automatically after a delay unless a reviewer acts first")


class Project(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=64)
    instructions = models.TextField(blank=True)
    config = models.JSONField(default=dict, blank=True)
    reward = models.PositiveIntegerField(help_text=_("Points paid per approved answer."))
    review_reward = models.PositiveIntegerField(
        default=0, help_text=_("Points paid to the reviewer per reviewed answer.")
    )
    # Answers per item; with dynamic overlap (target_confidence set) the most answers an item
    # may get, and what escrow is funded for.
    overlap = models.PositiveSmallIntegerField(default=1)
    # Dynamic overlap: items start with ``min_answers`` slots and get one more while their
    # posterior is below ``target_confidence`` (see docs/results.md). None: fixed overlap.
    min_answers = models.PositiveSmallIntegerField(null=True, blank=True)
    target_confidence = models.FloatField(null=True, blank=True)
    # Crowd-label aggregation method of the platform's results (datadam.quality.aggregation).
    aggregation_method = models.CharField(max_length=16, default="auto")
    lease_seconds = models.PositiveIntegerField(default=600)
    review_policy = models.CharField(
        max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.MANUAL
    )
    auto_approve_hours = models.PositiveIntegerField(default=72)
    status = models.CharField(
        max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    items_count = models.BigIntegerField(default=0)
    # Items whose budget (overlap × (reward + review_reward)) has been moved into escrow.
    funded_items = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overlap__gte=1) & Q(overlap__lte=100), name="project_overlap_range"
            ),
            models.CheckConstraint(condition=Q(lease_seconds__gte=30), name="project_lease_min"),
            models.CheckConstraint(
                condition=Q(target_confidence__isnull=True)
                | (
                    Q(target_confidence__gt=0.5)
                    & Q(target_confidence__lt=1)
                    & Q(min_answers__gte=1)
                    & Q(min_answers__lte=F("overlap"))
                ),
                name="project_dynamic_overlap",
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="project_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_cost(self) -> int:
        """Points one answer slot costs when approved and reviewed."""
        return self.reward + self.review_reward

    @property
    def item_cost(self) -> int:
        """Budget of one item: every answer it may get (``overlap`` = max answers)."""
        return self.overlap * self.unit_cost

    @property
    def dynamic_overlap(self) -> bool:
        return self.target_confidence is not None

    @property
    def max_answers(self) -> int:
        return self.overlap

    @property
    def initial_slots(self) -> int:
        """Slots a new item starts with: ``min_answers`` with dynamic overlap, else overlap."""
        if self.dynamic_overlap and self.min_answers:
            return self.min_answers
        return self.overlap


class Item(models.Model):
    """One unit of data to be answered ``overlap`` times.

    ``slots_open`` counts answers still to hand out: claiming decrements it with a conditional
    UPDATE, an expired, released or rejected assignment gives the slot back. The check
    constraint makes over-assignment impossible at the database level.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=200, blank=True, default="")
    data = models.JSONField()
    slots_open = models.IntegerField()
    # A gold (known-answer) item holds its correct answer here, in the kind's answer format;
    # ordinary items have None. Gold items are mixed into the stream and score workers.
    gold = models.JSONField(null=True, blank=True, default=None)
    # Claim order within a project: lower first, then by id. 0 for every item unless active
    # learning ranks the items by a model's uncertainty (datadam.assist): then the most
    # uncertain items are handed out first.
    priority = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(slots_open__gte=0), name="item_slots_not_negative"),
        ]
        indexes = [
            # The claim query walks this index from the front: only items with open slots,
            # in claim order.
            models.Index(
                fields=["project", "priority", "id"], condition=Q(slots_open__gt=0),
                name="item_open_idx"
            ),
            # Gold items (slots_open stays 0, so never in item_open_idx): the gold pick seeks
            # the first gold id above the worker's cursor here (datadam.quality.gold).
            models.Index(
                fields=["project", "id"], condition=Q(gold__isnull=False), name="item_gold_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"item {self.pk}"
