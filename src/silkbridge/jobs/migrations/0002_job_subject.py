# The tables take the jobs app's names; a job gets a reference to its subject (a forum being scheduled, …).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='flag',
            table=None,
        ),
        migrations.AlterModelTable(
            name='job',
            table=None,
        ),
        migrations.AddField(
            model_name='job',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='job',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['subject_type', 'subject_id'], name='job_subject'),
        ),
    ]
