"""Users: search and filters, one user's record, suspension and the reviewer role."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts import services as accounts
from datadam.accounts.access import operator_required
from datadam.errors import DomainError, NotFound

from .. import selectors
from ..forms import ReasonForm, ReviewerForm, UserFilterForm
from .common import first_page_query, page_query


@operator_required
def users(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        page = selectors.users_list(
            q=filters.get("q", ""), role=filters.get("role", ""),
            reviewer=filters.get("reviewer"), active=filters.get("active"),
            before=filters.get("before") or 0,
        )
    return render(request, "operations/users.html", {
        "form": form,
        "page": page,
        "next_query": page_query(request, "before", page.next_cursor) if page else None,
        "first_query": first_page_query(request, "before"),
    })


def _detail(request: HttpRequest, user_id: int, reason_form: ReasonForm | None = None,
            status: int = 200) -> HttpResponse:
    try:
        context = selectors.user_detail(user_id=user_id)
    except NotFound:
        raise Http404 from None
    target = context["target"]
    context["reason_form"] = reason_form or ReasonForm(
        initial={"active": "0" if target.is_active else "1"}
    )
    return render(request, "operations/user_detail.html", context, status=status)


@operator_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _detail(request, user_id)


@operator_required
@require_POST
def user_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, user_id, reason_form=form)
    active = form.cleaned_data["active"]
    try:
        user = accounts.user_set_active(operator=request.user, user_id=user_id, active=active,
                                        reason=form.cleaned_data["reason"])
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _detail(request, user_id, reason_form=form)
    messages.success(request, (_("%(email)s is reinstated.") if active
                               else _("%(email)s is suspended.")) % {"email": user.email})
    return redirect(f"/ops/users/{user_id}/")


@operator_required
@require_POST
def user_reviewer(request: HttpRequest, user_id: int) -> HttpResponse:
    form = ReviewerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to grant or to revoke the reviewer role."))
        return redirect(f"/ops/users/{user_id}/")
    granted = form.cleaned_data["granted"]
    try:
        user = accounts.reviewer_grant(operator=request.user, user_id=user_id, granted=granted)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, (_("%(email)s is now a reviewer.") if granted
                                   else _("%(email)s is no longer a reviewer."))
                         % {"email": user.email})
    return redirect(f"/ops/users/{user_id}/")
