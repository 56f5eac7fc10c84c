"""The Celery application, used only when `SILKBRIDGE_BROKER_URL` is set (`silkbridge worker` runs it)."""
from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.web.settings")

app = Celery("silkbridge")
# Reads CELERY_BROKER_URL, which the settings take from SILKBRIDGE_BROKER_URL.
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="silkbridge.run_task")
def run_task(target: str, args: list, kwargs: dict):
    """Run the task named ``module:qualname`` (derived by `jobs.dispatch` from the function it was given)."""
    from silkbridge.jobs.dispatch import resolve, run_now

    return run_now(resolve(target), *args, **kwargs)
