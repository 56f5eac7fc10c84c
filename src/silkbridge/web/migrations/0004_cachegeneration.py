import secrets

from django.db import migrations, models


def first_row(apps, schema_editor):
    # A random start: a Redis cache shared with an earlier database never mistakes its pages for current ones.
    apps.get_model("web", "CacheGeneration").objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"value": secrets.randbelow(2**40) + 1})


class Migration(migrations.Migration):
    dependencies = [("web", "0003_move_flag_and_job_to_jobs")]

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
