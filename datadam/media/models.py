"""Uploaded images: one asset per distinct file in a project, with its renditions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaStatus(models.TextChoices):
    PENDING = "pending", _("Renditions pending")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Renditions failed")


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class MediaAsset(models.Model):
    """One image, audio or video file in a project's storage, and the item made from it.

    ``sha256`` is of the file as uploaded, so the same file uploaded again is found and not
    stored twice; the stored original may differ from it only by a removed GPS block
    (``gps_removed``). Keys are storage names (``default_storage``), never file paths.
    Audio has no width and height (0); audio and video have a ``duration`` and the rest of
    what ``probe.probe`` found in ``probe`` (codecs, sample rate, frame rate...).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="media"
    )
    item = models.ForeignKey(
        "projects.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    media_kind = models.CharField(max_length=8, choices=MediaKind.choices,
                                  default=MediaKind.IMAGE)
    key = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField(help_text=_("As displayed (EXIF orientation applied)."))
    height = models.PositiveIntegerField(help_text=_("As displayed (EXIF orientation applied)."))
    size = models.BigIntegerField(help_text=_("Bytes of the stored original."))
    duration = models.FloatField(null=True, blank=True, help_text=_("Seconds (audio, video)."))
    probe = models.JSONField(default=dict, blank=True,
                             help_text=_("What probing the audio or video file found."))
    original_name = models.CharField(max_length=255, blank=True, default="")
    gps_removed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=MediaStatus.choices, default=MediaStatus.PENDING
    )
    thumb_key = models.CharField(max_length=300, blank=True, default="")
    web_key = models.CharField(max_length=300, blank=True, default="")
    peaks_key = models.CharField(max_length=300, blank=True, default="")
    poster_key = models.CharField(max_length=300, blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="media_project_sha256"),
        ]
        indexes = [
            models.Index(fields=["project", "id"], name="media_project_idx"),
            # The sweep finds renditions whose job was lost among pending assets only.
            models.Index(fields=["created_at"], name="media_pending_idx",
                         condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return self.original_name or self.key
