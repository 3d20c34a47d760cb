"""Sign-up, API tokens, roles and organization membership."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from datadam import rawsql
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.rawsql import attnames, columns, instance, table

from .models import ApiToken, Membership, Organization, Role, User


def _check_credentials(email: str, password: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(gettext("enter a valid e-mail address")) from None
    if len(email) > User._meta.get_field("email").max_length:
        raise InvalidInput(gettext("that e-mail address is too long"))
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from None
    return email


def user_register(
    *,
    email: str,
    password: str,
    role: str = Role.WORKER,
    display_name: str = "",
    organization_name: str = "",
) -> User:
    """Public sign-up as a worker, or as a client together with a new organization."""
    if role not in (Role.WORKER, Role.CLIENT):
        raise InvalidInput(gettext("role must be worker or client"))
    email = _check_credentials(email, password)
    if role == Role.CLIENT and not organization_name.strip():
        raise InvalidInput(gettext("a client account needs an organization name"))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, role=role, display_name=display_name[:100]
            )
            if role == Role.CLIENT:
                org = Organization.objects.create(name=organization_name.strip()[:200])
                Membership.objects.create(organization=org, user=user, level=Membership.Level.OWNER)
            audit_record(actor=user, action="user.register", target=user, data={"role": role})
    except IntegrityError:
        raise Conflict(gettext("an account with this e-mail already exists")) from None
    return user


def member_add(*, owner: Any, organization_id: int, email: str, password: str) -> User:
    """An organization owner creates a client account for a colleague."""
    org = Organization.objects.filter(pk=organization_id).first()
    level = (
        Membership.objects.filter(organization=org, user_id=owner.pk)
        .values_list("level", flat=True)
        .first()
        if org is not None
        else None
    )
    if org is None or (level is None and not getattr(owner, "is_operator", False)):
        # Another organization looks the same as a missing one.
        raise NotFound(gettext("organization not found"))
    if level != Membership.Level.OWNER:
        raise PermissionDenied(gettext("only the organization's owners add members"))
    email = _check_credentials(email, password)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, role=Role.CLIENT)
            Membership.objects.create(organization_id=organization_id, user=user)
            audit_record(
                actor=owner,
                action="organization.member_add",
                target=user,
                organization_id=organization_id,
            )
    except IntegrityError:
        raise Conflict(gettext("an account with this e-mail already exists")) from None
    return user


def token_create(*, user: Any, name: str = "default") -> tuple[ApiToken, str]:
    """Issue an API token; the raw value is returned once and only its digest is stored."""
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=(name or "default")[:100],
            digest=ApiToken.digest_of(raw),
            hint=raw[:8],
        )
        audit_record(actor=user, action="token.create", target=token)
    return token, raw


def token_for_credentials(*, email: str, password: str, name: str = "api") -> tuple[ApiToken, str]:
    user = authenticate(email=(email or "").strip().lower(), password=password)
    if user is None or not user.is_active:
        raise PermissionDenied(gettext("wrong e-mail or password"))
    return token_create(user=user, name=name)


def token_revoke(*, user: Any, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).first()
        if token is None:
            raise NotFound(gettext("token not found"))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="token.revoke", target=token)


def user_by_token(raw: str) -> User | None:
    """The active user a bearer token belongs to: one indexed query, written by hand (the
    ORM spent more CPU building it than PostgreSQL spends answering it; every API call
    pays this)."""
    with rawsql.cursor() as cur:
        cur.execute(
            f"SELECT t.id, t.last_used_at, {columns(User, 'u')} FROM {table(ApiToken)} t"
            f" JOIN {table(User)} u ON u.id = t.user_id"
            " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active",
            [ApiToken.digest_of(raw)],
        )
        row = cur.fetchone()
    if row is None:
        return None
    token = instance(ApiToken, ("id", "last_used_at"), row[:2])
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # Coarse on purpose: a write per request would cost more than the request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return instance(User, attnames(User), row[2:])


def _operator_target(operator: Any, user_id: int) -> User:
    if not getattr(operator, "is_operator", False):
        raise PermissionDenied(gettext("only operators manage users"))
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(gettext("user not found"))
    return user


def reviewer_grant(*, operator: Any, user_id: int, granted: bool) -> User:
    """Give (or take away) the reviewer role; only workers can hold it."""
    with transaction.atomic():
        user = _operator_target(operator, user_id)
        if granted and not user.is_worker:
            raise InvalidInput(gettext("only workers can become reviewers"))
        user.is_reviewer = granted
        user.save(update_fields=["is_reviewer"])
        audit_record(
            actor=operator,
            action="user.reviewer_" + ("grant" if granted else "revoke"),
            target=user,
        )
    return user


def user_set_active(*, operator: Any, user_id: int, active: bool, reason: str = "") -> User:
    """Suspend or reinstate a user; a suspended user's tokens stop working at once."""
    with transaction.atomic():
        user = _operator_target(operator, user_id)
        if user.pk == operator.pk:
            raise InvalidInput(gettext("operators cannot suspend themselves"))
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=operator,
            action="user.reinstate" if active else "user.suspend",
            target=user,
            data={"reason": reason},
        )
    return user


# --- Sign-in throttling and worker profiles -------------------------------------------------
LOGIN_WINDOW_MINUTES = 15
LOGIN_MAX_PER_EMAIL = 5
LOGIN_MAX_PER_IP = 30


def login_throttled(*, ip: str | None, email: str) -> bool:
    """True when too many sign-ins failed recently for this e-mail or this address."""
    from datetime import timedelta

    from .models import LoginAttempt

    since = timezone.now() - timedelta(minutes=LOGIN_WINDOW_MINUTES)
    recent = LoginAttempt.objects.filter(at__gte=since)
    if email and recent.filter(email=email.strip().lower()).count() >= LOGIN_MAX_PER_EMAIL:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= LOGIN_MAX_PER_IP


def login_failed(*, ip: str | None, email: str) -> None:
    from .models import LoginAttempt

    LoginAttempt.objects.create(ip=ip or None, email=(email or "").strip().lower()[:254])


def login_succeeded(*, email: str) -> None:
    from .models import LoginAttempt

    LoginAttempt.objects.filter(email=(email or "").strip().lower()).delete()


#: Profile facts that are real fields now, refused as free attributes (lower case).
FIELD_ATTRIBUTES = frozenset({"native_language", "languages", "other_languages"})


def _check_languages(fields: dict[str, Any]) -> None:
    """Languages are known ISO 639-1 codes (``profile_update`` drops the native one and
    repeats from the others, whichever of the two a call changes)."""
    from .languages import is_language

    native = fields.get("native_language")
    if native is not None and native != "" and not is_language(native):
        raise InvalidInput(gettext("native_language: %(code)r is not a language code such as "
                                   "ko or en") % {"code": native})
    others = fields.get("other_languages")
    if others is None:
        return
    if not isinstance(others, list | tuple) or len(others) > 50:
        raise InvalidInput(gettext("other_languages must be a list of at most 50 language codes"))
    wrong = [c for c in others if not is_language(c)]
    if wrong:
        raise InvalidInput(gettext("other_languages: %(codes)s are not language codes such as "
                                   "ko or en") % {"codes": ", ".join(map(repr, wrong))})


def profile_update(*, user: Any, **fields: Any) -> Any:
    """A worker fills in their profile (attributes that projects may filter on)."""
    from .models import WorkerProfile

    if not user.is_worker:
        raise PermissionDenied(gettext("only workers have a worker profile"))
    allowed = {"birth_year", "gender", "region", "native_language", "other_languages",
               "occupation", "devices", "attributes", "display_name"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(
            gettext("unknown fields: %(unknown)s")
            % {"unknown": ', '.join(sorted(unknown))}
        )
    year = fields.get("birth_year")
    if year is not None and not (1900 <= int(year) <= timezone.now().year - 14):
        raise InvalidInput(gettext("birth year must be a year at least 14 years ago"))
    if "gender" in fields and fields["gender"] not in WorkerProfile.Gender.values:
        raise InvalidInput(gettext("gender must be one of: %(values)s")
                           % {"values": ", ".join(repr(v) for v in WorkerProfile.Gender.values)})
    for name in ("region", "occupation"):
        if len(str(fields.get(name) or "")) > 100:
            raise InvalidInput(gettext("%(name)s must be at most 100 characters") % {"name": name})
    _check_languages(fields)
    with transaction.atomic():
        if "display_name" in fields:
            user.display_name = str(fields.pop("display_name"))[:100]
            user.save(update_fields=["display_name"])
        profile, _ = WorkerProfile.objects.get_or_create(user=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.other_languages = [c for c in dict.fromkeys(profile.other_languages or [])
                                   if c != profile.native_language]
        profile.save()
        audit_record(actor=user, action="profile.update", target=profile,
                     data={k: v for k, v in fields.items() if k != "attributes"})
    return profile
