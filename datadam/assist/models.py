"""Model assistance of a project: which model proposes answers, how workers see them, the
suggestions made, and what workers did with them (docs/assist.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    TEXT = "text_embeddings", _("Built-in text classifier (sentence embeddings + a head "
                                "trained on this project's approved labels)")
    OCR = "ocr", _("Built-in OCR (RapidOCR)")
    MORPHEMES = "morphemes", _("Built-in Korean morpheme analyser (Kiwi)")
    BACKEND = "backend", _("Your model server (Label Studio ML backend protocol)")


class Mode(models.TextChoices):
    OFF = "off", _("No suggestions: the model only orders the queue")
    ASSIST = "assist", _("Suggest where the crowd's answers are not compared: never on gold, "
                         "never when several workers answer an item")
    CORRECT = "correct", _("Correct the model: every worker sees the suggestion (not on gold)")


class Order(models.TextChoices):
    NONE = "none", _("In the order imported")
    MARGIN = "margin", _("Most uncertain first (smallest margin between the top two labels)")
    ENTROPY = "entropy", _("Most uncertain first (highest entropy)")
    DISAGREEMENT = "disagreement", _("Most disputed first (the model against the crowd's "
                                     "answers so far)")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Edited")
    REPLACED = "replaced", _("Replaced")


class ProjectModel(models.Model):
    """A project's model settings and its state."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE,
                                   primary_key=True, related_name="assist")
    source = models.CharField(max_length=16, choices=Source.choices)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.ASSIST)
    order = models.CharField(max_length=16, choices=Order.choices, default=Order.NONE)
    backend_url = models.URLField(max_length=500, blank=True, default="")
    backend_token = models.CharField(max_length=500, blank=True, default="")
    timeout_s = models.FloatField(default=5.0)
    #: stop handing out work once the estimated accuracy of the whole dataset reaches this
    target_accuracy = models.FloatField(null=True, blank=True)
    #: approved labels needed before the built-in text head is trained
    min_labels = models.PositiveIntegerField(default=20)
    # State, written by the jobs.
    version = models.CharField(max_length=100, blank=True, default="",
                               help_text="The model version that made the current suggestions.")
    trained_on = models.PositiveIntegerField(default=0)
    training_digest = models.CharField(max_length=64, blank=True, default="")
    head = models.BinaryField(null=True, blank=True)
    estimated_accuracy = models.FloatField(null=True, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    predicted_at = models.DateTimeField(null=True, blank=True)
    target_met_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} for project {self.project_id}"


class Suggestion(models.Model):
    """The model's proposed answer for an item (the latest prediction)."""

    item = models.OneToOneField("projects.Item", on_delete=models.CASCADE, primary_key=True,
                                related_name="suggestion")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    answer = models.JSONField()
    score = models.FloatField(null=True, blank=True, help_text="The model's confidence, 0–1.")
    uncertainty = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["project", "item"], name="suggestion_project_idx")]


class SuggestionOutcome(models.Model):
    """What a worker did with the suggestion they were shown."""

    submission = models.OneToOneField("work.Submission", on_delete=models.CASCADE,
                                      primary_key=True, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("projects.Item", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    model_version = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "outcome"], name="outcome_project_idx")]


class ItemEmbedding(models.Model):
    """An item's text embedding (float16), computed once, for training and predicting."""

    item = models.OneToOneField("projects.Item", on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    vector = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["project", "item"], name="embedding_project_idx")]
