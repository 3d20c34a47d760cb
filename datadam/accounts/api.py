"""API: sign-up, tokens, the caller's identity, operators' user management."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import services
from .models import ApiToken, Membership

router = Router(tags=["accounts"])


class SignupIn(Schema):
    email: str
    password: str
    role: str = "worker"
    display_name: str = ""
    organization_name: str = ""


class CredentialsIn(Schema):
    email: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    id: int
    token: str
    user_id: int
    role: str


class OrganizationOut(Schema):
    id: int
    name: str
    level: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    role: str
    is_reviewer: bool
    organizations: list[OrganizationOut]


class TokenInfoOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class MemberIn(Schema):
    email: str
    password: str


class FlagIn(Schema):
    value: bool
    reason: str = ""


class UserOut(Schema):
    id: int
    email: str
    role: str
    is_reviewer: bool
    is_active: bool


def _token_out(token: ApiToken, raw: str) -> dict:
    return {"id": token.pk, "token": raw, "user_id": token.user_id, "role": token.user.role}


@router.post("/auth/signup", auth=None, response={201: TokenOut})
def signup(request: HttpRequest, payload: SignupIn):
    """Create a worker or client account and return an API token for it."""
    user = services.user_register(**payload.dict())
    token, raw = services.token_create(user=user, name="signup")
    return Status(201, _token_out(token, raw))


@router.post("/auth/token", auth=None, response={201: TokenOut})
def token(request: HttpRequest, payload: CredentialsIn):
    """Exchange e-mail and password for a new API token."""
    token, raw = services.token_for_credentials(**payload.dict())
    return Status(201, _token_out(token, raw))


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    user = request.auth
    orgs = Membership.objects.filter(user=user).select_related("organization")
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "is_reviewer": user.is_reviewer,
        "organizations": [
            {"id": m.organization_id, "name": m.organization.name, "level": m.level} for m in orgs
        ],
    }


@router.get("/me/tokens", response=list[TokenInfoOut])
def my_tokens(request: HttpRequest):
    return list(ApiToken.objects.filter(user=request.auth).order_by("-id"))


@router.delete("/me/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: int):
    services.token_revoke(user=request.auth, token_id=token_id)
    return Status(204, None)


@router.post("/organizations/{org_id}/members", response={201: UserOut})
def add_member(request: HttpRequest, org_id: int, payload: MemberIn):
    return Status(
        201, services.member_add(owner=request.auth, organization_id=org_id, **payload.dict())
    )


@router.post("/ops/users/{user_id}/reviewer", response=UserOut, tags=["operators"])
def set_reviewer(request: HttpRequest, user_id: int, payload: FlagIn):
    return services.reviewer_grant(operator=request.auth, user_id=user_id, granted=payload.value)


@router.post("/ops/users/{user_id}/active", response=UserOut, tags=["operators"])
def set_active(request: HttpRequest, user_id: int, payload: FlagIn):
    return services.user_set_active(
        operator=request.auth, user_id=user_id, active=payload.value, reason=payload.reason
    )
