"""Forms of the account pages; they validate input and leave every write to `services`."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Your name"), max_length=200)
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)
    optional_notices = forms.BooleanField(
        label=_("Send me optional notices (meeting requests and answers, reminders, schedule changes)"), required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the new token"), max_length=100,
                           help_text=_("Say where it is used, for example “CRM export”."))


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(label=_("Type your e-mail address to confirm"), max_length=254)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.lower() != (self.user.email or self.user.get_username()).lower():
            raise forms.ValidationError(_("This is not your e-mail address."))
        return value


class OrganisationForm(forms.Form):
    """A new organisation, in import-row terms (`directory.services.validate_row` checks it)."""

    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    country = forms.ChoiceField(label=_("Country"), choices=())
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    website = forms.CharField(label=_("Website"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        from silkbridge.directory.models import Country, Organisation

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Organisation.Kind.choices
        self.fields["country"].choices = [(c.code, c.name_en) for c in Country.objects.order_by("name_en")]


class RepresentForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation ID"), max_length=100,
                                   help_text=_("The ID shown on the organisation's page in the directory."))
    message = forms.CharField(label=_("Message to the approvers"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.Form):
    """An organisation's profile in one language, in any script."""

    language = forms.CharField(label=_("Language of the text"), max_length=10, required=False,
                               help_text=_("A code such as en, zh-hans, sr-cyrl, sr-latn or pl; empty: recognised from the text."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    offers = forms.CharField(label=_("What we offer (one per line)"), widget=forms.Textarea(attrs={"rows": 4}),
                             required=False)
    needs = forms.CharField(label=_("What we look for (one per line)"), widget=forms.Textarea(attrs={"rows": 4}),
                            required=False)
    sectors = forms.CharField(label=_("Sectors"), max_length=500, required=False,
                              help_text=_("NACE codes or words, separated by commas, for example “C28, logistics”."))
    website = forms.CharField(label=_("Website"), max_length=500, required=False)


class ResetForm(PasswordResetForm):
    """Django's reset form, which also reaches invited people who never set a password."""

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        return (u for u in get_user_model()._default_manager.filter(email__iexact=email, is_active=True))
