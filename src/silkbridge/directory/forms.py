"""Forms for staff: importing a member list from a spreadsheet."""
from django import forms
from django.utils.translation import gettext_lazy as _


def check_upload(upload):
    """Refuse a spreadsheet larger than ``SILKBRIDGE_MAX_UPLOAD_MB`` before anything reads it."""
    from django.conf import settings

    limit = settings.IMPORT_LIMITS["max_bytes"]
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size).1f MB; the largest accepted is %(limit).1f MB. Split it into smaller files."),
            params={"size": upload.size / 2**20, "limit": limit / 2**20})
    return upload


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, store nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return check_upload(upload)
