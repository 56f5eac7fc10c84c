"""Forms of the forum pages; each form's choices are limited to the forum it belongs to."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.forms import check_upload
from silkbridge.forums.models import Participant, Slot, Table


class SlotsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Slot) -> str:
        from django.utils import timezone

        local = timezone.localtime(obj.start)
        return f"{obj.number}: {_('day')} {obj.day}, {local:%H:%M}–{timezone.localtime(obj.end):%H:%M}"


class ParticipantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        org = obj.organisation
        return f"{org.name} ({org.country_id})"


class MeetingRequestForm(forms.Form):
    recipient = ParticipantChoice(queryset=Participant.objects.none(), label=_("Meet with"))
    message = forms.CharField(label=_("Short message"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requester: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            Participant.objects.filter(forum_id=requester.forum_id, status=Participant.Status.APPROVED)
            .exclude(pk=requester.pk).select_related("organisation").order_by("organisation__name"))


class AvailabilityForm(forms.Form):
    unavailable = SlotsChoice(queryset=Slot.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
                              label=_("Slots I cannot attend"))

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = Slot.objects.filter(forum_id=participant.forum_id).order_by("number")
        if not self.is_bound:
            self.initial["unavailable"] = list(participant.unavailable.values_list("pk", flat=True))


class MoveMeetingForm(forms.Form):
    """Slot and table by the numbers organisers see on the plan, not by database ids."""

    slot = forms.IntegerField(label=_("Slot"), min_value=1)
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum = forum

    def clean_slot(self) -> Slot:
        slot = self.forum.slots.filter(number=self.cleaned_data["slot"]).first()
        if slot is None:
            raise forms.ValidationError(_("There is no slot %(n)s.") % {"n": self.cleaned_data["slot"]})
        return slot

    def clean_table(self) -> Table:
        table = self.forum.tables.filter(number=self.cleaned_data["table"]).first()
        if table is None:
            raise forms.ValidationError(_("There is no table %(n)s.") % {"n": self.cleaned_data["table"]})
        return table


class RegisterForm(forms.Form):
    """The organisations a user may register for a forum (see `selfservice.may_register`), not yet in it."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), to_field_name="external_id")

    def __init__(self, *args, forum, user, **kwargs):
        from silkbridge.forums import selfservice

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selfservice.registrable(user, forum).order_by("name")


class InviteForm(forms.Form):
    """Organisers add any organisation not yet in the forum as a participant."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))

    def __init__(self, *args, forum, **kwargs):
        from silkbridge.directory.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            forum_participations__forum=forum).order_by("name")


class HostStandsForm(forms.Form):
    """One choice per table: the approved participant hosting their stand there, or nobody."""

    def __init__(self, *args, forum, **kwargs):
        from silkbridge.forums.models import Participant

        super().__init__(*args, **kwargs)
        hosts = (forum.participants.filter(status=Participant.Status.APPROVED).select_related("organisation")
                 .order_by("organisation__name"))
        choices = [("", "—"), *((p.organisation.external_id, p.organisation.name) for p in hosts)]
        for table in forum.tables.select_related("host__organisation"):
            self.fields[f"table_{table.number}"] = forms.ChoiceField(
                label=_("Table %(label)s") % {"label": table.label}, choices=choices, required=False,
                initial=table.host.organisation.external_id if table.host else "")

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, value in data.items():
            if value and value in seen:
                raise forms.ValidationError(
                    _("%(org)s can host one stand only, not at tables %(first)s and %(second)s.")
                    % {"org": dict(self.fields[name].choices)[value], "first": seen[value].removeprefix("table_"),
                       "second": name.removeprefix("table_")})
            if value:
                seen[value] = name
        return data

    def changes(self) -> list[tuple[int, str | None]]:
        """(table number, organisation id or None) for each table whose host the form changes."""
        return [(int(name.removeprefix("table_")), self.cleaned_data[name] or None) for name in self.changed_data]


class ScheduleForm(forms.Form):
    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=10)


class ForumSetupForm(forms.Form):
    """A forum's set-up as organisers type it; `forums.setup` checks the values and names what is wrong."""

    name = forms.CharField(label=_("Name"), max_length=300)
    slug = forms.SlugField(label=_("Short name"), max_length=100,
                           help_text=_("Used in addresses and commands, e.g. cangzhou-2026."))
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=31, initial=1)
    time_zone = forms.ChoiceField(label=_("Time zone"), help_text=_("Times are shown, mailed and printed in this zone."))
    sessions = forms.CharField(label=_("Sessions of each day"), initial="09:00-12:30, 14:00-17:00",
                               help_text=_("HH:MM-HH:MM, comma-separated; the gaps between sessions are pauses."))
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240, initial=20)
    tables = forms.CharField(label=_("Tables"), initial="20",
                             help_text=_("A number, or the tables' names comma-separated."))
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=130, required=False,
                           help_text=_("An unknown city is added; write 'Name, CC' to give its country."))
    request_deadline = forms.DateTimeField(label=_("Deadline for meeting requests"), required=False,
                                           widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                           help_text=_("In the forum's time zone."))
    max_meetings = forms.IntegerField(label=_("Maximum meetings per participant"), min_value=1, required=False)
    public_participants = forms.BooleanField(label=_("Visitors may see the list of participants"), required=False,
                                             initial=True)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from silkbridge.forums import setup

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in setup.time_zone_choices()]
        self.fields["time_zone"].initial = settings.TIME_ZONE

    @staticmethod
    def initial_for(forum) -> dict:
        from django.utils import timezone

        from silkbridge.forums import setup

        current = setup.setup_of(forum)
        deadline = (timezone.localtime(forum.request_deadline, forum.tzinfo).replace(tzinfo=None)
                    if forum.request_deadline else None)
        return {"name": current.name, "slug": current.slug, "starts_on": current.starts_on, "days": current.days,
                "time_zone": current.time_zone, "sessions": sessions_text(current.sessions),
                "slot_minutes": current.slot_minutes,
                "tables": ", ".join(current.tables) if isinstance(current.tables, tuple) else str(current.tables),
                "venue": current.venue, "city": current.city, "request_deadline": deadline,
                "max_meetings": current.max_meetings, "public_participants": current.public_participants}

    def to_setup(self, *, keep_sessions=None):
        """The typed values as a `ForumSetup`; ``keep_sessions`` stands for an unchanged sessions text
        (so pauses set up elsewhere survive an edit that does not touch them)."""
        from silkbridge.forums import setup

        data = dict(self.cleaned_data)
        if keep_sessions is not None and data["sessions"].replace(" ", "") == sessions_text(keep_sessions).replace(" ", ""):
            data["sessions"] = tuple(keep_sessions)
        else:
            data["sessions"] = tuple(setup.parse_sessions(data["sessions"]))
        if data["request_deadline"] is not None:
            data["request_deadline"] = data["request_deadline"].replace(tzinfo=None)
        return setup.ForumSetup(**data)


def sessions_text(sessions) -> str:
    return ", ".join(f"{s['start']}-{s['end']}" for s in sessions)


IMPORT_KINDS = (("participants", _("Participants and their delegates")), ("pairings", _("Organisers' pairings")))


class ForumImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=IMPORT_KINDS, initial="participants",
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file: store nothing, invite nobody"), required=False)

    def clean_file(self):
        from pathlib import Path

        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return check_upload(upload)
