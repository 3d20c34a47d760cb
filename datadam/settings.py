"""Django settings for datadam, read from the environment.

DATABASE_URL picks the database (default: a SQLite file under DATADAM_DATA_DIR, WAL mode).
SECRET_KEY is required unless DEBUG is on. DEBUG is off unless DATADAM_DEBUG=1 (``make run``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATADAM_DATA_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DATADAM_DEBUG")
TESTING = _flag("DATADAM_TESTING") or "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "datadam-development-only-insecure-key"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DATADAM_DEBUG is off.")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG or TESTING:
    ALLOWED_HOSTS += ["testserver", "*"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "datadam.kinds",  # the task kinds' template tags (kinds are plugins, not models)
    "datadam.accounts",
    "datadam.audit",
    "datadam.projects",
    "datadam.work",
    "datadam.review",
    "datadam.rewards",
    "datadam.datasets",
    "datadam.operations",
    "datadam.qualifications",
    "datadam.quality",
    "datadam.skills",
    "datadam.recommendations",
    "datadam.reviewchecks",
    "datadam.media",
    "datadam.consent",
    "datadam.collection",
    "datadam.hub",
    "datadam.notifications",
    "datadam.assist",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "datadam.errorpages.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "datadam.urls"
WSGI_APPLICATION = "datadam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each task kind keeps its widget templates in its own folder: kinds/<slug>/*.html.
        "DIRS": [BASE_DIR / "datadam" / "templates", BASE_DIR / "datadam" / "kinds"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "datadam.accounts.context_processors.navigation",
                "datadam.accounts.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'datadam.sqlite3'}"
# Connections are kept for reuse. No health check ("SELECT 1") before each request's first
# query: it was one database round trip in ten on the claim/submit path. A connection that
# broke (database restarted) fails one request, and Django then closes it for the next.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=600, conn_health_checks=False
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers are serialized: every transaction starts with BEGIN IMMEDIATE, so two writers
    # never both read and then both try to upgrade to a write lock (which SQLite answers with
    # "database is locked" at once). The busy timeout makes waiting writers queue instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 600
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
    }
    # One test database file per test run (process), so that two runs at once on one
    # checkout never write to each other's database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        DATA_DIR / f"test-{os.getpid()}.sqlite3")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (threshold None). The hot paths ask for
    # them explicitly (datadam.rawsql.cursor); the ORM's client-side-bound queries are never
    # prepared whatever the threshold, so this only lets those explicit requests through.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "datadam" / "locale"]
# The header's language switcher (Django's set_language) keeps the choice in this cookie; it
# outlives the browser session, so a worker's choice holds on their next visit, too.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
# Dates and times: one unambiguous format per language (datadam/formats), with the zone's
# name after each time. Times are stored in UTC and shown in TIME_ZONE (DATADAM_TIME_ZONE,
# an IANA name such as Asia/Seoul; UTC unless set).
FORMAT_MODULE_PATH = ["datadam.formats"]
TIME_ZONE = os.environ.get("DATADAM_TIME_ZONE", "UTC")
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Each task kind (and the shared image canvas, kinds/_canvas) keeps its scripts and styles in
# its own folder: kinds/<folder>/static/kinds/<slug>/..., found here when settings load.
STATICFILES_DIRS = [BASE_DIR / "datadam" / "static",
                    *sorted((BASE_DIR / "datadam" / "kinds").glob("*/static"))]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DATADAM_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads larger than this spool to a temporary file, so item imports stream from disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- Background tasks ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DATADAM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DATADAM_LOG_LEVEL", "WARNING")},
    # The task worker's lines (task started, finished) once: with DEBUG on they also reached
    # Django's own console handler on the way up to the root's, and were printed twice.
    "loggers": {"django.tasks": {"handlers": ["console"], "propagate": False}},
}

# --- Platform rules ---------------------------------------------------------------------------
DATADAM = {
    # Leases expired by each claim request before it looks for a new item (bounded work).
    "EXPIRE_PER_CLAIM": 10,
    # Items per chunk when importing and exporting (memory stays flat).
    "IMPORT_CHUNK": 5000,
    "EXPORT_CHUNK": 1000,
    # Bad lines listed in an import report (the total count is always given).
    "IMPORT_REPORT_LIMIT": 10000,
    # Seconds an aggregation request waits for more answers before the job runs (debounce).
    "AGGREGATE_DEBOUNCE_S": 30,
    # Hot-path statements prepared once per PostgreSQL connection (rawsql.cursor). Off for a
    # connection pooler in transaction mode that does not carry prepared statements.
    "PREPARED_STATEMENTS": _flag("DATADAM_PREPARED_STATEMENTS", True),
    # Uploaded images (datadam.media, docs/media.md): bytes and pixels of one image, files per
    # upload request, members and unpacked bytes per archive, longest side of the renditions.
    "MEDIA_MAX_BYTES": 50 * 1024 * 1024,
    "MEDIA_MAX_PIXELS": 100_000_000,
    "MEDIA_MAX_FILES": 100,
    "MEDIA_ARCHIVE_MAX_MEMBERS": 10_000,
    "MEDIA_ARCHIVE_MAX_BYTES": 2 * 1024 * 1024 * 1024,
    "MEDIA_THUMB_PX": 256,
    "MEDIA_WEB_PX": 1600,
    # Uploaded audio and video (docs/media.md): bytes and seconds of one file, longest side of
    # a video's web rendition and poster, min/max pairs of an audio file's waveform peaks.
    "MEDIA_AV_MAX_BYTES": 500 * 1024 * 1024,
    "MEDIA_AV_MAX_SECONDS": 2 * 60 * 60,
    "MEDIA_VIDEO_WEB_PX": 1280,
    "MEDIA_PEAKS": 1000,
}
