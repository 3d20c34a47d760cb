"""What the qualification views share: role checks and turning domain errors into pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.errors import NotFound


def _role_required(check: Callable[[Any], bool]) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                return render(request, "qualifications/forbidden.html", status=403)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:  # another organization's object looks like a missing one
                raise Http404(exc.message) from None

        return login_required(wrapped)

    return decorator


worker_required = _role_required(lambda u: u.is_worker)
manager_required = _role_required(lambda u: u.is_client or u.is_operator)
operator_required = _role_required(lambda u: u.is_operator)
signed_in = _role_required(lambda u: True)
