"""Assignments (an item leased to one worker) and the submissions made on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    LEASED = "leased", _("In progress")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    RELEASED = "released", _("Skipped")  # the worker skipped the item
    STOPPED = "stopped", _("Stopped")  # the worker left it with "Stop for now"


# Statuses that hold one of the item's answer slots.
SLOT_HOLDING = (
    AssignmentStatus.LEASED,
    AssignmentStatus.SUBMITTED,
    AssignmentStatus.RETURNED,
    AssignmentStatus.APPROVED,
)


class Assignment(models.Model):
    """One worker's turn at one item. At most one per (item, worker), ever."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    # No single-column indexes on item and worker: the unique (item, worker) constraint and
    # assignment_worker_idx / assignment_mine_idx start with them and serve those lookups,
    # and every claim and submit would otherwise write two more index entries.
    item = models.ForeignKey(
        "projects.Item", on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.LEASED
    )
    leased_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    revisions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "worker"], name="assignment_once_per_worker"),
        ]
        indexes = [
            models.Index(
                fields=["project", "expires_at"],
                condition=Q(status="leased"),
                name="assignment_live_idx",
            ),
            models.Index(
                fields=["project", "submitted_at"],
                condition=Q(status="submitted"),
                name="assignment_review_idx",
            ),
            models.Index(fields=["worker", "project", "status"], name="assignment_worker_idx"),
            models.Index(fields=["worker", "id"], name="assignment_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"assignment {self.pk} ({self.status})"


class Submission(models.Model):
    """One version of a worker's answer; a revision after a return is a new row."""

    # submission_revision (assignment, revision) serves lookups by assignment.
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions", db_index=False
    )
    revision = models.PositiveIntegerField(default=0)
    answer = models.JSONField()
    duration_ms = models.PositiveIntegerField(
        help_text=_("Server-measured time from lease to submit.")
    )
    client_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "revision"], name="submission_revision"),
            models.UniqueConstraint(
                fields=["assignment", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="submission_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk} r{self.revision}"
