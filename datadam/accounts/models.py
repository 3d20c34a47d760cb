"""People: users with a role, client organizations and their members, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .languages import language_choices


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    WORKER = "worker", _("Worker")
    OPERATOR = "operator", _("Operator")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(role=Role.OPERATOR, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. A worker may also hold the reviewer role; operators are staff."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.WORKER)
    is_reviewer = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    def __str__(self) -> str:
        return self.email

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR or self.is_staff


class Organization(models.Model):
    """A client company or lab; owns projects and a points account."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organizations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Level(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    PREFIX = "dd_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="default")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _digest(raw)


class WorkerProfile(models.Model):
    """What a worker tells about themselves; projects filter on it.

    Languages are ISO 639-1 codes from ``languages.LANGUAGE_CODES``: ``native_language`` one
    (or none), ``other_languages`` those the worker also reads and writes well (never the
    native one). ``attributes`` holds free attributes a project may ask for (e.g.
    {"dialect": "Busan"}).
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNDISCLOSED = "", _("Prefer not to say")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    region = models.CharField(max_length=100, blank=True)
    native_language = models.CharField(max_length=8, blank=True, choices=language_choices)
    other_languages = models.JSONField(default=list, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    devices = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def languages_known(self) -> tuple[str, ...]:
        """Every language the worker knows: the native one first, then the others."""
        native = (self.native_language,) if self.native_language else ()
        return (*native, *(c for c in self.other_languages or () if c != self.native_language))

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class LoginAttempt(models.Model):
    """Failed sign-ins, counted per address and per e-mail to slow down password guessing."""

    ip = models.GenericIPAddressField(null=True, blank=True)
    email = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["ip", "at"], name="login_ip_idx"),
            models.Index(fields=["email", "at"], name="login_email_idx"),
        ]
