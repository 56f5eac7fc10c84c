# The Flag and Job models move here from the `web` app: the state is taken over as it was
# (tables web_flag and web_job, which web's migrations created); 0002 renames the tables.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('web', '0002_job_message_params'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Flag',
                    fields=[
                        ('key', models.CharField(max_length=100, primary_key=True, serialize=False)),
                        ('value', models.JSONField(blank=True, default=dict)),
                        ('set_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={'db_table': 'web_flag'},
                ),
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('progress', models.FloatField(default=0.0)),
                        ('message', models.TextField(blank=True)),
                        ('message_params', models.JSONField(blank=True, default=dict)),
                        ('result', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={'ordering': ['-created_at'], 'db_table': 'web_job'},
                ),
            ],
        ),
    ]
