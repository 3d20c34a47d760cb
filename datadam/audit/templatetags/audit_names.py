"""What an audit event's target is called, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

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
    "workerprofile": _("worker profile"),
    "workerqualification": _("qualification held"),
}


@register.filter
def target_name(model_name: str) -> str:
    """``workerqualification`` → "qualification held"; an unknown name is shown as it is."""
    return str(TARGET_NAMES.get(model_name, model_name))
