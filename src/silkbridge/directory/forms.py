"""Forms for staff: importing a member list from a spreadsheet."""
from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, store nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
