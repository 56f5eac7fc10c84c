"""Matching tables: the embedding cache (one row per distinct text and model) and precomputed recommendations."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Embedding(models.Model):
    """One text's vector under one encoder; the text itself is not kept, only its hash."""

    model = models.CharField(_("model"), max_length=100)
    # Hash of the role-prefixed, normalised text (see engines.matching.text_key).
    text_hash = models.CharField(_("text hash"), max_length=64)
    dim = models.PositiveSmallIntegerField(_("dimensions"))
    vector = models.BinaryField(_("vector"))  # little-endian float32 x dim
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [models.UniqueConstraint(fields=["model", "text_hash"], name="embedding_unique_text")]

    def __str__(self) -> str:
        return f"{self.model}:{self.text_hash}"


class MatchResult(models.Model):
    """A recommended partner of an organisation, as computed by the last batch or refresh."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="match_results",
                                     verbose_name=_("organisation"))
    partner = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("partner"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    # The rule in force when computed, so a changed setting shows which rows are stale.
    cross_border = models.CharField(_("cross-border rule"), max_length=20)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["organisation", "rank"]
        verbose_name = _("match result")
        verbose_name_plural = _("match results")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "partner"], name="matchresult_one_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.partner_id} ({self.score:.1f})"
