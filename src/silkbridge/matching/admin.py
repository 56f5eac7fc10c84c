"""Admin views of stored recommendations (read-only: they are recomputed, never edited by hand)."""
from django.contrib import admin

from .models import MatchResult


@admin.register(MatchResult)
class MatchResultAdmin(admin.ModelAdmin):
    list_display = ("organisation", "rank", "partner", "score", "cross_border", "computed_at")
    list_select_related = ("organisation", "partner")
    search_fields = ("organisation__name", "organisation__external_id", "partner__name")
    list_filter = ("cross_border",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
