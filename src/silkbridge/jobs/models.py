"""Rows of background work (`Job`) and installation-wide facts (`Flag`), shared by every app."""
from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Flag(models.Model):
    """A named fact about this installation, e.g. that the demo data was loaded."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.JSONField(default=dict, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class JobQuerySet(models.QuerySet):
    def about(self, subject: models.Model) -> JobQuerySet:
        """The jobs whose subject is ``subject`` (e.g. the scheduling runs of one forum)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


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
    # English message id (see ``jobs.text``) and its parameters; pages show it translated.
    message = models.TextField(blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the job works on (a forum being scheduled, …); empty for jobs about no single row.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="job_subject")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def localised_message(self) -> str:
        from silkbridge.jobs.text import localise

        return localise(self.message, self.message_params)
