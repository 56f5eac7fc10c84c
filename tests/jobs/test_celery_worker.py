"""Background jobs through a real Celery worker and Redis: an import runs to the end; a worker killed
mid-import leaves its job failed with a reason within a minute and no row half-written; a broker that
is down is a clear message, not a server error."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.celery
SRC = Path(__file__).resolve().parents[2] / "src"
REDIS = "redis://127.0.0.1:6379/4"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _env(data_dir: Path, broker: str = REDIS) -> dict:
    env = dict(os.environ, SILKBRIDGE_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC), SILKBRIDGE_BROKER_URL=broker,
               SILKBRIDGE_JOB_STALE_SECONDS="5", SILKBRIDGE_ALLOWED_HOSTS="testserver,localhost")
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    return env


SUBMIT = r"""
import os, shutil, sys, tempfile
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from django.conf import settings
from django.db import transaction
from silkbridge.directory.tasks import import_file
from silkbridge.jobs.dispatch import start_job
uploads = settings.DATA_DIR / "uploads"
uploads.mkdir(exist_ok=True)
copy = tempfile.NamedTemporaryFile(dir=uploads, suffix=".csv", delete=False).name
shutil.copy(sys.argv[1], copy)
with transaction.atomic():
    job = start_job("import organisations", import_file, copy, "members.csv", False)
print(job.pk, copy)
"""

LOOK = r"""
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from silkbridge.jobs.models import Job
job = Job.objects.get(pk=int(sys.argv[1])).checked()  # what a job page does
print(job.status, job.progress, job.localised_message, sep="\t")
"""


def _members(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,name,kind,country,city,description,offers\n")
        for i in range(count):
            handle.write(f"m-{i},Member {i},company,RS,Novi Sad,Делатност број {i},Услуге {i}\n")
    return path


@pytest.fixture
def installation(tmp_path):
    pytest.importorskip("celery", reason="the `queue` extra (Celery) is not installed")
    redis = pytest.importorskip("redis", reason="the `queue` extra (Celery with Redis) is not installed")
    if not _redis_answers():
        pytest.skip("Redis at 127.0.0.1:6379 does not answer; the Celery path is not tested")

    redis.Redis.from_url(REDIS).flushdb()
    data_dir = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "silkbridge", "init", "-q"], env=_env(data_dir), check=True, timeout=300)
    return data_dir


@pytest.fixture
def worker(installation):
    process = subprocess.Popen([sys.executable, "-m", "silkbridge", "worker", "--concurrency", "1"],
                               env=_env(installation), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if " ready." in line or process.poll() is not None:
            break
    assert process.poll() is None, "".join(lines)
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _submit(data_dir: Path, file: Path) -> tuple[int, Path]:
    out = subprocess.run([sys.executable, "-c", SUBMIT, str(file)], env=_env(data_dir), capture_output=True,
                         text=True, timeout=120, check=True)
    job, copy = out.stdout.split()
    return int(job), Path(copy)


def _look(data_dir: Path, job: int) -> tuple[str, float, str]:
    out = subprocess.run([sys.executable, "-c", LOOK, str(job)], env=_env(data_dir), capture_output=True, text=True,
                         timeout=120, check=True)
    status, progress, message = out.stdout.rstrip("\n").split("\t")
    return status, float(progress), message


def _db(data_dir: Path, sql: str):
    with sqlite3.connect(data_dir / "silkbridge.sqlite3", timeout=30) as db:
        return db.execute(sql).fetchone()[0]


def test_an_import_runs_to_the_end_through_a_real_worker(installation, worker, tmp_path):
    job, copy = _submit(installation, _members(tmp_path / "members.csv", 1500))
    deadline = time.monotonic() + 60
    while (state := _look(installation, job))[0] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert state == ("done", 1.0, "imported 1500 rows: 1500 created, 0 updated, 0 unchanged; 0 rejected")
    assert _db(installation, "SELECT count(*) FROM directory_organisation") == 1500
    assert not copy.exists()


def test_a_worker_killed_mid_import_leaves_the_job_failed_with_a_reason_and_whole_rows(installation, worker, tmp_path):
    job, copy = _submit(installation, _members(tmp_path / "members.csv", 40_000))
    deadline = time.monotonic() + 120
    while _db(installation, f"SELECT progress FROM jobs_job WHERE id = {job}") == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(worker.pid, signal.SIGKILL)  # kill -9 of the worker and its pool
    killed = time.monotonic()
    while (state := _look(installation, job))[0] not in ("done", "failed") and time.monotonic() < killed + 60:
        time.sleep(1)
    assert state[0] == "failed", state
    assert time.monotonic() - killed < 60
    assert state[2].startswith("the process running this job stopped (")
    stored = _db(installation, "SELECT count(*) FROM directory_organisation")
    assert 0 < stored < 40_000 and stored % 1000 == 0  # whole chunks of the import, never part of one
    # The message names the rows stored: the last chunk reported (one more may have committed just before the kill).
    said = int(state[2].split("The first ")[1].split(" of 40000 rows were read")[0])
    assert said in (stored, stored - 1000), (said, stored)
    assert _db(installation, "SELECT count(*) FROM directory_organisation o WHERE NOT EXISTS "
                             "(SELECT 1 FROM directory_profiletext p WHERE p.organisation_id = o.id)") == 0
    assert not copy.exists()


BROKER_DOWN = r"""
import os, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from silkbridge.jobs.models import Job
client = Client(raise_request_exception=False)
client.force_login(User.objects.create_user("staff", is_staff=True))
started = time.monotonic()
response = client.post("/organisations/import/", {"file": SimpleUploadedFile("m.csv", b"name,country\nA,RS\n")})
seconds = time.monotonic() - started
job = Job.objects.get()
page = client.get(response["Location"])
uploads = [p.name for p in (django.conf.settings.DATA_DIR / "uploads").iterdir()]
print(response.status_code, page.status_code, job.status, round(seconds), uploads, job.localised_message, sep="|")
"""


def test_a_broker_that_is_down_is_a_clear_message_not_a_server_error(installation):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = subprocess.run([sys.executable, "-c", BROKER_DOWN], env=_env(installation, f"redis://127.0.0.1:{port}/4"),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    post, page, status, seconds, uploads, message = out.stdout.strip().splitlines()[-1].split("|")
    assert (post, page, status, uploads) == ("302", "200", "failed", "[]")
    assert int(seconds) < 10
    assert message.startswith("the job could not be queued: the task broker does not answer (")
