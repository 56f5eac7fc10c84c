"""Job messages: English as written, rebuilt in the reader's language from their id and parameters."""
from django.utils import translation

from silkbridge.jobs.text import JobText, localise


def test_job_text_is_the_english_sentence_and_keeps_its_id_and_parameters():
    text = JobText("%(done)s of %(total)s rows", done=3, total=10)
    assert text == "3 of 10 rows"
    assert (text.template, text.params) == ("%(done)s of %(total)s rows", {"done": 3, "total": 10})
    assert JobText("saving the schedule") == "saving the schedule"


def test_stored_messages_are_shown_in_the_active_language():
    with translation.override("zh-hans"):
        assert localise("%(done)s of %(total)s rows", {"done": 3, "total": 10}) == "已处理 3 / 10 行"
    with translation.override("sr"):
        assert localise("saving the schedule", {}) == "чување распореда"
    with translation.override("sr-latn"):
        assert localise("saving the schedule", {}) == "čuvanje rasporeda"


def test_free_text_and_percent_signs_without_parameters_stay_as_written():
    with translation.override("zh-hans"):
        assert localise("row 3: 100% is not a country", {}) == "row 3: 100% is not a country"
        assert localise("", {}) == ""


def test_the_reporter_stores_id_and_parameters(db):
    from silkbridge.jobs.models import Job
    from silkbridge.jobs.progress import JobReporter

    job = Job.objects.create(name="import")
    JobReporter(job.pk).progress(0.5, JobText("%(done)s of %(total)s rows", done=5, total=10))
    job.refresh_from_db()
    assert (job.message, job.message_params, job.localised_message) == (
        "%(done)s of %(total)s rows", {"done": 5, "total": 10}, "5 of 10 rows")
    JobReporter(job.pk).failed("members.csv: no column 'name'")
    job.refresh_from_db()
    assert (job.status, job.message_params, job.localised_message) == ("failed", {}, "members.csv: no column 'name'")
