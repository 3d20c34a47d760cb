"""Template filters that show stored codes and timestamps readably, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from datadam.datasets.methods import method_name as _method_name
from datadam.kinds import kind_title as _kind_title
from datadam.rewards.memos import statement_line as _statement_line

register = template.Library()


@register.filter
def method_name(code: str) -> str:
    """``ds`` → "Dawid–Skene" (in the active language)."""
    return _method_name(code or "")


@register.filter
def kind_title(slug: str) -> str:
    """``text_classification`` → "Text classification" (in the active language)."""
    return _kind_title(slug or "")


@register.filter
def moment(iso: str | None) -> str:
    """An ISO 8601 timestamp (as the JSON stats carry it) in the reader's local format."""
    when = parse_datetime(iso or "")
    if when is None:
        return ""
    return date_format(localtime(when), "SHORT_DATETIME_FORMAT")


# What an audit event's target_type (a model's name) is called in the active language.
TARGET_NAMES = {
    "acceptancesample": _("acceptance sample"),
    "apitoken": _("API token"),
    "appeal": _("appeal"),
    "assignment": _("assignment"),
    "controldecision": _("control decision"),
    "credentialcheck": _("document check"),
    "exam": _("exam"),
    "examattempt": _("exam attempt"),
    "examquestion": _("exam question"),
    "invitation": _("invitation"),
    "item": _("item"),
    "organization": _("organization"),
    "payout": _("payout"),
    "project": _("project"),
    "qualification": _("qualification"),
    "qualificationrule": _("qualification rule"),
    "qualityrule": _("quality rule"),
    "review": _("review"),
    "reviewerblock": _("reviewer block"),
    "rulehit": _("rule hit"),
    "skills": _("skills"),
    "submission": _("submission"),
    "user": _("user"),
    "workerqualification": _("qualification held"),
}


@register.filter
def target_name(model_name: str) -> str:
    """``workerqualification`` → "qualification held"; an unknown name is shown as it is."""
    return str(TARGET_NAMES.get(model_name, model_name))


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
    """A ledger history row (``key`` and ``memo``) worded in the active language."""
    return _statement_line(key=entry.get("key", ""), memo=entry.get("memo", ""))
