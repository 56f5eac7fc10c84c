"""A job whose runner is gone ends failed with a reason; a second delivery of a job does nothing."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone

from silkbridge.jobs import recovery, runner
from silkbridge.jobs.dispatch import run_job, start_job
from silkbridge.jobs.models import Job


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def count_calls(job_id: int, box: list) -> None:
    box.append(job_id)
    Job.objects.filter(pk=job_id).update(status="done")


CALLS: list[int] = []


def record(job_id: int) -> None:
    count_calls(job_id, CALLS)


@pytest.mark.django_db
def test_a_running_job_without_a_heartbeat_for_too_long_is_failed_with_the_reason(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.JOB_STALE_SECONDS = 30
    (tmp_path / "uploads").mkdir()
    copy = tmp_path / "uploads" / "tmpabc.csv"
    copy.write_text("name\nx\n")
    beat = timezone.now() - dt.timedelta(seconds=31)
    job = Job.objects.create(name="import organisations", status="running", progress=0.4, runner="otherhost:1:2",
                             heartbeat_at=beat, task_args=[str(copy), "members.csv"])
    fresh = Job.objects.create(name="import organisations", status="running", runner="otherhost:1:3",
                               heartbeat_at=timezone.now())
    assert recovery.recover_stale_jobs() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (job.status, fresh.status) == ("failed", "running")
    seen = timezone.localtime(beat).strftime("%H:%M:%S")
    assert job.localised_message.startswith(f"the process running this job stopped (no sign of life since {seen}); ")
    assert "(40% done)" in job.localised_message
    assert not copy.exists()


@pytest.mark.django_db
def test_a_job_whose_process_on_this_host_has_exited_is_failed_at_once():
    job = Job.objects.create(name="x", status="running", heartbeat_at=timezone.now(),
                             runner=f"{recovery.this_host()}:{_dead_pid()}:1")
    assert recovery.recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "has exited" in job.localised_message


@pytest.mark.django_db
def test_a_queued_job_of_a_server_without_broker_that_never_started_is_failed(settings):
    settings.BROKER_URL = None
    job = Job.objects.create(name="x")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    young = Job.objects.create(name="y")
    assert recovery.recover_stale_jobs() == 1
    assert Job.objects.get(pk=job.pk).localised_message.startswith("the job never started")
    assert Job.objects.get(pk=young.pk).status == "queued"


@pytest.mark.django_db
def test_the_job_page_fails_a_dead_job_and_stops_refreshing(admin_client):
    job = Job.objects.create(name="import organisations", status="running", runner="otherhost:1:2",
                             heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    page = admin_client.get(f"/organisations/import/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "the process running this job stopped" in page
    assert Job.objects.get(pk=job.pk).status == "failed"


@pytest.mark.django_db
def test_a_second_delivery_of_a_finished_or_live_job_does_nothing(settings):
    settings.TASKS_EAGER = True
    CALLS.clear()
    done = Job.objects.create(name="x", status="done")
    live = Job.objects.create(name="x", status="running", heartbeat_at=timezone.now(), runner="otherhost:1:2")
    queued = Job.objects.create(name="x")
    name = f"{__name__}:record"
    for job in (done, live, queued, queued):
        run_job(job.pk, name, [], {})
    assert CALLS == [queued.pk]


def failing(job_id: int) -> None:
    raise OSError(28, "No space left on device")


def silent(job_id: int) -> None:
    pass


@pytest.mark.django_db
def test_a_job_always_ends_final_with_the_error_it_met(settings):
    settings.TASKS_EAGER = True
    broken = Job.objects.create(name="x")
    with pytest.raises(OSError):
        run_job(broken.pk, f"{__name__}:failing", [], {})
    quiet = Job.objects.create(name="x")
    run_job(quiet.pk, f"{__name__}:silent", [], {})
    assert Job.objects.get(pk=broken.pk).localised_message == "the job failed: [Errno 28] No space left on device"
    assert (Job.objects.get(pk=quiet.pk).status, Job.objects.get(pk=quiet.pk).localised_message) == (
        "failed", "the job ended without reporting a result")


@pytest.mark.django_db
def test_start_job_records_the_task_and_its_arguments(django_capture_on_commit_callbacks, settings):
    settings.TASKS_EAGER = True
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("x", record)
    job.refresh_from_db()
    assert (job.task, job.task_args, job.status, CALLS) == (f"{__name__}:record", [], "done", [job.pk])
    assert job.runner == runner.runner_id()


@pytest.mark.django_db
def test_an_upload_the_data_dir_cannot_take_is_a_form_error_not_a_server_error(admin_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    (tmp_path / "uploads").write_text("a file where the uploads folder should be")
    response = admin_client.post("/organisations/import/", {"file": SimpleUploadedFile("m.csv", b"name\nA\n")})
    assert response.status_code == 200
    assert "the server cannot store the upload (" in response.content.decode()
    assert Job.objects.count() == 0


def test_start_up_refuses_a_data_dir_that_cannot_be_written(tmp_path):
    import os

    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    env = dict(os.environ, SILKBRIDGE_DATA_DIR=str(blocked / "data"))
    env.pop("SILKBRIDGE_DATABASE_URL", None)
    for command in (["init"], ["serve", "--port", "0"]):
        out = subprocess.run([sys.executable, "-m", "silkbridge", *command], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 2, out.stderr
        assert "cannot prepare the data dir" in out.stderr and "Traceback" not in out.stderr


def test_start_up_refuses_a_data_dir_whose_uploads_cannot_be_written(settings, tmp_path):
    from silkbridge.cli import CommandError
    from silkbridge.cli._django import check_data_dir

    settings.DATA_DIR = tmp_path
    (tmp_path / "uploads").write_text("in the way")
    with pytest.raises(CommandError, match=f"the data dir {tmp_path} cannot be written"):
        check_data_dir()
