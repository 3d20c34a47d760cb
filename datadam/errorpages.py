"""Error pages Django has no handler for.

Django answers a request with the wrong method (a GET on an address that takes only a
form's POST, e.g. a bookmarked or reloaded action) with an empty 405: the browser shows a
blank page. People get a page in the site's layout that says what happened instead; API
answers (JSON, under /api/) are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """Replaces an empty 405 on a page address with templates/405.html (same status and
    ``Allow`` header). One comparison per response otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/"):
            return response
        if getattr(response, "streaming", False) or response.content:
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
