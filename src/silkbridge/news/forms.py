"""The reviewer's form for a candidate: its payload as editable fields, one set of fields per kind."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.models import Organisation
from silkbridge.news.models import Candidate
from silkbridge.outcomes.models import Agreement, CityRelation

_LINES = _("one per line")

# Which payload fields a reviewer may change, per kind; the order is the form's.
FIELDS: dict[str, tuple[str, ...]] = {
    Candidate.Kind.ORGANISATION: ("name", "country", "org_kind"),
    Candidate.Kind.PERSON: ("name", "title", "organisation"),
    Candidate.Kind.CITY: ("name", "country"),
    Candidate.Kind.AGREEMENT: ("title", "agreement_kind", "date", "place", "city", "organisations", "amount", "currency"),
    Candidate.Kind.INVESTMENT: ("title", "date", "city", "country", "organisations", "amount", "currency"),
    Candidate.Kind.SISTER_CITY: ("cities", "relation_kind", "date"),
    Candidate.Kind.VISIT: ("title", "head", "date", "end_date", "city", "organisations"),
}
LIST_FIELDS = {"organisations", "cities"}


def _all_fields() -> dict[str, forms.Field]:
    return {
        "name": forms.CharField(label=_("name"), max_length=300),
        "title": forms.CharField(label=_("title"), max_length=500),
        "country": forms.CharField(label=_("country"), max_length=100, required=False,
                                   help_text=_("ISO code or name, such as RS or Serbia")),
        "org_kind": forms.ChoiceField(label=_("kind"), choices=Organisation.Kind.choices),
        "organisation": forms.CharField(label=_("organisation"), max_length=300, required=False),
        "agreement_kind": forms.ChoiceField(label=_("kind"), choices=Agreement.Kind.choices),
        "relation_kind": forms.ChoiceField(label=_("kind"), choices=CityRelation.Kind.choices),
        "date": forms.CharField(label=_("date"), max_length=10, required=False,
                                help_text=_("2025-06-03, or 2025-06 or 2025 when only that is known")),
        "end_date": forms.CharField(label=_("last day"), max_length=10, required=False),
        "place": forms.CharField(label=_("place"), max_length=200, required=False),
        "city": forms.CharField(label=_("city"), max_length=120, required=False),
        "head": forms.CharField(label=_("head of delegation"), max_length=200, required=False),
        "organisations": forms.CharField(label=_("organisations"), required=False, help_text=_LINES,
                                         widget=forms.Textarea(attrs={"rows": 3})),
        "cities": forms.CharField(label=_("cities"), help_text=_LINES, widget=forms.Textarea(attrs={"rows": 2})),
        "amount": forms.DecimalField(label=_("amount"), required=False, max_digits=20, decimal_places=2),
        "currency": forms.CharField(label=_("currency"), max_length=3, required=False),
    }


class CandidateForm(forms.Form):
    """Prefilled with the candidate's payload; `changes()` gives back payload values to pass to `accept_candidate`."""

    def __init__(self, *args, candidate: Candidate, **kwargs):
        payload = candidate.payload or {}
        names = FIELDS[candidate.kind]
        initial = {}
        for name in names:
            value = payload.get(name, "")
            initial[name] = "\n".join(value) if name in LIST_FIELDS and isinstance(value, list) else value
        # Choices the services would default to are shown chosen, so accepting the form as it is means the same.
        for name, default in (("relation_kind", CityRelation.Kind.SISTER), ("agreement_kind", Agreement.Kind.COOPERATION),
                              ("org_kind", Organisation.Kind.COMPANY)):
            if name in names and not initial.get(name):
                initial[name] = default
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        available = _all_fields()
        for name in names:
            self.fields[name] = available[name]
        self.candidate = candidate

    def changes(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            if name in LIST_FIELDS:
                value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            elif name == "amount":
                value = "" if value is None else str(value.normalize() if value == value.to_integral() else value)
                original = str(self.candidate.payload.get("amount") or "")
                if original and value and _same_number(original, value):
                    value = original
            elif value is None:
                value = ""
            out[name] = value
        return out

    @classmethod
    def as_read(cls, candidate: Candidate) -> CandidateForm:
        """The form bound to the candidate's own values, so that errors can be shown next to them."""
        unbound = cls(candidate=candidate)
        form = cls(data={k: "" if v is None else v for k, v in unbound.initial.items()}, candidate=candidate)
        form.is_valid()
        return form

    def add_errors(self, error) -> None:
        """Show a ValidationError from the services next to the field it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def _same_number(a: str, b: str) -> bool:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


class UploadForm(forms.Form):
    file = forms.FileField(label=_("article file"),
                           help_text=_("a plain-text article, a web page (.html) or an RSS or Atom feed (.xml)"))

    def clean_file(self):
        from silkbridge.news.reading import READABLE

        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in READABLE:
            raise forms.ValidationError(_("Upload a .txt, .html or .xml file."))
        return upload
