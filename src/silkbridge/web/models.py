"""Site-wide state that belongs to no bounded context."""
from django.db import models


class Flag(models.Model):
    """A named fact about this installation, e.g. that the demo data was loaded."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.JSONField(default=dict, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class Job(models.Model):
    """A background job and its progress, shown to the person who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    name = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1
    # English message id (see ``web.jobtext``) and its parameters; pages show it translated.
    message = models.TextField(blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def localised_message(self) -> str:
        from silkbridge.web.jobtext import localise

        return localise(self.message, self.message_params)
