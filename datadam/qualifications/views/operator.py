"""Operators: pending document checks (approve with a level, or reject with a reason), and
granting or revoking any qualification by the worker's e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import operator_required
from datadam.errors import DomainError

from .. import selectors, services
from ..forms import ApproveForm, GrantForm, RejectForm, end_of_day
from ..models import CheckStatus, Qualification


@operator_required
def credentials(request: HttpRequest) -> HttpResponse:
    pending = selectors.credential_checks(status=CheckStatus.PENDING)
    for check in pending:
        check.approve_form = ApproveForm(prefix=f"c{check.pk}")
        check.reject_form = RejectForm(prefix=f"c{check.pk}")
    decided = (selectors.credential_checks(status=CheckStatus.APPROVED, limit=25)
               + selectors.credential_checks(status=CheckStatus.REJECTED, limit=25))
    decided.sort(key=lambda c: c.decided_at or c.created_at, reverse=True)
    return render(request, "qualifications/operator/credentials.html", {
        "pending": pending, "decided": decided[:25],
    })


@operator_required
@require_POST
def credential_decide(request: HttpRequest, check_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    prefix = f"c{check_id}"
    form = (ApproveForm if decision == "approve" else RejectForm)(request.POST, prefix=prefix)
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or to reject."))
    elif not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
    else:
        data = form.cleaned_data
        try:
            services.credential_decide(
                operator=request.user, check_id=check_id, decision=decision,
                level=data.get("level", 1), expires_at=end_of_day(data.get("expires")),
                reason=data.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Document approved: the qualification is granted.")
                             if decision == "approve" else _("Document rejected."))
    return redirect("/qualifications/credentials/")


@operator_required
def grants(request: HttpRequest) -> HttpResponse:
    quals = list(Qualification.objects.select_related("organization").order_by("name"))
    email = (request.GET.get("email") or request.POST.get("email") or "").strip()
    form = GrantForm(request.POST if request.POST.get("action") == "grant" else None,
                     qualifications=quals, initial={"email": email})
    action = request.POST.get("action")
    if request.method == "POST" and action == "grant" and form.is_valid():
        data = form.cleaned_data
        try:
            services.qualification_grant(
                actor=request.user, qualification_id=data["qualification"],
                email=data["email"], level=data["level"], expires_at=end_of_day(data["expires"]),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Qualification granted."))
            return redirect("/qualifications/grants/?" + urlencode({"email": data["email"]}))
    if request.method == "POST" and action == "revoke":
        try:
            services.qualification_revoke(
                actor=request.user, qualification_id=int(request.POST.get("qualification", "")),
                email=email, reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("Choose a qualification."))
        else:
            messages.success(request, _("Qualification revoked."))
        return redirect("/qualifications/grants/?" + urlencode({"email": email}))
    worker, holdings = selectors.holdings_by_email(email) if email else (None, [])
    return render(request, "qualifications/operator/grants.html", {
        "form": form, "email": email, "worker": worker, "holdings": holdings,
    })
