"""The operators' pages under /ops/: payouts, users, organizations, the audit log, the ledger.

Every view is wrapped in ``operator_required``: anonymous visitors are sent to the log-in
page, signed-in users who are not operators get a 403 page.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from datadam.accounts.access import operator_required

from .audit import audit_log, ledger
from .orgs import organization_detail, organizations
from .payouts import payout_decide, payouts, payouts_decided
from .users import user_detail, user_reviewer, user_set_active, users

__all__ = [
    "audit_log", "index", "ledger", "organization_detail", "organizations", "payout_decide",
    "payouts", "payouts_decided", "user_detail", "user_reviewer", "user_set_active", "users",
]


@operator_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("ops_payouts")
