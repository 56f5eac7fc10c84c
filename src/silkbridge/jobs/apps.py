from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "silkbridge.jobs"
    label = "jobs"
    verbose_name = "background jobs"
