"""Qualifications a worker can hold, how they are earned, and what a project asks of workers.

A ``Qualification`` is owned by a client organization or, with no organization, by the
platform. A worker holds it at most once (``WorkerQualification``, with a level); an exam, an
operator's document check, a computed rule or an operator's direct grant creates or raises it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LEVEL_MAX = 100


class Granting(models.TextChoices):
    EXAM = "exam", _("By passing an exam")
    CREDENTIAL = "credential", _("By an operator after checking a document")
    COMPUTED = "computed", _("Computed from the worker's reviewed work")
    MANUAL = "manual", _("Granted directly by an operator or the owner")


class Source(models.TextChoices):
    EXAM = "exam", _("Exam")
    CREDENTIAL = "credential", _("Document check")
    COMPUTED = "computed", _("Computed")
    MANUAL = "manual", _("Granted")


class Qualification(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="qualifications",
        help_text=_("Empty for a platform-wide qualification kept by the operators."),
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    granting = models.CharField(max_length=16, choices=Granting.choices, default=Granting.EXAM)
    document_hint = models.CharField(
        max_length=300, blank=True, help_text=_("What document to upload (credential checks).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="qualification_name_per_org"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organization=None),
                name="qualification_name_platform",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkerQualification(models.Model):
    """A worker's holding of one qualification. One row per (worker, qualification), ever:
    revoking keeps the row (``revoked_at``) and a new grant revives it."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="holdings"
    )
    level = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=16, choices=Source.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "qualification"], name="worker_qualification_once"
            ),
            models.CheckConstraint(condition=Q(level__lte=LEVEL_MAX), name="wq_level_max"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} holds {self.qualification_id} at {self.level}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Exam(models.Model):
    """A small set of questions with known answers; passing grants the qualification."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="exams")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=64)
    config = models.JSONField(default=dict, blank=True)
    instructions = models.TextField(blank=True)
    pass_mark = models.FloatField(
        default=0.8, help_text=_("Fraction of answers that must be right.")
    )
    level = models.PositiveSmallIntegerField(default=1, help_text=_("Level granted on passing."))
    level_from_score = models.BooleanField(
        default=False, help_text=_("Grant the score in percent as the level instead.")
    )
    max_attempts = models.PositiveSmallIntegerField(default=3)
    cooldown_hours = models.PositiveIntegerField(default=24)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gt=0) & Q(pass_mark__lte=1), name="exam_pass_mark_range"
            ),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="exam_attempts_min"),
        ]

    def __str__(self) -> str:
        return self.title


class ExamQuestion(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    data = models.JSONField(help_text=_("The item, as the task kind expects it."))
    answer = models.JSONField(help_text=_("The correct answer, normalised by the task kind."))
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"question {self.pk} of exam {self.exam_id}"


class AttemptMode(models.TextChoices):
    EXAM = "exam", _("Exam")
    TRAINING = "training", _("Training")


class ExamAttempt(models.Model):
    """One run through an exam. ``question_ids`` fixes the questions and their order at start."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    mode = models.CharField(max_length=16, choices=AttemptMode.choices)
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    level_granted = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "worker", "mode"],
                condition=Q(finished_at=None),
                name="exam_attempt_one_open",
            ),
        ]
        indexes = [models.Index(fields=["worker", "exam", "mode"], name="exam_attempt_worker_idx")]

    def __str__(self) -> str:
        return f"attempt {self.pk} ({self.mode})"


class ExamAnswer(models.Model):
    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ExamQuestion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.JSONField()
    correct = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="exam_answer_once_per_question"
            ),
        ]


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a check")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CredentialCheck(models.Model):
    """A document a worker uploaded to earn a qualification, and the operator's decision."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credential_checks"
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="credential_checks"
    )
    document = models.CharField(max_length=300, help_text=_("Name in the default storage."))
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "qualification"],
                condition=Q(status="pending"),
                name="credential_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="credential_status_idx"),
            models.Index(fields=["worker", "id"], name="credential_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"credential check {self.pk} ({self.status})"


class QualificationRule(models.Model):
    """Grant ``level`` to workers with at least ``min_reviewed`` reviewed answers (in projects
    of ``kind``, any kind when empty) and an approval rate of at least ``min_approval_rate``.

    An organization's qualification counts only work on that organization's projects."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=64, blank=True)
    min_reviewed = models.PositiveIntegerField(default=50)
    min_approval_rate = models.FloatField(default=0.9)
    level = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"rule {self.pk} of {self.qualification_id}"


class ProjectRequirement(models.Model):
    """Who may work on a project: qualifications with a minimum level and profile conditions.

    ``qualifications`` is a list of {"qualification": id, "min_level": n}. Empty conditions
    ask nothing; a project without a row asks nothing at all.
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    qualifications = models.JSONField(default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    genders = models.JSONField(default=list, blank=True)
    regions = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    #: The worker's native language must be one of these (a "native Korean speaker": ["ko"]).
    native_languages = models.JSONField(default=list, blank=True)
    devices = models.JSONField(default=list, blank=True)
    #: name → value; a value written as a comparison ("<=6", ">=18") asks for a number.
    attributes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"requirements of project {self.project_id}"
