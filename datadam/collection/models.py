"""Captured media and the fingerprints near-duplicates are found by."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaptureKind(models.TextChoices):
    IMAGE = "image", _("Photo")
    AUDIO = "audio", _("Recording")
    VIDEO = "video", _("Video clip")


class CaptureSource(models.TextChoices):
    CAMERA = "camera", _("Camera or microphone")
    FILE = "file", _("File")


class Capture(models.Model):
    """One file a worker captured (or, where the project allows, chose) for a task.

    Uploaded before the answer is sent, so the worker sees the automatic checks at once;
    ``submission`` is set when an answer uses it (a capture is used once). ``checks`` and
    ``duplicates`` are the server's findings, kept as found when it was uploaded; the
    reviewer, the worker's *My work* and the export read them from here.
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        "work.Assignment", on_delete=models.CASCADE, related_name="captures"
    )
    item = models.ForeignKey("projects.Item", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    media_kind = models.CharField(max_length=8, choices=CaptureKind.choices)
    source = models.CharField(max_length=8, choices=CaptureSource.choices,
                              default=CaptureSource.CAMERA)
    key = models.CharField(max_length=300)
    content_type = models.CharField(max_length=48)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True)
    #: What the file says of itself (EXIF time, device make and model, codec...), never the
    #: location: shown to the reviewer, stripped from exports where the project says so.
    metadata = models.JSONField(default=dict, blank=True)
    checks = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    #: 64-bit perceptual hash (image) or spectral fingerprint (audio), as a signed integer.
    fingerprint = models.BigIntegerField(null=True, blank=True)
    #: A photo's or clip's verification signature (``fingerprints.image.image_signature``):
    #: near-duplicate candidates found by the hash are confirmed with it. None for audio.
    signature = models.BinaryField(null=True, blank=True)
    thumb_key = models.CharField(max_length=300, blank=True, default="")
    consent = models.ForeignKey("consent.Consent", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="captures")
    submission = models.OneToOneField("work.Submission", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="capture")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["assignment", "id"], name="capture_assignment_idx"),
            models.Index(fields=["project", "id"], name="capture_project_idx"),
        ]

    def __str__(self) -> str:
        return f"capture {self.pk} ({self.media_kind})"


class Fingerprint(models.Model):
    """One submitted capture's (or text's) fingerprint in its client's near-duplicate index.

    Rows are added in submit order, so an index held in memory catches up by reading the rows
    after the last id it holds (``collection.dedup``). ``hash``: the 64-bit hash as a signed
    integer (images, audio); texts keep their MinHash ``signature`` and are found through
    ``TextBand`` rows instead.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    submission = models.ForeignKey("work.Submission", on_delete=models.CASCADE,
                                   related_name="+")
    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    media_kind = models.CharField(max_length=8)  # image, audio, video, text
    hash = models.BigIntegerField(null=True, blank=True)
    signature = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "media_kind", "id"], name="fingerprint_org_idx"),
        ]


class TextBand(models.Model):
    """One locality-sensitive band of a text's MinHash: texts sharing a band are candidates."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "band", "value"], name="textband_lookup_idx"),
        ]
