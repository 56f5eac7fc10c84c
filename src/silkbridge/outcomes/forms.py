"""Staff forms for outcome records; parties are written one per line so the page needs no script."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.directory import reference
from silkbridge.directory.models import City, Organisation
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Party, Visit
from silkbridge.outcomes.services import PartyRef

RECORD_FIELDS = ["forum", "meeting", "source_url", "source_title", "source_excerpt", "notes"]
PARTY_HELP = _("One per line: an organisation's directory ID (rs-zora), “city: Belgrade, RS”, or “government: CN”.")


def parse_parties(text: str, role: str) -> tuple[list[PartyRef], list[str]]:
    """Party lines into references; unknown names come back as readable errors."""
    parties: list[PartyRef] = []
    errors: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        head, _sep, rest = line.partition(":")
        head, rest = head.strip().lower(), rest.strip()
        if head == "city" and rest:
            name, _sep, country = rest.rpartition(",")
            found = reference.find_country(country.strip()) if name else None
            if found is None:
                errors.append(f"“{line}”: write the city as “city: NAME, COUNTRY CODE”")
                continue
            key = reference.name_key(name)
            cities = [c for c in City.objects.filter(country_id=found["code"])
                      if key in {reference.name_key(n) for n in (c.name_en, c.name_zh, c.name_local, c.name_local_latn,
                                                                  *(c.aliases or ())) if n}]
            if len(cities) != 1:
                errors.append(f"“{line}”: {'no' if not cities else 'more than one'} such city in {found['code']}")
                continue
            parties.append(PartyRef(role=role, city_id=cities[0].pk))
        elif head in {"government", "country"} and rest:
            found = reference.find_country(rest)
            if found is None:
                errors.append(f"“{line}”: unknown country")
                continue
            parties.append(PartyRef(role=role, country_id=found["code"]))
        else:
            org = Organisation.objects.filter(external_id=line).only("pk").first()
            if org is None:
                errors.append(f"“{line}”: no organisation has this directory ID")
                continue
            parties.append(PartyRef(role=role, organisation_id=org.pk))
    return parties, errors


def party_lines(parties, role: str) -> str:
    lines = []
    for p in parties:
        if p.role != role:
            continue
        if p.organisation_id:
            lines.append(p.organisation.external_id)
        elif p.city_id:
            lines.append(f"city: {p.city.name_en}, {p.city.country_id}")
        else:
            lines.append(f"government: {p.country_id}")
    return "\n".join(lines)


class _RecordForm(forms.ModelForm):
    """Adds the party text fields of a kind (`party_fields`: form field -> party role)."""

    party_fields: dict[str, str] = {}
    source_url = forms.URLField(label=_("source address"), required=False, max_length=1000, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "meeting" in self.fields:
            self.fields["meeting"].widget = forms.NumberInput()
            self.fields["meeting"].help_text = _("Number of the meeting request the outcome came from.")
        for name, role in self.party_fields.items():
            self.fields[name] = forms.CharField(label=self.party_labels[name], required=False, help_text=PARTY_HELP,
                                                widget=forms.Textarea(attrs={"rows": 3}))
            if self.instance.pk:
                parties = self.instance.parties.select_related("organisation", "city")
                self.initial[name] = party_lines(parties, role)
        self.parties: list[PartyRef] | None = None

    party_labels: dict[str, str] = {}

    def clean(self):
        cleaned = super().clean()
        if self.party_fields:
            self.parties = []
            for name, role in self.party_fields.items():
                refs, errors = parse_parties(cleaned.get(name, ""), role)
                for e in errors:
                    self.add_error(name, e)
                self.parties += refs
        return cleaned


class AgreementForm(_RecordForm):
    party_fields = {"parties_text": Party.Role.SIGNATORY}
    party_labels = {"parties_text": _("Parties")}

    class Meta:
        model = Agreement
        fields = ["kind", "title", "signed_on", "place", "city", "status", "description", "amount", "currency",
                  *RECORD_FIELDS]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}


class InvestmentForm(_RecordForm):
    party_fields = {"investors_text": Party.Role.INVESTOR, "targets_text": Party.Role.TARGET}
    party_labels = {"investors_text": _("Investors"), "targets_text": _("Targets")}

    class Meta:
        model = Investment
        fields = ["title", "status", "signed_on", "date_precision", "amount", "currency", "country", "city", "sector",
                  "sector_text", "share", "greenfield", "belt_and_road", "target_name", "description", *RECORD_FIELDS]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}


class CityRelationForm(_RecordForm):
    class Meta:
        model = CityRelation
        fields = ["city_a", "city_b", "kind", "since", *RECORD_FIELDS]

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("city_a"), cleaned.get("city_b")
        if a and b and a == b:
            self.add_error("city_b", _("A city cannot be partnered with itself."))
        elif a and b and a.pk > b.pk:
            # The pair is unordered; storing the lower id first lets the database keep it unique.
            cleaned["city_a"], cleaned["city_b"] = b, a
        return cleaned


class VisitForm(_RecordForm):
    met_text = forms.CharField(label=_("Organisations met"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Directory IDs, one per line."))

    class Meta:
        model = Visit
        fields = ["delegation", "head", "organisation", "from_country", "from_city", "to_country", "to_city",
                  "starts_on", "ends_on", "purpose", "met_people", *RECORD_FIELDS]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"}),
                   "organisation": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.CharField(label=_("Sending organisation"), required=False,
                                                      help_text=_("Directory ID."))
        if self.instance.pk:
            self.initial["organisation"] = self.instance.organisation.external_id if self.instance.organisation else ""
            self.initial["met_text"] = "\n".join(self.instance.met.values_list("external_id", flat=True))
        self.met: list[int] = []

    def clean_organisation(self):
        value = (self.cleaned_data.get("organisation") or "").strip()
        if not value:
            return None
        org = Organisation.objects.filter(external_id=value).first()
        if org is None:
            raise forms.ValidationError(_("No organisation has this directory ID."))
        return org

    def clean_met_text(self):
        ids = [line.strip() for line in self.cleaned_data.get("met_text", "").splitlines() if line.strip()]
        found = dict(Organisation.objects.filter(external_id__in=ids).values_list("external_id", "pk"))
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(_("Unknown directory IDs: %(ids)s") % {"ids": ", ".join(missing)})
        self.met = [found[i] for i in ids]
        return self.cleaned_data["met_text"]


FORMS = {"agreements": AgreementForm, "investments": InvestmentForm, "cities": CityRelationForm, "visits": VisitForm}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[
        ("sister-cities", _("Sister, partner and friendship cities (city1, country1, city2, country2[, kind, since])")),
        ("investments", _("Investment deals (China Global Investment Tracker columns)")),
    ])
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; store nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Use a .csv or .xlsx file."))
        from silkbridge.directory.forms import check_upload

        return check_upload(upload)
