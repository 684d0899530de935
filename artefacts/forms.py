"""Form fields for a kind's structured fields: typed quickly, validated by the kind."""

from django import forms

from artefacts.kinds import Kind


def form_field(field) -> forms.Field:
    # Every form field is optional here; the kind enforces "required" with its own message.
    common = {"label": field.label, "required": False, "help_text": field.help}
    if field.type == "rows":
        return forms.CharField(
            strip=False,
            widget=forms.Textarea(attrs={"rows": 4, "class": "rows-input"}),
            **common,
        )
    if field.type == "longtext":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if field.type == "choice":
        choices = [("", "—"), *((c, c) for c in field.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if field.type == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(**common)


def add_kind_fields(form: forms.Form, kind: Kind) -> None:
    for field in kind.fields:
        if field.name in form.fields:
            raise ValueError(f"Field {field.name!r} of {kind.key} clashes with a page field")
        form.fields[field.name] = form_field(field)


def initial_values(kind: Kind, values: dict) -> dict:
    return {field.name: field.as_text(values.get(field.name)) for field in kind.fields}
