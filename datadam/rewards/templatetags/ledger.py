"""Ledger lines as a statement reads them, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from datadam.rewards.memos import statement_line as _statement_line

register = template.Library()

# Ledger transaction kinds, as a statement line reads them.
LEDGER_KINDS = {
    "pay": _("Paid for approved work"),
    "bonus": _("Skill bonus"),
    "payout_request": _("Payout requested"),
    "payout_refused": _("Payout refused, points returned"),
    "payout_paid": _("Payout sent"),
    "topup": _("Top-up"),
    "project_fund": _("Project budget to escrow"),
    "project_refund": _("Unused budget returned"),
}


@register.filter
def ledger_kind(code: str) -> str:
    """``project_fund`` → "Project budget to escrow"; an unknown kind is shown as it is."""
    return str(LEDGER_KINDS.get(code, code))


@register.filter
def statement_line(entry: dict) -> str:
    """A ledger history row (``key``, ``memo``, ``answer_id``) worded in the active language."""
    return _statement_line(
        key=entry.get("key", ""), memo=entry.get("memo", ""), answer=entry.get("answer_id")
    )
