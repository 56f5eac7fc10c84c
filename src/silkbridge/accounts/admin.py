"""Admin pages of accounts: settings, notices sent, tokens (digests only) and memberships."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from silkbridge.accounts import services
from silkbridge.accounts.models import Account, ApiToken, Membership, Notice


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "optional_notices", "email_confirmed")
    list_filter = ("language", "optional_notices", "email_confirmed")
    search_fields = ("user__username", "user__email")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "key", "sent_at")
    list_filter = ("event",)
    search_fields = ("user__email", "key")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at")
    readonly_fields = ("digest", "prefix")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__email", "organisation__name", "organisation__external_id")
    actions = ["approve", "decline"]

    @admin.action(description=_("Approve the selected requests (tells each person)"))
    def approve(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            services.decide_membership(membership, approve=True, by=request.user)

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            services.decide_membership(membership, approve=False, by=request.user)
