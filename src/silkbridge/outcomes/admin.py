"""Administration of outcome records; saving goes through the write path so conversions stay current."""
from django.contrib import admin

from silkbridge.outcomes import services
from silkbridge.outcomes.forms import CityRelationForm
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Party, Visit

PROVENANCE = ("entry_method", "entered_by", "created_at", "updated_at", "import_key")
CONVERSION = ("amount_usd", "amount_cny", "amount_eur", "conversions", "conversion_error")


class PartyInline(admin.TabularInline):
    model = Party
    extra = 1
    raw_id_fields = ("organisation", "city")


class AgreementPartyInline(PartyInline):
    fk_name = "agreement"
    exclude = ("investment",)


class InvestmentPartyInline(PartyInline):
    fk_name = "investment"
    exclude = ("agreement",)


class RecordAdmin(admin.ModelAdmin):
    raw_id_fields = ("forum", "meeting")
    readonly_fields = PROVENANCE

    def save_model(self, request, obj, form, change):
        services.save_record(obj, by=request.user)


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = ("title", "kind", "signed_on", "status", "forum")
    list_filter = ("kind", "status", "entry_method")
    search_fields = ("title", "place")
    raw_id_fields = ("forum", "meeting", "city")
    readonly_fields = PROVENANCE + CONVERSION
    inlines = [AgreementPartyInline]


@admin.register(Investment)
class InvestmentAdmin(RecordAdmin):
    list_display = ("title", "signed_on", "status", "country", "amount", "currency", "amount_usd")
    list_filter = ("status", "country", "entry_method")
    search_fields = ("title", "target_name", "sector_text")
    raw_id_fields = ("forum", "meeting", "city", "sector")
    readonly_fields = PROVENANCE + CONVERSION
    inlines = [InvestmentPartyInline]


@admin.register(CityRelation)
class CityRelationAdmin(RecordAdmin):
    list_display = ("__str__", "kind", "since")
    list_filter = ("kind", "entry_method")
    search_fields = ("city_a__name_en", "city_b__name_en")
    raw_id_fields = ("forum", "meeting", "city_a", "city_b")
    # Its clean() orders the pair before the database's ordered-pair check sees it.
    form = CityRelationForm


@admin.register(Visit)
class VisitAdmin(RecordAdmin):
    list_display = ("delegation", "starts_on", "from_country", "to_country")
    search_fields = ("delegation", "head", "purpose")
    raw_id_fields = ("forum", "meeting", "organisation", "from_city", "to_city", "met")
