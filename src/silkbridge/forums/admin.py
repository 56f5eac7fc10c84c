"""Admin for forums; schedule changes go through the organiser pages, which keep bookings consistent."""
from django.contrib import admin

from silkbridge.forums.models import (
    Delegate,
    Forum,
    MeetingRequest,
    Participant,
    ScheduledMeeting,
    Table,
)


class TableInline(admin.TabularInline):
    model = Table
    extra = 0
    fields = ("number", "name", "host")
    raw_id_fields = ("host",)


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "starts_on", "days", "status")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    filter_horizontal = ("organisers",)
    inlines = [TableInline]
    # Slots are generated from the sessions when the forum is created; editing these later would orphan them.
    readonly_fields = ("published_at",)


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0
    raw_id_fields = ("person", "user")


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("organisation", "forum", "status", "origin", "checked_in_at")
    list_filter = ("forum", "status", "origin")
    search_fields = ("organisation__name", "organisation__external_id")
    raw_id_fields = ("organisation",)
    filter_horizontal = ("unavailable",)
    inlines = [DelegateInline]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ("requester", "recipient", "status", "created_at", "forum")
    list_filter = ("forum", "status")
    raw_id_fields = ("requester", "recipient")


@admin.register(ScheduledMeeting)
class ScheduledMeetingAdmin(admin.ModelAdmin):
    list_display = ("slot", "table", "participant_a", "participant_b", "attendance")
    list_filter = ("forum", "attendance")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
