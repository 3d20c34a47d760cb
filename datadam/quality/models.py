"""Gold questions and quality rules: policy, rules, per-worker counters, hits and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class GoldAction(models.TextChoices):
    PAUSE = "pause", _("Pause the worker in this project")
    REMOVE = "remove", _("Remove the worker from this project")


class QualityPolicy(models.Model):
    """How a project mixes gold items into the stream and judges workers by them."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_policy"
    )
    gold_rate = models.PositiveSmallIntegerField(
        default=0, help_text=_("Percent of the tasks a worker gets that are gold (0-50).")
    )
    gold_min_answers = models.PositiveIntegerField(default=5)
    gold_threshold = models.PositiveSmallIntegerField(
        default=70, help_text=_("Lowest acceptable gold accuracy, in percent.")
    )
    gold_action = models.CharField(
        max_length=16, choices=GoldAction.choices, default=GoldAction.PAUSE
    )
    gold_pause_hours = models.PositiveIntegerField(default=24)
    # Gold answers paid for in escrow (funded) and still unreserved (left). Serving a gold
    # item reserves one by a conditional decrement; at 0 no gold is served.
    gold_funded = models.BigIntegerField(default=0)
    gold_left = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(gold_rate__lte=50), name="quality_gold_rate_range"
            ),
            models.CheckConstraint(condition=Q(gold_left__gte=0), name="quality_gold_left_min"),
        ]


class RuleKind(models.TextChoices):
    FAST = "fast_answers", _("Too-fast answers")
    SKIPS = "skips", _("Many skips in a row")
    GOLD = "gold_accuracy", _("Low gold accuracy")
    AGREEMENT = "agreement", _("Low agreement with the majority")
    DAILY_CAP = "daily_cap", _("Daily cap of answers")


class RuleAction(models.TextChoices):
    WARN = "warn", _("Warn")
    PAUSE = "pause", _("Pause in this project")
    SUSPEND = "suspend", _("Suspend from the platform")
    REMOVE = "remove", _("Remove from this project")


BLOCKING = (RuleAction.PAUSE, RuleAction.SUSPEND, RuleAction.REMOVE)


class QualityRule(models.Model):
    """One rule of a project. ``params`` hold the kind's numbers (see ``rules.PARAMS``)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_rules"
    )
    kind = models.CharField(max_length=32, choices=RuleKind.choices)
    params = models.JSONField(default=dict)
    action = models.CharField(max_length=16, choices=RuleAction.choices)
    pause_hours = models.PositiveIntegerField(default=24)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "kind"], name="quality_rule_project_idx")]

    def summary(self) -> str:
        """What the rule watches, in words (its numbers filled in), for the rules table."""
        p = self.params if isinstance(self.params, dict) else {}
        texts = {
            RuleKind.FAST: _(
                "%(count)s of the last %(window)s answers faster than %(seconds)s s"
            ),
            RuleKind.SKIPS: _("%(count)s tasks skipped in a row"),
            RuleKind.GOLD: _(
                "gold accuracy below %(threshold)s%% after %(min_answers)s gold answers"
            ),
            RuleKind.AGREEMENT: _(
                "agreement with the majority below %(threshold)s%% after %(min_answers)s answers"
            ),
            RuleKind.DAILY_CAP: _("more than %(count)s answers in a day"),
        }
        text = texts.get(self.kind)
        try:
            return str(text) % p if text is not None else ""
        except (KeyError, TypeError, ValueError):  # params from before a kind changed
            return ", ".join(f"{name}={value}" for name, value in p.items())


class WorkerQuality(models.Model):
    """Per-(worker, project) counters, changed only with conditional / F() updates."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    answers = models.PositiveIntegerField(default=0)  # ordinary answers submitted
    gold_served = models.PositiveIntegerField(default=0)
    gold_answered = models.PositiveIntegerField(default=0)
    gold_correct = models.PositiveIntegerField(default=0)
    # Gold items are served to each worker in id order: the next is the first id above this.
    last_gold_item = models.BigIntegerField(default=0)
    skips_in_row = models.PositiveIntegerField(default=0)
    day = models.DateField(null=True, blank=True)
    day_answers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("worker quality")
        verbose_name_plural = _("worker qualities")
        constraints = [
            models.UniqueConstraint(fields=["worker", "project"], name="worker_quality_once"),
        ]
        indexes = [models.Index(fields=["project", "worker"], name="worker_quality_project_idx")]

    @property
    def accuracy(self) -> float | None:
        """Gold accuracy in percent, None before the first gold answer."""
        if not self.gold_answered:
            return None
        return round(100 * self.gold_correct / self.gold_answered, 1)


class RuleHit(models.Model):
    """A rule (or the gold policy) fired for a worker, and what it did.

    A warning only informs; pause, remove and suspend restrict while not lifted and not past
    ``until``. ``project`` is None for a platform suspension. ``key`` names the triggering
    event, so a job or a retry applies each action once.
    """

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rule_hits"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_hits"
    )
    rule = models.ForeignKey(QualityRule, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=32)  # a RuleKind, or "gold_policy"
    action = models.CharField(max_length=16, choices=RuleAction.choices)
    # The reason's English message and its numbers (``reason_params``), so that each reader
    # sees it in their own language; hits made before the numbers were kept have the
    # message as made, and no params.
    reason = models.TextField()
    reason_params = models.JSONField(null=True, blank=True)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    def reason_text(self) -> str:
        """The reason in the active language."""
        if self.reason_params is None:
            return self.reason
        try:
            return gettext(self.reason) % self.reason_params
        except (KeyError, TypeError, ValueError):
            return self.reason

    class Meta:
        indexes = [
            # The claim's restriction check: a worker's live blocking hits, few per worker.
            models.Index(
                fields=["worker", "project"],
                condition=Q(lifted_at__isnull=True) & ~Q(action="warn"),
                name="rule_hit_blocking_idx",
            ),
            models.Index(fields=["source_project", "id"], name="rule_hit_project_idx"),
        ]

    @property
    def blocking(self) -> bool:
        return self.action in BLOCKING


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an operator")
    LIFTED = "lifted", _("Accepted: restriction lifted")
    REFUSED = "refused", _("Refused")


class Appeal(models.Model):
    """A worker asks an operator to lift a restriction; one appeal per hit."""

    hit = models.OneToOneField(RuleHit, on_delete=models.CASCADE, related_name="appeal")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField()
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "id"], name="appeal_status_idx")]
