"""What a running job reports: progress, outcome and message, written to its `Job` row so any process can show it."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from silkbridge.jobs.text import JobText


class JobReporter:
    """Progress and outcome of a job, written to its row so any process can show it."""

    def __init__(self, job_id: int):
        from silkbridge.jobs.models import Job

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
