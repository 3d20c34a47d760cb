"""The pages of a dataset's organization: publishing, editing, a new version, and deciding
access requests (with the latest downloads)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from datadam.accounts.access import manager_required
from datadam.accounts.models import Membership
from datadam.errors import DomainError
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager

from .. import selectors
from ..forms import (
    VISIBILITY_HELP,
    AccessDecisionForm,
    DatasetFieldsForm,
    PublishForm,
    VersionForm,
)
from ..models import AccessStatus, Dataset, RequestKind, RequestStatus
from ..services.access import access_request_decide
from ..services.datasets import dataset_publish, dataset_update
from ..services.versions import version_create
from ..visibility import dataset_managed
from .common import error_status, hub_page, localized

CHOICES_LIMIT = 100


def _managed_projects(user: Any) -> list[Project]:
    """Projects the user may publish (their organizations'; every one for operators)."""
    qs = Project.objects.select_related("organization")
    if not user.is_operator:
        qs = qs.filter(organization_id__in=Membership.objects.filter(user_id=user.pk)
                       .values("organization_id"))
    return list(qs.order_by("-pk")[:CHOICES_LIMIT])


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
@hub_page
def publish(request: HttpRequest) -> HttpResponse:
    """Publish a project (and others of its organization and kind) as a dataset."""
    raw = request.GET.get("project", "")
    if not (raw.isdigit() and len(raw) <= 18):
        return render(request, "hub/publish_choose.html",
                      {"projects": _managed_projects(request.user)})
    project = project_for_manager(user=request.user, project_id=int(raw))
    siblings = list(Project.objects.filter(organization_id=project.organization_id,
                                           kind=project.kind).order_by("-pk")[:CHOICES_LIMIT])
    if project not in siblings:
        siblings.append(project)
    form = PublishForm(request.POST or None, initial={"projects": [project.pk]},
                       projects=[(p.pk, p.name) for p in siblings])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                dataset = dataset_publish(user=request.user,
                                          project_ids=form.cleaned_data["projects"],
                                          changelog=form.cleaned_data["changelog"],
                                          **form.dataset_fields())
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Published. Version 1 is being built; this page "
                                            "updates when it is ready."))
                return redirect("hub:dataset", dataset.pk)
    return render(request, "hub/publish.html", {
        "form": form, "project": project, "visibility_help": VISIBILITY_HELP,
    }, status=status)


def _fields_of(dataset: Dataset) -> dict[str, Any]:
    initial = {name: getattr(dataset, name) for name in DatasetFieldsForm.base_fields}
    initial["tags"] = ", ".join(dataset.tags or [])
    initial["languages"] = ", ".join(dataset.languages or [])
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@hub_page
def edit(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = dataset_managed(user=request.user, dataset_id=dataset_id)
    form = DatasetFieldsForm(request.POST or None, initial=_fields_of(dataset))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                dataset_update(user=request.user, dataset_id=dataset.pk,
                               **form.dataset_fields())
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Saved. The versions stay as they were built."))
                return redirect("hub:dataset", dataset.pk)
    return render(request, "hub/edit.html", {
        "form": form, "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "visibility_help": VISIBILITY_HELP,
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@hub_page
def version_new(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The next version: a changelog and the accepted extend/other requests it resolves
    (relabeling requests are resolved by their relabeling project's answers)."""
    dataset = dataset_managed(user=request.user, dataset_id=dataset_id)
    accepted = selectors.requests_of(dataset, status=RequestStatus.ACCEPTED,
                                     limit=200)["requests"]
    open_ones = [r for r in accepted if r["released_in"] is None]
    resolvable = [r for r in open_ones if r["kind"] != RequestKind.RELABEL]
    relabels = [r for r in open_ones if r["kind"] == RequestKind.RELABEL]
    form = VersionForm(request.POST or None, resolvable=[
        (r["id"], f"#{r['id']}: {r['reason'][:120]}") for r in resolvable])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created = version_create(user=request.user, dataset_id=dataset.pk,
                                         changelog=form.cleaned_data["changelog"],
                                         resolves=form.cleaned_data["resolves"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Version %(n)s is being built; this page updates "
                                            "when it is ready.") % {"n": created.number})
                return redirect("hub:dataset", dataset.pk)
    return render(request, "hub/version_new.html", {
        "form": form, "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "relabels": relabels,
    }, status=status)


def _access_page(request: HttpRequest, dataset: Dataset, *, errors: dict[int, str] | None = None,
                 status: int = 200) -> HttpResponse:
    rows = selectors.access_requests_of(dataset)
    rows.sort(key=lambda r: r["status"] != AccessStatus.PENDING)  # stable: newest first
    return render(request, "hub/access.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "rows": rows, "errors": errors or {},
        "downloads": selectors.downloads_of(dataset, limit=50),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
@hub_page
def access(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Access requests (waiting ones first) with their decisions, and the latest downloads."""
    return _access_page(request, dataset_managed(user=request.user, dataset_id=dataset_id))


@login_required
@require_POST
@hub_page
def access_decide(request: HttpRequest, dataset_id: int, access_id: int) -> HttpResponse:
    """Approve, decline (with a reason) or revoke (with a reason) one access request."""
    dataset = dataset_managed(user=request.user, dataset_id=dataset_id)
    form = AccessDecisionForm(request.POST)
    if not form.is_valid():
        return _access_page(request, dataset, status=422,
                            errors={access_id: _("Choose approve or decline.")})
    approve = form.cleaned_data["action"] == "approve"
    try:
        decided = access_request_decide(user=request.user, request_id=access_id,
                                        approve=approve, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _access_page(request, dataset, status=error_status(exc),
                            errors={access_id: exc.message})
    messages.success(request, {
        AccessStatus.APPROVED: _("Access approved: the requester may now use the dataset."),
        AccessStatus.DECLINED: _("Request declined; the requester was told why."),
        AccessStatus.REVOKED: _("Access revoked; the requester was told why."),
    }.get(decided.status, _("Saved.")))
    return redirect(reverse("hub:access", args=[dataset.pk]))
