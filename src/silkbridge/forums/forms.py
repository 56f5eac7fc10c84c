"""Forms of the forum pages; each form's choices are limited to the forum it belongs to."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))

    def __init__(self, *args, forum, **kwargs):
        from silkbridge.directory.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            forum_participations__forum=forum).order_by("name")


class ScheduleForm(forms.Form):
    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=10)
