"""Forms: they parse and shape input; the actions validate and store it."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from artefacts import kinds
from artefacts.forms import add_kind_fields
from wikiapp.models import Role


class PageForm(forms.Form):
    title = forms.CharField(max_length=settings.WIKI_MAX_TITLE_LENGTH)
    body = forms.CharField(
        required=False,
        strip=False,
        max_length=settings.WIKI_MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "class": "editor"}),
    )
    message = forms.CharField(
        required=False,
        max_length=500,
        label="Change note",
        help_text="Optional: why you changed it",
    )

    def __init__(self, *args, kind: kinds.Kind = kinds.PLAIN, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        add_kind_fields(self, kind)

    @property
    def kind_fields(self) -> list:
        return [self[field.name] for field in self.kind.fields]

    def clean(self):
        data = super().clean()
        raw = {field.name: data.get(field.name) for field in self.kind.fields}
        try:
            # The kind's own validation, so messages name the field and the text stays.
            self.page_fields = self.kind.clean_fields(raw)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return data


class EditForm(PageForm):
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CreateForm(PageForm):
    parent = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True


class RenameForm(forms.Form):
    title = forms.CharField(max_length=settings.WIKI_MAX_TITLE_LENGTH, label="New title")
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    parent = forms.ChoiceField(label="New parent", required=False)
    position = forms.IntegerField(
        min_value=1, required=False, help_text="1 is first among its new siblings; empty is last"
    )

    def __init__(self, *args, parents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "(top level of the space)"), *parents]


class RestoreForm(forms.Form):
    base_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(allow_empty_file=True)


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[*Role.choices, ("remove", "Remove from space")])


class SpaceForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=64, label="Address", help_text="Used in URLs, e.g. handbook")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
