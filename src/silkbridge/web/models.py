"""The shell's one table: the page cache's generation, which every committed write to the apps' tables bumps."""
from __future__ import annotations

from django.db import models


class CacheGeneration(models.Model):
    """One row (id 1). Cached pages are keyed by its value, so a bump retires every page cached before it, in
    every process and on every node that shares the database, whatever cache backend each one uses."""

    value = models.BigIntegerField(default=0)
