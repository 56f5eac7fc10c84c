# Flag and Job now belong to the `jobs` app (its 0001 takes over their tables); nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('web', '0002_job_message_params'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Flag'),
                migrations.DeleteModel(name='Job'),
            ],
        ),
    ]
