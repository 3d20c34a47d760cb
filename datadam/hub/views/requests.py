"""Improvement requests of a dataset: the list (with the organization's "Create relabeling
project"), one request's page and its triage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from datadam.errors import DomainError
from datadam.operations.views.common import cursor_of, first_page_query, page_query

from .. import selectors
from ..forms import RelabelForm, TriageForm
from ..models import Dataset, RequestKind, RequestStatus, VersionItem
from ..services.requests import improvement_request_triage, relabel_project_create
from ..visibility import can_manage, can_use, dataset_managed, dataset_seen
from .common import error_status, hub_page, localized, notice

#: Items of a request shown on its page (a request may name up to 1,000).
ITEMS_SHOWN = 60


def _relabel_choices(dataset: Dataset) -> list[dict[str, Any]]:
    """Accepted relabeling requests that no relabeling project holds yet."""
    accepted = selectors.requests_of(dataset, status=RequestStatus.ACCEPTED,
                                     limit=200)["requests"]
    return [r for r in accepted
            if r["kind"] == RequestKind.RELABEL and r["relabel_project"] is None]


def _relabel_form(dataset: Dataset, data: Any = None) -> RelabelForm:
    return RelabelForm(data, choices=[(r["id"], f"#{r['id']}")
                                      for r in _relabel_choices(dataset)])


def _list_page(request: HttpRequest, dataset: Dataset, *, form: RelabelForm | None = None,
               status: int = 200) -> HttpResponse:
    wanted = request.GET.get("status", "")
    if wanted and wanted not in RequestStatus.values:
        return notice(request, heading=_("Unknown status"),
                      text=_("Choose one of the status tabs."), status=400,
                      dataset_id=dataset.pk)
    page = selectors.requests_of(dataset, status=wanted, after=cursor_of(request) or None)
    managing = can_manage(request.user, dataset)
    relabelable = {r["id"] for r in _relabel_choices(dataset)} if managing else set()
    return render(request, "hub/requests.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "rows": page["requests"], "stats": selectors.request_stats(dataset),
        "status": wanted, "statuses": RequestStatus.choices, "can_manage": managing,
        "relabelable": relabelable,
        "relabel_form": (form or _relabel_form(dataset)) if relabelable or form else None,
        "next_query": page_query(request, "after", page["next_after"]),
        "first_query": first_page_query(request, "after"),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@hub_page
def request_list(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The requests by status with their counts and response times; the organization
    selects accepted relabeling requests and creates a relabeling project from them."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    if request.method != "POST":
        return _list_page(request, dataset)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dataset = dataset_managed(user=request.user, dataset_id=dataset.pk)
    form = _relabel_form(dataset, request.POST)
    status = 422
    if form.is_valid():
        try:
            project = relabel_project_create(user=request.user, dataset_id=dataset.pk,
                                             request_ids=form.cleaned_data["request_ids"],
                                             name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = error_status(exc)
        else:
            messages.success(request, _("The relabeling project was created as a draft with "
                                        "%(n)s items. Check it and launch it; its answers go "
                                        "into the next version.") % {"n": project.items_count})
            return redirect("console:dashboard", project.pk)
    return _list_page(request, dataset, form=form, status=status)


def _items_of(row: dict[str, Any], version_id: int) -> list[dict[str, Any]]:
    """The request's items as its version holds them (key and label), the first few."""
    keys = row["items"][:ITEMS_SHOWN]
    labels = dict(VersionItem.objects.filter(version_id=version_id, key__in=keys)
                  .values_list("key", "label"))
    return [{"key": k, "label": labels.get(k, "")} for k in keys]


@require_http_methods(["GET", "HEAD", "POST"])
@hub_page
def request_detail(request: HttpRequest, dataset_id: int, request_id: int) -> HttpResponse:
    """One request: what it names and why, its status and answer; the organization triages
    an open one here."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    improvement = selectors.request_of(dataset, request_id)
    managing = can_manage(request.user, dataset)
    triage = managing and improvement.status == RequestStatus.OPEN
    form = TriageForm(request.POST or None) if triage else None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            return notice(request, heading=_("Nothing to decide"),
                          text=_("Only an open request is triaged, by the dataset's "
                                 "organization."), status=409 if managing else 403,
                          dataset_id=dataset.pk)
        status = 422
        if form.is_valid():
            try:
                improvement_request_triage(
                    user=request.user, request_id=improvement.pk,
                    decision=form.cleaned_data["decision"],
                    response=form.cleaned_data["response"],
                    duplicate_of=form.cleaned_data["duplicate_of"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Decision saved; the requester was notified."))
                return redirect("hub:request", dataset.pk, improvement.pk)
    row = selectors.request_row(improvement)
    usable = can_use(request.user, dataset)
    return render(request, "hub/request.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)), "r": row,
        "kind_name": RequestKind(row["kind"]).label,
        "status_name": RequestStatus(row["status"]).label,
        "items": _items_of(row, improvement.version_id) if usable else [],
        "can_use": usable, "can_manage": managing, "form": form,
    }, status=status)
