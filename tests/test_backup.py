"""Backup and restore move a whole installation SQLite -> PostgreSQL -> SQLite with nothing lost."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PG = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "sb_prod_backup_test"

SEED = r"""
import os
from pathlib import Path
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from django.contrib.auth.models import User
from silkbridge.jobs.models import Flag, Job
from silkbridge.directory.models import Organisation
User.objects.create_user("organiser", "o@example.org", "secret-password", is_staff=True)
job = Job.objects.create(name="import organisations", status="done", result={"imported": 3, "rejected": []},
                         subject=Organisation.objects.order_by("pk").first())
Flag.objects.create(key="demo-loaded", value={"organisations": 120, "nested": {"b": 1, "a": [1.5, None]}})
uploads = Path(os.environ["SILKBRIDGE_DATA_DIR"]) / "uploads"
uploads.mkdir(exist_ok=True)
(uploads / f"rejects-{job.pk}.csv").write_text("id,name,error\nx,Ünïcode 名字,country: unknown\n", encoding="utf-8")
"""

ADD_ONE = r"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from silkbridge.jobs.models import Job
print(Job.objects.create(name="after the move").pk)
"""


def _run(args, data_dir: Path, database: str | None = None, check: bool = True):
    env = dict(os.environ, SILKBRIDGE_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC))
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    if database:
        env["SILKBRIDGE_DATABASE_URL"] = database
    out = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def _cli(*args):
    return ["-m", "silkbridge", *args]


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _fresh_postgres_database() -> str:
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(PG + "postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            admin.execute(f"CREATE DATABASE {PG_NAME}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL at {PG} is not reachable ({exc.__class__.__name__}); the move to it is not tested")
    return PG + PG_NAME


def test_an_installation_moves_sqlite_to_postgresql_and_back_with_every_table_equal(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("id,name,kind,country,city,sectors,description\n" + "".join(
        f"rs-{i},Организација {i} d.o.o.,company,RS,Beograd,26; 46,Дистрибутер медицинске опреме {i}.\n" if i % 2 else
        f"cn-{i},杭州公司 {i},university,CN,Hangzhou,62,我们生产便携式超声诊断设备 {i}。\n" for i in range(120)),
        encoding="utf-8")
    source = tmp_path / "laptop"
    _run(_cli("init", "-q"), source)
    _run(_cli("import", "orgs", str(members)), source)
    outcomes = SRC / "silkbridge" / "outcomes" / "data"
    _run(_cli("import", "sister-cities", str(outcomes / "sister_cities_china_ceec.csv")), source, check=False)
    _run(_cli("import", "investments", str(outcomes / "china_investment_ceec_2005_2021.csv")), source, check=False)
    _run(["-c", SEED], source)
    _run(_cli("backup", "-q", str(tmp_path / "laptop.zip")), source)
    laptop = _manifest(tmp_path / "laptop.zip")
    assert laptop["database"] == "sqlite"
    rows = {label: table["rows"] for label, table in laptop["tables"].items()}
    assert (rows["auth.user"], rows["jobs.job"], rows["jobs.flag"], rows["directory.country"]) == (1, 1, 1, 249)
    # The members, plus the investors and partners the two outcome imports added.
    assert rows["directory.organisation"] > 120 and rows["outcomes.cityrelation"] > 100 and rows["outcomes.investment"] > 50

    server = _fresh_postgres_database()
    out = _run(_cli("restore", str(tmp_path / "laptop.zip")), tmp_path / "server", server)
    assert "into postgresql; every table's row count and content hash match the backup" in out.stdout
    _run(_cli("backup", "-q", str(tmp_path / "server.zip")), tmp_path / "server", server)
    # The sequences follow the restored ids: a new row gets the next one, not a collision.
    assert int(_run(["-c", ADD_ONE], tmp_path / "server", server).stdout) == laptop["tables"]["jobs.job"]["rows"] + 1

    _run(_cli("restore", "-q", str(tmp_path / "server.zip")), tmp_path / "back")
    _run(_cli("backup", "-q", str(tmp_path / "back.zip")), tmp_path / "back")
    server_manifest, back = _manifest(tmp_path / "server.zip"), _manifest(tmp_path / "back.zip")
    assert server_manifest["database"] == "postgresql"
    # Every table: the same rows and the same content hash on the laptop, the server and back.
    laptop_tables = laptop["tables"]
    assert back["tables"] == laptop_tables | {"jobs.job": server_manifest["tables"]["jobs.job"]}
    assert {k: v for k, v in server_manifest["tables"].items() if k != "jobs.job"} == {
        k: v for k, v in laptop_tables.items() if k != "jobs.job"}
    assert back["uploads"] == laptop["uploads"] and len(laptop["uploads"]) == 1
    name = next(iter(laptop["uploads"]))
    assert (tmp_path / "back" / "uploads" / name).read_text(encoding="utf-8") == \
        (source / "uploads" / name).read_text(encoding="utf-8")


def test_restore_refuses_a_database_that_holds_data(tmp_path):
    source = tmp_path / "one"
    _run(_cli("init", "-q"), source)
    _run(_cli("backup", "-q", str(tmp_path / "one.zip")), source)
    out = _run(_cli("restore", str(tmp_path / "one.zip")), source, check=False)
    assert out.returncode == 2
    assert "the database is not empty: directory.country (249 rows)" in out.stderr
    assert "nothing was changed" in out.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    out = _run(_cli("restore", str(tmp_path / "x.zip")), tmp_path / "d", check=False)
    assert (out.returncode, out.stderr.strip()) == (2, f"silkbridge restore: error: {tmp_path / 'x.zip'}: not a zip "
                                                       f"file, so not a silkbridge backup")
