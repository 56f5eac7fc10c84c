"""Django settings, all taken from the environment (see `config.SETTINGS`)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from silkbridge.web import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("SILKBRIDGE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in (config.env("SILKBRIDGE_ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
BROKER_URL = config.env("SILKBRIDGE_BROKER_URL")
globals().update(config.email_settings(DATA_DIR))

_default_db = f"sqlite:///{DATA_DIR / 'silkbridge.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(config.env("SILKBRIDGE_DATABASE_URL") or _default_db, conn_max_age=60)}
config.check_database_driver(DATABASES["default"]["ENGINE"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the in-process background worker write while pages read.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": config.env_int("SILKBRIDGE_SQLITE_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "silkbridge.jobs",
    "silkbridge.audit",
    "silkbridge.web",
    "silkbridge.directory",
    "silkbridge.accounts",
    "silkbridge.matching",
    "silkbridge.forums",
    "silkbridge.outcomes",
    "silkbridge.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "silkbridge.web.security.RefuseNul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "silkbridge.accounts.auth.ApiTokenMiddleware",
    # Writes made while answering a logged-in person's POST, PUT or DELETE enter the audit trail under their name.
    "silkbridge.audit.recording.ActingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "silkbridge.forums.middleware.ForumTimeZoneMiddleware",
    "csp.middleware.CSPMiddleware",
    # Needs the user (anonymous only) and the language; below the header-adding middlewares, so a cached page
    # is stored with their headers and served with them.
    "silkbridge.web.cache.AnonymousPageCache",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "silkbridge.web.urls"
WSGI_APPLICATION = "silkbridge.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # Refuses any login for a user name or address that is locked out, before the password is checked.
    "silkbridge.web.security.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# The site's default zone; each forum keeps its own (`Forum.time_zone`).
TIME_ZONE = config.env("SILKBRIDGE_TIME_ZONE") or "Europe/Belgrade"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder before the first collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, first run) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
# Base of the absolute links in messages (invitations, notices): the address people reach the site at.
SITE_URL = config.env("SILKBRIDGE_SITE_URL") or "http://127.0.0.1:8000"
LOGIN_REDIRECT_URL = "directory:list"
LOGOUT_REDIRECT_URL = "directory:list"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

VECTOR_INDEX_DIR = DATA_DIR / "index"
# Who may be recommended to whom: different_country | groups (China <-> CEE) | any.
MATCH_CROSS_BORDER = config.env("SILKBRIDGE_MATCH_CROSS_BORDER") or "different_country"
# The optional learned re-ranker: used only when enabled and fitted on enough decisions.
MATCH_RERANKER = config.env_bool("SILKBRIDGE_MATCH_RERANKER", False)
MATCH_RERANKER_MIN_DECISIONS = config.env("SILKBRIDGE_MATCH_RERANKER_MIN_DECISIONS") or "30"
if not MATCH_RERANKER_MIN_DECISIONS.isdigit() or int(MATCH_RERANKER_MIN_DECISIONS) < 1:
    raise ValueError(f"SILKBRIDGE_MATCH_RERANKER_MIN_DECISIONS must be a whole number of at least 1; "
                     f"got {MATCH_RERANKER_MIN_DECISIONS!r}")
MATCH_RERANKER_MIN_DECISIONS = int(MATCH_RERANKER_MIN_DECISIONS)
MATCH_RERANKER_FILE = DATA_DIR / "reranker.json"
CELERY_BROKER_URL = BROKER_URL
# A task is acknowledged when it ends, not when it arrives, so a killed worker's task is delivered again
# (jobs.runner makes a second delivery harmless); one task at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down is reported at once (the job fails with the reason), not retried while a request waits.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5,
                                   "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running job that has not written its heartbeat for this long has lost its runner (jobs.recovery).
JOB_STALE_SECONDS = config.env_int("SILKBRIDGE_JOB_STALE_SECONDS", 30)
# Bounds on what one import may read (directory.tabular.Limits); refused while reading, never after.
IMPORT_LIMITS = {
    "max_bytes": config.env_int("SILKBRIDGE_MAX_UPLOAD_MB", 20) * 1024 * 1024,
    "max_rows": config.env_int("SILKBRIDGE_MAX_IMPORT_ROWS", 200_000),
    "max_cells": config.env_int("SILKBRIDGE_MAX_IMPORT_CELLS", 3_000_000),
    "max_cell_chars": config.env_int("SILKBRIDGE_MAX_CELL_CHARS", 32_767),
    "max_unpacked_bytes": config.env_int("SILKBRIDGE_MAX_XLSX_UNPACKED_MB", 400) * 1024 * 1024,
    "max_shared_strings_bytes": config.env_int("SILKBRIDGE_MAX_SHARED_STRINGS_MB", 100) * 1024 * 1024,
}
MAX_REPORTED_REJECTS = config.env_int("SILKBRIDGE_MAX_REPORTED_REJECTS", 1000)

# Audited models, each shown on its own page or on the page of the record its foreign key names.
AUDITED = {
    "directory.Organisation": None, "directory.ProfileText": "organisation", "directory.Person": "organisation",
    "directory.OrganisationName": "organisation",
    "forums.Forum": None, "forums.Participant": "forum",
    "outcomes.Agreement": None, "outcomes.Investment": None, "outcomes.CityRelation": None, "outcomes.Visit": None,
}

# The page cache (silkbridge.web.cache): Redis when one is named (or is the broker), else each process's memory.
# Either way pages are keyed by a generation counter in the database, so a write retires them everywhere.
CACHE_URL = config.env("SILKBRIDGE_CACHE_URL") or (BROKER_URL if (BROKER_URL or "").startswith(("redis://", "rediss://"))
                                                    else None)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "silkbridge"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "silkbridge",
                          "OPTIONS": {"MAX_ENTRIES": 2000}}}
PAGE_CACHE_SECONDS = int(config.env("SILKBRIDGE_PAGE_CACHE_SECONDS") or 300)
TASKS_EAGER = False  # run background tasks inline (tests)
TASKS_SKIP = False  # drop background tasks (the test suite's default)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"silkbridge": {"handlers": ["console"], "level": "INFO"}},
}

# --- HTTPS, a trusted TLS proxy, and the browser's protections -----------------------------------------
BEHIND_TLS_PROXY = config.env_bool("SILKBRIDGE_BEHIND_TLS_PROXY")
HTTPS = BEHIND_TLS_PROXY or config.env_bool("SILKBRIDGE_HTTPS")
if BEHIND_TLS_PROXY:
    # Only right when the proxy sets (never passes on) X-Forwarded-Proto; then request.is_secure() is true,
    # so the CSRF origin check compares the browser's https:// Origin with an https:// request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = config.trusted_origins(config.env("SILKBRIDGE_CSRF_TRUSTED_ORIGINS"), ALLOWED_HOSTS, HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(config.env("SILKBRIDGE_HSTS_SECONDS") or (31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = config.env_bool("SILKBRIDGE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

from csp.constants import NONE, SELF  # noqa: E402 (kept beside the policy it builds)

# Scripts only from this site: the chart pages carry their figures as JSON blocks (outcomes/charts.js draws
# them) and plotly.js itself is served from here. Inline styles stay allowed: templates and plotly's SVG use
# style attributes, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Login throttling (django-axes): per user name and, separately, per client address ------------------
AXES_FAILURE_LIMIT = int(config.env("SILKBRIDGE_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(config.env("SILKBRIDGE_LOGIN_LOCKOUT_MINUTES") or 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "silkbridge.web.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "silkbridge.web.security.client_ip"
AXES_VERBOSE = False
