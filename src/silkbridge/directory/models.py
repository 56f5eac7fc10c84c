"""Directory models. Multilingual content is data: one row per language."""
from __future__ import annotations

import functools

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    name_local = models.CharField(_("local name"), max_length=100, blank=True)
    name_local_latn = models.CharField(_("local name, Latin script"), max_length=100, blank=True)
    groups = models.JSONField(_("groups"), default=list, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name_en

    def display_name(self, language: str | None = None) -> str:
        language = (language or "en").lower()
        if language.startswith("sr"):
            # CLDR (via Babel) has every country's name in Serbian, in both scripts.
            name = _cldr_territory("sr_Latn" if language == "sr-latn" else "sr", self.code)
            if name:
                return name
        return localized_name(self, language)


@functools.cache
def _cldr_territory(locale: str, code: str) -> str | None:
    from babel import Locale

    return Locale.parse(locale).territories.get(code)


class City(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country"))
    name_en = models.CharField(_("English name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    name_local = models.CharField(_("local name"), max_length=120, blank=True)
    name_local_latn = models.CharField(_("local name, Latin script"), max_length=120, blank=True)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    # Folded English name: lets imports find "Nis", "Niš" and "Ниш" as one city.
    key = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [models.UniqueConstraint(fields=["country", "key"], name="city_unique_per_country")]

    def __str__(self) -> str:
        return self.name_en

    def display_name(self, language: str | None = None) -> str:
        return localized_name(self, language)


def localized_name(obj, language: str | None) -> str:
    """The name of a country or city in the UI language: Chinese, Serbian (either script) or English."""
    language = (language or "en").lower()
    if language.startswith("zh") and obj.name_zh:
        return obj.name_zh
    if language.startswith("sr") and obj.name_local and getattr(obj, "country_id", getattr(obj, "code", "")) == "RS":
        return obj.name_local_latn if language == "sr-latn" else obj.name_local
    if language == "sr" and obj.name_local and getattr(obj, "code", "") == "RS":
        return obj.name_local
    return obj.name_en


class Sector(models.Model):
    """NACE Rev. 2: sections (A–U) and divisions (01–99)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=[("section", _("section")), ("division", _("division"))])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="divisions")
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    keywords = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def display_name(self, language: str | None = None) -> str:
        if (language or "").startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", pgettext_lazy("organisation kind", "Company")
        UNIVERSITY = "university", pgettext_lazy("organisation kind", "University")
        RESEARCH_INSTITUTE = "research_institute", pgettext_lazy("organisation kind", "Research institute")
        CHAMBER = "chamber", pgettext_lazy("organisation kind", "Chamber of commerce")
        AGENCY = "agency", pgettext_lazy("organisation kind", "Agency")
        GOVERNMENT = "government", pgettext_lazy("organisation kind", "Government body")
        CITY = "city", pgettext_lazy("organisation kind", "City")
        OTHER = "other", pgettext_lazy("organisation kind", "Other")

    class Size(models.TextChoices):
        MICRO = "micro", pgettext_lazy("org size", "Micro (under 10)")
        SMALL = "small", pgettext_lazy("org size", "Small (10–49)")
        MEDIUM = "medium", pgettext_lazy("org size", "Medium (50–249)")
        LARGE = "large", pgettext_lazy("org size", "Large (250+)")

    external_id = models.CharField(_("ID"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY, db_index=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country"))
    city = models.ForeignKey(City, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations", verbose_name=_("city"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations", verbose_name=_("sectors"))
    # Sector words from an import that map onto no NACE division are kept, not lost.
    sectors_other = models.CharField(_("other sectors"), max_length=500, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    founded = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    offer_types = models.JSONField(_("kinds of offer"), default=list, blank=True)
    need_types = models.JSONField(_("kinds of need"), default=list, blank=True)
    search_document = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.external_id])

    def profile_for(self, language: str | None) -> ProfileText | None:
        """The profile in the reader's language if there is one, else the author's own."""
        profiles = list(self.profiles.all())
        if not profiles:
            return None
        language = (language or "").lower()
        for candidate in (language, language.split("-")[0]):
            for p in profiles:
                if p.language == candidate:
                    return p
        if language == "sr":
            language = "sr-cyrl"
        for p in profiles:
            if p.language.split("-")[0] == language.split("-")[0]:
                return p
        authored = [p for p in profiles if p.origin == ProfileText.Origin.AUTHOR]
        return (authored or profiles)[0]


class OrganisationName(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="other_names")
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["organisation", "language"], name="orgname_one_per_language")]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class ProfileText(models.Model):
    class Origin(models.TextChoices):
        AUTHOR = "author", _("written by the organisation")
        TRANSLATION = "translation", _("translation")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="profiles")
    language = models.CharField(_("language"), max_length=10)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.AUTHOR)
    description = models.TextField(_("description"), blank=True)
    offers = models.TextField(_("offers"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["origin", "language"]
        constraints = [models.UniqueConstraint(fields=["organisation", "language"], name="profile_one_per_language")]
        verbose_name = _("profile text")
        verbose_name_plural = _("profile texts")

    def __str__(self) -> str:
        return f"{self.organisation_id} [{self.language}]"

    @staticmethod
    def items(text: str) -> list[str]:
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    @property
    def offer_items(self) -> list[str]:
        return self.items(self.offers)

    @property
    def need_items(self) -> list[str]:
        return self.items(self.needs)


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name
