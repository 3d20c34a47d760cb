"""Payouts: the queue of requested payouts (oldest first) and the decided ones."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import operator_required
from datadam.errors import DomainError
from datadam.rewards import services as rewards

from .. import selectors
from ..forms import DecideForm
from .common import first_page_query, is_htmx, page_query


def _after(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 0


def _queue(request: HttpRequest, bad: dict | None = None) -> HttpResponse:
    page = selectors.payouts_requested(after=_after(request, "after"))
    if bad:
        for row in page.rows:
            if row["pk"] == bad["pk"]:
                row["form"] = bad["form"]
    return render(request, "operations/payouts.html", {
        "page": page,
        "tab": "requested",
        "next_query": page_query(request, "after", page.next_cursor),
        "first_query": first_page_query(request, "after"),
    })


@operator_required
def payouts(request: HttpRequest) -> HttpResponse:
    return _queue(request)


@operator_required
def payouts_decided(request: HttpRequest) -> HttpResponse:
    page = selectors.payouts_decided(before=_after(request, "before"))
    return render(request, "operations/payouts_decided.html", {
        "page": page,
        "tab": "decided",
        "next_query": page_query(request, "before", page.next_cursor),
        "first_query": first_page_query(request, "before"),
    })


@operator_required
@require_POST
def payout_decide(request: HttpRequest, payout_id: int) -> HttpResponse:
    """Mark paid or refuse. With htmx only the payout's card is answered, else the page."""
    form = DecideForm(request.POST, auto_id=f"p{payout_id}-%s")
    error = notice = ""
    if form.is_valid():
        paid = form.cleaned_data["decision"] == "paid"
        try:
            rewards.payout_decide(operator=request.user, payout_id=payout_id, paid=paid,
                                  note=form.cleaned_data["note"].strip())
        except DomainError as exc:
            error = exc.message
        else:
            notice = (_("Payout #%(id)s marked paid.") if paid
                      else _("Payout #%(id)s refused; the points are back on the worker's "
                             "balance.")) % {"id": payout_id}
    if is_htmx(request):
        try:
            row = selectors.payout_row(payout_id=payout_id)
        except DomainError as exc:
            return render(request, "operations/_message.html", {"error": exc.message})
        if not form.is_valid():
            row["form"] = form
        return render(request, "operations/_payout.html", {
            "row": row, "error": error, "notice": notice,
        })
    if form.is_valid():
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect("/ops/payouts/")
    return _queue(request, bad={"pk": payout_id, "form": form})
