"""Stored results of a project: aggregated labels, worker estimates, acceptance samples."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ItemResult(models.Model):
    """The platform's answer for one (non-gold) item: the aggregated label and its posterior."""

    item = models.OneToOneField(
        "projects.Item", on_delete=models.CASCADE, primary_key=True, related_name="result"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=500)
    result = models.JSONField(help_text="The result in the kind's answer format.")
    confidence = models.FloatField(help_text="Posterior probability of the label.")
    answers = models.PositiveIntegerField()
    # True while one of the counted answers still awaits review (review policy "auto" only;
    # see datasets.counting): the result may change when it is decided.
    provisional = models.BooleanField(default=False)
    method = models.CharField(max_length=16)
    run = models.PositiveIntegerField(help_text="Aggregation run that wrote the row.")
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["project", "item"], name="itemresult_project_idx")]

    def __str__(self) -> str:
        return f"result of item {self.item_id}: {self.label}"


class WorkerEstimate(models.Model):
    """One worker's estimated accuracy in one project, from the last aggregation."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    skill = models.FloatField()
    n_labels = models.PositiveIntegerField()
    run = models.PositiveIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "worker"], name="worker_estimate_once"),
        ]

    def __str__(self) -> str:
        return f"worker {self.worker_id} in project {self.project_id}: {self.skill:.3f}"


class AggregationState(models.Model):
    """Bookkeeping of a project's aggregation: requested (debounced) and last run."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    requested = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)
    run = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=16, blank=True, default="")
    chosen = models.CharField(max_length=16, blank=True, default="")
    n_labels = models.PositiveIntegerField(default=0)
    n_items = models.PositiveIntegerField(default=0)
    # Of n_items, results resting on an answer still awaiting review (docs/results.md).
    n_provisional = models.PositiveIntegerField(default=0)
    mean_confidence = models.FloatField(null=True, blank=True)
    gold_total = models.PositiveIntegerField(default=0)
    gold_correct = models.PositiveIntegerField(default=0)
    slots_opened = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"aggregation of project {self.project_id} (run {self.run})"


class SampleStatus(models.TextChoices):
    OPEN = "open", _("Being inspected")
    DONE = "done", _("Inspected")


class AcceptanceSample(models.Model):
    """A sample inspection of delivered items by a single sampling plan."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="acceptance_samples"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lot_size = models.PositiveIntegerField()
    aql = models.FloatField()
    sample_size = models.PositiveIntegerField()
    acceptance = models.PositiveIntegerField(help_text="Most wrong items that still accept.")
    status = models.CharField(max_length=8, choices=SampleStatus.choices, default="open")
    inspected = models.PositiveIntegerField(default=0)
    wrong = models.PositiveIntegerField(default=0)
    accepted = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["project", "-id"], name="sample_project_idx")]

    def __str__(self) -> str:
        return f"sample {self.pk} of project {self.project_id}"


class SampleItem(models.Model):
    """One sampled item, the label delivered for it, and the inspector's verdict."""

    sample = models.ForeignKey(AcceptanceSample, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("projects.Item", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=500)
    result = models.JSONField()
    correct = models.BooleanField(null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sample", "item"], name="sample_item_once"),
        ]
        indexes = [
            models.Index(fields=["sample"], condition=Q(correct__isnull=True), name="sample_todo")
        ]

    def __str__(self) -> str:
        return f"sampled item {self.item_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """One export of a project's dataset in a format, written by a background job to the
    default storage (``datasets.export_jobs``)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE,
                                related_name="exports")
    format = models.CharField(max_length=32, help_text="Slug of the export format.")
    options = models.JSONField(default=dict, help_text="answers (bool), media (str).")
    status = models.CharField(max_length=8, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    file = models.CharField(max_length=300, blank=True, default="",
                            help_text="Name of the file in the default storage.")
    bytes = models.BigIntegerField(null=True, blank=True)
    items = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["project", "-id"], name="export_project_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} of project {self.project_id} ({self.format})"
