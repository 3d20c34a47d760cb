"""The hub's pages for everyone who may see a dataset: the index, the dataset page, a
version, its items (with "Report a problem"), its changes; and the two forms of the dataset
page (another format, an access request)."""

from __future__ import annotations

from typing import Any

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from datadam.accounts.languages import language_choices
from datadam.errors import DomainError
from datadam.kinds import all_kinds
from datadam.operations.views.common import cursor_of, first_page_query, page_query

from .. import selectors
from ..diff import CHANGES
from ..forms import AccessRequestForm, FormatForm, ImprovementForm, SearchForm
from ..media import record_media_response
from ..models import DatasetVersion, FileStatus, VersionStatus
from ..services.access import access_request_create
from ..services.requests import improvement_request_create
from ..services.versions import version_format_request
from ..visibility import can_manage, can_use, dataset_seen, dataset_used
from .common import (
    dataset_page,
    error_status,
    files_context,
    hub_page,
    localized,
    notice,
)

ITEMS_PAGE = 24
CHANGES_PAGE = 50


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Search and filter the datasets the visitor may see."""
    kinds = sorted(((k.slug, str(k.title)) for k in all_kinds()), key=lambda p: p[1].casefold())
    form = SearchForm(request.GET or None, kinds=kinds, languages=language_choices())
    found: dict[str, Any] = {"datasets": [], "total": 0, "page": 1, "pages": 1}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        params = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
        try:
            found = selectors.hub_search(request.user, **params)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = error_status(exc)
    for row in found["datasets"]:
        localized(row)
    query = request.GET.copy()
    pages: dict[str, str | None] = {"previous": None, "next": None}
    for name, number in (("previous", found["page"] - 1), ("next", found["page"] + 1)):
        if 1 <= number <= found["pages"]:
            query["page"] = str(number)
            pages[name] = "?" + query.urlencode()
    return render(request, "hub/index.html", {
        "form": form, "found": found, "pages": pages,
        "filtered": any(request.GET.get(k) for k in ("q", "kind", "licence", "language",
                                                      "size")),
    }, status=status)


@require_safe
@hub_page
def dataset(request: HttpRequest, dataset_id: int) -> HttpResponse:
    return dataset_page(request, dataset_seen(user=request.user, dataset_id=dataset_id))


@require_safe
@hub_page
def building(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The dataset page's "being built" panel, polled by htmx: the panel again while the
    version builds, then a full reload of the page (``HX-Refresh``)."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    number = cursor_of(request, "number")
    version = DatasetVersion.objects.filter(dataset=dataset, number=number).first()
    if version is None or version.status != VersionStatus.BUILDING:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    if not can_manage(request.user, dataset):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "hub/_building.html", {
        "dataset": dataset, "building": selectors.version_brief(version)})


@require_safe
@hub_page
def files(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    """A version's files section, polled by htmx while a format file is being built."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    version = selectors.version_of(dataset, number)
    detail = selectors.version_detail(version)
    return render(request, "hub/_files.html", {
        "files": files_context(dataset, version, detail,
                               can_use=can_use(request.user, dataset),
                               on_version=request.GET.get("from") == "version")})


def _version_page(request: HttpRequest, dataset_id: int, number: int, *,
                  format_form: FormatForm | None = None, status: int = 200) -> HttpResponse:
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    # The organization also opens a version being built or failed (its notifications link
    # there); everyone else sees ready versions only.
    version = selectors.version_of(dataset, number,
                                   ready=not can_manage(request.user, dataset))
    detail = selectors.version_detail(version)
    usable = can_use(request.user, dataset)
    return render(request, "hub/version.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "v": detail, "can_use": usable,
        "files": files_context(dataset, version, detail, can_use=usable, form=format_form,
                               on_version=True),
    }, status=status)


@require_safe
@hub_page
def version(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    return _version_page(request, dataset_id, number)


@login_required
@require_POST
@hub_page
def format_request(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    """"Build in another format": queue the file (shared by everyone), back to the page."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    form = FormatForm(request.POST, kind=dataset.kind)
    on_version = request.POST.get("from") == "version"
    if form.is_valid():
        try:
            file = version_format_request(user=request.user, dataset_id=dataset.pk,
                                          number=number, fmt=form.cleaned_data["format"],
                                          media=form.cleaned_data["media"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = error_status(exc)
        else:
            if file.status == FileStatus.READY:
                messages.success(request, _("%(path)s is ready to download.")
                                 % {"path": file.path})
            else:
                messages.success(request, _("%(path)s is being built; it is listed below "
                                            "with the other files.") % {"path": file.path})
            target = (reverse("hub:version", args=[dataset.pk, number]) if on_version
                      else reverse("hub:dataset", args=[dataset.pk]))
            return redirect(target + "#files")
    else:
        status = 422
    if on_version:
        return _version_page(request, dataset.pk, number, format_form=form, status=status)
    return dataset_page(request, dataset, status=status, format_form=form)


@login_required
@require_POST
@hub_page
def access_request(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The dataset page's "Request access" form."""
    dataset = dataset_seen(user=request.user, dataset_id=dataset_id)
    form = AccessRequestForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            access_request_create(user=request.user, dataset_id=dataset.pk,
                                  accept_terms=True, **{
                                      k: form.cleaned_data[k]
                                      for k in ("purpose", "organization_name")})
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = error_status(exc)
        else:
            messages.success(request, _("Your request was sent. You will get a notification "
                                        "when it is decided."))
            return redirect(reverse("hub:dataset", args=[dataset.pk]) + "#access")
    return dataset_page(request, dataset, status=status, access_form=form)


def item_view(record: dict[str, Any], media_url: Any) -> dict[str, Any]:
    """A record as the sample viewer shows it: the media or text to show, the label and the
    result's confidence. Media come through the hub (``media_url(key, field)``), which
    serves them to whoever may use the dataset."""
    data = record.get("data")
    data = data if isinstance(data, dict) else {}
    result = record.get("result") if isinstance(record.get("result"), dict) else {}
    shown = {k: data.get(k) for k in ("image", "text", "audio", "video")
             if isinstance(data.get(k), str) and data.get(k)}
    for field in ("image", "audio", "video"):
        if field in shown:
            small = field == "image" and isinstance(data.get("thumb"), str) and data["thumb"]
            shown[field] = media_url(record["key"], "thumb" if small else field)
    other = "" if shown else orjson.dumps(data).decode()[:300]
    confidence = result.get("confidence")
    return {"key": record["key"], "label": record.get("label") or "",
            "external_id": record.get("external_id") or "", **shown, "other": other,
            "confidence": confidence if isinstance(confidence, int | float) else None}


@hub_page
def items(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    """The sample viewer: a version's records (by label, keyset pages) and the "Report a
    problem" form for the selected ones."""
    dataset = dataset_used(user=request.user, dataset_id=dataset_id)
    version = selectors.version_of(dataset, number)
    form = ImprovementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status = 422
        if form.is_valid():
            try:
                filed = improvement_request_create(
                    user=request.user, dataset_id=dataset.pk, version=version.number,
                    kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"],
                    items=form.cleaned_data["items"],
                    proposed_label=form.cleaned_data["proposed_label"])
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = error_status(exc)
            else:
                messages.success(request, _("Thank you: request #%(id)s was filed. The "
                                            "dataset's owners will answer it here.")
                                 % {"id": filed.pk})
                return redirect("hub:request", dataset.pk, filed.pk)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    label = request.GET.get("label") or None
    page = selectors.version_items(version, label=label, after=cursor_of(request),
                                   limit=ITEMS_PAGE)
    selected = {v for v in request.POST.getlist("items") if v.isdigit()}
    labels = sorted(version.label_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:50]
    return render(request, "hub/items.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "version": version,
        "items": [item_view(r, lambda key, field: reverse(
            "hub:media", args=[dataset.pk, version.number, key, field]))
            for r in page["items"]],
        "label": label, "labels": labels, "form": form, "selected": selected,
        "next_query": page_query(request, "after", page["next_after"]),
        "first_query": first_page_query(request, "after"),
    }, status=status)


@require_safe
@hub_page
def changes(request: HttpRequest, dataset_id: int, number: int) -> HttpResponse:
    """What changed against the previous version: added, removed or relabelled records."""
    dataset = dataset_used(user=request.user, dataset_id=dataset_id)
    version = selectors.version_of(dataset, number)
    counts = {"added": version.added, "removed": version.removed,
              "relabelled": version.relabelled}
    change = request.GET.get("change") or next((c for c in ("relabelled", "added", "removed")
                                                if counts[c]), "added")
    if change not in CHANGES:
        return notice(request, heading=_("Unknown kind of change"),
                      text=_("Choose added, removed or relabelled."), status=400,
                      dataset_id=dataset.pk)
    page = selectors.version_changes(version, change, after=cursor_of(request),
                                     limit=CHANGES_PAGE)
    return render(request, "hub/changes.html", {
        "dataset": dataset, "d": localized(selectors.dataset_brief(dataset)),
        "version": version, "change": change, "counts": counts, "rows": page["changes"],
        "next_query": page_query(request, "after", page["next_after"]),
        "first_query": first_page_query(request, "after"),
    })


@hub_page
def media(request: HttpRequest, dataset_id: int, number: int, key: int,
          field: str) -> HttpResponse:
    """A record's picture, recording or clip, for the sample viewer (``hub.media``)."""
    return record_media_response(request, dataset_id=dataset_id, number=number, key=key,
                                 field=field)
