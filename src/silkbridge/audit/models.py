"""One row per change of an audited record, linked to the record whose page shows it."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Entry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created"
        CHANGED = "changed"
        DELETED = "deleted"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)  # kept when the account is deleted
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=100)  # "directory.profiletext": what was written
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    # The record whose page lists the entry: the organisation of a profile text, the forum of a participant.
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict)  # {field: [before, after]}

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.model} {self.object_id}"
