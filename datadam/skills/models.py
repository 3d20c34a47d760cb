"""Computed worker skills and a project's skill settings (tags, gate, pay tier, invitations)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WorkerSkill(models.Model):
    """One worker's skill for one task kind (``tag`` empty) or one skill tag (``kind`` empty).

    Written only by the skills job (``skills_compute``); every figure is re-derived from the
    work itself, so recomputing is always safe. See docs/skills.md for the formula.
    """

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    kind = models.CharField(max_length=64, blank=True)
    tag = models.CharField(max_length=64, blank=True)
    answers = models.PositiveIntegerField(default=0)
    gold_total = models.PositiveIntegerField(default=0)
    gold_correct = models.PositiveIntegerField(default=0)
    agree_items = models.PositiveIntegerField(default=0)
    agree_share = models.FloatField(default=0.0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    median_ms = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(default=0.5)
    lower = models.FloatField(default=0.0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "kind", "tag"], name="skill_unique"),
            models.CheckConstraint(
                condition=(Q(kind="") & ~Q(tag="")) | (~Q(kind="") & Q(tag="")),
                name="skill_kind_or_tag",
            ),
        ]
        indexes = [
            # Ranking and gates read the best workers of one kind or tag from the front.
            models.Index(fields=["kind", "tag", "-lower"], name="skill_rank_idx"),
        ]

    def __str__(self) -> str:
        return f"skill of {self.worker_id} in {self.kind or '#' + self.tag}"

    @property
    def scope(self) -> str:
        return self.kind or f"#{self.tag}"

    @property
    def gold_rate(self) -> float | None:
        return round(self.gold_correct / self.gold_total, 4) if self.gold_total else None

    @property
    def agreement(self) -> float | None:
        return round(self.agree_share / self.agree_items, 4) if self.agree_items else None

    @property
    def reviewed(self) -> int:
        return self.approved + self.rejected + self.returned

    @property
    def approval_rate(self) -> float | None:
        return round(self.approved / self.reviewed, 4) if self.reviewed else None


class ProjectSkills(models.Model):
    """What a client sets about skills for one project (a project without a row sets nothing).

    ``tags``: skill tags the project carries (its work counts towards them).
    ``min_skill``: the lower skill bound a worker needs in the project's kind to work on it.
    ``bonus_skill`` / ``bonus_percent``: a worker at or above ``bonus_skill`` earns
    ``bonus_percent`` % of the reward on top of each approved answer, paid by the organization.
    ``invite_only``: only workers who accepted an invitation may work on it.
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    tags = models.JSONField(default=list, blank=True)
    min_skill = models.FloatField(null=True, blank=True)
    bonus_skill = models.FloatField(null=True, blank=True)
    bonus_percent = models.PositiveSmallIntegerField(default=0)
    invite_only = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project skill settings")
        verbose_name_plural = _("project skill settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(bonus_percent__lte=200), name="project_skills_bonus_max"
            ),
        ]

    def __str__(self) -> str:
        return f"skill settings of project {self.project_id}"
