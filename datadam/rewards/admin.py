"""The points ledger in the Django admin: read-only. Entries are append-only; every change of
a balance goes through ``rewards.services`` (top-ups, payouts, payments), never the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from datadam.errors import DomainError

from . import services
from .models import Account, LedgerEntry, LedgerTransaction, Payout


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff, never added, changed or deleted here."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "organization", "project", "user", "balance", "allow_negative"]
    list_filter = ["kind"]
    list_select_related = ["organization", "project", "user"]
    search_fields = ["organization__name", "project__name", "user__email"]


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["account", "amount", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "key", "memo", "actor", "project_id"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
    search_fields = ["key", "memo", "actor__email"]
    date_hierarchy = "created_at"
    inlines = [EntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "transaction", "account", "amount"]
    list_filter = ["account__kind", "transaction__kind"]
    list_select_related = ["transaction", "account"]
    search_fields = ["transaction__key"]
    raw_id_fields = ["transaction", "account"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    """Payouts are decided with the actions below (or on /ops/payouts/), which post the
    matching ledger transaction; the fields themselves are never edited."""

    list_display = ["id", "requested_at", "worker", "amount", "status", "decided_at",
                    "decided_by", "note"]
    list_filter = ["status"]
    list_select_related = ["worker", "decided_by"]
    search_fields = ["worker__email", "note"]
    date_hierarchy = "requested_at"
    actions = ["mark_paid", "refuse"]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "is_operator", False)

    def _decide(self, request: HttpRequest, queryset: QuerySet, paid: bool) -> None:
        done = 0
        for payout_id in queryset.filter(status=Payout.Status.REQUESTED).values_list(
            "pk", flat=True
        ):
            try:
                services.payout_decide(operator=request.user, payout_id=payout_id, paid=paid,
                                       note="" if paid else gettext("Refused in the admin."))
                done += 1
            except DomainError as exc:
                self.message_user(request, f"#{payout_id}: {exc.message}", messages.ERROR)
        message = (ngettext("%(n)s payout marked paid.", "%(n)s payouts marked paid.", done)
                   if paid else
                   ngettext("%(n)s payout refused.", "%(n)s payouts refused.", done))
        self.message_user(request, message % {"n": done})

    @admin.action(permissions=["decide"], description=_("Mark the selected payouts paid"))
    def mark_paid(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, paid=True)

    @admin.action(permissions=["decide"],
                  description=_("Refuse the selected payouts (the points go back)"))
    def refuse(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, paid=False)
