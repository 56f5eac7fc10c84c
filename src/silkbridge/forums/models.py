"""B2B meeting forums: the event, its slots and tables, participants, meeting requests and the schedule.

The database itself guarantees that no participant and no table holds two meetings
in one slot (unique constraints on `Booking` and `ScheduledMeeting`).
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_sessions() -> list[dict]:
    return [
        {"name": "morning", "start": "09:00", "end": "12:30", "pauses": []},
        {"name": "afternoon", "start": "14:00", "end": "17:00", "pauses": []},
    ]


class Forum(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("forum status", "Draft")
        OPEN = "open", pgettext_lazy("forum status", "Open for requests")
        SCHEDULED = "scheduled", pgettext_lazy("forum status", "Scheduled (not published)")
        PUBLISHED = "published", pgettext_lazy("forum status", "Published")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("number of days"), default=1)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    # IANA name: slots are stored in UTC and shown, mailed, printed and written to calendars in this zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="forums", verbose_name=_("city"))
    # Each day repeats these sessions: [{"name", "start": "HH:MM", "end", "pauses": [["HH:MM", "HH:MM"], ...]}].
    sessions = models.JSONField(_("sessions"), default=default_sessions)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=20)
    request_deadline = models.DateTimeField(_("deadline for meeting requests"), null=True, blank=True)
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings per participant"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    public_participants = models.BooleanField(
        _("participant list is public"), default=True,
        help_text=_("Visitors who do not take part see who does."))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_forums",
                                        verbose_name=_("organisers"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:detail", args=[self.slug])

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Slot(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="slots")
    # Position in time order within the forum, 1-based; the engine's slot order.
    number = models.PositiveIntegerField(_("number"))
    day = models.PositiveSmallIntegerField(_("day"))
    session = models.CharField(_("session"), max_length=20)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["forum", "number"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["forum", "number"], name="slot_number_unique_per_forum"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


class Table(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    # A host stays at their own stand: every meeting of theirs takes place at this table.
    host = models.OneToOneField("Participant", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="stand", verbose_name=_("host"))

    class Meta:
        ordering = ["forum", "number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [models.UniqueConstraint(fields=["forum", "number"], name="table_number_unique_per_forum")]

    def __str__(self) -> str:
        return self.name or str(self.number)

    @property
    def label(self) -> str:
        return f"{self.number} · {self.name}" if self.name else str(self.number)


class Participant(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("participant status", "Awaiting approval")
        APPROVED = "approved", pgettext_lazy("participant status", "Approved")
        CANCELLED = "cancelled", pgettext_lazy("participant status", "Cancelled")

    class Origin(models.TextChoices):
        INVITED = "invited", _("invited by the organiser")
        REGISTERED = "registered", _("registered themselves")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                     related_name="forum_participations", verbose_name=_("organisation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPROVED)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.INVITED)
    # Slots the participant cannot attend.
    unavailable = models.ManyToManyField(Slot, blank=True, related_name="unavailable_participants",
                                         verbose_name=_("unavailable slots"))
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["forum", "organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["forum", "organisation"], name="participant_once_per_forum")]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.APPROVED


class Delegate(models.Model):
    """A person who attends for a participant: a directory contact, a user account, or both."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="delegations", verbose_name=_("person"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="delegations", verbose_name=_("user account"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(user__isnull=False),
                                   name="delegate_is_someone"),
            models.UniqueConstraint(fields=["participant", "user"], name="delegate_user_once"),
            models.UniqueConstraint(fields=["participant", "person"], name="delegate_person_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.person_id:
            return self.person.name_latin or self.person.name
        return self.user.get_full_name() or self.user.get_username()

    @property
    def role(self) -> str:
        return self.person.title if self.person_id else ""


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("request status", "Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("request status", "Accepted")
        DECLINED = "declined", pgettext_lazy("request status", "Declined")
        EXPIRED = "expired", pgettext_lazy("request status", "Expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")

    class Priority(models.TextChoices):
        MUST = "must", pgettext_lazy("request priority", "Must be held")
        NORMAL = "normal", pgettext_lazy("request priority", "Normal")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="requests")
    # Organisers pair some participants themselves; a `must` meeting is one the schedule has to hold.
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices, default=Priority.NORMAL)
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received_requests")
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    OPEN = (Status.PENDING, Status.ACCEPTED)

    class Meta:
        ordering = ["forum", "created_at", "id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="request_not_to_self"),
            models.UniqueConstraint(fields=["requester", "recipient"], condition=Q(status__in=["pending", "accepted"]),
                                    name="request_open_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient} ({self.status})"


class ScheduledMeeting(models.Model):
    class Attendance(models.TextChoices):
        EXPECTED = "expected", pgettext_lazy("attendance", "Expected")
        HELD = "held", pgettext_lazy("attendance", "Held")
        NO_SHOW = "no_show", pgettext_lazy("attendance", "No-show")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="meetings")
    participant_a = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    participant_b = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.EXPECTED)
    # Who did not come, when attendance is a no-show (empty: both sides missing or not known).
    no_show_by = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["slot__number", "table__number"]
        verbose_name = _("scheduled meeting")
        verbose_name_plural = _("scheduled meetings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="meeting_one_per_table_and_slot"),
            models.CheckConstraint(condition=~Q(participant_a=models.F("participant_b")), name="meeting_two_sides"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_a} – {self.participant_b} @ {self.slot} table {self.table}"

    def other(self, participant: Participant) -> Participant:
        return self.participant_b if participant.pk == self.participant_a_id else self.participant_a


class Booking(models.Model):
    """One row per participant and slot they are busy in; the unique constraint forbids double booking."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    meeting = models.ForeignKey(ScheduledMeeting, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "participant"], name="booking_one_per_participant_and_slot"),
            models.UniqueConstraint(fields=["meeting", "participant"], name="booking_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.slot}"


class ScheduleVersion(models.Model):
    """A published schedule, kept so a later publication can say who must be told about changes."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # [[request_id, slot_number, table_number], ...]
    assignments = models.JSONField(default=list)
    # Organisation external ids whose agenda changed against the previous version.
    notify = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["forum", "-number"]
        constraints = [models.UniqueConstraint(fields=["forum", "number"], name="schedule_version_unique")]

    def __str__(self) -> str:
        return f"{self.forum} v{self.number}"
