"""Dispatch takes the task function itself; a job row points at the row it works on."""
import pytest

from silkbridge.jobs.dispatch import dispatch, resolve, start_job, task_name

calls: list[tuple] = []


def record(*args, **kwargs):
    calls.append((args, kwargs))


def test_a_task_is_named_by_its_module_and_function_and_found_again():
    assert task_name(record) == f"{__name__}:record"
    assert resolve(task_name(record)) is record


def test_dispatch_refuses_what_a_worker_could_not_import():
    with pytest.raises(TypeError, match="module-level function"):
        dispatch(lambda: None)

    def local():
        pass

    with pytest.raises(TypeError, match="module-level function"):
        dispatch(local)


def test_dispatch_runs_the_function_once_the_transaction_commits(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS_EAGER = True
    calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch(record, 1, 2, kind="x")
    assert calls == []
    for callback in callbacks:
        callback()
    assert calls == [((1, 2), {"kind": "x"})]


def test_a_job_is_found_by_its_subject_not_its_name(db, django_user_model):
    from silkbridge.jobs.models import Job

    alice = django_user_model.objects.create(username="alice")
    bob = django_user_model.objects.create(username="bob")
    mine = start_job("anything", record, subject=alice)
    start_job("anything", record, subject=bob)
    start_job("anything", record)
    assert list(Job.objects.about(alice)) == [mine]
    assert (mine.subject, Job.objects.get(pk=mine.pk).subject) == (alice, alice)
