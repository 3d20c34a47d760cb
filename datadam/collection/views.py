"""A capture's file and preview, served to those who may see it (faces and voices are not
served to every signed-in user, unlike the project media under MEDIA_URL)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from datadam.accounts.access import manager_required
from datadam.errors import NotFound
from datadam.media.serving import stored_file_response

from .selectors import FILTERS, capture_visible, captures_gallery


def _key(request: HttpRequest, capture_id: int, thumb: bool) -> str:
    try:
        capture = capture_visible(request.user, capture_id)
    except NotFound:
        raise Http404 from None
    key = capture.thumb_key if thumb else capture.key
    if not key:
        raise Http404
    return key


@require_safe
def capture_file(request: HttpRequest, capture_id: int) -> HttpResponse:
    return stored_file_response(request, _key(request, capture_id, thumb=False))


@require_safe
def capture_thumb(request: HttpRequest, capture_id: int) -> HttpResponse:
    return stored_file_response(request, _key(request, capture_id, thumb=True))


@manager_required
@require_safe
def captures_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """The client's view of what was collected: thumbnails or players, status, checks,
    near-duplicates and consent, a page at a time."""
    show = request.GET.get("show", "all")
    after = request.GET.get("after", "0")
    try:
        context = captures_gallery(user=request.user, project_id=project_id,
                                   show=show if show in FILTERS else "all",
                                   after=int(after) if after.isdigit() else 0)
    except NotFound:
        raise Http404 from None
    return render(request, "collection/captures.html", context)
