"""API: sign-up, tokens, the caller's identity, operators' user management."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from datadam.errors import PermissionDenied

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


class ProfileOut(Schema):
    """A worker's profile. Languages are ISO 639-1 codes (``ko``, ``en``); the native one is
    never listed among the others."""

    display_name: str
    birth_year: int | None = None
    gender: str = ""
    region: str = ""
    native_language: str = ""
    other_languages: list[str] = []
    occupation: str = ""
    devices: list[str] = []
    attributes: dict[str, str] = {}


class ProfileIn(Schema):
    """The fields to change; the ones left out stay as they are."""

    model_config = {"extra": "forbid"}

    display_name: str | None = None
    birth_year: int | None = None
    gender: str | None = None
    region: str | None = None
    native_language: str | None = None
    other_languages: list[str] | None = None
    occupation: str | None = None
    devices: list[str] | None = None
    attributes: dict[str, str] | None = None


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


def _profile_out(user) -> dict:
    from .models import WorkerProfile

    profile = WorkerProfile.objects.filter(user=user).first() or WorkerProfile(user=user)
    return {
        "display_name": user.display_name, "birth_year": profile.birth_year,
        "gender": profile.gender, "region": profile.region,
        "native_language": profile.native_language,
        "other_languages": list(profile.other_languages or []),
        "occupation": profile.occupation, "devices": list(profile.devices or []),
        "attributes": dict(profile.attributes or {}),
    }


@router.get("/me/profile", response=ProfileOut)
def my_profile(request: HttpRequest):
    """The caller's worker profile (empty fields until filled in; workers only)."""
    if not request.auth.is_worker:
        raise PermissionDenied(gettext("only workers have a worker profile"))
    return _profile_out(request.auth)


@router.patch("/me/profile", response=ProfileOut)
def update_my_profile(request: HttpRequest, payload: ProfileIn):
    """Change the caller's worker profile: only the fields sent change."""
    fields = payload.dict(exclude_unset=True)
    # null clears a field: to its empty value (a null birth year is "not given").
    empty = {"other_languages": [], "devices": [], "attributes": {}, "birth_year": None}
    fields = {k: empty.get(k, "") if v is None else v for k, v in fields.items()}
    services.profile_update(user=request.auth, **fields)
    return _profile_out(request.auth)
