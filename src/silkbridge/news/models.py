"""News articles and the candidate facts read from them, waiting for a person to accept, edit or reject them.

Nothing read from an article becomes an outcome record or a directory entry until a reviewer
accepts its candidate; `news.services` is the only code that writes these rows.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Article(models.Model):
    title = models.CharField(_("title"), max_length=500, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    raw_html = models.TextField(_("HTML as fetched"), blank=True)
    # SHA-256 of the text with case and white space normalised: the same story saved twice
    # (another URL, other line breaks) is stored once.
    text_hash = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(_("read from"), max_length=1000, blank=True)
    ingested_at = models.DateTimeField(_("ingested at"), auto_now_add=True)

    class Meta:
        ordering = ["-published", "-ingested_at", "-id"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        constraints = [models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_url_once")]

    def __str__(self) -> str:
        return self.title or self.url or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("news:article", args=[self.pk])


class Candidate(models.Model):
    """An entity or a fact the extraction found, with the characters it was read from."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", pgettext_lazy("candidate kind", "Organisation")
        PERSON = "person", pgettext_lazy("candidate kind", "Person")
        CITY = "city", pgettext_lazy("candidate kind", "City")
        AGREEMENT = "agreement", pgettext_lazy("candidate kind", "Agreement")
        INVESTMENT = "investment", pgettext_lazy("candidate kind", "Investment project")
        SISTER_CITY = "sister_city", pgettext_lazy("candidate kind", "City partnership")
        VISIT = "visit", pgettext_lazy("candidate kind", "Delegation visit")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("candidate status", "Proposed")
        ACCEPTED = "accepted", pgettext_lazy("candidate status", "Accepted")
        EDITED = "edited", pgettext_lazy("candidate status", "Accepted after editing")
        REJECTED = "rejected", pgettext_lazy("candidate status", "Rejected")

    ENTITY_KINDS = (Kind.ORGANISATION, Kind.PERSON, Kind.CITY)
    FACT_KINDS = (Kind.AGREEMENT, Kind.INVESTMENT, Kind.SISTER_CITY, Kind.VISIT)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    payload = models.JSONField(_("what was read"), default=dict)
    start = models.PositiveIntegerField(_("span start"))
    end = models.PositiveIntegerField(_("span end"))
    sentence = models.TextField(_("sentence"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    # How sure the directory link is (1 = the same name); null when nothing in the directory fits.
    confidence = models.FloatField(_("link confidence"), null=True, blank=True)
    organisation = models.ForeignKey("directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="news_candidates", verbose_name=_("organisation"))
    person = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="news_candidates", verbose_name=_("person"))
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="news_candidates", verbose_name=_("city"))
    # The outcome record an accepted fact became: ("agreement", 12).
    record_kind = models.CharField(max_length=20, blank=True, editable=False)
    record_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["article", "start", "id"]
        verbose_name = _("candidate fact")
        verbose_name_plural = _("candidate facts")
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="candidate_span_ordered")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        p = self.payload or {}
        return p.get("name") or p.get("title") or self.sentence[:80]

    @property
    def is_fact(self) -> bool:
        return self.kind in self.FACT_KINDS

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def linked(self):
        return self.organisation or self.person or self.city
