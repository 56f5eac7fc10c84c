"""Background work: Celery when `SILKBRIDGE_BROKER_URL` is set, otherwise a thread in this process.

A task is any importable function taking plain arguments (ids, not model instances).
`dispatch` queues it when the surrounding transaction commits, so a task never sees
data that was rolled back. `TASKS_EAGER = True` in Django settings runs it inline;
`TASKS_SKIP = True` drops it (the test suite's default, so that no stray thread
outlives a test; tests of background work turn `TASKS_EAGER` on).
"""
from __future__ import annotations

import importlib
import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from silkbridge.web.jobtext import JobText

log = logging.getLogger("silkbridge.tasks")


def _resolve(path: str) -> Callable:
    module_name, func_name = path.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def run_now(path: str, *args, **kwargs):
    """Run a task in the calling thread, closing stale connections around it like a worker would."""
    close_old_connections()
    try:
        return _resolve(path)(*args, **kwargs)
    finally:
        close_old_connections()


def _start(path: str, args: tuple, kwargs: dict) -> None:
    if getattr(settings, "TASKS_EAGER", False):
        # Inline: the caller's connection and transaction stay as they are.
        _resolve(path)(*args, **kwargs)
    elif getattr(settings, "TASKS_SKIP", False):
        log.debug("skipped background task %s", path)
    elif settings.BROKER_URL:
        from silkbridge.web.celery import run_task

        run_task.delay(path, list(args), kwargs)
    else:
        def target() -> None:
            try:
                run_now(path, *args, **kwargs)
            except Exception:  # a thread has nobody to raise to; the log and the Job row tell
                log.exception("background task %s failed", path)

        threading.Thread(target=target, name=f"task:{path}", daemon=True).start()


def dispatch(path: str, *args, **kwargs) -> None:
    """Run `module:function(*args, **kwargs)` in the background once the current transaction commits."""
    transaction.on_commit(lambda: _start(path, args, kwargs))


def start_job(name: str, path: str, *args, **kwargs):
    """Create a `Job` row and dispatch `path(job_id, *args, **kwargs)`; the task reports through `JobReporter`."""
    from silkbridge.web.models import Job

    job = Job.objects.create(name=name)
    dispatch(path, job.pk, *args, **kwargs)
    return job


class JobReporter:
    """Progress and outcome of a job, written to its row so any process can show it."""

    def __init__(self, job_id: int):
        from silkbridge.web.models import Job

        self.job_id = job_id
        self._jobs = Job.objects

    @staticmethod
    def _message(message: str) -> dict:
        """A ``JobText`` is stored as its message id and parameters, plain text as written."""
        if isinstance(message, JobText):
            return {"message": message.template, "message_params": message.params}
        return {"message": message, "message_params": {}}

    def progress(self, fraction: float, message: str = "") -> None:
        self._jobs.filter(pk=self.job_id).update(status="running", progress=max(0.0, min(1.0, fraction)),
                                                 **self._message(message))

    def done(self, result: dict | None = None, message: str = "") -> None:
        self._jobs.filter(pk=self.job_id).update(status="done", progress=1.0, result=result or {},
                                                 finished_at=timezone.now(), **self._message(message))

    def failed(self, message: str) -> None:
        self._jobs.filter(pk=self.job_id).update(status="failed", finished_at=timezone.now(), **self._message(message))


# Messages shared by the table imports (directory and outcomes).
ROWS_COUNTED = gettext_noop("%(done)s of %(total)s rows")
IMPORT_FAILED = gettext_noop("the import failed: %(error)s")
IMPORTED_ROWS = gettext_noop("imported %(imported)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                             "unchanged; %(rejected)s rejected")


def import_report(template: str, result) -> JobText:
    """The closing line of a table import (directory or outcomes): ``template`` with the counts of ``result``."""
    return JobText(template, imported=result.imported, created=result.created, updated=result.updated,
                   unchanged=result.unchanged, rejected=len(result.rejected))


def keep_upload(upload) -> str:
    """Copy an uploaded file into ``<data dir>/uploads`` for a job; returns the copy's path.

    The job reads the file after the request has ended, so it cannot be a request-scoped
    temporary file; :func:`run_on_upload` deletes the copy when the job is done with it.
    """
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=Path(upload.name).suffix.lower(), delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return handle.name


def run_on_upload(job_id: int, path: str, filename: str, work: Callable, *, counted: str, failure: str,
                  expected: tuple[type[Exception], ...] = ()):
    """Run ``work(path, progress)`` for job ``job_id`` on an uploaded copy, then delete the copy.

    ``counted`` is the progress message id (with ``%(done)s`` and ``%(total)s``), ``failure``
    the one for an unexpected error (with ``%(error)s``). Returns ``(reporter, result)``. An
    ``expected`` error fails the job with its own message (naming ``filename``, not the
    copy) and gives ``result = None``; any other error fails the job with ``failure`` and
    is raised for the log.
    """
    report = JobReporter(job_id)
    progress = lambda done, total: report.progress(done / total if total else 1.0,  # noqa: E731
                                                   JobText(counted, done=done, total=total))
    try:
        return report, work(path, progress)
    except expected as exc:
        report.failed(str(exc).replace(path, filename))
        return report, None
    except Exception as exc:
        report.failed(JobText(failure, error=str(exc)))
        raise
    finally:
        Path(path).unlink(missing_ok=True)  # the upload was copied for this job alone
