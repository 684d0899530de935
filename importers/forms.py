"""The upload form of the Import page."""

import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from importers.models import ImportJob


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="Exported from", choices=ImportJob.Source.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="Export (.zip)",
        help_text="Confluence: Space tools → Export, HTML or XML. Notion: Export, Markdown & CSV "
        "or HTML, with subpages. Upload the zip as downloaded, all parts in one.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    dry_run = forms.BooleanField(
        label="Check only: read the export and show the report, store nothing",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WIKI_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The export is {filesizeformat(upload.size)}; at most {filesizeformat(limit)} "
                "can be imported."
            )
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError(
                "This is not a zip file. Upload the export exactly as downloaded."
            )
        upload.seek(0)
        return upload


class AgainForm(forms.Form):
    dry_run = forms.BooleanField(required=False)
