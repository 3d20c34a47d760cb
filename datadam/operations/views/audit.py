"""The audit log (newest first, filtered, paginated by id) and the ledger health panel."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.accounts.access import operator_required

from .. import selectors
from ..forms import AuditFilterForm
from .common import first_page_query, page_query


@operator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        page = selectors.audit_page(
            action=filters.get("action", ""), actor_email=filters.get("actor", ""),
            project_id=filters.get("project"), before=filters.get("before") or 0,
        )
    return render(request, "operations/audit.html", {
        "form": form,
        "page": page,
        "next_query": page_query(request, "before", page.next_cursor) if page else None,
        "first_query": first_page_query(request, "before"),
    })


@operator_required
def ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "operations/ledger.html", selectors.ledger_health())
