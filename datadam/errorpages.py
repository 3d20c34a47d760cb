"""Answers to a request with the wrong method, which Django and ninja leave bare.

Django answers a wrong method (a GET on an address that takes only a form's POST, e.g. a
bookmarked or reloaded action) with an empty 405: the browser shows a blank page. ninja
answers with the words "Method not allowed" as HTML. People get a page in the site's layout
that says what happened; API clients get the API's error shape (``{error, message}``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class MethodNotAllowedPageMiddleware:
    """Replaces a 405 with templates/405.html, or with a JSON error under /api/ (same
    status and ``Allow`` header). One comparison per response otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False):
            return response
        allowed = response.get("Allow", "")
        if request.path_info.startswith("/api/"):
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            answer: HttpResponse = JsonResponse(
                {"error": "method_not_allowed",
                 "message": _("%(method)s is not allowed here; allowed: %(allowed)s")
                 % {"method": request.method, "allowed": allowed or "—"}},
                status=405,
            )  # fmt: skip
        elif response.content:
            return response
        else:
            answer = render(request, "405.html", status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer
