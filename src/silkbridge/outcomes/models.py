"""Outcomes of cooperation: agreements, investment projects, city partnerships and delegation visits.

Every record carries its provenance (source, who entered it, when and how) and may point to
the forum and the meeting it came out of. Records are written only through `outcomes.services`.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TARGET_CURRENCIES = ("USD", "CNY", "EUR")


class EntryMethod(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("entry method", "Entered by hand")
    IMPORT = "import", pgettext_lazy("entry method", "Imported from a file")
    NEWS = "news", pgettext_lazy("entry method", "Extracted from news")


class Record(models.Model):
    """What every outcome shares: links to a forum and a meeting, a source, and who entered it how."""

    forum = models.ForeignKey("forums.Forum", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("forum"))
    # The accepted meeting request, not the scheduled meeting: re-solving a schedule rebuilds
    # ScheduledMeeting rows, while the request that two participants met over stays.
    meeting = models.ForeignKey("forums.MeetingRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("meeting"))
    source_url = models.URLField(_("source address"), max_length=1000, blank=True)
    source_title = models.CharField(_("source title"), max_length=500, blank=True)
    source_excerpt = models.TextField(_("source excerpt"), blank=True)
    # Filled by the news app: the article and the character span the fact was read from.
    source_article_id = models.PositiveIntegerField(_("source article"), null=True, blank=True)
    source_span = models.JSONField(_("source span"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    entry_method = models.CharField(_("entered how"), max_length=10, choices=EntryMethod.choices,
                                    default=EntryMethod.MANUAL)
    # Natural key of an imported row: re-importing a file updates these records instead of adding copies.
    import_key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class Converted(models.Model):
    """An amount in its own currency and, fixed at the signing date, in USD, CNY and EUR."""

    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_usd = models.DecimalField(_("amount in USD"), max_digits=20, decimal_places=2, null=True, blank=True,
                                     editable=False)
    amount_cny = models.DecimalField(_("amount in CNY"), max_digits=20, decimal_places=2, null=True, blank=True,
                                     editable=False)
    amount_eur = models.DecimalField(_("amount in EUR"), max_digits=20, decimal_places=2, null=True, blank=True,
                                     editable=False)
    # {"USD": {"rate": "7.8", "rate_date": "2019-06-03", "source": "ECB euro foreign exchange reference rates"}, ...}
    conversions = models.JSONField(_("conversion rates"), default=dict, blank=True, editable=False)
    conversion_error = models.CharField(_("why not converted"), max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def converted(self) -> list[tuple[str, object, dict]]:
        return [(c, getattr(self, f"amount_{c.lower()}"), self.conversions.get(c, {})) for c in TARGET_CURRENCIES]


class Agreement(Record, Converted):
    class Kind(models.TextChoices):
        MOU = "mou", pgettext_lazy("agreement kind", "Memorandum of understanding")
        COOPERATION = "cooperation", pgettext_lazy("agreement kind", "Cooperation agreement")
        STRATEGIC = "strategic", pgettext_lazy("agreement kind", "Strategic cooperation agreement")
        CONTRACT = "contract", pgettext_lazy("agreement kind", "Contract")
        LOAN = "loan", pgettext_lazy("agreement kind", "Loan or financing agreement")
        GOVERNMENT = "government", pgettext_lazy("agreement kind", "Government or free-trade agreement")

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", pgettext_lazy("agreement status", "Under negotiation")
        SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
        IN_FORCE = "in_force", pgettext_lazy("agreement status", "In force")
        EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")
        TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MOU, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("city where signed"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=["agreements", self.pk])

    @property
    def on(self):
        return self.signed_on


class Investment(Record, Converted):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", pgettext_lazy("investment status", "Announced")
        SIGNED = "signed", pgettext_lazy("investment status", "Signed")
        UNDER_WAY = "under_way", pgettext_lazy("investment status", "Under way")
        COMPLETED = "completed", pgettext_lazy("investment status", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("investment status", "Cancelled")

    class Precision(models.TextChoices):
        DAY = "day", pgettext_lazy("date precision", "Day")
        MONTH = "month", pgettext_lazy("date precision", "Month")
        YEAR = "year", pgettext_lazy("date precision", "Year")

    title = models.CharField(_("title"), max_length=500)
    signed_on = models.DateField(_("date signed or announced"), null=True, blank=True)
    # Trackers often give only the month: the date is then its first day, converted at that day's rate.
    date_precision = models.CharField(_("date precision"), max_length=5, choices=Precision.choices,
                                      default=Precision.DAY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED)
    sector = models.ForeignKey("directory.Sector", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("sector (NACE)"))
    sector_text = models.CharField(_("sector as reported"), max_length=200, blank=True)
    country = models.ForeignKey("directory.Country", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("country"))
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("city"))
    share = models.DecimalField(_("share acquired (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    greenfield = models.BooleanField(_("greenfield"), null=True, blank=True)
    belt_and_road = models.BooleanField(_("Belt and Road"), null=True, blank=True)
    target_name = models.CharField(_("target or transaction party"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=["investments", self.pk])

    @property
    def on(self):
        return self.signed_on


class Party(models.Model):
    """One side of an agreement or an investment: an organisation, a city or a government (country)."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", pgettext_lazy("party role", "Signatory")
        INVESTOR = "investor", pgettext_lazy("party role", "Investor")
        TARGET = "target", pgettext_lazy("party role", "Target")
        PARTNER = "partner", pgettext_lazy("party role", "Partner")

    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="parties")
    investment = models.ForeignKey(Investment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SIGNATORY)
    organisation = models.ForeignKey("directory.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="outcome_parties", verbose_name=_("organisation"))
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="outcome_parties", verbose_name=_("city"))
    country = models.ForeignKey("directory.Country", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="outcome_parties", verbose_name=_("government of"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=(Q(agreement__isnull=False) & Q(investment__isnull=True))
                | (Q(agreement__isnull=True) & Q(investment__isnull=False)),
                name="party_of_one_record"),
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(city__isnull=True) & Q(country__isnull=True))
                | (Q(organisation__isnull=True) & Q(city__isnull=False) & Q(country__isnull=True))
                | (Q(organisation__isnull=True) & Q(city__isnull=True) & Q(country__isnull=False)),
                name="party_is_one_thing"),
        ]

    def __str__(self) -> str:
        return str(self.entity)

    @property
    def entity(self):
        return self.organisation or self.city or self.country

    @property
    def node(self) -> tuple[str, str]:
        """A key naming the party across records, for the graph of who cooperates with whom."""
        if self.organisation_id:
            return f"org:{self.organisation_id}", "organisation"
        if self.city_id:
            return f"city:{self.city_id}", "city"
        return f"country:{self.country_id}", "government"


class CityRelation(Record):
    class Kind(models.TextChoices):
        SISTER = "sister", pgettext_lazy("city relation", "Sister cities")
        PARTNER = "partner", pgettext_lazy("city relation", "Partner cities")
        FRIENDSHIP = "friendship", pgettext_lazy("city relation", "Friendship cities")

    # Stored with the lower id first, so (A, B) and (B, A) are one relation.
    city_a = models.ForeignKey("directory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("city"))
    city_b = models.ForeignKey("directory.City", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("partner city"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SISTER)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)

    class Meta:
        ordering = ["city_a__name_en", "city_b__name_en"]
        verbose_name = _("city partnership")
        verbose_name_plural = _("city partnerships")
        constraints = [
            models.CheckConstraint(condition=Q(city_a__lt=F("city_b")), name="city_relation_ordered_pair"),
            models.UniqueConstraint(fields=["city_a", "city_b", "kind"], name="city_relation_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.city_a} – {self.city_b}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=["cities", self.pk])

    @property
    def title(self) -> str:
        return str(self)


class Visit(Record):
    """A delegation visit: who went from where to where, when, why, and whom they met."""

    delegation = models.CharField(_("delegation"), max_length=300)
    head = models.CharField(_("head of delegation"), max_length=200, blank=True)
    organisation = models.ForeignKey("directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("sending organisation"))
    from_country = models.ForeignKey("directory.Country", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("from country"))
    from_city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("from city"))
    to_country = models.ForeignKey("directory.Country", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("to country"))
    to_city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("to city"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    met = models.ManyToManyField("directory.Organisation", blank=True, related_name="+",
                                 verbose_name=_("organisations met"))
    met_people = models.TextField(_("people met"), blank=True)

    class Meta:
        ordering = ["-starts_on", "delegation"]
        verbose_name = _("delegation visit")
        verbose_name_plural = _("delegation visits")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="visit_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.delegation

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=["visits", self.pk])

    @property
    def title(self) -> str:
        return self.delegation

    @property
    def on(self):
        return self.starts_on
