"""The JSON API: one NinjaAPI with a router per app, bearer tokens or the browser session."""

from __future__ import annotations

import json
import math
from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
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


def visitor(request: HttpRequest) -> Any:
    """Optional sign-in for public reads (the hub's public datasets): a bearer token must be
    valid (401 otherwise); without one, the session's user, signed in or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_by_token(header[7:].strip())
        if user is not None:
            request.user = user
        return user
    return request.user


class JSONObjectParser(Parser):
    """Request bodies are JSON objects of text that can be stored.

    The json module alone accepts NaN and Infinity, and lone surrogates ("\\ud800": a
    valid JSON escape, but not text, so the first query or password hash that met one
    raised a 500); both are refused here. And ninja hands any top-level value that is not
    an object to the schema as an object to read attributes from: a body of "abc" passed
    an all-optional schema as if it were {}, and attributes of str (such as ``title``) were
    read as fields. Any error here becomes a 400 (see ``_http_error``). Not orjson: it
    turns integers beyond 64 bits into floats, silently changing a client's data.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_not_a_number, parse_float=_finite)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        _require_text(data)
        return data


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    """A JSON number with a fraction or exponent; 1e999 would become infinity, which no
    JSON column stores: refused like the Infinity literal."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range for a JSON number")
    return value


def _require_text(data: Any) -> None:
    """Raise UnicodeEncodeError if a string anywhere in ``data`` holds a lone surrogate."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            value.encode("utf-8")
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


api = NinjaAPI(
    title="datadam API",
    version="1",
    description="Crowdsourced data collection and labeling: projects, tasks, review, points.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    parser=JSONObjectParser(),
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


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A request that does not fit the endpoint's schema: 422 in the API's one error shape,
    the first problem as the message (``field: problem``), all of them in ``details``."""
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "payload"))
    problem = str(first.get("msg", _("invalid input")))
    return api.create_response(
        request,
        {
            "error": "invalid_input",
            "message": f"{where}: {problem}" if where else problem,
            "details": exc.errors,
        },
        status=422,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals; the one it raises for a body it cannot parse (``parse_body``
    above) gets a message that says what a body must be."""
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _(
            "the body must be a JSON object in UTF-8, without NaN, Infinity or unpaired "
            "surrogate escapes"
        )
    return api.create_response(
        request,
        {"error": _HTTP_CODES.get(exc.status_code, "invalid"), "message": message},
        status=exc.status_code,
    )


# The error code a client can branch on, as the domain errors name theirs (errors.py).
_HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "throttled"}


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"error": "unauthenticated", "message": _("sign in or send a bearer token")},
        status=401,
    )


def _routers() -> None:
    from datadam.accounts.api import router as accounts
    from datadam.assist.api import router as assist
    from datadam.audit.api import router as audit
    from datadam.collection.api import router as collection
    from datadam.consent.api import router as consent
    from datadam.datasets.api import router as datasets
    from datadam.hub.api import router as hub
    from datadam.media.api import router as media
    from datadam.notifications.api import router as notifications
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
    api.add_router("", media)
    api.add_router("", consent)
    api.add_router("", collection)
    api.add_router("", hub)
    api.add_router("", notifications)
    api.add_router("", assist)


_routers()
