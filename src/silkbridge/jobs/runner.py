"""Running one job: its row says who runs it and beats every few seconds, and it always ends final.

Delivery may happen twice (Celery acknowledges late, so a killed worker's task comes again):
a job already done or failed, or running with a live heartbeat elsewhere, is left alone, which
makes every job idempotent at this level; the imports themselves upsert by key, so running
one again stores nothing twice.
"""
from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext_noop

from silkbridge.jobs.recovery import remove_upload_copies, runner_id, stale_after
from silkbridge.jobs.text import JobText

log = logging.getLogger("silkbridge.jobs")
FAILED = gettext_noop("the job failed: %(error)s")
NO_RESULT = gettext_noop("the job ended without reporting a result")
BROKER_DOWN = gettext_noop("the job could not be queued: the task broker does not answer (%(error)s); nothing was "
                           "done; try again when it is back")
ALREADY_RUNNING = "running elsewhere"


def heartbeat_every() -> float:
    return max(0.5, stale_after().total_seconds() / 6)


class Heartbeat:
    """Writes ``heartbeat_at`` of a running job every few seconds from a thread of its own."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat:{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        from silkbridge.jobs.models import Job

        try:
            while not self._stop.wait(heartbeat_every()):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a locked or briefly unreachable database: the next beat tries again
                    log.warning("heartbeat of job %s could not be written", self.job_id, exc_info=True)
        finally:
            close_old_connections()


def _claim(job_id: int):
    """Mark the job running by this process; None when it is final or alive elsewhere (a second delivery)."""
    from silkbridge.jobs.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_final:
        return None
    now = timezone.now()
    if job.status == Job.Status.RUNNING and job.heartbeat_at and job.heartbeat_at > now - stale_after():
        return None
    claimed = Job.objects.filter(pk=job_id, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=Job.Status.RUNNING, runner=runner_id(), heartbeat_at=now)
    return job if claimed else None


def run(job_id: int, target: str, args: list, kwargs: dict) -> None:
    from silkbridge.jobs.dispatch import resolve
    from silkbridge.jobs.models import Job

    job = _claim(job_id)
    if job is None:
        log.info("job %s is final or running elsewhere; this delivery does nothing", job_id)
        return
    eager = getattr(settings, "TASKS_EAGER", False)
    beat = Heartbeat(job_id) if not eager else None
    try:
        if beat:
            beat.__enter__()
        resolve(target)(job_id, *args, **kwargs)
    except Exception as exc:
        _fail(job_id, JobText(FAILED, error=str(exc) or type(exc).__name__))
        raise
    finally:
        if beat:
            beat.__exit__()
        # A task that returned without saying done or failed must not leave its job "running" for good.
        _fail(job_id, JobText(NO_RESULT))
        remove_upload_copies(Job.objects.filter(pk=job_id).values_list("task_args", flat=True).first())


def _fail(job_id: int, text: JobText) -> None:
    from silkbridge.jobs.models import Job

    try:
        Job.objects.filter(pk=job_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=text.template, message_params=text.params)
    except Exception:  # the database itself is failing; recovery will mark the job from its heartbeat
        log.exception("job %s could not be marked failed", job_id)


def broker_down(job_id: int, exc: Exception) -> None:
    """The job's task could not be queued: fail it at once with the reason, so its page says so."""
    _fail(job_id, JobText(BROKER_DOWN, error=str(exc) or type(exc).__name__))
    from silkbridge.jobs.models import Job

    remove_upload_copies(Job.objects.filter(pk=job_id).values_list("task_args", flat=True).first())
