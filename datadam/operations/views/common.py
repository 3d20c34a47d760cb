"""What every operators' view shares: the permission check and keyset-page links."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the log-in page) and an operator (else 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_operator:
            return render(request, "operations/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_query(request: HttpRequest, cursor_name: str, cursor: int | None) -> str | None:
    """The current query string with the cursor replaced (None when there is no next page)."""
    if cursor is None:
        return None
    query: QueryDict = request.GET.copy()
    query[cursor_name] = str(cursor)
    return "?" + query.urlencode()


def first_page_query(request: HttpRequest, cursor_name: str) -> str | None:
    """The current filters without the cursor, when the page shown is not the first."""
    if not request.GET.get(cursor_name):
        return None
    query: QueryDict = request.GET.copy()
    query.pop(cursor_name, None)
    return "?" + query.urlencode()
