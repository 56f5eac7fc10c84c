"""Admin pages of accounts: settings, notices sent, tokens (digests only) and memberships."""
from django.contrib import admin

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
