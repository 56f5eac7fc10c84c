# Scheduling jobs were found by their name "schedule <slug>"; they now point at their forum.

from django.db import migrations


def link_schedule_jobs(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Forum = apps.get_model("forums", "Forum")
    Job = apps.get_model("jobs", "Job")
    forum_type, _ = ContentType.objects.get_or_create(app_label="forums", model="forum")
    for forum in Forum.objects.only("pk", "slug"):
        Job.objects.filter(name=f"schedule {forum.slug}", subject_id__isnull=True).update(
            subject_type=forum_type, subject_id=forum.pk)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('forums', '0001_initial'),
        ('jobs', '0002_job_subject'),
    ]

    operations = [
        migrations.RunPython(link_schedule_jobs, migrations.RunPython.noop),
    ]
