from django.contrib import admin

from silkbridge.directory.models import City, Country, Organisation, OrganisationName, Person, ProfileText, Sector


class ProfileInline(admin.StackedInline):
    model = ProfileText
    extra = 0


class NameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "kind", "country", "city")
    list_filter = ("kind", "country")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("sectors",)
    raw_id_fields = ("city",)
    inlines = [NameInline, ProfileInline, PersonInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from silkbridge.directory.services import refresh_search_document
        from silkbridge.directory.signals import organisations_changed

        refresh_search_document(form.instance)
        organisations_changed.send(sender=Organisation, ids=[form.instance.pk])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "email")
    search_fields = ("name", "email")
    raw_id_fields = ("organisation",)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "name_local")
    search_fields = ("code", "name_en", "name_zh", "name_local")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "name_local", "country")
    list_filter = ("country",)
    search_fields = ("name_en", "name_zh", "name_local", "name_local_latn")


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "level")
    search_fields = ("code", "name_en", "name_zh")
