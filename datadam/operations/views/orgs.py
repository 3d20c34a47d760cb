"""Organizations: balances, and crediting an organization after its payment arrived."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from datadam.accounts.access import operator_required
from datadam.errors import DomainError, NotFound
from datadam.rewards import services as rewards

from .. import selectors
from ..forms import OrgFilterForm, TopupForm
from .common import first_page_query, page_query


@operator_required
def organizations(request: HttpRequest) -> HttpResponse:
    form = OrgFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        page = selectors.organizations_list(q=filters.get("q", ""),
                                            before=filters.get("before") or 0)
    return render(request, "operations/organizations.html", {
        "form": form,
        "page": page,
        "next_query": page_query(request, "before", page.next_cursor) if page else None,
        "first_query": first_page_query(request, "before"),
    })


def _topup(request: HttpRequest, form: TopupForm, org: object) -> bool:
    """Post the top-up; False (with the reason on the form) when nothing may be posted."""
    reference = form.cleaned_data["reference"]
    earlier = selectors.topup_by_reference(reference=reference)
    if earlier and earlier["organization"] != org:
        form.add_error("reference", _(
            "This reference was already used to credit %(org)s; nothing was posted."
        ) % {"org": earlier["organization"] or "—"})
        return False
    try:
        rewards.account_topup(operator=request.user, organization=org,
                              amount=form.cleaned_data["amount"], reference=reference)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    if earlier:
        messages.info(request, _(
            "Reference %(ref)s was already credited (%(amount)s points on %(date)s); "
            "nothing was posted again."
        ) % {"ref": reference, "amount": earlier["amount"],
             "date": date_format(localtime(earlier["transaction"].created_at),
                                  "DATETIME_FORMAT")})
    else:
        messages.success(request, _("%(amount)s points credited.")
                         % {"amount": form.cleaned_data["amount"]})
    return True


@operator_required
def organization_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    try:
        context = selectors.organization_detail(organization_id=org_id)
    except NotFound:
        raise Http404 from None
    form = TopupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _topup(request, form, context["org"]):
        return redirect(f"/ops/organizations/{org_id}/")
    return render(request, "operations/organization_detail.html", {**context, "form": form})
