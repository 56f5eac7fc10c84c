"""The move of Flag and Job from the `web` app keeps their rows, and old scheduling jobs find their forum."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("web", "0002_job_message_params"), ("forums", "0001_initial"), ("jobs", None)]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_kept_and_linked():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state([n for n in BEFORE if n[1]]).apps
        forum = old.get_model("forums", "Forum").objects.create(
            name="Belgrade forum", slug="belgrade", starts_on="2027-05-01")
        old.get_model("web", "Flag").objects.create(key="demo-loaded", value={"organisations": 3})
        old.get_model("web", "Job").objects.create(name="schedule belgrade", status="done", message="ok")
        old.get_model("web", "Job").objects.create(name="import organisations")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from silkbridge.forums.models import Forum
    from silkbridge.jobs.models import Flag, Job

    assert Flag.objects.get().value == {"organisations": 3}
    assert sorted(Job.objects.values_list("name", "status")) == [("import organisations", "queued"),
                                                                ("schedule belgrade", "done")]
    assert [j.name for j in Job.objects.about(Forum.objects.get(pk=forum.pk))] == ["schedule belgrade"]
