"""Start Django once for commands that need the database."""
from __future__ import annotations

import os

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.web.settings")
    import django

    try:
        django.setup()
    except OSError as exc:  # e.g. the data dir cannot be created (read-only, full, a file in the way)
        from silkbridge.cli import CommandError

        raise CommandError(f"cannot prepare the data dir: {exc}; set SILKBRIDGE_DATA_DIR to a writable folder") from exc
    _ready = True


MIN_FREE_MB = 50


def check_data_dir() -> None:
    """Refuse to start on a data dir that cannot be written or is (nearly) full, with a message saying so.

    Otherwise the first upload or import would fail half-way, or a job would wait for ever.
    """
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from silkbridge.cli import CommandError

    folder = Path(settings.DATA_DIR)
    try:
        (folder / "uploads").mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder / "uploads", prefix=".write-check-") as probe:
            probe.write(b"\0" * 65536)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise CommandError(f"the data dir {folder} cannot be written ({exc.strerror or exc}); uploads, imports and "
                           f"the SQLite database need it: free some space or make it writable, or set "
                           f"SILKBRIDGE_DATA_DIR to another folder") from exc
    free = shutil.disk_usage(folder).free / 2**20
    if free < MIN_FREE_MB:
        raise CommandError(f"the data dir {folder} has only {free:.0f} MB free (at least {MIN_FREE_MB} MB are needed "
                           f"for uploads and imports); free some space or set SILKBRIDGE_DATA_DIR to another folder")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        path = Path(database["NAME"])
        if path.exists() and not os.access(path, os.W_OK):
            raise CommandError(f"the database file {path} is read-only; make it writable or point "
                               f"SILKBRIDGE_DATABASE_URL elsewhere")
