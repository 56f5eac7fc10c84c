"""Running tasks in the background: Celery when `SILKBRIDGE_BROKER_URL` is set, otherwise a thread in this process.

A task is a module-level function taking plain arguments (ids, not model instances); callers
pass the function itself, so an editor or grep follows every dispatch to its target. Celery
carries it as ``module:qualname``, derived here from the function. `dispatch` queues it
when the surrounding transaction commits, so a task never sees data that was rolled back.
`TASKS_EAGER = True` in Django settings runs it inline; `TASKS_SKIP = True` drops it (the
test suite's default, so that no stray thread outlives a test; tests of background work
turn `TASKS_EAGER` on).
"""
from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, models, transaction

log = logging.getLogger("silkbridge.tasks")


def task_name(func: Callable) -> str:
    """``module:qualname`` of a task; refuses what a worker process could not import by that name."""
    module, qualname = getattr(func, "__module__", None), getattr(func, "__qualname__", "")
    if not module or not qualname or "<" in qualname or "." in qualname:
        raise TypeError(f"a task must be a module-level function, not {func!r}")
    return f"{module}:{qualname}"


def resolve(name: str) -> Callable:
    """The function behind a ``module:qualname`` made by `task_name`."""
    module_name, func_name = name.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def run_now(func: Callable, *args, **kwargs):
    """Run a task in the calling thread, closing stale connections around it like a worker would."""
    close_old_connections()
    try:
        return func(*args, **kwargs)
    finally:
        close_old_connections()


def _start(func: Callable, args: tuple, kwargs: dict) -> None:
    if getattr(settings, "TASKS_EAGER", False):
        # Inline: the caller's connection and transaction stay as they are.
        func(*args, **kwargs)
    elif getattr(settings, "TASKS_SKIP", False):
        log.debug("skipped background task %s", task_name(func))
    elif settings.BROKER_URL:
        from silkbridge.jobs.celery import run_task

        run_task.delay(task_name(func), list(args), kwargs)
    else:
        def target() -> None:
            try:
                run_now(func, *args, **kwargs)
            except Exception:  # a thread has nobody to raise to; the log and the Job row tell
                log.exception("background task %s failed", task_name(func))

        threading.Thread(target=target, name=f"task:{task_name(func)}", daemon=True).start()


def dispatch(func: Callable, *args, **kwargs) -> None:
    """Run ``func(*args, **kwargs)`` in the background once the current transaction commits."""
    task_name(func)  # fail at the call, not later in a worker
    transaction.on_commit(lambda: _start(func, args, kwargs))


def start_job(name: str, func: Callable, *args, subject: models.Model | None = None, **kwargs):
    """Create a `Job` row about ``subject`` and dispatch ``func(job_id, *args, **kwargs)``.

    The task reports through `jobs.progress.JobReporter`; ``name`` is the label people see.
    """
    from silkbridge.jobs.models import Job

    job = Job.objects.create(name=name, subject=subject)
    dispatch(func, job.pk, *args, **kwargs)
    return job
