"""The JSON API: one NinjaAPI with a router per app, bearer tokens or the browser session."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from datadam.accounts.services import user_by_token
from datadam.errors import DomainError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dd_...`` — tokens are issued at /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_by_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="datadam API",
    version="1",
    description="Crowdsourced data collection and labeling: projects, tasks, review, points.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    if exc.details is not None:
        body["details"] = exc.details
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _unstorable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A value the database cannot hold (too long, out of range, a NUL character): the
    request is at fault, and the service's transaction has already rolled back."""
    return api.create_response(
        request,
        {
            "error": "invalid_input",
            "message": _(
                "a value is too long, out of range or holds a character that cannot be "
                "stored (such as NUL)"
            ),
        },
        status=422,
    )


@api.exception_handler(MultiPartParserError)
def _unreadable_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A multipart body Django cannot parse (no boundary in the Content-Type, a truncated or
    garbled body): the client sent it wrong, so 400 rather than a 500 from the parser."""
    return api.create_response(
        request,
        {
            "error": "invalid",
            "message": _(
                "the multipart/form-data body could not be read; send it with a boundary "
                "in the Content-Type header"
            ),
        },
        status=400,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"error": "unauthenticated", "message": _("sign in or send a bearer token")},
        status=401,
    )


def _routers() -> None:
    from datadam.accounts.api import router as accounts
    from datadam.audit.api import router as audit
    from datadam.datasets.api import router as datasets
    from datadam.projects.api import router as projects
    from datadam.qualifications.api import router as qualifications
    from datadam.quality.api import router as quality
    from datadam.recommendations.api import router as recommendations
    from datadam.review.api import router as review
    from datadam.reviewchecks.api import router as reviewchecks
    from datadam.rewards.api import router as rewards
    from datadam.skills.api import router as skills
    from datadam.work.api import router as work

    api.add_router("", accounts)
    api.add_router("", projects)
    api.add_router("", work)
    api.add_router("", review)
    api.add_router("", rewards)
    api.add_router("", audit)
    api.add_router("", qualifications)
    api.add_router("", quality)
    api.add_router("", datasets)
    api.add_router("", skills)
    api.add_router("", recommendations)
    api.add_router("", reviewchecks)


_routers()
