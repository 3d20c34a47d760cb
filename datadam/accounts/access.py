"""Who may open a page: one decorator for every app's role checks.

Signed out → the log-in page; signed in without the role → a 403 page that says why; a
service's NotFound (another organization's object looks exactly like a missing one) → 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.errors import NotFound

View = Callable[..., HttpResponse]


def role_required(
    check: Callable[[Any], bool], *, forbidden: str = "accounts/forbidden.html"
) -> Callable[[View], View]:
    """A view decorator letting in active users for whom ``check(user)`` holds."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (request.user.is_active and check(request.user)):
                return render(request, forbidden, status=403)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from None

        return login_required(wrapped)

    return decorator


signed_in = role_required(lambda user: True)
worker_required = role_required(lambda user: user.is_worker)
manager_required = role_required(lambda user: user.is_client or user.is_operator)
operator_required = role_required(
    lambda user: user.is_operator, forbidden="operations/forbidden.html"
)
