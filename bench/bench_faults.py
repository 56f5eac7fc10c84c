"""Faults during a background import: each must end with the job final within 60 s, whole rows, and a message.

Scenarios (each on a fresh SQLite installation in a temporary folder):
  server killed   a process running jobs in its own threads (as `silkbridge serve` does without a broker)
                  is killed with SIGKILL mid-import; `silkbridge serve` is started again
  worker killed   `silkbridge worker` (Celery, Redis db 4) is killed with SIGKILL, pool and all, mid-import;
                  the worker is started again
  broker down     an upload while the broker does not answer
  disk full       the process running the import may not grow a file past 2 MB more (RLIMIT_FSIZE)
  two at once     two `silkbridge import orgs` of 20,000 rows each at the same moment
"""
from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
REDIS = "redis://127.0.0.1:6379/4"
PY = sys.executable

SETUP = """
import os, shutil, sys, tempfile, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from django.conf import settings
from django.db import transaction
from silkbridge.directory.tasks import import_file
from silkbridge.jobs.dispatch import start_job
from silkbridge.jobs.models import Job
def submit(path):
    uploads = settings.DATA_DIR / "uploads"
    uploads.mkdir(exist_ok=True)
    copy = tempfile.NamedTemporaryFile(dir=uploads, suffix=".csv", delete=False).name
    shutil.copy(path, copy)
    with transaction.atomic():
        return start_job("import organisations", import_file, copy, "members.csv", False), copy
"""
SERVER = SETUP + """
job, copy = submit(sys.argv[1])
print(job.pk, copy, flush=True)
time.sleep(3600)  # the import runs in a thread of this process, as in `silkbridge serve`
"""
SUBMIT = SETUP + """
job, copy = submit(sys.argv[1])
print(job.pk, copy, flush=True)
"""
DISK_FULL = SETUP + """
import resource, signal
from silkbridge.jobs.dispatch import start_job as _start_job
uploads = settings.DATA_DIR / "uploads"
uploads.mkdir(exist_ok=True)
copy = tempfile.NamedTemporaryFile(dir=uploads, suffix=".csv", delete=False).name
shutil.copy(sys.argv[1], copy)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
limit = os.path.getsize(settings.DATABASES["default"]["NAME"]) + 2 * 2**20
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # from here no file may grow past it: a full disk
with transaction.atomic():
    job = _start_job("import organisations", import_file, copy, "members.csv", False)
print(job.pk, copy, flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        if Job.objects.get(pk=job.pk).is_final:
            break
    except Exception:
        pass
    time.sleep(0.5)
"""
BROKER_DOWN = """
import os, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "silkbridge.web.settings"
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
client = Client(raise_request_exception=False)
client.force_login(User.objects.create_user("staff", is_staff=True))
response = client.post("/organisations/import/", {"file": SimpleUploadedFile("m.csv", b"name,country\\nA,RS\\n")})
print(response.status_code, client.get(response["Location"]).status_code, flush=True)
"""


def env(data_dir: Path, broker: str | None = None) -> dict:
    out = dict(os.environ, SILKBRIDGE_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC), SILKBRIDGE_JOB_STALE_SECONDS="10",
               SILKBRIDGE_ALLOWED_HOSTS="testserver,localhost,127.0.0.1")
    out.pop("SILKBRIDGE_DATABASE_URL", None)
    out.pop("SILKBRIDGE_BROKER_URL", None)
    if broker:
        out["SILKBRIDGE_BROKER_URL"] = broker
    return out


def members(path: Path, count: int, prefix: str = "m") -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,name,kind,country,city,description,offers\n")
        for i in range(count):
            handle.write(f"{prefix}-{i},Member {prefix} {i},company,RS,Novi Sad,Делатност број {i},Услуге {i}\n")
    return path


def installation(folder: Path, name: str) -> Path:
    data = folder / name
    subprocess.run([PY, "-m", "silkbridge", "init", "-q"], env=env(data), check=True)
    return data


def db(data: Path, sql: str):
    with sqlite3.connect(data / "silkbridge.sqlite3", timeout=30) as con:
        return con.execute(sql).fetchone()


def job_row(data: Path, job: int):
    status, message, params = db(data, f"SELECT status, message, message_params FROM jobs_job WHERE id = {job}")
    import json

    params = json.loads(params) if params else {}
    try:
        text = message % params if params else message
    except (KeyError, TypeError, ValueError):
        text = message
    return status, text


def rows(data: Path) -> tuple[int, int]:
    stored = db(data, "SELECT count(*) FROM directory_organisation")[0]
    orphans = db(data, "SELECT count(*) FROM directory_organisation o WHERE NOT EXISTS "
                       "(SELECT 1 FROM directory_profiletext p WHERE p.organisation_id = o.id)")[0]
    return stored, orphans


def wait_progress(data: Path, job: int, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if db(data, f"SELECT progress FROM jobs_job WHERE id = {job}")[0] > 0:
            return
        time.sleep(0.2)
    raise RuntimeError("the import never reported progress")


def wait_final(data: Path, job: int, since: float, limit: float = 60) -> float | None:
    while time.monotonic() < since + limit:
        if job_row(data, job)[0] in ("done", "failed"):
            return time.monotonic() - since
        time.sleep(0.5)
    return None


def start(args: list[str], data: Path, broker: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(args, env=env(data, broker), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_line(process: subprocess.Popen, needle: str, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if needle in line or process.poll() is not None:
            return
    raise RuntimeError(f"no {needle!r} from {process.args}")


def result(name, data, job, seconds, copy=None, whole=True):
    status, message = job_row(data, job) if job else ("-", "")
    stored, orphans = rows(data)
    ok = (seconds is not None and status in ("done", "failed") and orphans == 0 and (not whole or stored % 1000 == 0)
          and (copy is None or not Path(copy).exists()))
    shown = "-" if seconds is None else f"{seconds:.1f}"
    print(f"| {name} | {status} | {shown} | {stored} | {orphans} | {'yes' if ok else 'NO'} | {message[:150]} |",
          flush=True)


def server_killed(folder: Path, file: Path) -> None:
    data = installation(folder, "server")
    child = start([PY, "-c", SERVER, str(file)], data)
    job, copy = child.stdout.readline().split()
    job = int(job)
    wait_progress(data, job)
    os.killpg(child.pid, signal.SIGKILL)
    killed = time.monotonic()
    child.wait()  # reaped, as the shell or service manager that started the server would
    server = start([PY, "-m", "silkbridge", "serve", "--port", str(free_port())], data)
    seconds = wait_final(data, job, killed)
    stop(server)
    result("server killed mid-import, serve restarted", data, job, seconds, copy)


def worker_killed(folder: Path, file: Path) -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    data = installation(folder, "worker")
    worker = start([PY, "-m", "silkbridge", "worker", "--concurrency", "1"], data, REDIS)
    wait_line(worker, " ready.")
    out = subprocess.run([PY, "-c", SUBMIT, str(file)], env=env(data, REDIS), capture_output=True, text=True, check=True)
    job, copy = out.stdout.split()
    job = int(job)
    wait_progress(data, job)
    os.killpg(worker.pid, signal.SIGKILL)
    killed = time.monotonic()
    worker.wait()
    again = start([PY, "-m", "silkbridge", "worker", "--concurrency", "1"], data, REDIS)
    seconds = wait_final(data, job, killed)
    stop(again)
    result("worker killed mid-import, worker restarted", data, job, seconds, copy)


def broker_down(folder: Path) -> None:
    data = installation(folder, "broker")
    began = time.monotonic()
    out = subprocess.run([PY, "-c", BROKER_DOWN], env=env(data, f"redis://127.0.0.1:{free_port()}/4"),
                         capture_output=True, text=True)
    seconds = time.monotonic() - began
    job = db(data, "SELECT max(id) FROM jobs_job")[0]
    codes = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()[-200:]
    result(f"broker down (upload answered {codes.replace(' ', ', then ')})", data, job, seconds)


def disk_full(folder: Path, file: Path) -> None:
    data = installation(folder, "disk")
    began = time.monotonic()
    out = subprocess.run([PY, "-c", DISK_FULL, str(file)], env=env(data), capture_output=True, text=True, timeout=300)
    if len(out.stdout.split()) < 2:
        print(f"| disk full | the process failed before its job was made: {out.stderr.strip()[-300:]} |")
        return
    job, copy = out.stdout.split()[:2]
    job = int(job)
    seconds = wait_final(data, job, began, 60)
    result("disk full (RLIMIT_FSIZE: the database may grow 2 MB)", data, job, seconds, copy)


def two_at_once(folder: Path) -> None:
    data = installation(folder, "two")
    files = [members(folder / f"{p}.csv", 20_000, p) for p in ("left", "right")]
    began = time.monotonic()
    runs = [subprocess.Popen([PY, "-m", "silkbridge", "import", "orgs", str(f)], env=env(data),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    codes = [r.wait() for r in runs]
    seconds = time.monotonic() - began
    stored, orphans = rows(data)
    ok = codes == [0, 0] and stored == 40_000 and orphans == 0
    print(f"| two imports at once (exit {codes[0]} and {codes[1]}) | - | {seconds:.1f} | {stored} | {orphans} | "
          f"{'yes' if ok else 'NO'} | {(runs[0].stdout.read().strip().splitlines() or [''])[-1][:150]} |", flush=True)


def reference_speed() -> str:
    """A fixed workload: 20,000 rows inserted into a fresh SQLite file in one transaction, then read back."""
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        con = sqlite3.connect(Path(folder) / "ref.sqlite3")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, text TEXT)")
        with con:
            con.executemany("INSERT INTO t (name, text) VALUES (?, ?)",
                            ((f"n{i}", "Делатност " * 20) for i in range(20_000)))
        total = con.execute("SELECT count(*), sum(length(text)) FROM t").fetchone()
        con.close()
        return f"reference workload: 20,000 SQLite rows written and read back ({total[1]:,} characters) in " \
               f"{time.perf_counter() - began:.2f} s"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000, help="rows of the member list imported mid-fault")
    args = parser.parse_args(argv)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores,"
          f" load average {os.getloadavg()[0]:.1f} at start; python {platform.python_version()}")
    print(reference_speed())
    print("job heartbeat considered lost after 10 s (SILKBRIDGE_JOB_STALE_SECONDS); 'ok' = final within 60 s, "
          "every stored organisation whole (with its profile), only whole 1,000-row chunks, upload copy removed\n")
    print("| fault | job | s to final | organisations stored | without profile | ok | message |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="silkbridge-faults-") as tmp:
        folder = Path(tmp)
        file = members(folder / "members.csv", args.rows)
        server_killed(folder, file)
        if redis_answers():
            worker_killed(folder, file)
            broker_down(folder)
        else:
            print("| worker killed, broker down | skipped: Redis at 127.0.0.1:6379 does not answer | | | | | |")
        disk_full(folder, file)
        two_at_once(folder)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
