"""Django settings, all taken from the environment (see `config.SETTINGS`)."""
from __future__ import annotations

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
        "timeout": 20,
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
    "silkbridge.jobs",
    "silkbridge.web",
    "silkbridge.directory",
    "silkbridge.matching",
    "silkbridge.forums",
    "silkbridge.outcomes",
    "silkbridge.news",
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
TIME_ZONE = "Europe/Belgrade"
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
TASKS_EAGER = False  # run background tasks inline (tests)
TASKS_SKIP = False  # drop background tasks (the test suite's default)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"silkbridge": {"handlers": ["console"], "level": "INFO"}},
}
