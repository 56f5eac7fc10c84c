"""Jobs whose runner is gone: found by their heartbeat (or a dead process on this host) and failed with a reason.

A job's runner writes `Job.heartbeat_at` every few seconds while it works (see `jobs.runner`).
A job that is running with no sign of life for `JOB_STALE_SECONDS`, or whose process on this
host has exited, is marked failed with a message saying what happened and what was stored;
a queued job that never started within that time in a server without a broker (its thread
died with the process) is failed too. Their upload copies are removed. `serve` and `worker`
run this at start-up and then every few seconds; a job page runs it for its own job.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from silkbridge.jobs.progress import ROWS_STORED
from silkbridge.jobs.text import JobText

log = logging.getLogger("silkbridge.jobs")
RUNNER_GONE = gettext_noop("the process running this job stopped (%(why)s); it was marked failed at %(at)s. What "
                           "it had committed before stays (%(progress)s%% done); an import can be run again safely: "
                           "rows already stored come back unchanged")
RUNNER_GONE_ROWS = gettext_noop("the process running this job stopped (%(why)s); it was marked failed at %(at)s. The "
                                "first %(done)s of %(total)s rows were read and their good rows are stored; the later "
                                "rows are not: import the file again to finish (stored rows come back unchanged)")
NEVER_STARTED = gettext_noop("the job never started: the process that was to run it stopped (%(why)s); start it "
                             "again")


def this_host() -> str:
    return socket.gethostname()


def runner_id() -> str:
    return f"{this_host()}:{os.getpid()}:{threading.get_ident()}"


def _process_gone(runner: str) -> bool:
    """True when ``runner`` names a process on this host that no longer exists."""
    host, _, rest = runner.partition(":")
    pid = rest.split(":", 1)[0]
    if host != this_host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "JOB_STALE_SECONDS", 30))


def remove_upload_copies(task_args) -> None:
    """Delete the files under ``<data dir>/uploads`` that a job's arguments name (its upload copies)."""
    uploads = (Path(settings.DATA_DIR) / "uploads").resolve()
    for value in task_args or ():
        if isinstance(value, str) and value.startswith(str(uploads)):
            path = Path(value).resolve()
            if path.parent == uploads and not path.name.startswith("rejects-"):
                path.unlink(missing_ok=True)


def recover_stale_jobs(*, ids: list[int] | None = None) -> int:
    """Fail every job whose runner is gone; returns how many. ``ids`` limits the look to those jobs."""
    from silkbridge.jobs.models import Job

    now = timezone.now()
    limit = now - stale_after()
    jobs = Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    if ids is not None:
        jobs = jobs.filter(pk__in=ids)
    failed = 0
    for job in jobs.only("pk", "status", "runner", "heartbeat_at", "created_at", "task_args", "progress", "message",
                         "message_params"):
        why = _why_gone(job, limit)
        if why is None:
            continue
        at = timezone.localtime(now).strftime("%H:%M:%S")
        if job.status == Job.Status.QUEUED:
            text = JobText(NEVER_STARTED, why=why)
        elif job.message == ROWS_STORED and {"done", "total"} <= set(job.message_params or {}):
            text = JobText(RUNNER_GONE_ROWS, why=why, at=at, done=job.message_params["done"],
                           total=job.message_params["total"])
        else:
            text = JobText(RUNNER_GONE, why=why, at=at, progress=round(job.progress * 100))
        with transaction.atomic():
            # Only a job still in the state we saw is failed: a runner that finished meanwhile wins.
            changed = Job.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
                status=Job.Status.FAILED, finished_at=now, message=text.template, message_params=text.params)
        if changed:
            failed += 1
            log.warning("job %s failed: %s", job.pk, why)
            remove_upload_copies(job.task_args)
    return failed


def _why_gone(job, limit) -> str | None:
    if job.runner and _process_gone(job.runner):
        return f"process {job.runner.split(':')[1]} on {this_host()} has exited"
    if job.status == "running":
        beat = job.heartbeat_at
        if beat is None or beat < limit:
            seen = timezone.localtime(beat).strftime("%H:%M:%S") if beat else "never"
            return f"no sign of life since {seen}"
        return None
    # Queued: with a broker the message waits there (a worker may be busy or down); in-process it is lost.
    if not settings.BROKER_URL and job.created_at < limit and not job.runner:
        return "the server was stopped or restarted before the job began"
    return None


class Watchdog:
    """Runs `recover_stale_jobs` now and then every ``every`` seconds in a daemon thread of this process."""

    def __init__(self, every: float | None = None):
        self.every = every or max(2.0, stale_after().total_seconds() / 3)
        self._stop = threading.Event()

    def start(self) -> Watchdog:
        self.sweep()
        threading.Thread(target=self._loop, name="jobs-watchdog", daemon=True).start()
        return self

    def sweep(self) -> int:
        from django.db import close_old_connections

        try:
            return recover_stale_jobs()
        except Exception:  # the database may be briefly locked or away; the next sweep tries again
            log.exception("looking for stale jobs failed")
            return 0
        finally:
            close_old_connections()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sweep()

    def stop(self) -> None:
        self._stop.set()
