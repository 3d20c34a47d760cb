"""The worker's earnings page: balance, recent earnings, ledger history, payouts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.accounts.access import worker_required
from datadam.errors import DomainError, InsufficientFunds
from datadam.work.views._common import is_htmx, to_int

from .selectors import (
    awaiting_review,
    balance_summary,
    ledger_history,
    payouts_of,
    worker_account_of,
)
from .services import payout_request

HISTORY_PAGE = 30


class PayoutForm(forms.Form):
    amount = forms.IntegerField(
        label=gettext_lazy("Points to cash out"), min_value=1, max_value=10**12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "style": "max-width:12rem"}),
    )


@worker_required
def earnings(request: HttpRequest) -> HttpResponse:
    form = PayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        try:
            payout_request(worker=request.user, amount=amount)
        except InsufficientFunds as exc:
            have = (exc.details or {}).get("have")
            form.add_error("amount", _(
                "You have %(have)s points available; ask for at most that much."
            ) % {"have": have} if have is not None else exc.message)
        except DomainError as exc:
            form.add_error("amount", exc.message)
        else:
            messages.success(request, _(
                "Payout of %(amount)s points requested. An operator will process it soon."
            ) % {"amount": amount})
            if is_htmx(request):
                response = HttpResponse()
                response["HX-Redirect"] = request.path
                return response
            return redirect("work_earnings")
    account = worker_account_of(user=request.user)
    before = max(0, to_int(request.GET.get("before")))
    history = ledger_history(account=account, before=before, limit=HISTORY_PAGE + 1)
    more = len(history) > HISTORY_PAGE
    history = history[:HISTORY_PAGE]
    return render(request, "rewards/earnings.html", {
        "summary": balance_summary(user=request.user),
        "pending": awaiting_review(worker=request.user),
        "history": history,
        "next_href": f"{request.path}?before={history[-1]['id']}" if more else "",
        "first_href": request.path if before else "",
        "payouts": payouts_of(worker=request.user),
        "form": form,
    })
