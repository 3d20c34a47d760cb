"""The points ledger: accounts, double-entry transactions, payouts.

Every movement of points is a LedgerTransaction whose entries sum to zero. Entries are never
edited; a correction is a new transaction. ``Account.balance`` is a cache of the sum of the
account's entries, written only by ``ledger_post`` in the same transaction as the entries
(``ledger_verify`` re-derives it), so checking funds is one conditional UPDATE instead of a
sum over history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    EXTERNAL = "external", _("Outside world (top-ups in, payouts out)")
    ORGANIZATION = "organization", _("Client organization")
    ESCROW = "escrow", _("Project escrow")
    WORKER = "worker", _("Worker earnings")
    PAYOUT_PENDING = "payout_pending", _("Payouts awaiting processing")


class Account(models.Model):
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT
    )
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    balance = models.BigIntegerField(default=0)
    allow_negative = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance__gte=0), name="account_not_negative"
            ),
            models.UniqueConstraint(
                fields=["kind", "organization"],
                condition=Q(organization__isnull=False),
                name="account_one_per_org",
            ),
            models.UniqueConstraint(
                fields=["kind", "project"],
                condition=Q(project__isnull=False),
                name="account_one_per_project",
            ),
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=Q(user__isnull=False),
                name="account_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=["external", "payout_pending"]),
                name="account_singletons",
            ),
        ]

    def __str__(self) -> str:
        owner = self.organization_id or self.project_id or self.user_id or ""
        return f"{self.kind}:{owner}"


class LedgerTransaction(models.Model):
    """One business event's movement of points; ``key`` makes it happen at most once."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    project_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "id"], name="entry_account_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero"),
        ]


class Payout(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_positive")]
        indexes = [models.Index(fields=["status", "id"], name="payout_status_idx")]
