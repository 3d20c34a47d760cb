"""Consent forms (versioned per project) and the consents signed on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentSubject(models.TextChoices):
    WORKER = "worker", _("The worker (their own face or voice)")
    THIRD_PARTY = "third_party", _("Another person, who signs for each capture")


class ConsentForm(models.Model):
    """A project's consent form. Editing it makes a new version; a signed consent keeps the
    version it was signed on. The project's current form is its latest active version."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE,
                                related_name="consent_forms")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    subject = models.CharField(max_length=16, choices=ConsentSubject.choices,
                               default=ConsentSubject.WORKER)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="consentform_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Consent(models.Model):
    """A consent signed in the browser: who the person in the data is, on which form version,
    when, and who collected it. Withdrawn: the captures made under it leave future exports."""

    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="consents")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="consents_collected")
    subject_is_worker = models.BooleanField(default=True)
    subject_name = models.CharField(max_length=200)
    signature = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    user_agent = models.CharField(max_length=300, blank=True, default="")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawal_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["signer", "project"], name="consent_signer_idx"),
            models.Index(fields=["project", "withdrawn_at"], name="consent_project_idx"),
        ]
        constraints = [
            # A worker holds one active consent per form version for their own face or voice
            # (signing again returns it); third parties sign once per capture session.
            models.UniqueConstraint(
                fields=["form", "signer"],
                condition=models.Q(subject_is_worker=True, withdrawn_at=None),
                name="consent_worker_once",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} of {self.subject_name}"
