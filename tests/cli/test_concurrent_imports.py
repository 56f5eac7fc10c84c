"""Two imports at once on SQLite both finish; a lock that never comes exits with status 3, not 1."""
from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _env(data_dir: Path, **extra) -> dict:
    env = dict(os.environ, SILKBRIDGE_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC), **extra)
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "silkbridge", *args]


def _members(path: Path, prefix: str, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "kind", "country", "city", "description"])
        for i in range(count):
            writer.writerow([f"{prefix}-{i}", f"{prefix} organisation {i}", "company", "RS", f"Town {prefix} {i % 50}",
                             "Distributor of medical devices in Serbia."])
    return path


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sb-concurrent")
    subprocess.run(_cli("init", "-q"), env=_env(data_dir), check=True, timeout=300)
    return data_dir


def _count(data_dir: Path, prefix: str) -> int:
    with sqlite3.connect(data_dir / "silkbridge.sqlite3") as db:
        return db.execute("SELECT count(*) FROM directory_organisation WHERE external_id LIKE ?",
                          (f"{prefix}-%",)).fetchone()[0]


def test_two_imports_at_once_both_store_every_row(installation, tmp_path):
    files = [_members(tmp_path / f"{p}.csv", p, 4000) for p in ("left", "right")]
    runs = [subprocess.Popen(_cli("import", "orgs", str(f)), env=_env(installation, SILKBRIDGE_SQLITE_TIMEOUT="5"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(r.wait(timeout=600), r.stdout.read(), r.stderr.read()) for r in runs]
    assert [o[0] for o in outcomes] == [0, 0], outcomes
    assert all("imported 4000 rows: 4000 created" in o[1] for o in outcomes)
    assert (_count(installation, "left"), _count(installation, "right")) == (4000, 4000)


def test_a_lock_that_never_comes_exits_3_with_a_message_and_stores_nothing(installation, tmp_path):
    path = _members(tmp_path / "held.csv", "held", 50)
    holder = sqlite3.connect(installation / "silkbridge.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that keeps the lock
    try:
        out = subprocess.run(_cli("import", "orgs", str(path)), env=_env(installation, SILKBRIDGE_SQLITE_TIMEOUT="1"),
                             capture_output=True, text=True, timeout=120)
    finally:
        holder.rollback()
        holder.close()
    assert out.returncode == 3, out.stderr
    assert "the database is locked by another writer" in out.stderr
    assert "no row was stored" in out.stderr
    assert "Traceback" not in out.stderr
    assert _count(installation, "held") == 0
