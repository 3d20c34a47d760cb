"""What the hub's pages share: refusals as pages, titles in the reader's language, cursors,
and the dataset page's context (also rendered again when a form on it is refused)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from datadam.errors import DomainError, NotFound, PermissionDenied

from .. import selectors
from ..forms import VISIBILITY_HELP, AccessRequestForm, FormatForm
from ..models import AccessStatus, Dataset, FileStatus, Licence, VersionStatus, Visibility

View = Callable[..., HttpResponse]


def korean() -> bool:
    return (translation.get_language() or "").startswith("ko")


def localized(row: dict[str, Any]) -> dict[str, Any]:
    """Adds ``display_title`` and ``display_description``: the Korean text when the page is
    in Korean and the dataset has one, else the English."""
    ko = korean()
    row["display_title"] = (row.get("title_ko") if ko and row.get("title_ko")
                            else row.get("title", ""))
    row["display_description"] = (row.get("description_ko")
                                  if ko and row.get("description_ko")
                                  else row.get("description", ""))
    licence = row.get("licence", "")
    row["licence_name"] = Licence(licence).label if licence in Licence.values else licence
    return row


def error_status(exc: DomainError) -> int:
    """The status a page answers with when a service refused its form."""
    return exc.status if 400 <= exc.status < 500 else 400


def notice(request: HttpRequest, *, heading: str, text: str, status: int,
           dataset_id: int | None = None, access_link: bool = False) -> HttpResponse:
    return render(request, "hub/notice.html", {
        "heading": heading, "text": text, "dataset_id": dataset_id,
        "access_link": access_link}, status=status)


def hub_page(view: View) -> View:
    """A service's NotFound becomes the 404 page; PermissionDenied a 403 page that says why
    (and, on a dataset's pages, links to where access is requested)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except PermissionDenied as exc:
            return notice(request, heading=_("You may not open this page"), text=exc.message,
                          status=403, dataset_id=kwargs.get("dataset_id"),
                          access_link=True)

    return wrapped


def format_titles(kind: str) -> dict[str, str]:
    from datadam.datasets.export_jobs import export_formats

    return {f.slug: str(f.title) for f in export_formats(kind)}


def files_context(dataset: Dataset, version: Any, detail: dict[str, Any], *, can_use: bool,
                  form: FormatForm | None = None, on_version: bool = False) -> dict[str, Any]:
    """The files section of a version (its table, the format form, whether to poll)."""
    titles = format_titles(dataset.kind)
    files = [{**f, "format_title": titles.get(f["format"], f["format"])}
             for f in detail["files"]]
    return {
        "dataset_id": dataset.pk, "number": version.number, "files": files,
        "can_use": can_use, "format_form": form or FormatForm(kind=dataset.kind),
        "busy": any(f["status"] == FileStatus.QUEUED for f in files),
        "on_version": on_version,
    }


def dataset_context(request: HttpRequest, dataset: Dataset, *,
                    format_form: FormatForm | None = None,
                    access_form: AccessRequestForm | None = None) -> dict[str, Any]:
    """Everything the dataset page shows."""
    detail = localized(selectors.dataset_detail(request.user, dataset))
    latest = None
    files = None
    if dataset.latest is not None:
        latest = selectors.version_detail(dataset.latest)
        files = files_context(dataset, dataset.latest, latest, can_use=detail["can_use"],
                              form=format_form)
    building = next((v for v in detail["versions"] if v["status"] == VersionStatus.BUILDING),
                    None)
    access = detail["access"]
    asks = (dataset.visibility == Visibility.REQUEST and not detail["can_use"]
            and request.user.is_authenticated
            and (access is None or access["status"] in (AccessStatus.DECLINED,
                                                        AccessStatus.REVOKED)))
    pending = 0
    if detail["can_manage"]:
        pending = selectors.pending_access_count(dataset)
    return {
        "dataset": dataset, "d": detail, "latest": latest, "files": files,
        "building": building, "pending_access": pending,
        # A refused form is shown again with its error, whatever the state says.
        "access_form": access_form or (AccessRequestForm() if asks else None),
        "visibility_help": VISIBILITY_HELP.get(dataset.visibility, ""),
    }


def dataset_page(request: HttpRequest, dataset: Dataset, *, status: int = 200,
                 **forms: Any) -> HttpResponse:
    return render(request, "hub/dataset.html", dataset_context(request, dataset, **forms),
                  status=status)
